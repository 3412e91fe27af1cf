// The taint eviction controller (upstream's NoExecuteTaintManager): a pod on a
// node with a NoExecute taint it does not tolerate is deleted at once; one
// tolerating every such taint for a bounded tolerationSeconds is deleted when
// the shortest of them runs out. Upstream keeps a timed work queue in memory;
// we count each taint's toleration from its timeAdded and ask to be requeued
// at the deadline, so nothing is lost when the object sleeps.
//
// Rate limits: upstream deletes pods from this controller without a limiter;
// the node-eviction-rate (0.1 nodes/s per zone) throttles the node lifecycle
// controller's NoExecute tainting instead, and that is where ours applies it.
import { rfc3339 } from '../apiserver/context'
import {
  type Taint,
  type Toleration,
  podTolerations,
  toleratesTaint,
} from '../scheduler/plugins/helper/taints'
import {
  type Controller,
  type ControllerContext,
  type Obj,
  NODES,
  PODS,
  splitKey,
} from './framework/types'

export const REASON_TAINT_MANAGER_EVICTION = 'TaintManagerEviction'
export const DISRUPTION_TARGET = 'DisruptionTarget'
export const REASON_DELETION_BY_TAINT_MANAGER = 'DeletionByTaintManager'
export const MESSAGE_DELETION_BY_TAINT_MANAGER = 'Taint manager: deleting due to NoExecute taint'

type TimedTaint = Taint & { timeAdded?: string }

export const noExecuteTaints = (node: Obj): TimedTaint[] =>
  (node.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute')

/**
 * When the pod must go: `now` if a NoExecute taint is not tolerated; else the
 * earliest timeAdded + tolerationSeconds over the taints (the first tolerating
 * toleration counts, as upstream's GetMatchingTolerations); undefined when
 * every taint is tolerated forever (or there is none).
 */
export function evictionTime(
  tolerations: Toleration[],
  taints: TimedTaint[],
  now: number,
): number | undefined {
  let due: number | undefined
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint))
    if (!t) return now
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue
    const since = taint.timeAdded ? Date.parse(taint.timeAdded) : now
    const at = since + Math.max(0, t.tolerationSeconds) * 1000
    due = due === undefined ? at : Math.min(due, at)
  }
  return due
}

/** The pod's status with DisruptionTarget=True from the taint manager; undefined when already so. */
export function withDisruptionTarget(pod: Obj, now: number): Obj | undefined {
  const conditions: Record<string, any>[] = pod.status?.conditions ?? []
  const old = conditions.find((c) => c.type === DISRUPTION_TARGET)
  if (old?.status === 'True' && old.reason === REASON_DELETION_BY_TAINT_MANAGER) return undefined
  const c = {
    type: DISRUPTION_TARGET,
    status: 'True',
    lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : rfc3339(now),
    reason: REASON_DELETION_BY_TAINT_MANAGER,
    message: MESSAGE_DELETION_BY_TAINT_MANAGER,
  }
  const next = structuredClone(pod)
  next.status = {
    ...next.status,
    conditions: old ? conditions.map((x) => (x === old ? c : x)) : [...conditions, c],
  }
  return next
}

export const podKey = (pod: Obj) => `pod:${pod.metadata.namespace}/${pod.metadata.name}`

function processPod(pod: Obj, node: Obj, ctx: ControllerContext): void {
  if (pod.metadata.deletionTimestamp) return
  const due = evictionTime(podTolerations(pod), noExecuteTaints(node), ctx.now)
  if (due === undefined) return
  if (due > ctx.now) {
    ctx.requeueAfter(podKey(pod), due - ctx.now)
    return
  }
  const next = withDisruptionTarget(pod, ctx.now)
  if (next) ctx.updateStatus(PODS, next)
  const { namespace, name, uid } = pod.metadata
  ctx.event(
    pod,
    'Normal',
    REASON_TAINT_MANAGER_EVICTION,
    `Marking for deletion Pod ${namespace}/${name}`,
  )
  ctx.delete(PODS, namespace, name, { uid })
}

/** Keys: a node name (every pod on it) or `pod:<ns>/<name>`. */
export function syncTaintEviction(key: string, ctx: ControllerContext): void {
  if (key.startsWith('pod:')) {
    const { namespace, name } = splitKey(key.slice(4))
    const pod = ctx.get(PODS, namespace, name)
    const node = pod?.spec?.nodeName && ctx.get(NODES, undefined, pod.spec.nodeName)
    if (pod && node) processPod(pod, node, ctx)
    return
  }
  const node = ctx.get(NODES, undefined, key)
  if (!node || !noExecuteTaints(node).length) return
  for (const pod of ctx.list(PODS, { fields: { 'spec.nodeName': key } })) processPod(pod, node, ctx)
}

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export const taintEvictionController: Controller = {
  name: 'taint-eviction',
  component: 'taint-eviction-controller',
  watches: {
    // Only a change of NoExecute taints matters (upstream's handleNodeUpdate).
    [NODES]: (o, old, deleted) =>
      !deleted && !sameJSON(noExecuteTaints(o), old ? noExecuteTaints(old) : [])
        ? [o.metadata.name]
        : [],
    // A pod newly bound, moved, or with changed tolerations (upstream's handlePodUpdate).
    [PODS]: (o, old, deleted) =>
      !deleted &&
      o.spec?.nodeName &&
      (!old ||
        old.spec?.nodeName !== o.spec.nodeName ||
        !sameJSON(old.spec?.tolerations, o.spec?.tolerations))
        ? [podKey(o)]
        : [],
  },
  sync: syncTaintEviction,
}

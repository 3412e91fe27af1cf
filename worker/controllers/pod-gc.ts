// The pod garbage collector (upstream's podgc): force-deletes pods bound to
// nodes that no longer exist (after upstream's 40 s quarantine, so a node
// that comes back keeps them), terminating pods never scheduled, terminating
// pods on a not-ready node tainted out-of-service, and the oldest finished
// pods beyond --terminated-pod-gc-threshold. Pods not yet finished are
// marked Failed first. Upstream sweeps every 20 s; we sweep the finished pods
// at most once per 20 s after one finishes, and look at the rest when they or
// their node change.
import { rfc3339 } from '../apiserver/context'
import { timeOf } from './controller-utils'
import {
  type Controller,
  type ControllerContext,
  type Obj,
  NODES,
  PODS,
  splitKey,
} from './framework/types'

export const TERMINATED_POD_GC_THRESHOLD = 12_500
export const GC_CHECK_PERIOD_MS = 20_000
export const QUARANTINE_MS = 40_000
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service'
export const REASON_DELETION_BY_POD_GC = 'DeletionByPodGC'
export const MESSAGE_NODE_GONE = 'PodGC: node no longer exists'

const TERMINATED_SWEEP = 'terminated'
/** A finished pod asks for a sweep; the sweep waits GC_CHECK_PERIOD_MS, so a burst makes one sweep. */
const TERMINATED_NOTICE = 'terminated-notice'

export const isTerminated = (pod: Obj) =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
const isEvicted = (pod: Obj) => pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted'

/** The finished pods to delete beyond `threshold`: evicted first, then oldest, then by name (byEvictionAndCreationTimestamp). */
export function terminatedPodsToDelete(
  pods: Obj[],
  threshold = TERMINATED_POD_GC_THRESHOLD,
): Obj[] {
  const done = pods.filter((p) => isTerminated(p) && !p.metadata.deletionTimestamp)
  const n = done.length - threshold
  if (threshold <= 0 || n <= 0) return []
  return done
    .sort(
      (a, b) =>
        Number(isEvicted(b)) - Number(isEvicted(a)) ||
        timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp) ||
        a.metadata.name.localeCompare(b.metadata.name),
    )
    .slice(0, n)
}

/** A node whose pods may be removed while terminating: not Ready and tainted out-of-service. */
export function isOutOfService(node: Obj): boolean {
  const ready = (node.status?.conditions ?? []).find((c: Record<string, any>) => c.type === 'Ready')
  return (
    ready?.status !== 'True' &&
    (node.spec?.taints ?? []).some((t: Record<string, any>) => t.key === TAINT_OUT_OF_SERVICE)
  )
}

/** The pod marked Failed (with `condition` if given); undefined when it has already finished. */
export function failedPod(pod: Obj, now: number, condition?: Record<string, any>): Obj | undefined {
  if (isTerminated(pod)) return undefined
  const next = structuredClone(pod)
  next.status = { ...next.status, phase: 'Failed' }
  if (condition) {
    const c: Record<string, any> = { ...condition, lastTransitionTime: rfc3339(now) }
    next.status.conditions = [
      ...(next.status.conditions ?? []).filter((x: Record<string, any>) => x.type !== c.type),
      c,
    ]
  }
  return next
}

function markFailedAndDelete(
  ctx: ControllerContext,
  pod: Obj,
  condition?: Record<string, any>,
): void {
  const failed = failedPod(pod, ctx.now, condition)
  if (failed) ctx.updateStatus(PODS, failed)
  ctx.delete(PODS, pod.metadata.namespace, pod.metadata.name, {
    uid: pod.metadata.uid,
    gracePeriodSeconds: 0,
  })
}

const nodeGone = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: REASON_DELETION_BY_POD_GC,
  message: MESSAGE_NODE_GONE,
}

/** Keys: `pod:<ns>/<name>`, `node:<name>`, `orphans:<node>`, `terminated-notice`, `terminated`. */
export function syncPodGC(key: string, ctx: ControllerContext): void {
  if (key === TERMINATED_NOTICE) return ctx.requeueAfter(TERMINATED_SWEEP, GC_CHECK_PERIOD_MS)
  if (key === TERMINATED_SWEEP) {
    for (const pod of terminatedPodsToDelete(ctx.list(PODS))) markFailedAndDelete(ctx, pod)
    return
  }
  const i = key.indexOf(':')
  const [kind, rest] = [key.slice(0, i), key.slice(i + 1)]
  if (kind === 'pod') {
    const { namespace, name } = splitKey(rest)
    const pod = ctx.get(PODS, namespace, name)
    if (!pod) return
    const nodeName: string | undefined = pod.spec?.nodeName
    if (!nodeName) {
      if (pod.metadata.deletionTimestamp) markFailedAndDelete(ctx, pod)
      return
    }
    const node = ctx.get(NODES, undefined, nodeName)
    if (!node) ctx.requeueAfter(`orphans:${nodeName}`, QUARANTINE_MS)
    else if (pod.metadata.deletionTimestamp && isOutOfService(node)) markFailedAndDelete(ctx, pod)
  } else if (kind === 'node') {
    const node = ctx.get(NODES, undefined, rest)
    if (!node) return ctx.requeueAfter(`orphans:${rest}`, QUARANTINE_MS)
    if (!isOutOfService(node)) return
    for (const pod of ctx.list(PODS, { fields: { 'spec.nodeName': rest } }))
      if (pod.metadata.deletionTimestamp) markFailedAndDelete(ctx, pod)
  } else if (kind === 'orphans') {
    // Still gone after the quarantine.
    if (ctx.get(NODES, undefined, rest)) return
    for (const pod of ctx.list(PODS, { fields: { 'spec.nodeName': rest } }))
      markFailedAndDelete(ctx, pod, nodeGone)
  }
}

export const podGCController: Controller = {
  name: 'pod-gc',
  component: 'pod-garbage-collector',
  watches: {
    [PODS]: (o, _old, deleted) => {
      if (deleted) return []
      const keys: string[] = []
      if (isTerminated(o)) keys.push(TERMINATED_NOTICE)
      if (o.spec?.nodeName || o.metadata.deletionTimestamp)
        keys.push(`pod:${o.metadata.namespace}/${o.metadata.name}`)
      return keys
    },
    [NODES]: (o, _old, deleted) =>
      deleted || isOutOfService(o) ? [`node:${o.metadata.name}`] : [],
  },
  sync: syncPodGC,
}

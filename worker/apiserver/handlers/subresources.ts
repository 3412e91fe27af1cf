// Create-only reviews and the pod and scale subresources: the access reviews
// (access-review.ts), SelfSubjectReview, pods/binding, pods/eviction, */scale.
import { findKind } from '../../resources/registry'
import { type ApiContext, isDryRun, rfc3339 } from '../context'
import { ApiError, badRequestError, conflictError, notFoundError } from '../errors'
import { type Obj, type Objects } from '../objects'
import { status } from '../status'
import { accessReview } from './access-review'
import { writeUpdate } from './write'

const success = (code = 201) => Response.json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code }, { status: code })

export async function review(ctx: ApiContext): Promise<Response> {
  const body = (await ctx.body()) as Obj
  if (!body || typeof body !== 'object') throw badRequestError('the body of the request was not a JSON object')
  const out = { ...body, apiVersion: `${ctx.kind.group}/${ctx.kind.version}`, kind: ctx.kind.kind, metadata: { ...(body.metadata ?? {}), creationTimestamp: null } }
  if (ctx.kind.group === 'authorization.k8s.io') return accessReview(ctx, out)
  if (ctx.kind.kind === 'SelfSubjectReview') return Response.json({ ...out, status: { userInfo: ctx.user } }, { status: 201 })
  throw notFoundError(ctx.kind, '')
}

const PODS = findKind('', 'v1', 'pods')!

/** pods/binding (and the bindings resource): assigns a pending pod to a node. */
export async function bindPod(ctx: ApiContext): Promise<Response> {
  const b = (await ctx.body()) as Obj
  const podName = ctx.info.subresource === 'binding' ? ctx.info.name! : b?.metadata?.name
  const node = b?.target?.name
  if (!node) throw new ApiError(status(422, 'Invalid', 'Binding "" is invalid: target.name: Required value'))
  const pod = ctx.objects.get(PODS, ctx.info.namespace, podName)
  if (!pod) throw notFoundError(PODS, podName)
  if (pod.spec.nodeName) throw conflictError(PODS, podName, `pod ${podName} is already assigned to node "${pod.spec.nodeName}"`)
  if (pod.metadata.deletionTimestamp) throw conflictError(PODS, podName, `pod ${podName} is being deleted, cannot be assigned to a host`)
  if (isDryRun(ctx.url)) return success()
  writeBinding(ctx.objects, pod, node, ctx.now())
  return success()
}

/** Binds a pod to a node: spec.nodeName and PodScheduled=True, compare-and-swap on the pod's revision. */
export function writeBinding(objects: Objects, pod: Obj, node: string, now: number): Obj {
  const next = structuredClone(pod)
  next.spec.nodeName = node
  const conds: Record<string, unknown>[] = (next.status.conditions ??= [])
  const i = conds.findIndex((c) => c.type === 'PodScheduled')
  const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) }
  if (i >= 0) conds[i] = cond
  else conds.push(cond)
  delete next.status.nominatedNodeName
  // Binding writes spec.nodeName, which a main-resource update would keep: write it directly.
  return objects.update(PODS, next, pod.metadata.resourceVersion)
}

function scaleOf(o: Obj) {
  const sel = o.spec?.selector?.matchLabels ?? {}
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') },
  }
}

export function getScale(ctx: ApiContext): Response {
  return Response.json(scaleOf(ctx.objects.mustGet(ctx.kind, ctx.info.namespace, ctx.info.name!)))
}

/** Applies a Scale (after PUT or PATCH on /scale) to its Deployment or ReplicaSet. */
export function writeScale(ctx: ApiContext, scale: Obj, old: Obj): Response {
  if (scale.metadata?.resourceVersion && scale.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflictError(ctx.kind, old.metadata.name)
  const replicas = scale.spec?.replicas
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new ApiError(status(422, 'Invalid', `Scale.autoscaling "${old.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`))
  const next = structuredClone(old)
  next.spec.replicas = replicas
  return Response.json(scaleOf(writeUpdate(ctx, next, old)))
}

export async function putScale(ctx: ApiContext): Promise<Response> {
  const old = ctx.objects.mustGet(ctx.kind, ctx.info.namespace, ctx.info.name!)
  return writeScale(ctx, (await ctx.body()) as Obj, old)
}

export function scaleView(ctx: ApiContext, o: Obj): Obj {
  return scaleOf(o) as Obj
}

export { success }

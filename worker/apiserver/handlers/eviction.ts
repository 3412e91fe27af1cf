// pods/eviction: the pod is deleted as DELETE would, unless a PodDisruptionBudget
// forbids it (429 TooManyRequests with the budget's figures as a cause, which
// kubectl drain prints and retries). An allowed eviction of a running pod marks
// it DisruptionTarget (EvictionByEvictionAPI) first, as upstream does.
import { rfc3339, type ApiContext } from '../context'
import { ApiError } from '../errors'
import { budgetFigures, evictionCondition, evictionVerdict } from '../eviction'
import { findKind } from '../../resources/registry'
import { status } from '../status'
import { deleteObject, type Scheduler } from './delete'
import { success } from './subresources'

const PDBS = findKind('policy', 'v1', 'poddisruptionbudgets')!
const REPLICASETS = findKind('apps', 'v1', 'replicasets')!

export async function evictPod(ctx: ApiContext, timers: Scheduler): Promise<Response> {
  const ns = ctx.info.namespace!
  const pod = ctx.objects.mustGet(ctx.kind, ns, ctx.info.name!)
  const pdbs = ctx.objects.list(PDBS, { namespace: ns }).items
  if (pdbs.length) {
    const pods = ctx.objects.list(ctx.kind, { namespace: ns }).items
    const expected = (owner: Record<string, any>) =>
      owner.kind === 'ReplicaSet'
        ? ctx.objects.get(REPLICASETS, ns, owner.name)?.spec?.replicas
        : undefined
    const v = evictionVerdict(
      pod,
      pdbs.map((p) => budgetFigures(p, pods, expected)),
    )
    if (!v.allowed)
      throw new ApiError(
        v.code === 429
          ? status(
              429,
              'TooManyRequests',
              v.message,
              v.cause ? { causes: [{ type: 'DisruptionBudget', message: v.cause }] } : undefined,
            )
          : status(500, 'InternalError', `Internal error occurred: ${v.message}`),
      )
  }
  const ev = (await ctx.body()) as { deleteOptions?: unknown }
  const phase = pod.status?.phase
  if (!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
    const conditions = [
      ...(pod.status?.conditions ?? []).filter(
        (c: Record<string, any>) => c.type !== 'DisruptionTarget',
      ),
      evictionCondition(rfc3339(ctx.now())),
    ]
    ctx.objects.update(
      ctx.kind,
      { ...pod, status: { ...pod.status, conditions } },
      pod.metadata.resourceVersion,
    )
  }
  const del = new Request(ctx.req.url, {
    method: 'DELETE',
    body: JSON.stringify(ev?.deleteOptions ?? {}),
  })
  await deleteObject({ ...ctx, req: del, url: new URL(ctx.req.url) }, timers)
  return success()
}

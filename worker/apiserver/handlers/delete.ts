// DELETE: finalizers and deletionTimestamp, graceful deletion of pods bound to
// a node, namespaces left Terminating until emptied, propagationPolicy recorded.
import { type ApiContext, isDryRun, rfc3339 } from '../context'
import { ApiError, badRequestError, conflictError } from '../errors'
import { type Obj, type Objects } from '../objects'
import type { KindInfo } from '../../resources/kind'
import { status } from '../status'
import { findKind } from '../../resources/registry'
import { admitNamespaceDelete } from '../admission/namespace-lifecycle'

export const NAMESPACE_FINALIZE_TIMER = 'namespace.finalize'
const NAMESPACES = findKind('', 'v1', 'namespaces')!

export interface DeleteOptions {
  gracePeriodSeconds?: number
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'
  preconditions?: { uid?: string; resourceVersion?: string }
}

async function deleteOptions(ctx: ApiContext): Promise<DeleteOptions> {
  const text = ctx.req.body ? await ctx.req.text() : ''
  let opts: DeleteOptions = {}
  if (text.trim()) {
    try {
      opts = JSON.parse(text) as DeleteOptions
    } catch {
      throw badRequestError('the body of the request was not valid DeleteOptions JSON')
    }
  }
  const q = ctx.url.searchParams
  if (q.get('gracePeriodSeconds') !== null)
    opts.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'))
  if (q.get('propagationPolicy'))
    opts.propagationPolicy = q.get('propagationPolicy') as DeleteOptions['propagationPolicy']
  if (
    opts.propagationPolicy &&
    !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)
  )
    throw new ApiError(
      status(
        422,
        'Invalid',
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
      ),
    )
  return opts
}

export interface Scheduler {
  schedule(kind: string, key: string, dueAt: number): void
}

export async function deleteObject(ctx: ApiContext, timers: Scheduler): Promise<Response> {
  const opts = await deleteOptions(ctx)
  // NamespaceLifecycle is a mutating plugin: it answers before the object is read.
  admitNamespaceDelete(ctx.kind.group, ctx.kind.resource, ctx.info.name!)
  const o = ctx.objects.mustGet(ctx.kind, ctx.info.namespace, ctx.info.name!)
  if (isDryRun(ctx.url)) {
    checkPreconditions(ctx.kind, o, opts)
    return Response.json(o)
  }
  const r = applyDelete(ctx.objects, ctx.kind, o, opts, ctx.now(), timers)
  return Response.json(r.object, { status: r.status })
}

function checkPreconditions(kind: KindInfo, o: Obj, opts: DeleteOptions): void {
  if (opts.preconditions?.uid && opts.preconditions.uid !== o.metadata.uid)
    throw conflictError(
      kind,
      o.metadata.name,
      `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${o.metadata.uid}`,
    )
  if (
    opts.preconditions?.resourceVersion &&
    opts.preconditions.resourceVersion !== o.metadata.resourceVersion
  )
    throw conflictError(
      kind,
      o.metadata.name,
      `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${o.metadata.resourceVersion}`,
    )
}

/**
 * DELETE's semantics for any writer (handlers and controllers): preconditions,
 * propagation finalizers, graceful deletion of pods on a node, namespaces left
 * Terminating. Returns the object as it is afterwards and the HTTP status.
 */
export function applyDelete(
  objects: Objects,
  kind: KindInfo,
  o: Obj,
  opts: DeleteOptions,
  now: number,
  timers: Scheduler,
): { object: Obj; status: number } {
  checkPreconditions(kind, o, opts)
  const next = structuredClone(o)
  const m = next.metadata
  const finalizers: string[] = m.finalizers ?? []
  if (opts.propagationPolicy === 'Orphan' && !finalizers.includes('orphan'))
    finalizers.push('orphan')
  if (opts.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
    finalizers.push('foregroundDeletion')
  const isNamespace = kind === NAMESPACES
  const isPod = kind.kind === 'Pod' && !kind.group
  const grace = opts.gracePeriodSeconds ?? next.spec?.terminationGracePeriodSeconds ?? 30
  const gracefulPod =
    isPod &&
    next.spec?.nodeName &&
    grace > 0 &&
    next.status?.phase !== 'Succeeded' &&
    next.status?.phase !== 'Failed'
  if (!finalizers.length && !isNamespace && !gracefulPod)
    return { object: objects.remove(kind, o), status: 200 }
  if (m.deletionTimestamp) {
    // A pod already terminating: a shorter grace period brings its deadline forward, 0 removes it now (--force).
    const shorter =
      isPod &&
      opts.gracePeriodSeconds !== undefined &&
      opts.gracePeriodSeconds < (m.deletionGracePeriodSeconds ?? 0)
    if (!shorter) return { object: o, status: 202 }
    if (opts.gracePeriodSeconds === 0 && !finalizers.length)
      return { object: objects.remove(kind, o), status: 200 }
    m.deletionTimestamp = rfc3339(now + opts.gracePeriodSeconds! * 1000)
    m.deletionGracePeriodSeconds = opts.gracePeriodSeconds
    return { object: objects.update(kind, next, o.metadata.resourceVersion), status: 200 }
  }
  m.finalizers = finalizers.length ? finalizers : undefined
  if (!m.finalizers) delete m.finalizers
  if (gracefulPod) {
    m.deletionTimestamp = rfc3339(now + grace * 1000)
    m.deletionGracePeriodSeconds = grace
  } else {
    m.deletionTimestamp = rfc3339(now)
    m.deletionGracePeriodSeconds = 0
  }
  if (isNamespace) next.status = { ...next.status, phase: 'Terminating' }
  const saved = objects.update(kind, next, o.metadata.resourceVersion)
  if (isNamespace) timers.schedule(NAMESPACE_FINALIZE_TIMER, m.name, now)
  return { object: saved, status: 200 }
}

/** An object being deleted goes away once its last finalizer is removed. */
export function finishDeletionIfDone(ctx: Pick<ApiContext, 'objects' | 'kind'>, o: Obj): Obj {
  if (!o.metadata.deletionTimestamp || (o.metadata.finalizers?.length ?? 0) > 0) return o
  if (ctx.kind === NAMESPACES && (o.spec?.finalizers?.length ?? 0) > 0) return o
  if (
    ctx.kind.kind === 'Pod' &&
    !ctx.kind.group &&
    (o.metadata.deletionGracePeriodSeconds ?? 0) > 0
  )
    return o
  return ctx.objects.remove(ctx.kind, o)
}

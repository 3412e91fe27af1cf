// The resource quota controller (pkg/controller/resourcequota): status.hard
// follows spec.hard and status.used is measured again from the namespace's
// objects. Admission charges usage as objects are written; this puts back what
// deletions and finished pods release, and corrects anything else on a
// 5-minute resync (--resource-quota-sync-period). Keys are namespaces: every
// quota of the namespace is synced together, which is what replenishment does
// (it enqueues all the namespace's quotas that track the changed kind).
import {
  podQuotaReleaseAt,
  syncResourceQuota,
  type NamespaceLister,
} from '../apiserver/admission/quota-controller'
import { KINDS } from '../resources/registry'
import type { Controller, ControllerContext, KeysFor, KindRef, Obj } from './framework/types'
import { PODS } from './framework/types'

export const RESOURCE_QUOTAS: KindRef = '/v1/resourcequotas'
export const QUOTA_RESYNC_MS = 5 * 60_000

const ns = (o: Obj) => (o.metadata.namespace ? [o.metadata.namespace as string] : [])

/** A quota whose spec is not yet reflected in its status, or that misses a usage (addQuota's priority cases). */
export function quotaNeedsSync(q: Obj): boolean {
  const hard = q.spec?.hard ?? {}
  const status = q.status ?? {}
  if (JSON.stringify(sortKeys(hard)) !== JSON.stringify(sortKeys(status.hard ?? {}))) return true
  return Object.keys(status.hard ?? {}).some((r) => !(r in (status.used ?? {})))
}

const sortKeys = (m: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)))

const terminal = (p: Obj) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'

/**
 * The replenishment filters, without the old object our informers do not keep:
 * pods when deleted, finished or being deleted; services and claims on every
 * write (a type change or a resize changes what they charge); any other kind
 * when deleted. Events are never counted.
 */
function watches(): Partial<Record<KindRef, KeysFor>> {
  const out: Partial<Record<KindRef, KeysFor>> = {}
  for (const k of KINDS) {
    if (!k.namespaced || k.virtual || k.resource === 'events') continue
    out[`${k.group}/${k.version}/${k.resource}`] = (o, _old, deleted) => (deleted ? ns(o) : [])
  }
  out[RESOURCE_QUOTAS] = (q, _old, deleted) => (!deleted && quotaNeedsSync(q) ? ns(q) : [])
  out[PODS] = (p, _old, deleted) =>
    deleted || terminal(p) || p.metadata.deletionTimestamp ? ns(p) : []
  out['/v1/services'] = (s) => ns(s)
  out['/v1/persistentvolumeclaims'] = (c) => ns(c)
  return out
}

/** Lists a namespace's objects of a served kind through the controller's context. */
export function namespaceLister(ctx: ControllerContext): NamespaceLister {
  return (group, resource, namespace) => {
    const k = KINDS.find((x) => x.group === group && x.resource === resource && !x.virtual)
    if (!k || !k.namespaced) return undefined
    return ctx.list(`${k.group}/${k.version}/${k.resource}`, { namespace })
  }
}

/** Syncs every quota of the namespace; asks to look again when a deleted pod's grace ends, and to resync. */
export function syncNamespaceQuotas(namespace: string, ctx: ControllerContext): void {
  const quotas = ctx.list(RESOURCE_QUOTAS, { namespace })
  if (!quotas.length) return
  const list = namespaceLister(ctx)
  for (const q of quotas) {
    const next = syncResourceQuota(q, list, ctx.now)
    if (next) ctx.updateStatus(RESOURCE_QUOTAS, next)
  }
  // A pod deleted with a grace period stops charging when it ends, with no write to tell us.
  let wake = ctx.now + QUOTA_RESYNC_MS
  for (const p of ctx.list(PODS, { namespace })) {
    const at = podQuotaReleaseAt(p)
    if (at !== undefined && at > ctx.now && at < wake) wake = at + 1
  }
  ctx.requeueAfter(namespace, wake - ctx.now)
}

export const resourceQuotaController: Controller = {
  name: 'resourcequota',
  component: 'resourcequota-controller',
  watches: watches(),
  sync: (key, ctx) => syncNamespaceQuotas(key, ctx),
}

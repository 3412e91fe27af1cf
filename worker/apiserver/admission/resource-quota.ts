// The ResourceQuota admission plugin (apiserver/pkg/admission/plugin/
// resourcequota, controller.go's checkRequest): a create or update must fit
// every quota of its namespace that tracks it; if it does, the quotas' new
// status.used comes back, for the caller to write in the same turn as the
// object, since kube-apiserver charges quota at admission and the quota
// controller only corrects it later. Pure: the caller passes the namespace's
// quotas and writes what is returned.
import type { Obj } from '../objects'
import { type Attributes, forbidden } from './attributes'
import { evaluatorFor, hardNames, quotaMatches, type QuotaEvaluator } from './quota-usage'
import {
  addLists,
  equals,
  fromWire,
  lessThanOrEqual,
  mask,
  negatives,
  prettyPrint,
  removeZeros,
  subtractNonNegative,
  toWire,
  type ResourceList,
} from './resource-list'

export interface QuotaAdmission extends Attributes {
  /** Simulated now (ms): a deleted pod past its grace period charges nothing. */
  now: number
}

/**
 * Admits the request against the namespace's quotas. Throws the upstream 403
 * when it does not fit; otherwise returns the quotas whose status.used changed
 * (none for a dry run), each a copy carrying its new status.
 */
export function admitResourceQuota(a: QuotaAdmission, quotas: Obj[]): Obj[] {
  // Subresources, cluster-scoped kinds and namespaces themselves are never charged.
  if (a.subresource || !a.namespace || (a.group === '' && a.resource === 'namespaces')) return []
  if (!quotas.length) return []
  const e = evaluatorFor(a.group, a.resource)
  if (!e || !e.handles(a.operation)) return []
  const sorted = [...quotas].sort((x, y) =>
    String(x.metadata.name).localeCompare(String(y.metadata.name)),
  )
  const next = checkRequest(a, e, sorted)
  if (a.dryRun) return []
  return next.filter((q, i) => !equals(fromWire(q.status?.used), fromWire(sorted[i]!.status?.used)))
}

/** The quotas as they would be if the request is admitted; throws when it is not. */
function checkRequest(a: QuotaAdmission, e: QuotaEvaluator, quotas: Obj[]): Obj[] {
  const obj = a.object
  const interesting: number[] = []
  for (let i = 0; i < quotas.length; i++) {
    const q = quotas[i]!
    if (!quotaMatches(q, e, obj)) continue
    const restricted = e.matchingResources(hardNames(q))
    const missing = e.constraints(restricted, obj)
    if (missing) throw forbidden(a, `failed quota: ${q.metadata.name}: ${missing}`)
    // A quota the controller has not measured yet cannot admit anything it tracks.
    const used = q.status?.used ?? {}
    const unknown = restricted.filter((r) => !(r in used))
    if (unknown.length)
      throw forbidden(
        a,
        `status unknown for quota: ${q.metadata.name}, resources: ${restricted.sort().join(',')}`,
      )
    interesting.push(i)
  }
  if (!interesting.length) return quotas

  const input = e.usage(obj, a.now)
  const neg = negatives(input)
  if (neg.length)
    throw forbidden(a, `quota usage is negative for resource(s): ${neg.sort().join(',')}`)

  // On update, only the growth is charged, to quotas that already counted the old object.
  const delta = new Map<number, ResourceList>(interesting.map((i) => [i, input]))
  if (a.operation === 'UPDATE') {
    const old = a.oldObject
    if (!old)
      throw forbidden(a, 'unable to get previous usage since prior version of object was not found')
    if (old.metadata?.resourceVersion) {
      const grown = subtractNonNegative(input, e.usage(old, a.now))
      for (const i of interesting) if (quotaMatches(quotas[i]!, e, old)) delta.set(i, grown)
    }
  }
  for (const [i, d] of delta) {
    const nz = removeZeros(d)
    if (Object.keys(nz).length) delta.set(i, nz)
    else delta.delete(i)
  }
  if (!delta.size) return quotas

  const out = quotas.map((q) => q)
  for (const i of interesting) {
    const d = delta.get(i)
    if (!d) continue
    const q = quotas[i]!
    const hard = fromWire(q.status?.hard)
    const used = fromWire(q.status?.used)
    const requested = mask(d, Object.keys(hard))
    const newUsage = addLists(used, requested)
    const exceeded = lessThanOrEqual(mask(newUsage, Object.keys(requested)), hard)
    if (exceeded.length)
      throw forbidden(
        a,
        `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`,
      )
    out[i] = { ...structuredClone(q), status: { ...q.status, used: toWire(newUsage) } }
  }
  return out
}

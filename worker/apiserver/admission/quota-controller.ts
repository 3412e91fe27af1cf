// The resource quota controller's sync (pkg/controller/resourcequota,
// syncResourceQuota with quota.CalculateUsage), as a pure function: status.hard
// becomes spec.hard and status.used is measured again from the namespace's
// objects, so whatever admission charged for a write that then failed, or for
// objects since deleted or finished, is put right. Plus what tells a controller
// when to run it (the replenishment filter and the pod release time).
import type { Obj } from '../objects'
import {
  CORE_EVALUATORS,
  objectCountEvaluator,
  parseObjectCountName,
  podChargesQuota,
  scopeSelectorsOf,
  type QuotaEvaluator,
} from './quota-usage'
import { addLists, equals, fromWire, mask, toWire, ZERO, type ResourceList } from './resource-list'

/** The namespace's objects of one kind; undefined when the kind is not served (its usage is then not measured). */
export type NamespaceLister = (
  group: string,
  resource: string,
  namespace: string,
) => Obj[] | undefined

/** The evaluators a quota's names call for: the core ones, and an object count for each other `count/…`. */
export function evaluatorsFor(hard: string[]): QuotaEvaluator[] {
  const out = [...CORE_EVALUATORS]
  for (const name of hard) {
    const gr = parseObjectCountName(name)
    if (gr && !out.some((e) => e.group === gr.group && e.resource === gr.resource))
      out.push(objectCountEvaluator(gr.group, gr.resource))
  }
  return out
}

/** The kinds whose objects a quota counts: what its controller must list and watch. */
export function trackedKinds(quota: Obj): { group: string; resource: string }[] {
  const hard = Object.keys(quota.spec?.hard ?? {})
  return evaluatorsFor(hard)
    .filter((e) => e.matchingResources(hard).length)
    .map(({ group, resource }) => ({ group, resource }))
}

/** The measured usage of every resource the quota tracks (quota.CalculateUsage). */
export function calculateUsage(quota: Obj, list: NamespaceLister, now: number): ResourceList {
  const hard = Object.keys(quota.spec?.hard ?? {})
  const scopes = scopeSelectorsOf(quota)
  const namespace = quota.metadata.namespace
  let usage: ResourceList = {}
  const measured = new Set<string>()
  for (const e of evaluatorsFor(hard)) {
    const tracked = e.matchingResources(hard)
    if (!tracked.length) continue
    const items = list(e.group, e.resource, namespace)
    if (!items) continue
    // Every tracked resource starts at zero, so an empty namespace reads "0".
    let used: ResourceList = Object.fromEntries(tracked.map((r) => [r, ZERO]))
    for (const item of items)
      if (scopes.every((s) => e.matchesScope(s, item))) used = addLists(used, e.usage(item, now))
    usage = addLists(usage, used)
    for (const r of tracked) measured.add(r)
  }
  return mask(usage, measured)
}

/**
 * The quota with its status brought up to date, or undefined when nothing
 * changed (no write needed). Usage of kinds the lister does not serve keeps
 * its last observation, as upstream keeps the previous status on errors.
 */
export function syncResourceQuota(quota: Obj, list: NamespaceLister, now: number): Obj | undefined {
  const specHard = fromWire(quota.spec?.hard)
  const prevHard = quota.status?.hard
  const prevUsed = quota.status?.used
  let used: ResourceList = fromWire(prevUsed)
  used = { ...used, ...calculateUsage(quota, list, now) }
  used = mask(used, Object.keys(specHard))
  const dirty =
    prevHard === undefined ||
    prevUsed === undefined ||
    !equals(specHard, fromWire(prevHard)) ||
    !equals(used, fromWire(prevUsed))
  if (!dirty) return undefined
  return { ...structuredClone(quota), status: { hard: toWire(specHard), used: toWire(used) } }
}

/** The resource quota controller's update filter: an update that changes what a kind charges. */
export function requiresQuotaRecalculation(
  group: string,
  resource: string,
  old: Obj,
  obj: Obj,
  now: number,
): boolean {
  if (group !== '') return false
  switch (resource) {
    case 'pods':
      return podChargesQuota(old, now) && !podChargesQuota(obj, now)
    case 'services': {
      const quotaType = (s: Obj) =>
        s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer' ? s.spec.type : ''
      return quotaType(old) !== quotaType(obj)
    }
    case 'persistentvolumeclaims':
      return old.status?.allocatedResources?.storage !== obj.status?.allocatedResources?.storage
    default:
      return false
  }
}

/**
 * When a deleted pod stops charging quota although nothing is written (its
 * deletion time plus grace period, on the simulated clock): a controller
 * requeues the namespace's quotas then.
 */
export { podQuotaReleaseAt } from './quota-usage'

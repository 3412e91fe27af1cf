// What an object charges against a ResourceQuota, as kube's quota evaluators
// measure it (pkg/quota/v1/evaluator/core: pods in pod-usage.ts, services,
// persistent volume claims, the legacy counted kinds; apiserver/pkg/quota/v1/
// generic: the object count `count/<resource>[.<group>]` of any other kind),
// and which quotas an object falls under (spec.scopes and spec.scopeSelector).
import { claimClass } from '../../resources/storage'
import type { Obj } from '../objects'
import { podEvaluator } from './pod-usage'
import {
  matchesValue,
  objectCountName,
  type QuotaEvaluator,
  type ScopeSelectorRequirement,
} from './quota-evaluator'
import { parse, quantity, value, ZERO, type Quantity, type ResourceList } from './resource-list'

export * from './quota-evaluator'
export { isBestEffort, podChargesQuota, podEvaluator, podQuotaReleaseAt } from './pod-usage'

const ONE = quantity(1)

/** Kinds quota never counts: virtual ones, and events (install.DefaultIgnoredResources). */
export const IGNORED_RESOURCES = new Set([
  '/bindings',
  '/componentstatuses',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  '/events',
  'events.k8s.io/events',
])

const intersect = (names: string[], known: readonly string[]) =>
  names.filter((n) => known.includes(n))

// --- services ---

const SERVICE_RESOURCES = [
  'count/services',
  'services',
  'services.nodeports',
  'services.loadbalancers',
]

export const serviceEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'services',
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchingResources: (names) => intersect(names, SERVICE_RESOURCES),
  matchesScope: () => false,
  constraints: () => undefined,
  usage(svc) {
    const ports: Obj[] = svc.spec?.ports ?? []
    const out: ResourceList = {
      'count/services': ONE,
      services: ONE,
      'services.loadbalancers': ZERO,
      'services.nodeports': ZERO,
    }
    if (svc.spec?.type === 'NodePort') out['services.nodeports'] = quantity(ports.length)
    if (svc.spec?.type === 'LoadBalancer') {
      // Without allocated node ports only the ports asking for one count.
      out['services.nodeports'] =
        svc.spec.allocateLoadBalancerNodePorts === false
          ? quantity(ports.filter((p) => p.nodePort).length)
          : quantity(ports.length)
      out['services.loadbalancers'] = ONE
    }
    return out
  },
}

// --- persistent volume claims ---

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/'
const PVC_RESOURCES = ['persistentvolumeclaims', 'requests.storage']

/** The VolumeAttributesClasses a claim names (spec, status, a modification in progress). */
function claimVolumeAttributesClasses(pvc: Obj): string[] {
  const out = new Set<string>()
  if (pvc.spec?.volumeAttributesClassName) out.add(pvc.spec.volumeAttributesClassName)
  if (pvc.status?.currentVolumeAttributesClassName)
    out.add(pvc.status.currentVolumeAttributesClassName)
  const target = pvc.status?.modifyVolumeStatus?.targetVolumeAttributesClassName
  if (target) out.add(target)
  return [...out]
}

/** The claim's storage: its request rounded up to whole bytes, or a larger allocation. */
function claimStorage(pvc: Obj): ResourceList {
  const requested = parseWhole(pvc.spec?.resources?.requests?.storage)
  if (!requested) return {}
  const allocated = parseWhole(pvc.status?.allocatedResources?.storage)
  return { storage: allocated && allocated.nanos > requested.nanos ? allocated : requested }
}

/** A storage amount rounded up to whole bytes (upstream counts whole bytes, issue 94313). */
function parseWhole(q: string | number | undefined): Quantity | undefined {
  const v = parse(q)
  if (!v) return undefined
  const whole = quantity(value(v))
  return whole.nanos === v.nanos ? v : { ...whole, format: v.format }
}

export const persistentVolumeClaimEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchingResources: (names) =>
    names.filter(
      (n) =>
        n === 'count/persistentvolumeclaims' ||
        PVC_RESOURCES.includes(n) ||
        PVC_RESOURCES.some((r) => n.endsWith(STORAGE_CLASS_SUFFIX + r)),
    ),
  matchesScope(req, pvc) {
    if (req.scopeName !== 'VolumeAttributesClass') return false
    const classes = claimVolumeAttributesClasses(pvc)
    if (req.operator === 'Exists') return classes.length > 0
    if (!classes.length) return matchesValue(req, undefined)
    return classes.some((c) => matchesValue(req, c))
  },
  constraints: () => undefined,
  usage(pvc) {
    const out: ResourceList = { persistentvolumeclaims: ONE, 'count/persistentvolumeclaims': ONE }
    const cls = claimClass(pvc)
    if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = ONE
    const { storage } = claimStorage(pvc)
    if (storage) {
      out['requests.storage'] = storage
      if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage
    }
    return out
  },
}

// --- object counts ---

/** The generic evaluator: one per object, under `count/<resource>[.<group>]` and the legacy alias if any. */
export function objectCountEvaluator(
  group: string,
  resource: string,
  alias?: string,
): QuotaEvaluator {
  const tracked = [objectCountName(group, resource), ...(alias ? [alias] : [])]
  return {
    group,
    resource,
    handles: (op) => op === 'CREATE',
    matchingResources: (names) => intersect(names, tracked),
    matchesScope: () => false,
    constraints: () => undefined,
    usage: () => Object.fromEntries(tracked.map((n) => [n, ONE])),
  }
}

/** The evaluators with their own logic or legacy names (core.NewEvaluators). */
export const CORE_EVALUATORS: QuotaEvaluator[] = [
  podEvaluator,
  serviceEvaluator,
  persistentVolumeClaimEvaluator,
  objectCountEvaluator('', 'configmaps', 'configmaps'),
  objectCountEvaluator('', 'resourcequotas', 'resourcequotas'),
  objectCountEvaluator('', 'replicationcontrollers', 'replicationcontrollers'),
  objectCountEvaluator('', 'secrets', 'secrets'),
]

/** The evaluator for a kind: a core one, else an object count; undefined for ignored kinds. */
export function evaluatorFor(group: string, resource: string): QuotaEvaluator | undefined {
  if (IGNORED_RESOURCES.has(`${group}/${resource}`)) return undefined
  return (
    CORE_EVALUATORS.find((e) => e.group === group && e.resource === resource) ??
    objectCountEvaluator(group, resource)
  )
}

/** A quota's scopes and scope selector as requirements (getScopeSelectorsFromQuota). */
export function scopeSelectorsOf(quota: Obj): ScopeSelectorRequirement[] {
  const out: ScopeSelectorRequirement[] = (quota.spec?.scopes ?? []).map((s: string) => ({
    scopeName: s,
    operator: 'Exists',
  }))
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) out.push(e)
  return out
}

/** The resource names a quota enforces: status.hard, which the quota controller copies from spec.hard. */
export const hardNames = (quota: Obj): string[] => Object.keys(quota.status?.hard ?? {})

/** Whether the quota applies to the object: it tracks one of its resources and every scope matches (generic.Matches). */
export function quotaMatches(quota: Obj, e: QuotaEvaluator, obj: Obj): boolean {
  if (!e.matchingResources(hardNames(quota)).length) return false
  return scopeSelectorsOf(quota).every((s) => e.matchesScope(s, obj))
}

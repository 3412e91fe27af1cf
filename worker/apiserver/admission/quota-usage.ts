// What an object charges against a ResourceQuota, as kube's quota evaluators
// measure it (pkg/quota/v1/evaluator/core: pods, services, persistent volume
// claims, the legacy counted kinds; apiserver/pkg/quota/v1/generic: the object
// count `count/<resource>[.<group>]` of any other kind), and which quotas an
// object falls under (spec.scopes and spec.scopeSelector).
import { claimClass } from '../../resources/storage'
import type { Obj } from '../objects'
import { podLimits, podRequests } from './pod-resources'
import { addLists, parse, quantity, value, ZERO, type Quantity, type ResourceList } from './resource-list'

export type Operation = 'CREATE' | 'UPDATE'

/** A quota scope test: spec.scopes entries come as {scopeName, operator: 'Exists'}. */
export interface ScopeSelectorRequirement {
  scopeName: string
  operator: string
  values?: string[]
}

export interface QuotaEvaluator {
  group: string
  resource: string
  /** The operations whose objects quota admission measures. */
  handles(op: Operation): boolean
  /** Which of the quota's resource names this evaluator tracks. */
  matchingResources(names: string[]): string[]
  /** Whether the object falls under one scope requirement (false for kinds without scopes). */
  matchesScope(req: ScopeSelectorRequirement, obj: Obj): boolean
  /** Upstream's "must specify …" when a tracked resource is missing from the object, else undefined. */
  constraints(required: string[], obj: Obj): string | undefined
  /** What the object charges; `now` (ms) decides whether a deleted pod is past its grace period. */
  usage(obj: Obj, now: number): ResourceList
}

/** `count/pods`, `count/deployments.apps`: the object-count resource name of a kind. */
export const objectCountName = (group: string, resource: string) =>
  group ? `count/${resource}.${group}` : `count/${resource}`

/** The kind an object-count name counts, or undefined for other names. */
export function parseObjectCountName(name: string): { group: string; resource: string } | undefined {
  if (!name.startsWith('count/')) return undefined
  const gr = name.slice('count/'.length)
  const dot = gr.indexOf('.')
  return dot < 0 ? { group: '', resource: gr } : { group: gr.slice(dot + 1), resource: gr.slice(0, dot) }
}

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

const intersect = (names: string[], known: readonly string[]) => names.filter((n) => known.includes(n))

// --- pods ---

const POD_RESOURCES = [
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
] as const

/** Tracked cpu/memory must be set on every container: upstream calls it a mistake it keeps for compatibility. */
const VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']

/** No '/' or a kubernetes.io/ domain: a native resource name (helper.IsNativeResource). */
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/')
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.')

/** One container's (or the pod's) requests and limits as quota names them. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: ONE }
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests[r]) {
      out[r] = requests[r]!
      out[`requests.${r}`] = requests[r]!
    }
    if (limits[r]) out[`limits.${r}`] = limits[r]!
  }
  for (const [r, q] of Object.entries(requests)) {
    if (r.startsWith('hugepages-')) {
      out[r] = q
      out[`requests.${r}`] = q
    }
    if (isExtended(r)) out[`requests.${r}`] = q
  }
  return out
}

/** Terminating: the pod has an active deadline. */
const isTerminating = (pod: Obj) => typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0

/** BestEffort QoS: no cpu or memory request or limit on any container. */
export function isBestEffort(pod: Obj): boolean {
  const all: Obj[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]
  const podLevel = pod.spec?.resources ?? {}
  return [...all.map((c) => c.resources ?? {}), podLevel].every((r: Obj) =>
    ['cpu', 'memory'].every((n) => r.requests?.[n] === undefined && r.limits?.[n] === undefined),
  )
}

function crossNamespaceAffinity(pod: Obj): boolean {
  const a = pod.spec?.affinity ?? {}
  const crosses = (t: Obj | undefined) => !!t && ((t.namespaces?.length ?? 0) > 0 || t.namespaceSelector != null)
  for (const kind of [a.podAffinity, a.podAntiAffinity]) {
    if (!kind) continue
    if ((kind.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(crosses)) return true
    if ((kind.preferredDuringSchedulingIgnoredDuringExecution ?? []).some((w: Obj) => crosses(w.podAffinityTerm)))
      return true
  }
  return false
}

/** A scope requirement as a label requirement on one key: upstream's ScopedResourceSelectorRequirementsAsSelector. */
function matchesValue(req: ScopeSelectorRequirement, value: string | undefined): boolean {
  switch (req.operator) {
    case 'In':
      return value !== undefined && (req.values ?? []).includes(value)
    case 'NotIn':
      return value === undefined || !(req.values ?? []).includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    default:
      return false
  }
}

function podMatchesScope(req: ScopeSelectorRequirement, pod: Obj): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return isTerminating(pod)
    case 'NotTerminating':
      return !isTerminating(pod)
    case 'BestEffort':
      return isBestEffort(pod)
    case 'NotBestEffort':
      return !isBestEffort(pod)
    case 'PriorityClass':
      return matchesValue(req, pod.spec?.priorityClassName || undefined)
    case 'CrossNamespacePodAffinity':
      return crossNamespaceAffinity(pod)
    default:
      return false
  }
}

/** Whether the pod still charges compute quota: not terminal, not deleted past its grace period (QuotaV1Pod). */
export function podChargesQuota(pod: Obj, now: number): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false
  const release = podQuotaReleaseAt(pod)
  return release === undefined || now <= release
}

/** When a deleted pod stops charging quota (deletion time plus grace period), if it is being deleted. */
export function podQuotaReleaseAt(pod: Obj): number | undefined {
  const ts = pod.metadata?.deletionTimestamp
  const grace = pod.metadata?.deletionGracePeriodSeconds
  if (!ts || typeof grace !== 'number') return undefined
  return Date.parse(ts) + grace * 1000
}

export const podEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'pods',
  handles: (op) => op === 'CREATE',
  matchingResources: (names) =>
    names.filter(
      (n) =>
        (POD_RESOURCES as readonly string[]).includes(n) ||
        n.startsWith('hugepages-') ||
        n.startsWith('requests.hugepages-') ||
        (!isNative(n) && n.startsWith('requests.')),
    ),
  matchesScope: podMatchesScope,
  constraints(required, pod) {
    const needed = required.filter((r) => VALIDATION_SET.includes(r))
    const missing = new Map<string, Set<string>>()
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      const has = computeUsage(fromContainer(c, 'requests'), fromContainer(c, 'limits'))
      for (const r of needed)
        if (!has[r]) {
          if (!missing.has(r)) missing.set(r, new Set())
          missing.get(r)!.add(c.name)
        }
    }
    if (!missing.size) return undefined
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`)
    return `must specify ${parts.join('; ')}`
  },
  usage(pod, now) {
    // count/pods counts every stored pod; the rest only pods that still hold resources.
    const out: ResourceList = { 'count/pods': ONE }
    if (!podChargesQuota(pod, now)) return out
    return addLists(out, computeUsage(podRequests(pod), podLimits(pod)))
  },
}

function fromContainer(c: Obj, bucket: 'requests' | 'limits'): ResourceList {
  const out: ResourceList = {}
  // Presence is what matters here, not the amount: "0" still counts as specified.
  for (const k of Object.keys(c.resources?.[bucket] ?? {})) out[k] = ZERO
  return out
}

// --- services ---

const SERVICE_RESOURCES = ['count/services', 'services', 'services.nodeports', 'services.loadbalancers']

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
  if (pvc.status?.currentVolumeAttributesClassName) out.add(pvc.status.currentVolumeAttributesClassName)
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
export function objectCountEvaluator(group: string, resource: string, alias?: string): QuotaEvaluator {
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

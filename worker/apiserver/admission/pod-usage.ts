// What a pod charges against quota (pkg/quota/v1/evaluator/core/pods.go):
// count/pods always; pods, cpu, memory, ephemeral storage, hugepages and
// extended resources while it holds them; its scopes (Terminating, BestEffort,
// PriorityClass, CrossNamespacePodAffinity); and the old rule that a quota on
// cpu or memory wants them set on every container.
import type { Obj } from '../objects'
import { podLimits, podRequests } from './pod-resources'
import { matchesValue, type QuotaEvaluator, type ScopeSelectorRequirement } from './quota-evaluator'
import { addLists, quantity, ZERO, type ResourceList } from './resource-list'

const ONE = quantity(1)

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
const VALIDATION_SET = [
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
]

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
const isTerminating = (pod: Obj) =>
  typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0

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
  const crosses = (t: Obj | undefined) =>
    !!t && ((t.namespaces?.length ?? 0) > 0 || t.namespaceSelector != null)
  for (const kind of [a.podAffinity, a.podAntiAffinity]) {
    if (!kind) continue
    if ((kind.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(crosses)) return true
    if (
      (kind.preferredDuringSchedulingIgnoredDuringExecution ?? []).some((w: Obj) =>
        crosses(w.podAffinityTerm),
      )
    )
      return true
  }
  return false
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
    const parts = [...missing.keys()]
      .sort()
      .map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`)
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

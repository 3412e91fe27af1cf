// The eviction subresource's decision (pkg/registry/core/pod/storage/eviction.go):
// may this pod be evicted now, given the PodDisruptionBudgets of its namespace?
// Terminal, terminating and Pending pods always may; a pod covered by no budget
// may; a pod under two budgets may not (500); an unhealthy pod may while its
// budget is healthy (unhealthyPodEvictionPolicy IfHealthyBudget, the default) or
// always (AlwaysAllow); otherwise the budget must allow a disruption, and one
// eviction spends one. Pure: the caller lists and deletes.
import { labelSelectorRequirements, matchLabels } from './selectors'

type O = Record<string, any>

/** policy/v1: a null selector covers nothing, an empty one every pod of the namespace. */
const covers = (selector: O | undefined, pod: O) =>
  !!selector && matchLabels(labelSelectorRequirements(selector), pod.metadata.labels)

export const DISRUPTION_BUDGET_MESSAGE =
  "Cannot evict pod as it would violate the pod's disruption budget."

/** A budget's figures: from its status when the disruption controller is current, else counted from the pods. */
export interface BudgetFigures {
  name: string
  selector: O | undefined
  currentHealthy: number
  desiredHealthy: number
  /** Disruptions still allowed; counted down by each eviction decided against this budget. */
  allowed: number
  alwaysAllowUnhealthy: boolean
}

export type EvictionVerdict =
  | { allowed: true; budget?: BudgetFigures }
  | { allowed: false; code: 429 | 500; message: string; cause?: string }

const isReady = (p: O) =>
  (p.status?.conditions ?? []).some((c: O) => c.type === 'Ready' && c.status === 'True')

/** An intOrString against a total, percentages rounded up as upstream's GetScaledValueFromIntOrPercent. */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'string' && v.endsWith('%'))
    return Math.ceil((total * Number(v.slice(0, -1))) / 100)
  return Number(v ?? 0)
}

/**
 * What a budget allows now. `pods` are the namespace's pods; `expected` gives the
 * desired scale of a pod's controller (ReplicaSet replicas) for maxUnavailable and
 * percentages, as upstream's getExpectedPodCount; pods without one count themselves.
 */
export function budgetFigures(
  pdb: O,
  pods: O[],
  expected: (owner: O) => number | undefined,
): BudgetFigures {
  const selector = pdb.spec?.selector
  const base = {
    name: pdb.metadata.name,
    selector,
    alwaysAllowUnhealthy: pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow',
  }
  const st = pdb.status
  if (
    st?.observedGeneration !== undefined &&
    st.observedGeneration === pdb.metadata.generation &&
    st.disruptionsAllowed !== undefined
  )
    return {
      ...base,
      currentHealthy: st.currentHealthy ?? 0,
      desiredHealthy: st.desiredHealthy ?? 0,
      allowed: st.disruptionsAllowed,
    }
  const covered = pods.filter((p) => !p.metadata.deletionTimestamp && covers(selector, p))
  const currentHealthy = covered.filter(isReady).length
  let expectedCount = 0
  const owners = new Map<string, O>()
  for (const p of covered) {
    const owner = (p.metadata.ownerReferences ?? []).find((r: O) => r.controller)
    const n = owner && expected(owner)
    if (owner && n !== undefined) owners.set(owner.uid ?? owner.name, { n })
    else expectedCount++
  }
  for (const { n } of owners.values()) expectedCount += n
  const desiredHealthy =
    pdb.spec?.maxUnavailable !== undefined
      ? Math.max(0, expectedCount - scaled(pdb.spec.maxUnavailable, expectedCount))
      : scaled(pdb.spec?.minAvailable ?? 1, expectedCount)
  return {
    ...base,
    currentHealthy,
    desiredHealthy,
    allowed: Math.max(0, currentHealthy - desiredHealthy),
  }
}

/** The verdict for one pod; an allowed eviction under a budget spends one of its disruptions. */
export function evictionVerdict(pod: O, budgets: BudgetFigures[]): EvictionVerdict {
  const phase = pod.status?.phase
  if (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Pending' ||
    pod.metadata.deletionTimestamp
  )
    return { allowed: true }
  const mine = budgets.filter((b) => covers(b.selector, pod))
  if (mine.length === 0) return { allowed: true }
  if (mine.length > 1)
    return {
      allowed: false,
      code: 500,
      message:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    }
  const b = mine[0]!
  if (!isReady(pod) && (b.alwaysAllowUnhealthy || b.currentHealthy >= b.desiredHealthy))
    return { allowed: true, budget: b }
  if (b.allowed <= 0)
    return {
      allowed: false,
      code: 429,
      message: DISRUPTION_BUDGET_MESSAGE,
      cause: `The disruption budget ${b.name} needs ${b.desiredHealthy} healthy pods and has ${b.currentHealthy} currently`,
    }
  b.allowed--
  // The evicted pod no longer counts as healthy for the next decision in the same pass.
  if (isReady(pod)) b.currentHealthy--
  return { allowed: true, budget: b }
}

/** The condition the eviction API puts on a pod before deleting it. */
export const evictionCondition = (time: string) => ({
  type: 'DisruptionTarget',
  status: 'True',
  lastProbeTime: null,
  lastTransitionTime: time,
  reason: 'EvictionByEvictionAPI',
  message: 'Eviction API: evicting',
})

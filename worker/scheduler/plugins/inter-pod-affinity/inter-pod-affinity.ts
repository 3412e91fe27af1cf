// InterPodAffinity (filter): the incoming pod's required podAffinity must find
// matching pods in the node's domain, its required podAntiAffinity must find
// none, and no existing pod's required anti-affinity may match it in that
// domain. PreFilter counts matches per (topologyKey, value) once.
import { Code, skip, success, unresolvable, unschedulable } from '../../framework/types'
import type { FilterPlugin, NodeInfo, Obj, Snapshot, Status } from '../../framework/types'
import {
  affinityTermMatches,
  requiredAffinityTerms,
  requiredAntiAffinityTerms,
  type AffinityTerm,
} from '../helper/affinity-term'
import type { Labels } from '../helper/label-selector'

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't satisfy existing pods anti-affinity rules"
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules"
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't match pod anti-affinity rules"

/** Matching pods by topology pair, keyed "key\0value". */
type Counts = Map<string, number>

const pair = (key: string, value: string) => `${key}\0${value}`
const nodeLabels = (node: Obj): Labels => node.metadata?.labels ?? {}

/** Counts one more match in the node's domain for the term's key, if the node has that label. */
function bump(counts: Counts, node: Obj, topologyKey: string): void {
  const labels = nodeLabels(node)
  if (!Object.hasOwn(labels, topologyKey)) return
  const k = pair(topologyKey, labels[topologyKey]!)
  counts.set(k, (counts.get(k) ?? 0) + 1)
}

/** Affinity terms are ANDed: a pod counts only if it matches every one. */
const matchesAll = (terms: AffinityTerm[], pod: Obj) =>
  terms.length > 0 && terms.every((t) => affinityTermMatches(t, pod))

export interface PreFilterState {
  affinityTerms: AffinityTerm[]
  antiAffinityTerms: AffinityTerm[]
  /** Existing pods matching all the incoming pod's affinity terms. */
  affinityCounts: Counts
  /** Existing pods matching one of the incoming pod's anti-affinity terms (per term). */
  antiAffinityCounts: Counts
  /** Existing pods whose required anti-affinity terms match the incoming pod. */
  existingAntiAffinityCounts: Counts
  /** Whether the incoming pod matches all its own affinity terms (the first of a group). */
  selfMatch: boolean
}

export function computeAffinity(pod: Obj, nodes: NodeInfo[]): PreFilterState {
  const affinityTerms = requiredAffinityTerms(pod)
  const antiAffinityTerms = requiredAntiAffinityTerms(pod)
  const s: PreFilterState = {
    affinityTerms,
    antiAffinityTerms,
    affinityCounts: new Map(),
    antiAffinityCounts: new Map(),
    existingAntiAffinityCounts: new Map(),
    selfMatch: matchesAll(affinityTerms, pod),
  }
  const ownTerms = affinityTerms.length > 0 || antiAffinityTerms.length > 0
  for (const info of nodes) {
    for (const existing of info.podsWithRequiredAntiAffinity)
      for (const t of requiredAntiAffinityTerms(existing))
        if (affinityTermMatches(t, pod))
          bump(s.existingAntiAffinityCounts, info.node, t.topologyKey)
    // Without terms of its own, the pod needs no count of the others.
    if (!ownTerms) continue
    for (const existing of info.pods) {
      if (affinityTerms.length && matchesAll(affinityTerms, existing))
        for (const t of affinityTerms) bump(s.affinityCounts, info.node, t.topologyKey)
      for (const t of antiAffinityTerms)
        if (affinityTermMatches(t, existing)) bump(s.antiAffinityCounts, info.node, t.topologyKey)
    }
  }
  return s
}

function satisfiesAffinity(s: PreFilterState, labels: Labels): boolean {
  let podsExist = true
  for (const t of s.affinityTerms) {
    // Every term's topology label must be on the node, first pod or not.
    if (!Object.hasOwn(labels, t.topologyKey)) return false
    if ((s.affinityCounts.get(pair(t.topologyKey, labels[t.topologyKey]!)) ?? 0) <= 0)
      podsExist = false
  }
  // The first pod of a group with affinity to itself may go anywhere, provided
  // no pod in the cluster matches its terms yet (else it must join them).
  return podsExist || (s.affinityCounts.size === 0 && s.selfMatch)
}

function satisfiesAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  return s.antiAffinityTerms.every(
    (t) =>
      !Object.hasOwn(labels, t.topologyKey) ||
      (s.antiAffinityCounts.get(pair(t.topologyKey, labels[t.topologyKey]!)) ?? 0) <= 0,
  )
}

function satisfiesExistingAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true
  return Object.entries(labels).every(
    ([k, v]) => (s.existingAntiAffinityCounts.get(pair(k, v)) ?? 0) <= 0,
  )
}

export function fitsAffinity(s: PreFilterState, node: NodeInfo): Status {
  const labels = nodeLabels(node.node)
  // Upstream: only a pod arriving in the domain could fix affinity, not preemption.
  if (!satisfiesAffinity(s, labels)) return unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH)
  if (!satisfiesAntiAffinity(s, labels))
    return unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH)
  if (!satisfiesExistingAntiAffinity(s, labels))
    return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH)
  return success()
}

const STATE_KEY = 'PreFilterInterPodAffinity'

export const InterPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  preFilter(state, pod, snapshot: Snapshot) {
    const s = computeAffinity(pod, snapshot.nodes)
    const nothing =
      s.affinityTerms.length === 0 &&
      s.antiAffinityTerms.length === 0 &&
      s.existingAntiAffinityCounts.size === 0
    if (nothing) return skip()
    state.write(STATE_KEY, s)
    return undefined
  },
  filter(state, _pod, node) {
    const s = state.read<PreFilterState>(STATE_KEY)
    if (!s)
      return { code: Code.Error, reasons: [`reading "${STATE_KEY}" from cycleState: not found`] }
    return fitsAffinity(s, node)
  },
}

// InterPodAffinity's score, after interpodaffinity/scoring.go (v1.31/1.32):
// every existing pod adds or takes weight from the topology domain of its
// node — the incoming pod's preferred (anti-)affinity terms it matches, and
// its own preferred terms and required affinity terms the incoming pod
// matches — and each node scores its domains' sums, rescaled min–max.
import {
  skip,
  type CycleState,
  type NodeInfo,
  type Obj,
  type ScorePlugin,
  type Snapshot,
} from '../../framework/types'
import {
  defaultNamespaceLabels,
  labelMatcher,
  MAX_NODE_SCORE,
  podNamespace,
  type LabelMatcher,
  type Labels,
} from './helper'

export const INTER_POD_AFFINITY = 'InterPodAffinity'
const STATE_KEY = 'PreScore' + INTER_POD_AFFINITY

interface AffinityTerm {
  namespaces: Set<string>
  nsSelector: LabelMatcher
  selector: LabelMatcher
  topologyKey: string
  weight: number
}

/** A PodAffinityTerm of `owner`: no namespaces and no namespaceSelector mean the owner's namespace. */
function affinityTerm(owner: Obj, t: Obj, weight: number): AffinityTerm {
  const namespaces: string[] = t.namespaces ?? []
  return {
    namespaces: new Set(
      namespaces.length || t.namespaceSelector ? namespaces : [podNamespace(owner)],
    ),
    nsSelector: labelMatcher(t.namespaceSelector),
    selector: labelMatcher(t.labelSelector),
    topologyKey: t.topologyKey,
    weight,
  }
}

const weighted = (pod: Obj, terms: Obj[] | undefined) =>
  (terms ?? []).map((w) => affinityTerm(pod, w.podAffinityTerm ?? {}, w.weight ?? 0))

/** A pod's terms in the shape scoring uses (framework.PodInfo's). */
function podTerms(pod: Obj) {
  const a = pod.spec?.affinity ?? {}
  return {
    required: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: Obj) =>
      affinityTerm(pod, t, 0),
    ) as AffinityTerm[],
    preferred: weighted(pod, a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAnti: weighted(
      pod,
      a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
  }
}

export interface InterPodAffinityOptions {
  /** InterPodAffinityArgs.hardPodAffinityWeight: weight of existing pods' required affinity. Default 1. */
  hardPodAffinityWeight?: number
  /** InterPodAffinityArgs.ignorePreferredTermsOfExistingPods. Default false. */
  ignorePreferredTermsOfExistingPods?: boolean
  /** A namespace's labels for namespaceSelector; by default only kubernetes.io/metadata.name. */
  namespaceLabels?: (ns: string) => Labels
}

/** Sums by topology key, then by value. */
type TopologyScore = Map<string, Map<string, number>>

export function newInterPodAffinityScore(opts: InterPodAffinityOptions = {}) {
  const hardWeight = opts.hardPodAffinityWeight ?? 1
  const nsLabels = opts.namespaceLabels ?? defaultNamespaceLabels

  const matches = (t: AffinityTerm, pod: Obj) =>
    (t.namespaces.has(podNamespace(pod)) || t.nsSelector.matches(nsLabels(podNamespace(pod)))) &&
    t.selector.matches(pod.metadata?.labels)

  /** Credits `weight × sign` to the node's domain when `target` matches the term. */
  function processTerm(
    m: TopologyScore,
    t: AffinityTerm,
    weight: number,
    target: Obj,
    node: Obj,
    sign: number,
  ) {
    if (!matches(t, target)) return
    const value = node.metadata?.labels?.[t.topologyKey]
    if (value === undefined) return
    const byValue = m.get(t.topologyKey) ?? new Map<string, number>()
    m.set(t.topologyKey, byValue)
    byValue.set(value, (byValue.get(value) ?? 0) + weight * sign)
  }

  return {
    name: INTER_POD_AFFINITY,
    weight: 2,
    preScore(state: CycleState, pod: Obj, nodes: NodeInfo[], snapshot: Snapshot) {
      if (!nodes.length) return skip()
      const incoming = podTerms(pod)
      const hasConstraints = incoming.preferred.length > 0 || incoming.preferredAnti.length > 0
      if (opts.ignorePreferredTermsOfExistingPods && !hasConstraints) return skip()
      const m: TopologyScore = new Map()
      for (const info of snapshot.nodes) {
        const node = info.node
        if (!Object.keys(node.metadata?.labels ?? {}).length) continue
        // Without preferred terms of its own, only pods with affinity terms can score (upstream's PodsWithAffinity).
        for (const existing of hasConstraints ? info.pods : info.podsWithAffinity) {
          for (const t of incoming.preferred) processTerm(m, t, t.weight, existing, node, 1)
          for (const t of incoming.preferredAnti) processTerm(m, t, t.weight, existing, node, -1)
          const theirs = podTerms(existing)
          if (hardWeight > 0)
            for (const t of theirs.required) processTerm(m, t, hardWeight, pod, node, 1)
          for (const t of theirs.preferred) processTerm(m, t, t.weight, pod, node, 1)
          for (const t of theirs.preferredAnti) processTerm(m, t, t.weight, pod, node, -1)
        }
      }
      if (!m.size) return skip()
      state.write(STATE_KEY, m)
      return undefined
    },
    score(state: CycleState, _pod: Obj, info: NodeInfo) {
      const m = state.read<TopologyScore>(STATE_KEY)
      const labels: Labels = info.node.metadata?.labels ?? {}
      let score = 0
      for (const [key, byValue] of m ?? [])
        if (Object.hasOwn(labels, key)) score += byValue.get(labels[key]!) ?? 0
      return score
    },
    normalize(state: CycleState, _pod: Obj, scores: Map<string, number>) {
      if (!state.read<TopologyScore>(STATE_KEY)?.size) return
      const values = [...scores.values()]
      const min = Math.min(...values)
      const diff = Math.max(...values) - min
      for (const [name, v] of scores)
        scores.set(name, diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((v - min) / diff)) : 0)
    },
  } satisfies ScorePlugin
}

export const interPodAffinityScore = newInterPodAffinityScore()

// NodeAffinity's score, after nodeaffinity/node_affinity.go: the sum of the
// weights of the pod's preferred node-affinity terms the node matches,
// scaled so the best node scores 100. Skipped for pods without such terms.
import {
  skip,
  type CycleState,
  type NodeInfo,
  type Obj,
  type ScorePlugin,
} from '../../framework/types'
import { defaultNormalizeScore, MAX_NODE_SCORE, nodeSelectorTermMatches } from './helper'

export const NODE_AFFINITY = 'NodeAffinity'
const STATE_KEY = 'PreScore' + NODE_AFFINITY

/** PreferredSchedulingTerms; zero-weight terms are dropped as upstream does. */
const preferredTerms = (pod: Obj): Obj[] =>
  (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter(
    (t: Obj) => t.weight,
  )

export function preferredNodeAffinityScore(terms: Obj[], node: Obj): number {
  let count = 0
  for (const t of terms) if (nodeSelectorTermMatches(t.preference, node)) count += t.weight
  return count
}

export const nodeAffinityScore = {
  name: NODE_AFFINITY,
  weight: 2,
  preScore(state: CycleState, pod: Obj) {
    const terms = preferredTerms(pod)
    if (!terms.length) return skip()
    state.write(STATE_KEY, terms)
    return undefined
  },
  score(state: CycleState, pod: Obj, node: NodeInfo) {
    return preferredNodeAffinityScore(
      state.read<Obj[]>(STATE_KEY) ?? preferredTerms(pod),
      node.node,
    )
  },
  normalize(_state: CycleState, _pod: Obj, scores: Map<string, number>) {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores)
  },
} satisfies ScorePlugin

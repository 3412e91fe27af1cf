// TaintToleration's score, after tainttoleration/taint_toleration.go: counts
// the node's PreferNoSchedule taints the pod does not tolerate, then
// normalises in reverse so the node with the fewest scores 100.
import type { CycleState, NodeInfo, Obj, ScorePlugin } from '../../framework/types'
import { defaultNormalizeScore, MAX_NODE_SCORE, tolerationsTolerateTaint } from './helper'

export const TAINT_TOLERATION = 'TaintToleration'
const STATE_KEY = 'PreScore' + TAINT_TOLERATION

/** Tolerations that can apply to PreferNoSchedule: that effect, or an empty one (all effects). */
export const tolerationsPreferNoSchedule = (pod: Obj): Obj[] =>
  (pod.spec?.tolerations ?? []).filter((t: Obj) => !t.effect || t.effect === 'PreferNoSchedule')

export function countIntolerableTaintsPreferNoSchedule(taints: Obj[], tolerations: Obj[]): number {
  return taints.filter(
    (t) => t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t),
  ).length
}

export const taintTolerationScore = {
  name: TAINT_TOLERATION,
  weight: 3,
  preScore(state: CycleState, pod: Obj) {
    state.write(STATE_KEY, tolerationsPreferNoSchedule(pod))
    return undefined
  },
  score(state: CycleState, pod: Obj, node: NodeInfo) {
    const tolerations = state.read<Obj[]>(STATE_KEY) ?? tolerationsPreferNoSchedule(pod)
    return countIntolerableTaintsPreferNoSchedule(node.node.spec?.taints ?? [], tolerations)
  },
  normalize(_state: CycleState, _pod: Obj, scores: Map<string, number>) {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores)
  },
} satisfies ScorePlugin

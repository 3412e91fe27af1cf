// NodeResourcesFit's score with the default LeastAllocated strategy over cpu
// and memory (weight 1 each), after noderesources/least_allocated.go: the
// share of each resource left free once the pod lands, as an int64 percentage,
// averaged by weight. Nodes' and the pod's requests count non-zero defaults
// (100m, 200Mi) for containers that request nothing, so best-effort pods still
// spread.
import { podRequests } from '../../framework/node-info'
import type { CycleState, NodeInfo, Obj, ScorePlugin } from '../../framework/types'
import { idiv, MAX_NODE_SCORE } from './helper'

export const NODE_RESOURCES_FIT = 'NodeResourcesFit'
const STATE_KEY = 'PreScore' + NODE_RESOURCES_FIT

/** Upstream's default NodeResourcesFitArgs.scoringStrategy.resources. */
export const LEAST_ALLOCATED_RESOURCES = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
] as const

type Amounts = { cpu: number; memory: number }

/** (capacity − requested) × 100 / capacity, 0 when over capacity or nothing is allocatable. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0
  return idiv((capacity - requested) * MAX_NODE_SCORE, capacity)
}

function podNonZero(pod: Obj): Amounts {
  const r = podRequests(pod, true)
  return { cpu: r.milliCPU, memory: r.memory }
}

export function leastAllocatedScore(pod: Amounts, node: NodeInfo): number {
  const allocatable: Amounts = { cpu: node.allocatable.milliCPU, memory: node.allocatable.memory }
  const requested: Amounts = {
    cpu: node.nonZeroRequested.milliCPU,
    memory: node.nonZeroRequested.memory,
  }
  let score = 0
  let weightSum = 0
  for (const { name, weight } of LEAST_ALLOCATED_RESOURCES) {
    // A resource the node has none of is left out of the average.
    if (allocatable[name] === 0) continue
    score += leastRequestedScore(requested[name] + pod[name], allocatable[name]) * weight
    weightSum += weight
  }
  return weightSum === 0 ? 0 : idiv(score, weightSum)
}

export const nodeResourcesFitScore = {
  name: NODE_RESOURCES_FIT,
  weight: 1,
  preScore(state: CycleState, pod: Obj) {
    state.write(STATE_KEY, podNonZero(pod))
    return undefined
  },
  score(state: CycleState, pod: Obj, node: NodeInfo) {
    return leastAllocatedScore(state.read<Amounts>(STATE_KEY) ?? podNonZero(pod), node)
  },
} satisfies ScorePlugin

// NodeResourcesBalancedAllocation, after noderesources/balanced_allocation.go
// (v1.31/1.32): favours nodes whose cpu and memory would be used in equal
// shares once the pod lands. Unlike LeastAllocated it counts plain requests
// (no non-zero defaults), and a best-effort pod is still scored: the skip for
// such pods came in v1.33.
import { podRequests } from '../../framework/node-info'
import type { CycleState, NodeInfo, Obj, ScorePlugin } from '../../framework/types'
import { MAX_NODE_SCORE } from './helper'

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation'
const STATE_KEY = 'PreScore' + NODE_RESOURCES_BALANCED_ALLOCATION

type Amounts = { cpu: number; memory: number }

/**
 * (1 − std) × 100 truncated, std over the requested/allocatable fractions
 * (each capped at 1; resources with nothing allocatable left out). With two
 * resources upstream takes |f1 − f2| / 2, which is the same deviation.
 */
export function balancedResourceScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = []
  requested.forEach((r, i) => {
    const a = allocatable[i]!
    if (a !== 0) fractions.push(Math.min(r / a, 1))
  })
  let std = 0
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2)
  else if (fractions.length > 2) {
    const mean = fractions.reduce((s, f) => s + f, 0) / fractions.length
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) ** 2, 0) / fractions.length)
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE)
}

function podPlain(pod: Obj): Amounts {
  const r = podRequests(pod)
  return { cpu: r.milliCPU, memory: r.memory }
}

export function balancedAllocationScore(pod: Amounts, node: NodeInfo): number {
  return balancedResourceScore(
    [node.requested.milliCPU + pod.cpu, node.requested.memory + pod.memory],
    [node.allocatable.milliCPU, node.allocatable.memory],
  )
}

export const nodeResourcesBalancedAllocation = {
  name: NODE_RESOURCES_BALANCED_ALLOCATION,
  weight: 1,
  preScore(state: CycleState, pod: Obj) {
    state.write(STATE_KEY, podPlain(pod))
    return undefined
  },
  score(state: CycleState, pod: Obj, node: NodeInfo) {
    return balancedAllocationScore(state.read<Amounts>(STATE_KEY) ?? podPlain(pod), node)
  },
} satisfies ScorePlugin

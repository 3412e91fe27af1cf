import { describe, expect, it } from 'vitest'
import {
  balancedResourceScore,
  nodeResourcesBalancedAllocation,
} from './node-resources-balanced-allocation'
import { makeNode, makePod, runScore } from './test-fixtures'

describe('NodeResourcesBalancedAllocation', () => {
  it.each([
    // cpu 3/4, memory 6/16: std = |0.75 − 0.375| / 2 = 0.1875 → 81.25 → 81
    {
      name: 'uneven',
      requests: { cpu: '1', memory: '2Gi' },
      pods: [makePod({ name: 'busy', requests: { cpu: '2', memory: '4Gi' } })],
      want: 81,
    },
    { name: 'even shares', requests: { cpu: '1', memory: '4Gi' }, pods: [], want: 100 },
    // cpu capped at 1, memory 0 → std 0.5
    { name: 'capped fraction', requests: { cpu: '8', memory: '0' }, pods: [], want: 50 },
    // plain requests, no defaults: 0 and 0 → balanced (v1.33 skips such pods instead)
    { name: 'best-effort pod', requests: undefined, pods: [makePod({ name: 'be' })], want: 100 },
  ])('$name', ({ requests, pods, want }) => {
    const node = makeNode('n1', { pods })
    expect(
      runScore(nodeResourcesBalancedAllocation, makePod({ requests }), [node])?.normalized,
    ).toEqual({ n1: want })
  })

  it.each([
    { name: 'one resource: std 0', requested: [3, 0], allocatable: [4, 0], want: 100 },
    // three resources: fractions 0, 0.5, 1 → std √(1/6) = 0.408 → 59
    { name: 'three resources', requested: [0, 1, 2], allocatable: [2, 2, 2], want: 59 },
  ])('balancedResourceScore: $name', ({ requested, allocatable, want }) =>
    expect(balancedResourceScore(requested, allocatable)).toBe(want),
  )
})

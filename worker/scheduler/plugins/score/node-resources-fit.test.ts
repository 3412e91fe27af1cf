import { describe, expect, it } from 'vitest'
import { leastRequestedScore, nodeResourcesFitScore } from './node-resources-fit'
import { makeNode, makePod, runScore } from './test-fixtures'

const busy = makePod({ name: 'busy', requests: { cpu: '2', memory: '4Gi' } })

describe('NodeResourcesFit LeastAllocated score', () => {
  it.each([
    // cpu (4000−1000)×100/4000 = 75, memory (16−2)×100/16 = 87 → 81
    { name: 'empty node', requests: { cpu: '1', memory: '2Gi' }, pods: [], want: 81 },
    // cpu 25, memory (16−6)×100/16 = 62 → (25+62)/2 = 43
    {
      name: 'node with 2 CPU requested',
      requests: { cpu: '1', memory: '2Gi' },
      pods: [busy],
      want: 43,
    },
    // non-zero defaults 100m and 200Mi: cpu 97, memory 98 → 97
    { name: 'best-effort pod counts defaults', requests: undefined, pods: [], want: 97 },
    // an existing best-effort pod also counts 100m/200Mi: cpu 95, memory 97 → 96
    {
      name: 'best-effort neighbour',
      requests: undefined,
      pods: [makePod({ name: 'be' })],
      want: 96,
    },
    // cpu over capacity scores 0; memory 93 → 46
    { name: 'over capacity', requests: { cpu: '5', memory: '1Gi' }, pods: [], want: 46 },
  ])('$name', ({ requests, pods, want }) => {
    const node = makeNode('n1', { pods })
    expect(runScore(nodeResourcesFitScore, makePod({ requests }), [node])?.normalized).toEqual({
      n1: want,
    })
  })

  it('scores two nodes as the example in the brief', () => {
    const r = runScore(nodeResourcesFitScore, makePod({ requests: { cpu: '1', memory: '2Gi' } }), [
      makeNode('idle'),
      makeNode('busy', { pods: [busy] }),
    ])
    expect(r?.normalized).toEqual({ idle: 81, busy: 43 })
  })

  it('leaves out a resource the node has none of', () => {
    const node = makeNode('n1', { memory: '0' })
    expect(
      runScore(nodeResourcesFitScore, makePod({ requests: { cpu: '1' } }), [node])?.normalized,
    ).toEqual({ n1: 75 })
  })

  it.each([
    { requested: 0, capacity: 0, want: 0 },
    { requested: 5, capacity: 4, want: 0 },
    { requested: 1, capacity: 3, want: 66 },
  ])('leastRequestedScore($requested, $capacity) = $want', ({ requested, capacity, want }) =>
    expect(leastRequestedScore(requested, capacity)).toBe(want),
  )
})

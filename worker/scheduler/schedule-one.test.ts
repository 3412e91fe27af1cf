// The cycle itself, with small plugins written for the test: filtering, the
// share of nodes looked at, weighing, the seeded tie-break, the FitError text.
import { describe, expect, it } from 'vitest'
import { newNodeInfo, newSnapshot } from './framework/node-info'
import {
  type FilterPlugin,
  type ScorePlugin,
  success,
  unresolvable,
  unschedulable,
} from './framework/types'
import { fitErrorMessage, numFeasibleNodesToFind, scheduleOne } from './schedule-one'

const node = (name: string, labels: Record<string, string> = {}) =>
  newNodeInfo({
    metadata: { name, labels },
    status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } },
  })
const pod = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { containers: [{ name: 'c' }] },
}

const labelled: FilterPlugin = {
  name: 'Labelled',
  filter: (_s, _p, n) =>
    n.node.metadata.labels.ok ? success() : unschedulable('node(s) were not ok'),
}
const gpu: FilterPlugin = {
  name: 'Gpu',
  filter: (_s, _p, n) =>
    n.node.metadata.labels.gpu
      ? unresolvable('node(s) had untolerated taint {dedicated: gpu}')
      : success(),
}
const byRank = (weight: number): ScorePlugin => ({
  name: 'Rank',
  weight,
  score: (_s, _p, n) => Number(n.node.metadata.labels.rank ?? 0),
})

describe('scheduleOne', () => {
  it('chooses the highest weighted total among the nodes that pass every filter', () => {
    const s = newSnapshot([
      node('a', { ok: '1', rank: '10' }),
      node('b', { ok: '1', rank: '30' }),
      node('c', { rank: '90' }),
    ])
    const ex = scheduleOne(pod, s, { filters: [labelled], scores: [byRank(2)] })
    expect(ex.chosen).toBe('b')
    expect(ex.verdicts.find((v) => v.node === 'b')).toMatchObject({
      total: 60,
      scores: [{ plugin: 'Rank', raw: 30, normalized: 30, weighted: 60 }],
    })
    expect(ex.verdicts.find((v) => v.node === 'c')!.failed).toEqual({
      plugin: 'Labelled',
      code: 'Unschedulable',
      reasons: ['node(s) were not ok'],
    })
  })

  it('says why nothing fits in upstream words, reasons counted and sorted', () => {
    const s = newSnapshot([node('a', { gpu: '1' }), node('b'), node('c')])
    const ex = scheduleOne(pod, s, { filters: [gpu, labelled], scores: [] })
    expect(ex.chosen).toBeUndefined()
    expect(ex.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) were not ok.',
    )
  })

  it('breaks ties with a seeded choice: the same seed, the same node', () => {
    const s = newSnapshot(['a', 'b', 'c', 'd'].map((n) => node(n, { ok: '1' })))
    const pick = (seed: number) =>
      scheduleOne(pod, s, { filters: [labelled], scores: [byRank(1)] }, { random: () => seed })
        .chosen
    expect(pick(0)).toBe('a')
    expect(pick(0.99)).toBe('d')
    expect(scheduleOne(pod, s, { filters: [labelled], scores: [byRank(1)] }).chosen).toBe(
      scheduleOne(pod, s, { filters: [labelled], scores: [byRank(1)] }).chosen,
    )
  })

  it('looks at upstream’s share of nodes in a large cluster, starting where the last cycle stopped', () => {
    expect([50, 100, 1000, 5000].map(numFeasibleNodesToFind)).toEqual([50, 100, 420, 500])
    const s = newSnapshot(Array.from({ length: 1000 }, (_, i) => node(`n${i}`, { ok: '1' })))
    const ex = scheduleOne(pod, s, { filters: [labelled], scores: [] }, { startIndex: 990 })
    expect(ex.evaluated).toBe(420)
    expect(ex.verdicts[0]!.node).toBe('n990')
    expect(ex.verdicts[10]!.node).toBe('n0')
  })

  it('formats the message of a pod no PreFilter admits', () => {
    expect(
      fitErrorMessage(3, [], { reasons: ["node(s) didn't match Pod's node affinity/selector"] }),
    ).toBe("0/3 nodes are available: node(s) didn't match Pod's node affinity/selector.")
  })
})

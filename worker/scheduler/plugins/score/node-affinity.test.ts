import { describe, expect, it } from 'vitest'
import { nodeAffinityScore } from './node-affinity'
import { makeNode, makePod, runScore } from './test-fixtures'

const preferred = (terms: object[]) =>
  makePod({
    spec: {
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } },
    },
  })

const zoneA = {
  weight: 2,
  preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
}
const disk = { weight: 5, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } }

describe('NodeAffinity score', () => {
  const nodes = [
    makeNode('n1', { labels: { zone: 'a', disk: 'ssd', gen: '5' } }),
    makeNode('n2', { labels: { zone: 'a' } }),
    makeNode('n3', { labels: { disk: 'ssd' } }),
    makeNode('n4'),
  ]

  it.each([
    {
      // 7, 2, 5, 0 scaled by 7: 100, 28, 71, 0
      name: 'sums matching weights',
      terms: [zoneA, disk],
      raw: { n1: 7, n2: 2, n3: 5, n4: 0 },
      want: { n1: 100, n2: 28, n3: 71, n4: 0 },
    },
    {
      name: 'Gt and matchFields',
      terms: [
        {
          weight: 10,
          preference: { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['3'] }] },
        },
        {
          weight: 30,
          preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
        },
      ],
      raw: { n1: 10, n2: 30, n3: 0, n4: 0 },
      want: { n1: 33, n2: 100, n3: 0, n4: 0 },
    },
    {
      name: 'an empty preference matches no node',
      terms: [{ weight: 10, preference: {} }],
      raw: { n1: 0, n2: 0, n3: 0, n4: 0 },
      want: { n1: 0, n2: 0, n3: 0, n4: 0 },
    },
  ])('$name', ({ terms, raw, want }) => {
    expect(runScore(nodeAffinityScore, preferred(terms), nodes)).toEqual({ raw, normalized: want })
  })

  it('skips a pod without preferred terms', () => {
    expect(runScore(nodeAffinityScore, makePod(), nodes)).toBeUndefined()
    expect(runScore(nodeAffinityScore, preferred([{ ...zoneA, weight: 0 }]), nodes)).toBeUndefined()
  })
})

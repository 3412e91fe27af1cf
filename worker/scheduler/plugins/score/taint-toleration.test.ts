import { describe, expect, it } from 'vitest'
import { taintTolerationScore } from './taint-toleration'
import { makeNode, makePod, runScore } from './test-fixtures'

const prefer = (key: string, value = '') => ({ key, value, effect: 'PreferNoSchedule' })

describe('TaintToleration score', () => {
  it.each([
    {
      name: '0/1/2 PreferNoSchedule taints',
      tolerations: [],
      taints: { n0: [], n1: [prefer('a')], n2: [prefer('a'), prefer('b')] },
      raw: { n0: 0, n1: 1, n2: 2 },
      want: { n0: 100, n1: 50, n2: 0 },
    },
    {
      // 100 − 100×1/3 = 67
      name: 'reverse scaling rounds toward the max',
      tolerations: [],
      taints: { n0: [], n1: [prefer('a')], n3: [prefer('a'), prefer('b'), prefer('c')] },
      raw: { n0: 0, n1: 1, n3: 3 },
      want: { n0: 100, n1: 67, n3: 0 },
    },
    {
      name: 'other effects do not count',
      tolerations: [],
      taints: { n0: [{ key: 'a', effect: 'NoSchedule' }], n1: [prefer('a')] },
      raw: { n0: 0, n1: 1 },
      want: { n0: 100, n1: 0 },
    },
    {
      name: 'tolerated taints do not count',
      tolerations: [{ key: 'a', operator: 'Exists' }],
      taints: { n1: [prefer('a')], n2: [prefer('a'), prefer('b')] },
      raw: { n1: 0, n2: 1 },
      want: { n1: 100, n2: 0 },
    },
    {
      name: 'a NoSchedule toleration does not help',
      tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }],
      taints: { n0: [], n1: [prefer('a')] },
      raw: { n0: 0, n1: 1 },
      want: { n0: 100, n1: 0 },
    },
    {
      name: 'nothing intolerable: every node 100',
      tolerations: [],
      taints: { n0: [], n1: [] },
      raw: { n0: 0, n1: 0 },
      want: { n0: 100, n1: 100 },
    },
  ])('$name', ({ tolerations, taints, raw, want }) => {
    const nodes = Object.entries(taints).map(([name, t]) => makeNode(name, { taints: t }))
    const r = runScore(taintTolerationScore, makePod({ spec: { tolerations } }), nodes)
    expect(r).toEqual({ raw, normalized: want })
  })
})

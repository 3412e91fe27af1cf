import { describe, expect, it } from 'vitest'
import { makeNode, makePod } from './testing'
import {
  nodeSelectorTermMatches,
  requiredNodeAffinityMatches,
  type NodeSelectorTerm,
} from './node-selector'

const node = makeNode('n1', { labels: { zone: 'a', cores: '8', disk: 'ssd' } })

describe('nodeSelectorTermMatches', () => {
  const cases: { name: string; term: NodeSelectorTerm; want: boolean }[] = [
    { name: 'empty term matches nothing', term: {}, want: false },
    {
      name: 'In',
      term: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] },
      want: true,
    },
    {
      name: 'NotIn',
      term: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] },
      want: false,
    },
    {
      name: 'NotIn on a missing label',
      term: { matchExpressions: [{ key: 'gpu', operator: 'NotIn', values: ['x'] }] },
      want: true,
    },
    {
      name: 'Exists',
      term: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] },
      want: true,
    },
    {
      name: 'DoesNotExist',
      term: { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] },
      want: true,
    },
    {
      name: 'Gt',
      term: { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] },
      want: true,
    },
    {
      name: 'Gt is strict',
      term: { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] },
      want: false,
    },
    {
      name: 'Lt',
      term: { matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['16'] }] },
      want: true,
    },
    {
      name: 'Gt on a non-integer label',
      term: { matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] },
      want: false,
    },
    {
      name: 'Gt with two values is invalid',
      term: { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1', '2'] }] },
      want: false,
    },
    {
      name: 'Lt on a missing label',
      term: { matchExpressions: [{ key: 'gpu', operator: 'Lt', values: ['1'] }] },
      want: false,
    },
    {
      name: 'expressions are ANDed',
      term: {
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['a'] },
          { key: 'disk', operator: 'In', values: ['hdd'] },
        ],
      },
      want: false,
    },
    {
      name: 'matchFields on metadata.name',
      term: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
      want: true,
    },
    {
      name: 'matchFields NotIn',
      term: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] },
      want: false,
    },
    {
      name: 'matchFields on another field',
      term: { matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['n1'] }] },
      want: false,
    },
    {
      name: 'fields and expressions are ANDed',
      term: {
        matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
        matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }],
      },
      want: false,
    },
  ]
  it.each(cases)('$name', ({ term, want }) =>
    expect(nodeSelectorTermMatches(term, node)).toBe(want),
  )
})

describe('requiredNodeAffinityMatches', () => {
  const affinity = (...terms: NodeSelectorTerm[]) => ({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
  })
  it('ORs terms', () => {
    const pod = makePod({
      spec: {
        affinity: affinity(
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
          { matchExpressions: [{ key: 'disk', operator: 'Exists' }] },
        ),
      },
    })
    expect(requiredNodeAffinityMatches(pod, node)).toBe(true)
  })
  it('needs both nodeSelector and affinity', () => {
    const pod = makePod({
      spec: {
        nodeSelector: { zone: 'b' },
        affinity: affinity({ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }),
      },
    })
    expect(requiredNodeAffinityMatches(pod, node)).toBe(false)
  })
  it('an empty list of terms matches nothing', () => {
    expect(requiredNodeAffinityMatches(makePod({ spec: { affinity: affinity() } }), node)).toBe(
      false,
    )
  })
})

import { describe, expect, it } from 'vitest'
import { Code, type Obj } from '../../framework/types'
import { makeNode, makePod, runFilter } from '../helper/testing'
import { NodeAffinity } from './node-affinity'

const required = (...nodeSelectorTerms: Obj[]) => ({
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } },
  },
})
const expr = (key: string, operator: string, ...values: string[]) => ({
  matchExpressions: [{ key, operator, values }],
})

describe('NodeAffinity filter', () => {
  const node = makeNode('n1', { labels: { zone: 'a', gen: '3' } })
  const cases: { name: string; pod: Obj; want: Code }[] = [
    { name: 'no constraints', pod: makePod(), want: Code.Success },
    {
      name: 'nodeSelector matches',
      pod: makePod({ spec: { nodeSelector: { zone: 'a' } } }),
      want: Code.Success,
    },
    {
      name: 'nodeSelector needs every label',
      pod: makePod({ spec: { nodeSelector: { zone: 'a', disk: 'ssd' } } }),
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'In',
      pod: makePod({ spec: required(expr('zone', 'In', 'a', 'b')) }),
      want: Code.Success,
    },
    {
      name: 'NotIn',
      pod: makePod({ spec: required(expr('zone', 'NotIn', 'a')) }),
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'Exists',
      pod: makePod({ spec: required({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }) }),
      want: Code.Success,
    },
    {
      name: 'DoesNotExist',
      pod: makePod({
        spec: required({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }),
      }),
      want: Code.UnschedulableAndUnresolvable,
    },
    { name: 'Gt', pod: makePod({ spec: required(expr('gen', 'Gt', '2')) }), want: Code.Success },
    {
      name: 'Lt',
      pod: makePod({ spec: required(expr('gen', 'Lt', '3')) }),
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'terms are ORed',
      pod: makePod({ spec: required(expr('zone', 'In', 'b'), expr('gen', 'In', '3')) }),
      want: Code.Success,
    },
    {
      name: 'matchFields on metadata.name',
      pod: makePod({
        spec: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }),
      }),
      want: Code.Success,
    },
    {
      name: 'nodeSelector and affinity must both hold',
      pod: makePod({ spec: { nodeSelector: { zone: 'b' }, ...required(expr('zone', 'In', 'a')) } }),
      want: Code.UnschedulableAndUnresolvable,
    },
  ]
  it.each(cases)('$name', ({ pod, want }) => {
    const got = runFilter(NodeAffinity, pod, [{ node }]).n1!
    expect(got.code).toBe(want)
    if (want !== Code.Success)
      expect(got.reasons).toEqual(["node(s) didn't match Pod's node affinity/selector"])
  })
})

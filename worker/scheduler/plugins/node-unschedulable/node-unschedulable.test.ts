import { describe, expect, it } from 'vitest'
import { Code } from '../../framework/types'
import { makeNode, makePod, runFilter } from '../helper/testing'
import { NodeUnschedulable } from './node-unschedulable'

describe('NodeUnschedulable', () => {
  const cordoned = makeNode('n1', { spec: { unschedulable: true } })
  const cases = [
    { name: 'schedulable node', pod: makePod(), node: makeNode('n1'), want: Code.Success },
    {
      name: 'cordoned node',
      pod: makePod(),
      node: cordoned,
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'cordoned node, pod tolerates the unschedulable taint',
      pod: makePod({
        spec: {
          tolerations: [
            { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
          ],
        },
      }),
      node: cordoned,
      want: Code.Success,
    },
    {
      name: 'cordoned node, pod tolerates everything',
      pod: makePod({ spec: { tolerations: [{ operator: 'Exists' }] } }),
      node: cordoned,
      want: Code.Success,
    },
    {
      name: 'cordoned node, toleration for NoExecute only',
      pod: makePod({
        spec: {
          tolerations: [
            { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' },
          ],
        },
      }),
      node: cordoned,
      want: Code.UnschedulableAndUnresolvable,
    },
  ]
  it.each(cases)('$name', ({ pod, node, want }) => {
    const got = runFilter(NodeUnschedulable, pod, [{ node }]).n1!
    expect(got.code).toBe(want)
    if (want !== Code.Success) expect(got.reasons).toEqual(['node(s) were unschedulable'])
  })
})

import { describe, expect, it } from 'vitest'
import { Code } from '../../framework/types'
import { makeNode, makePod, runFilter } from '../helper/testing'
import { NodeName } from './node-name'

describe('NodeName', () => {
  const cases = [
    { name: 'no nodeName', pod: makePod(), want: Code.Success },
    { name: 'nodeName is this node', pod: makePod({ nodeName: 'n1' }), want: Code.Success },
    {
      name: 'nodeName is another node',
      pod: makePod({ nodeName: 'n2' }),
      want: Code.UnschedulableAndUnresolvable,
    },
  ]
  it.each(cases)('$name', ({ pod, want }) => {
    const got = runFilter(NodeName, pod, [{ node: makeNode('n1') }]).n1!
    expect(got.code).toBe(want)
    if (want !== Code.Success)
      expect(got.reasons).toEqual(["node(s) didn't match the requested node name"])
  })
})

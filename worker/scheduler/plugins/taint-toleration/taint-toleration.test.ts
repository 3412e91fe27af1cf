import { describe, expect, it } from 'vitest'
import type { Obj } from '../../framework/types'
import { makeNode, makePod, runFilter } from '../helper/testing'
import { TaintToleration } from './taint-toleration'

const tainted = (...taints: Obj[]) => makeNode('n1', { spec: { taints } })
const tolerating = (...tolerations: Obj[]) => makePod({ spec: { tolerations } })

describe('TaintToleration filter', () => {
  const cases: { name: string; pod: Obj; node: Obj; want: string | null }[] = [
    { name: 'no taints', pod: makePod(), node: makeNode('n1'), want: null },
    {
      name: 'untolerated NoSchedule taint with value',
      pod: makePod(),
      node: tainted({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }),
      want: 'node(s) had untolerated taint {dedicated: gpu}',
    },
    {
      name: 'untolerated taint without value prints an empty value',
      pod: makePod(),
      node: tainted({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }),
      want: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    },
    {
      name: 'NoExecute counts too',
      pod: makePod(),
      node: tainted({ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }),
      want: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    },
    {
      name: 'PreferNoSchedule is left to scoring',
      pod: makePod(),
      node: tainted({ key: 'soft', effect: 'PreferNoSchedule' }),
      want: null,
    },
    {
      name: 'Equal toleration with the same value',
      pod: tolerating({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }),
      node: tainted({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }),
      want: null,
    },
    {
      name: 'Equal toleration with another value',
      pod: tolerating({ key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }),
      node: tainted({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }),
      want: 'node(s) had untolerated taint {dedicated: gpu}',
    },
    {
      name: 'Exists toleration without effect tolerates both effects',
      pod: tolerating({ key: 'dedicated', operator: 'Exists' }),
      node: tainted(
        { key: 'dedicated', value: 'a', effect: 'NoSchedule' },
        { key: 'dedicated', value: 'b', effect: 'NoExecute' },
      ),
      want: null,
    },
    {
      name: 'empty key with Exists tolerates everything',
      pod: tolerating({ operator: 'Exists' }),
      node: tainted(
        { key: 'a', effect: 'NoSchedule' },
        { key: 'b', value: 'x', effect: 'NoExecute' },
      ),
      want: null,
    },
    {
      name: 'the first untolerated taint is reported',
      pod: tolerating({ key: 'a', operator: 'Exists' }),
      node: tainted(
        { key: 'a', effect: 'NoSchedule' },
        { key: 'b', value: '1', effect: 'NoSchedule' },
        { key: 'c', value: '2', effect: 'NoExecute' },
      ),
      want: 'node(s) had untolerated taint {b: 1}',
    },
    {
      name: 'toleration for the wrong effect',
      pod: tolerating({ key: 'a', operator: 'Exists', effect: 'NoExecute' }),
      node: tainted({ key: 'a', effect: 'NoSchedule' }),
      want: 'node(s) had untolerated taint {a: }',
    },
  ]
  it.each(cases)('$name', ({ pod, node, want }) => {
    const got = runFilter(TaintToleration, pod, [{ node }]).n1!
    if (want === null) expect(got.code).toBe('Success')
    else expect(got).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [want] })
  })
})

import { describe, expect, it } from 'vitest'
import {
  doNotScheduleTaint,
  findUntoleratedTaint,
  toleratesTaint,
  type Taint,
  type Toleration,
} from './taints'

const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }

describe('toleratesTaint', () => {
  const cases: { name: string; toleration: Toleration; taint?: Taint; want: boolean }[] = [
    {
      name: 'Equal with same key, value and effect',
      toleration: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      want: true,
    },
    {
      name: 'operator defaults to Equal',
      toleration: { key: 'dedicated', value: 'gpu' },
      want: true,
    },
    {
      name: 'Equal with another value',
      toleration: { key: 'dedicated', value: 'cpu' },
      want: false,
    },
    {
      name: 'Exists ignores the value',
      toleration: { key: 'dedicated', operator: 'Exists' },
      want: true,
    },
    {
      name: 'empty key with Exists matches every key',
      toleration: { operator: 'Exists' },
      want: true,
    },
    {
      name: 'empty key with Exists still checks the effect',
      toleration: { operator: 'Exists', effect: 'NoExecute' },
      want: false,
    },
    {
      name: 'empty effect matches every effect',
      toleration: { key: 'dedicated', operator: 'Exists' },
      taint: { ...taint, effect: 'NoExecute' },
      want: true,
    },
    { name: 'another key', toleration: { key: 'other', operator: 'Exists' }, want: false },
    {
      name: 'Equal with empty value matches a taint without value',
      toleration: { key: 'k', operator: 'Equal' },
      taint: { key: 'k', effect: 'NoSchedule' },
      want: true,
    },
    {
      name: 'unknown operator',
      toleration: { key: 'dedicated', operator: 'Gt', value: 'gpu' },
      want: false,
    },
  ]
  it.each(cases)('$name', ({ toleration, taint: t, want }) =>
    expect(toleratesTaint(toleration, t ?? taint)).toBe(want),
  )
})

describe('findUntoleratedTaint', () => {
  it('returns the first untolerated taint the filter keeps', () => {
    const taints: Taint[] = [
      { key: 'soft', effect: 'PreferNoSchedule' },
      { key: 'a', value: '1', effect: 'NoSchedule' },
      { key: 'b', effect: 'NoExecute' },
    ]
    expect(findUntoleratedTaint(taints, [], doNotScheduleTaint)).toEqual(taints[1])
    expect(
      findUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }], doNotScheduleTaint),
    ).toEqual(taints[2])
    expect(findUntoleratedTaint(taints, [{ operator: 'Exists' }])).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import {
  compileSelector,
  InvalidSelectorError,
  type LabelSelector,
  selectorMatches,
} from './label-selector'

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' }
  const cases: { name: string; input: LabelSelector | null | undefined; want: boolean }[] = [
    { name: 'nil selects nothing', input: undefined, want: false },
    { name: 'null selects nothing', input: null, want: false },
    { name: 'empty selects everything', input: {}, want: true },
    {
      name: 'empty parts select everything',
      input: { matchLabels: {}, matchExpressions: [] },
      want: true,
    },
    { name: 'matchLabels equal', input: { matchLabels: { app: 'web' } }, want: true },
    { name: 'matchLabels differ', input: { matchLabels: { app: 'db' } }, want: false },
    {
      name: 'matchLabels all must hold',
      input: { matchLabels: { app: 'web', tier: 'back' } },
      want: false,
    },
    {
      name: 'In',
      input: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
      want: true,
    },
    {
      name: 'In, absent key',
      input: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
      want: false,
    },
    {
      name: 'NotIn',
      input: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] },
      want: true,
    },
    {
      name: 'NotIn, absent key',
      input: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      want: true,
    },
    {
      name: 'NotIn, listed',
      input: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] },
      want: false,
    },
    {
      name: 'Exists',
      input: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
      want: true,
    },
    {
      name: 'DoesNotExist',
      input: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
      want: false,
    },
    {
      name: 'labels and expressions together',
      input: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }],
      },
      want: true,
    },
    {
      name: 'unknown operator selects nothing',
      input: { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] },
      want: false,
    },
  ]
  it.each(cases)('$name', ({ input, want }) => expect(selectorMatches(input, labels)).toBe(want))

  it('missing labels are no labels', () => {
    expect(selectorMatches({}, undefined)).toBe(true)
    expect(
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, undefined),
    ).toBe(true)
  })

  it('compileSelector refuses what upstream refuses', () => {
    expect(() => compileSelector({ matchExpressions: [{ key: 'a', operator: 'Nope' }] })).toThrow(
      InvalidSelectorError,
    )
    expect(() =>
      compileSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    ).toThrow(InvalidSelectorError)
    expect(() =>
      compileSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
    ).toThrow(InvalidSelectorError)
  })
})

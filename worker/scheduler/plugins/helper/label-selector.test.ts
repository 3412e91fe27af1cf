import { describe, expect, it } from 'vitest'
import { labelSelectorMatches, withMatchLabelKeys, type LabelSelector } from './label-selector'

describe('labelSelectorMatches', () => {
  const labels = { app: 'web', tier: 'front' }
  const cases: { name: string; selector: LabelSelector | undefined; want: boolean }[] = [
    { name: 'missing selector selects nothing', selector: undefined, want: false },
    { name: 'empty selector selects everything', selector: {}, want: true },
    {
      name: 'matchLabels all present',
      selector: { matchLabels: { app: 'web', tier: 'front' } },
      want: true,
    },
    { name: 'matchLabels one differs', selector: { matchLabels: { app: 'db' } }, want: false },
    {
      name: 'In',
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web'] }] },
      want: true,
    },
    {
      name: 'In on a missing key',
      selector: { matchExpressions: [{ key: 'x', operator: 'In', values: ['web'] }] },
      want: false,
    },
    {
      name: 'NotIn',
      selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] },
      want: false,
    },
    {
      name: 'NotIn on a missing key matches',
      selector: { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['web'] }] },
      want: true,
    },
    {
      name: 'Exists',
      selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      want: true,
    },
    {
      name: 'DoesNotExist',
      selector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
      want: false,
    },
    {
      name: 'In without values is invalid',
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
      want: false,
    },
    {
      name: 'labels and expressions are ANDed',
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }],
      },
      want: false,
    },
  ]
  it.each(cases)('$name', ({ selector, want }) =>
    expect(labelSelectorMatches(selector, labels)).toBe(want),
  )
})

describe('withMatchLabelKeys', () => {
  it('ANDs the pod’s values for the keys it has', () => {
    const s = withMatchLabelKeys({ matchLabels: { app: 'web' } }, ['rev', 'absent'], {
      app: 'web',
      rev: 'a',
    })
    expect(labelSelectorMatches(s, { app: 'web', rev: 'a' })).toBe(true)
    expect(labelSelectorMatches(s, { app: 'web', rev: 'b' })).toBe(false)
  })
  it('leaves the selector alone when the pod has none of the keys', () => {
    expect(withMatchLabelKeys(undefined, ['rev'], {})).toBeUndefined()
  })
  it('turns a missing selector into the pairs alone', () => {
    expect(
      labelSelectorMatches(withMatchLabelKeys(undefined, ['rev'], { rev: 'a' }), { rev: 'a' }),
    ).toBe(true)
  })
})

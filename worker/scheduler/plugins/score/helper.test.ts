import { describe, expect, it } from 'vitest'
import {
  defaultNormalizeScore,
  idiv,
  labelMatcher,
  nodeSelectorTermMatches,
  requiredNodeAffinityMatches,
  toleratesTaint,
} from './helper'

describe('idiv', () => {
  it.each([
    { a: 7, b: 2, want: 3 },
    { a: -7, b: 2, want: -3 },
    { a: 7, b: -2, want: -3 },
    { a: 15064541800, b: 1024458752, want: 14 },
    { a: 0, b: -5, want: 0 },
  ])('$a / $b = $want', ({ a, b, want }) => expect(idiv(a, b)).toBe(want))
})

describe('defaultNormalizeScore', () => {
  it.each([
    { name: 'scales by the max', reverse: false, input: [0, 1, 2, 3], want: [0, 33, 66, 100] },
    { name: 'reverse', reverse: true, input: [0, 1, 2, 3], want: [100, 67, 34, 0] },
    { name: 'all zero stays zero', reverse: false, input: [0, 0], want: [0, 0] },
    { name: 'all zero reversed is max', reverse: true, input: [0, 0], want: [100, 100] },
  ])('$name', ({ reverse, input, want }) => {
    const scores = new Map(input.map((s, i) => [`n${i}`, s]))
    defaultNormalizeScore(100, reverse, scores)
    expect([...scores.values()]).toEqual(want)
  })
})

describe('labelMatcher', () => {
  const labels = { app: 'web', tier: 'front' }
  it.each([
    { name: 'nil selects nothing', sel: undefined, want: false, empty: false },
    { name: '{} selects everything', sel: {}, want: true, empty: true },
    { name: 'matchLabels', sel: { matchLabels: { app: 'web' } }, want: true, empty: false },
    { name: 'matchLabels miss', sel: { matchLabels: { app: 'db' } }, want: false, empty: false },
    {
      name: 'In',
      sel: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'x'] }] },
      want: true,
    },
    {
      name: 'NotIn absent key',
      sel: { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['a'] }] },
      want: true,
    },
    {
      name: 'DoesNotExist',
      sel: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
      want: false,
    },
    {
      name: 'In without values is invalid',
      sel: { matchExpressions: [{ key: 'app', operator: 'In' }] },
      want: false,
    },
    {
      name: 'Gt is not a label selector operator',
      sel: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      want: false,
    },
  ])('$name', ({ sel, want, empty }) => {
    const m = labelMatcher(sel)
    expect(m.matches(labels)).toBe(want)
    if (empty !== undefined) expect(m.empty).toBe(empty)
  })
})

describe('nodeSelectorTermMatches', () => {
  const node = {
    metadata: { name: 'n1', labels: { zone: 'a', gen: '5', big: '9223372036854775807' } },
  }
  it.each([
    { name: 'empty term matches nothing', term: {}, want: false },
    {
      name: 'In',
      term: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
      want: true,
    },
    {
      name: 'NotIn',
      term: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] },
      want: false,
    },
    {
      name: 'Exists',
      term: { matchExpressions: [{ key: 'gen', operator: 'Exists' }] },
      want: true,
    },
    {
      name: 'Gt',
      term: { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['3'] }] },
      want: true,
    },
    {
      name: 'Lt',
      term: { matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['5'] }] },
      want: false,
    },
    {
      name: 'Gt past 2^53',
      term: { matchExpressions: [{ key: 'big', operator: 'Gt', values: ['9223372036854775806'] }] },
      want: true,
    },
    {
      name: 'Gt on a non-number',
      term: { matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['1'] }] },
      want: false,
    },
    {
      name: 'matchFields In',
      term: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
      want: true,
    },
    {
      name: 'matchFields NotIn',
      term: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] },
      want: false,
    },
    {
      name: 'matchFields other key',
      term: { matchFields: [{ key: 'spec.x', operator: 'In', values: ['n1'] }] },
      want: false,
    },
  ])('$name', ({ term, want }) => expect(nodeSelectorTermMatches(term, node)).toBe(want))

  it('requires nodeSelector and any one required term', () => {
    const pod = (spec: object) => ({ spec })
    const required = (terms: object[]) => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
        },
      },
    })
    expect(requiredNodeAffinityMatches(pod({ nodeSelector: { zone: 'a' } }), node)).toBe(true)
    expect(requiredNodeAffinityMatches(pod({ nodeSelector: { zone: 'b' } }), node)).toBe(false)
    expect(requiredNodeAffinityMatches(pod(required([])), node)).toBe(false)
    const zoneB = { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }
    const gen = { matchExpressions: [{ key: 'gen', operator: 'Exists' }] }
    expect(requiredNodeAffinityMatches(pod(required([zoneB, gen])), node)).toBe(true)
  })
})

describe('toleratesTaint', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' }
  it.each([
    { name: 'Equal', tol: { key: 'dedicated', value: 'gpu' }, want: true },
    { name: 'other value', tol: { key: 'dedicated', value: 'cpu' }, want: false },
    { name: 'Exists with no key tolerates all', tol: { operator: 'Exists' }, want: true },
    {
      name: 'other effect',
      tol: { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' },
      want: false,
    },
    { name: 'unknown operator', tol: { key: 'dedicated', operator: 'Has' }, want: false },
  ])('$name', ({ tol, want }) => expect(toleratesTaint(tol, taint)).toBe(want))
})

import { describe, expect, it } from 'vitest'
import { prefixEnd } from '../../worker/etcd/dialect'
import { bounds, decodeContinue, encodeContinue, prefixRange, validateKey, validateRangeKey, validateValue } from '../../worker/etcd/keys'
import { StoreError } from '../../worker/etcd/types'

const codeOf = (fn: () => void) => {
  try {
    fn()
    return undefined
  } catch (e) {
    return (e as StoreError).code
  }
}

describe('keys', () => {
  it.each([
    { key: '/registry/pods/default/web-1', want: undefined },
    { key: '/registry/apps/deployments/kube-system/coredns', want: undefined },
    { key: '', want: 'InvalidKey' },
    { key: 'registry/pods', want: 'InvalidKey' },
    { key: '/registry/pods/', want: 'InvalidKey' },
    { key: '/registry//pods', want: 'InvalidKey' },
    { key: '/registry/po ds', want: 'InvalidKey' },
    { key: '/registry/\t', want: 'InvalidKey' },
    { key: '/registry/ünïcode', want: 'InvalidKey' },
    { key: '/' + 'a'.repeat(1024), want: 'InvalidKey' },
  ])('validateKey($key) → $want', ({ key, want }) => {
    expect(codeOf(() => validateKey(key))).toBe(want)
  })

  it('lets a range start at a prefix', () => {
    expect(codeOf(() => validateRangeKey('/registry/pods/'))).toBeUndefined()
    expect(codeOf(() => validateRangeKey('registry'))).toBe('InvalidKey')
  })

  it('bounds prefixes and single keys', () => {
    expect(prefixEnd('/registry/pods/')).toBe('/registry/pods0')
    expect(prefixRange('/registry/pods/')).toEqual({ key: '/registry/pods/', end: '/registry/pods0' })
    expect(bounds({ key: '/a' })).toEqual({ start: '/a', end: '/a\0' })
    expect(bounds({ key: '/a', end: '\0' }).end > '/zzzz').toBe(true)
  })

  it('limits values to 1.5 MiB of UTF-8', () => {
    expect(codeOf(() => validateValue('x'.repeat(1.5 * 1024 * 1024)))).toBeUndefined()
    expect(codeOf(() => validateValue('x'.repeat(1.5 * 1024 * 1024 + 1)))).toBe('ValueTooLarge')
    expect(codeOf(() => validateValue('€'.repeat(524_289)))).toBe('ValueTooLarge')
  })

  it('round-trips continue tokens and refuses forged ones', () => {
    const t = encodeContinue({ rv: 42, after: '/registry/pods/ns/x' })
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeContinue(t)).toEqual({ rv: 42, after: '/registry/pods/ns/x' })
    for (const bad of ['', 'x', btoa('{"v":1,"rv":0,"after":"/a"}'), btoa('{"v":2,"rv":3,"after":"/a"}'), btoa('[]')])
      expect(codeOf(() => decodeContinue(bad))).toBe('InvalidArgument')
  })
})

import { describe, expect, it } from 'vitest'
import { joinCodeHash, newJoinCode, normalizeJoinCode } from './join-code'

describe('join codes', () => {
  it('are 10 Crockford characters grouped 4-4-2, 50 bits', () => {
    const code = newJoinCode()
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)
    expect(newJoinCode(() => new Uint8Array(7))).toBe('0000-0000-00')
    expect(newJoinCode(() => new Uint8Array(7).fill(255))).toBe('ZZZZ-ZZZZ-ZZ')
    // The low 6 bits of the 7 bytes are not used.
    expect(newJoinCode(() => Uint8Array.from([0, 0, 0, 0, 0, 0, 63]))).toBe('0000-0000-00')
    expect(newJoinCode(() => Uint8Array.from([0, 0, 0, 0, 0, 0, 64]))).toBe('0000-0000-01')
    const seen = new Set(Array.from({ length: 200 }, () => newJoinCode()))
    expect(seen.size).toBe(200)
  })

  it('read back as a person types them', () => {
    expect(normalizeJoinCode('ab1c-d2ef-3g')).toBe('AB1CD2EF3G')
    expect(normalizeJoinCode(' AB1C D2EF 3G ')).toBe('AB1CD2EF3G')
    expect(normalizeJoinCode('abIc-d2ef-3g')).toBe('AB1CD2EF3G')
    expect(normalizeJoinCode('ABLC-D2EF-3G')).toBe('AB1CD2EF3G')
    expect(normalizeJoinCode('o0o0-0000-00')).toBe('0000000000')
    expect(normalizeJoinCode('AB1C-D2EF')).toBeUndefined()
    expect(normalizeJoinCode('AB1C-D2EF-3U')).toBeUndefined()
    expect(normalizeJoinCode('')).toBeUndefined()
  })

  it('are stored salted by the cluster', async () => {
    const a = await joinCodeHash('uid-a', 'AB1CD2EF3G')
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(await joinCodeHash('uid-b', 'AB1CD2EF3G')).not.toBe(a)
    expect(await joinCodeHash('uid-a', 'AB1CD2EF3G')).toBe(a)
  })
})

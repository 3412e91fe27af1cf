import { describe, expect, it } from 'vitest'
import { formatIPv4, isIP, isIPv6, parseIPv4, parseIPv4CIDR, specialIPReason } from './ip-address'

describe('ip-address', () => {
  it.each([
    ['10.96.0.1', 0x0a600001],
    ['010.096.000.001', 0x0a600001],
    ['255.255.255.255', 0xffffffff],
    ['256.0.0.1', undefined],
    ['10.96.0', undefined],
    ['10.96.0.1.2', undefined],
    ['a.b.c.d', undefined],
    ['', undefined],
  ])('parseIPv4(%j) = %j', (text, want) => expect(parseIPv4(text)).toBe(want))

  it('formats back', () => expect(formatIPv4(0x0a6fffff)).toBe('10.111.255.255'))

  it.each([
    ['::1', true],
    ['fd00::1', true],
    ['2001:db8::ffff', true],
    ['1:2:3:4:5:6:7:8', true],
    ['::ffff:10.0.0.1', true],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['fd00::g', false],
    ['10.0.0.1', false],
  ])('isIPv6(%j) = %j', (text, want) => expect(isIPv6(text)).toBe(want))

  it('parses CIDRs to their network', () => {
    expect(parseIPv4CIDR('10.96.0.0/12')).toEqual({ base: 0x0a600000, bits: 12, size: 1 << 20, text: '10.96.0.0/12' })
    expect(parseIPv4CIDR('10.100.1.1/12')?.text).toBe('10.96.0.0/12')
    expect([parseIPv4CIDR('10.0.0.0'), parseIPv4CIDR('10.0.0.0/33'), parseIPv4CIDR('x/8')]).toEqual([undefined, undefined, undefined])
  })

  it('names special addresses', () => {
    expect(['0.0.0.0', '127.0.0.5', '169.254.1.1', '224.0.0.251', '198.51.100.1', '::1'].map(specialIPReason)).toEqual([
      'may not be unspecified (0.0.0.0)',
      'may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      undefined,
      'may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ])
    expect(isIP('nope')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { formatBinary, parseQuantity } from './quantity'

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['128Mi', 128 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', 1000],
    ['16Gi', 16 * 2 ** 30],
    ['1.5', 1.5],
  ])('%s', (q, want) => expect(parseQuantity(q)).toBeCloseTo(want))
  it('refuses what does not parse', () => {
    expect(parseQuantity('12 apples')).toBeUndefined()
    expect(parseQuantity('Mi')).toBeUndefined()
  })
  it('formats bytes as upstream prints memory', () => {
    expect(formatBinary(16 * 2 ** 30)).toBe('16Gi')
    expect(formatBinary(16 * 2 ** 30 - 100 * 2 ** 20)).toBe('16284Mi')
    expect(formatBinary(1000)).toBe('1000')
  })
})

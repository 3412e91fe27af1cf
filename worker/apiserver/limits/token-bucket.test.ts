import { describe, expect, it } from 'vitest'
import { TokenBucket } from './token-bucket'

describe('TokenBucket', () => {
  it('grants a burst, then the rate, and says when to come back', () => {
    const b = new TokenBucket(2, 3, 0)
    expect([b.take(0), b.take(0), b.take(0)].every((v) => v.ok)).toBe(true)
    expect(b.take(0)).toEqual({ ok: false, retryAfterSeconds: 1 })
    expect(b.take(499).ok).toBe(false)
    expect(b.take(500).ok).toBe(true) // one token per 500 ms at 2/s
    expect(b.take(500).ok).toBe(false)
    expect(b.full(500)).toBe(false)
    expect(b.full(2000)).toBe(true)
    // Refill never exceeds the burst.
    const after = [0, 1, 2, 3].map(() => b.take(10_000).ok)
    expect(after).toEqual([true, true, true, false])
  })

  it('rounds Retry-After up to whole seconds', () => {
    const b = new TokenBucket(0.25, 1, 0)
    expect(b.take(0).ok).toBe(true)
    expect(b.take(0)).toEqual({ ok: false, retryAfterSeconds: 4 })
    expect(b.take(1000)).toEqual({ ok: false, retryAfterSeconds: 3 })
  })

  it('does not refill when the clock goes backwards', () => {
    const b = new TokenBucket(1, 1, 1000)
    expect(b.take(1000).ok).toBe(true)
    expect(b.take(0).ok).toBe(false)
    expect(b.take(1999).ok).toBe(false)
    expect(b.take(2000).ok).toBe(true)
  })
})

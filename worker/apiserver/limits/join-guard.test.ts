import { describe, expect, it } from 'vitest'
import { JoinGuard } from './join-guard'

describe('JoinGuard', () => {
  it('lets four failures pass, locks out at the fifth, and doubles the wait', () => {
    const g = new JoinGuard()
    for (let i = 0; i < 4; i++) {
      g.failed('a', i * 1000)
      expect(g.retryAfter('a', i * 1000)).toBe(0)
    }
    g.failed('a', 4000)
    expect(g.retryAfter('a', 4000)).toBe(30)
    expect(g.retryAfter('a', 33_500)).toBe(1)
    expect(g.retryAfter('a', 34_000)).toBe(0)
    g.failed('a', 34_000)
    expect(g.retryAfter('a', 34_000)).toBe(60)
    g.failed('a', 94_000)
    expect(g.retryAfter('a', 94_000)).toBe(120)
    // Another address is not affected.
    expect(g.retryAfter('b', 94_000)).toBe(0)
  })

  it('caps the lockout at 15 minutes and forgets failures older than 10', () => {
    const g = new JoinGuard()
    for (let i = 0; i < 20; i++) g.failed('a', 0)
    expect(g.retryAfter('a', 0)).toBe(900)
    const h = new JoinGuard()
    for (let i = 0; i < 4; i++) h.failed('a', 0)
    h.failed('a', 10 * 60_000 + 1)
    expect(h.retryAfter('a', 10 * 60_000 + 1)).toBe(0)
  })

  it('clears an address once someone there joins', () => {
    const g = new JoinGuard()
    for (let i = 0; i < 4; i++) g.failed('nat', 0)
    g.succeeded('nat')
    g.failed('nat', 0)
    expect(g.retryAfter('nat', 0)).toBe(0)
  })
})

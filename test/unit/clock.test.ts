import { describe, expect, it } from 'vitest'
import { Clock, MAX_SPEED, validateSpeed } from '../../worker/sim/clock'

function wall(start = 1_000_000) {
  const w = { t: start, fn: () => w.t }
  return w
}

describe('Clock', () => {
  it('runs at its speed from the anchor', () => {
    const w = wall()
    const c = new Clock(undefined, w.fn)
    const t0 = c.now()
    w.t += 1_000
    expect(c.now() - t0).toBe(1_000)
    c.setSpeed(60)
    w.t += 1_000
    expect(c.now() - t0).toBe(61_000)
  })

  it('stands still while paused, steps exactly, and resumes from where it stood', () => {
    const w = wall()
    const c = new Clock(undefined, w.fn)
    c.setSpeed(10)
    const t0 = c.now()
    c.pause()
    w.t += 5_000
    expect(c.now()).toBe(t0)
    c.step(50_000)
    expect(c.now()).toBe(t0 + 50_000)
    c.resume()
    w.t += 100
    expect(c.now()).toBe(t0 + 51_000)
  })

  it('converts a simulated due time to a wall delay', () => {
    const w = wall()
    const c = new Clock(undefined, w.fn)
    c.setSpeed(100)
    expect(c.wallDelayUntil(c.now() + 10_000)).toBe(100)
    expect(c.wallDelayUntil(c.now() - 1)).toBe(0)
    c.pause()
    expect(c.wallDelayUntil(c.now() + 1)).toBe(Infinity)
    expect(c.wallDelayUntil(c.now())).toBe(0)
  })

  it('survives a restart through its state', () => {
    const w = wall()
    const a = new Clock(undefined, w.fn)
    a.setSpeed(5)
    w.t += 1_000
    const b = new Clock(a.state(), w.fn)
    expect(b.now()).toBe(a.now())
    w.t += 1_000
    expect(b.now()).toBe(a.now())
  })

  it('accepts speeds up to at least 100 and refuses nonsense', () => {
    expect(validateSpeed(100)).toBeUndefined()
    expect(validateSpeed(MAX_SPEED)).toBeUndefined()
    expect(validateSpeed(0)).toMatch(/between/)
    expect(validateSpeed(MAX_SPEED + 1)).toMatch(/between/)
    expect(validateSpeed(Number.NaN)).toMatch(/number/)
    expect(validateSpeed('10')).toMatch(/number/)
    expect(() => new Clock(undefined).setSpeed(-1)).toThrow(RangeError)
    expect(() => new Clock(undefined).step(-5)).toThrow(RangeError)
  })
})

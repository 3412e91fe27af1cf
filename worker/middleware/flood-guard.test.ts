import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../apiserver/limits/cluster-limits'
import { ADMIN_FACTOR } from '../apiserver/limits/request-limits'
import { FloodGuard, SLACK } from './flood-guard'

const limits = { ...DEFAULT_LIMITS, requestsPerSecond: 20, burst: 60 }
const served = (g: FloodGuard, cluster: string, token: string, now: number) => {
  let n = 0
  while (!g.check(cluster, `Bearer ${token}`, limits, now)) n++
  return n
}

describe('FloodGuard', () => {
  it('lets twice the object\'s burst through, then answers 429 with Retry-After', async () => {
    const g = new FloodGuard()
    expect(served(g, 'room', 'whp_alice', 0)).toBe(60 * SLACK)
    const r = g.check('room', 'Bearer whp_alice', limits, 0)!
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('1')
    expect(await r.json()).toMatchObject({ reason: 'TooManyRequests', message: 'Too many requests, please try again later.' })
    // A second later, twice the object's rate is back.
    expect(served(g, 'room', 'whp_alice', 1000)).toBe(20 * SLACK)
  })

  it('keeps each token of each cluster apart, and gives the admin token its larger bucket', () => {
    const g = new FloodGuard()
    served(g, 'room', 'whp_alice', 0)
    expect(g.check('room', 'Bearer whp_bob', limits, 0)).toBeUndefined()
    expect(g.check('other', 'Bearer whp_alice', limits, 0)).toBeUndefined()
    expect(served(g, 'room', 'wha_leader', 0)).toBe(60 * SLACK * ADMIN_FACTOR)
  })

  it('leaves requests without a token to the object, and does nothing when the rate is unlimited', () => {
    const g = new FloodGuard()
    for (let i = 0; i < 1000; i++) expect(g.check('room', undefined, limits, 0)).toBeUndefined()
    for (let i = 0; i < 1000; i++) expect(g.check('room', 'Bearer whp_x', { ...limits, requestsPerSecond: 0 }, 0)).toBeUndefined()
    expect(g.size).toBe(0)
  })
})

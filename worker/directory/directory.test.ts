import { describe, expect, it } from 'vitest'
import { admitCreation, HOUR_MS } from './admit'
import { DEFAULT_CONFIG, deploymentConfig } from './config'
import { parseCreateRequest } from './create-request'

describe('deploymentConfig', () => {
  it('reads numbers from vars and keeps defaults for the rest', () => {
    const c = deploymentConfig({ MAX_NODES: '10', REQUESTS_PER_SECOND: 5, BURST: 'lots', MAX_CLUSTERS_PER_CREATOR: '2', DEFAULT_TTL_HOURS: '' })
    expect(c.limits).toEqual({ maxNodes: 10, maxPods: 300, maxObjects: 5000, maxWatches: 100, maxBodyBytes: 3145728, requestsPerSecond: 5, burst: 60 })
    expect(c.maxClustersPerCreator).toBe(2)
    expect(c.defaultTtlHours).toBe(8)
    expect(deploymentConfig({})).toEqual(DEFAULT_CONFIG)
  })
})

describe('parseCreateRequest', () => {
  const parse = (body: unknown, secret = false) => parseCreateRequest(body, DEFAULT_CONFIG, secret)
  it('defaults what is left out', () => {
    expect(parse({ name: 'room' })).toEqual({ ok: true, value: { name: 'room', nodes: 3, mode: 'namespace-per-person', ttlHours: 8 } })
    expect(parse({ name: 'room', nodes: 0, speed: 20, ttlHours: 0.5, mode: 'spectator', retainedRevisions: 100 })).toEqual({
      ok: true,
      value: { name: 'room', nodes: 0, speed: 20, ttlHours: 0.5, mode: 'spectator', retainedRevisions: 100 },
    })
  })

  it.each([
    [{ name: 'Bad_Name' }, 'name', /a lowercase RFC 1123 label/],
    [{ name: 'r', nodes: 21 }, 'nodes', /^nodes: Invalid value: 21: must be an integer between 0 and 20$/],
    [{ name: 'r', nodes: 1.5 }, 'nodes', /must be an integer/],
    [{ name: 'r', nodes: '3' }, 'nodes', /^nodes: Invalid value: "3": must be a number$/],
    [{ name: 'r', speed: 1e9 }, 'speed', /speed must be between 0.1 and 1000/],
    [{ name: 'r', mode: 'anarchy' }, 'mode', /supported values: "namespace-per-person", "shared-admin", "spectator"/],
    [{ name: 'r', ttlHours: 73 }, 'ttlHours', /must be between 0 and 72/],
    [{ name: 'r', ttlHours: 0 }, 'ttlHours', /only the holder of the creator secret/],
    [{ name: 'r', ttlHours: -1 }, 'ttlHours', /must be between 0 and 72/],
  ])('refuses %j (%s)', (body, field, message) => {
    const r = parse(body)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.status.code).toBe(422)
    expect(r.status.message).toMatch(message)
    expect(r.status.details?.causes?.[0]?.field).toBe(field)
  })

  it('lets the creator secret make a cluster that never expires', () => {
    expect(parse({ name: 'demo', ttlHours: 0 }, true)).toMatchObject({ ok: true, value: { ttlHours: 0 } })
  })

  it('answers 400 for a body that is not an object', () => {
    expect(parse([1])).toMatchObject({ ok: false, status: { code: 400 } })
    expect(parse(null)).toMatchObject({ ok: false, status: { code: 400 } })
  })
})

describe('admitCreation', () => {
  const base = { creator: '203.0.113.7', clusters: [], recent: [], now: 10 * HOUR_MS, maxClusters: 2, perHour: 3 }
  it('admits under both limits', () => {
    expect(admitCreation({ ...base, clusters: [null], recent: [base.now - 1000] })).toBeUndefined()
  })

  it('refuses a creator at its cluster count, until its first cluster expires', () => {
    const r = admitCreation({ ...base, clusters: [base.now + 90_500, null] })!
    expect(r.retryAfterSeconds).toBe(91)
    expect(r.status).toMatchObject({ code: 429, reason: 'TooManyRequests', details: { retryAfterSeconds: 91 } })
    expect(r.status.message).toBe('creator 203.0.113.7 already has 2 clusters, the most allowed: delete one or wait for one to expire')
    expect(admitCreation({ ...base, clusters: [null, null] })!.retryAfterSeconds).toBe(3600)
  })

  it('refuses a fourth creation within the hour in open mode, not in secret mode', () => {
    const recent = [base.now - 3_000_000, base.now - 1000, base.now - 10]
    const r = admitCreation({ ...base, recent })!
    expect(r.retryAfterSeconds).toBe(600)
    expect(r.status.message).toBe('creator 203.0.113.7 created 3 clusters in the last hour, the most allowed: try again later')
    expect(admitCreation({ ...base, recent, perHour: 0 })).toBeUndefined()
    expect(admitCreation({ ...base, recent: recent.map((t) => t - HOUR_MS) })).toBeUndefined()
  })
})

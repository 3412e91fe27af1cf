// The Worker's routing, cluster creation and authentication, through real requests.
import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { hasTables } from '../../worker/sim/settings'
import { newCluster } from './helpers'

const url = (path: string) => `http://wheelhouse.test${path}`
const create = (body: unknown, secret: string | null = 'test-creator-secret') =>
  SELF.fetch(url('/clusters'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

describe('worker', () => {
  it('answers /healthz', async () => {
    const r = await SELF.fetch(url('/healthz'))
    expect(r.status).toBe(200)
    expect(await r.text()).toBe('ok')
  })

  it('answers an unknown cluster with a Kubernetes NotFound Status, and stores nothing for it', async () => {
    const r = await SELF.fetch(url('/clusters/nobody-made-this/etcd/v3/kv/range'), { method: 'POST', body: '{}' })
    expect(r.status).toBe(404)
    expect(await r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'clusters "nobody-made-this" not found',
      reason: 'NotFound',
      details: { name: 'nobody-made-this', kind: 'clusters' },
      code: 404,
    })
    const stored = await runInDurableObject(env.CLUSTER.getByName('nobody-made-this'), (_, state) => hasTables(state.storage.sql))
    expect(stored).toBe(false)
    const bad = await SELF.fetch(url('/clusters/Not_A_Name/x'))
    expect(bad.status).toBe(404)
    expect(((await bad.json()) as { reason: string }).reason).toBe('NotFound')
  })

  it('creates clusters only for the creator secret, with upstream-style errors', async () => {
    expect((await create({ name: 'gated' }, null)).status).toBe(401)
    expect((await create({ name: 'gated' }, 'wrong')).status).toBe(401)
    const ok = await create({ name: 'gated', nodes: 3 })
    expect(ok.status).toBe(201)
    const body = (await ok.json()) as { name: string; adminToken: string }
    expect(body.name).toBe('gated')
    expect(body.adminToken).toMatch(/^wha_[A-Za-z0-9_-]{43}$/)
    const again = await create({ name: 'gated' })
    expect(again.status).toBe(409)
    expect(await again.json()).toMatchObject({ reason: 'AlreadyExists', message: 'clusters "gated" already exists' })
    const invalid = await create({ name: 'Bad_Name' })
    expect(invalid.status).toBe(422)
    expect(await invalid.json()).toMatchObject({ reason: 'Invalid', details: { causes: [{ field: 'name' }] } })
    expect((await create('{not json')).status).toBe(400)
    expect((await create({ name: 'speedy', speed: 1e9 })).status).toBe(422)
    expect((await create({ name: 'speedy', speed: 'fast' })).status).toBe(422)
  })

  it('requires the cluster admin token, and a token of one cluster is worthless on another', async () => {
    const a = await newCluster()
    const b = await newCluster()
    const noop = (name: string, token?: string) =>
      SELF.fetch(url(`/clusters/${name}/noop`), { headers: token ? { authorization: `Bearer ${token}` } : {} })
    expect((await noop(a.name, a.token)).status).toBe(200)
    const none = await noop(a.name)
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 })
    expect((await noop(a.name, 'wha_wrong')).status).toBe(401)
    expect((await noop(a.name, b.token)).status).toBe(401)
    expect((await noop(b.name, b.token)).status).toBe(200)
  })

  it('answers unknown paths with a NotFound Status', async () => {
    const r = await SELF.fetch(url('/nothing-here'), { headers: { 'sec-fetch-mode': 'cors' } })
    expect(r.status).toBe(404)
  })
})

import { SELF, env } from 'cloudflare:test'
import { expect, it } from 'vitest'

it('healthz', async () => {
  const r = await SELF.fetch('http://x/healthz')
  expect(r.status).toBe(200)
})

it('creates a cluster and puts a key', async () => {
  const stub = env.CLUSTER.getByName('smoke')
  const res = await stub.create({ name: 'smoke' })
  expect(res.ok).toBe(true)
  if (!res.ok) return
  const r = await SELF.fetch('http://x/clusters/smoke/etcd/v3/kv/put', {
    method: 'POST',
    headers: { authorization: `Bearer ${res.adminToken}` },
    body: JSON.stringify({ key: btoa('/registry/a'), value: btoa('{}') }),
  })
  expect(r.status).toBe(200)
  console.log(await r.text())
})

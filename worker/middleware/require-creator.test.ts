import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { requireCreator } from './require-creator'

type Vars = { CLUSTER_CREATION?: string; CREATOR_SECRET?: string }
const app = new Hono<{ Bindings: Vars }>()
app.post('/clusters', requireCreator({ mode: (e) => (e as Vars).CLUSTER_CREATION, secret: (e) => (e as Vars).CREATOR_SECRET }), (c) => c.json(c.get('creator')))

const post = (env: Vars, headers: Record<string, string> = {}) => app.request('/clusters', { method: 'POST', headers }, env)

describe('requireCreator', () => {
  it('in secret mode asks for the secret', async () => {
    const env = { CLUSTER_CREATION: 'secret', CREATOR_SECRET: 's3cret' }
    expect((await post(env)).status).toBe(401)
    expect((await post(env, { authorization: 'Bearer wrong' })).status).toBe(401)
    const ok = await post(env, { authorization: 'Bearer s3cret', 'cf-connecting-ip': '198.51.100.9' })
    expect(await ok.json()).toEqual({ address: '198.51.100.9', secretHolder: true, open: false })
    expect((await post({ CLUSTER_CREATION: 'secret' }, { authorization: 'Bearer x' })).status).toBe(403)
  })

  it('in open mode lets anyone in, and tells the secret holder apart', async () => {
    const env = { CLUSTER_CREATION: 'open', CREATOR_SECRET: 's3cret' }
    expect(await (await post(env)).json()).toEqual({ address: 'local', secretHolder: false, open: true })
    expect(await (await post(env, { authorization: 'Bearer s3cret' })).json()).toEqual({ address: 'local', secretHolder: true, open: true })
    expect((await post(env, { authorization: 'Bearer wrong' })).status).toBe(401)
    expect((await post({ CLUSTER_CREATION: 'open' })).status).toBe(200)
  })
})

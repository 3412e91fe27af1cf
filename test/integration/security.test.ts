// What a public deployment must refuse, through the Worker: requests without a
// valid token of this very cluster (401), floods (429 while others are served),
// large bodies (413), too many watches, join-code guessing, too many clusters
// per creator; and nothing is stored by a refused request.
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../worker/apiserver/limits/cluster-limits'
import { ADMIN_FACTOR } from '../../worker/apiserver/limits/request-limits'
import type { ClusterDO } from '../../worker/cluster-object'
import { DIRECTORY_NAME } from '../../worker/directory/directory-object'
import { hasTables } from '../../worker/sim/settings'
import { until, worker } from './helpers'
import { call, configMap, createRoom, freshAddress, joinRoom, post, SECRET, uniqueName } from './workshop-helpers'

const directory = () => env.DIRECTORY.getByName(DIRECTORY_NAME)
const stored = (name: string) => runInDurableObject(env.CLUSTER.getByName(name), (_, state) => hasTables(state.storage.sql))
const PODS = (ns: string) => `/api/v1/namespaces/${ns}/pods`

describe('authentication', () => {
  it('answers 401 to no token, a wrong token, a token of another cluster and a revoked token', async () => {
    const a = await createRoom()
    const b = await createRoom()
    const alice = await joinRoom(a.name, a.joinCode, 'Alice')
    const bea = await joinRoom(b.name, b.joinCode, 'Bea')
    const cases: [string, string | undefined][] = [
      ['no token', undefined],
      ['a wrong admin-looking token', 'wha_' + 'A'.repeat(43)],
      ['a wrong participant-looking token', 'whp_' + 'A'.repeat(43)],
      ['a forged JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
      ["cluster B's admin token", b.adminToken],
      ["a participant of cluster B (with the same namespace name)", bea.token],
      ['the creator secret', SECRET],
    ]
    for (const [what, token] of cases) {
      const r = await call(token, 'GET', a.name, PODS('default'))
      expect(r.status, what).toBe(401)
      expect(r.json, what).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 })
    }
    expect((await call(alice.token, 'GET', a.name, PODS('alice'))).status).toBe(200)
    expect((await call(alice.token, 'GET', b.name, PODS('alice'))).status).toBe(401)
    await call(a.adminToken, 'DELETE', a.name, '/participants/alice')
    expect((await call(alice.token, 'GET', a.name, PODS('alice'))).status).toBe(401)
  })

  it("keeps the object's debug and etcd routes to the leader", async () => {
    const room = await createRoom()
    const p = await joinRoom(room.name, room.joinCode, 'Pat')
    const debug = await call(p.token, 'GET', room.name, '/debug/controllers')
    expect(debug.status).toBe(403)
    expect(debug.json.message).toBe('forbidden: User "pat" cannot get path "/debug/controllers"')
    expect((await call(p.token, 'POST', room.name, '/etcd/v3/kv/range', { key: btoa('/registry/') })).status).toBe(403)
    expect((await call(room.adminToken, 'GET', room.name, '/debug/controllers')).status).toBe(200)
    expect((await call(room.adminToken, 'POST', room.name, '/etcd/v3/kv/range', { key: btoa('/registry/') })).status).toBe(200)
  })
})

describe('request limits', () => {
  it("answers a flood from one token with upstream's 429 and Retry-After, while other tokens are served; refused writes store nothing", async () => {
    const room = await createRoom()
    const alice = await joinRoom(room.name, room.joinCode, 'Alice')
    const bob = await joinRoom(room.name, room.joinCode, 'Bob')
    // The limiter reads wall time through the object's `wall`: held still here, then stepped.
    let now = 1_000_000
    await runInDurableObject(room.stub, (o: ClusterDO) => void (o.wall = () => now))
    const { burst, requestsPerSecond } = DEFAULT_LIMITS
    for (let i = 0; i < burst; i++) expect((await call(alice.token, 'GET', room.name, PODS('alice'))).status).toBe(200)
    const limited = await call(alice.token, 'GET', room.name, PODS('alice'))
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 1 },
      code: 429,
    })
    const refused = await call(alice.token, 'POST', room.name, '/api/v1/namespaces/alice/configmaps', configMap('flood'))
    expect(refused.status).toBe(429)
    // Others are served meanwhile: another participant, and the leader.
    for (let i = 0; i < 10; i++) expect((await call(bob.token, 'GET', room.name, PODS('bob'))).status).toBe(200)
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/alice/configmaps/flood')).status).toBe(404)
    // A second later the bucket has refilled by the rate.
    now += 1000
    for (let i = 0; i < requestsPerSecond; i++) expect((await call(alice.token, 'GET', room.name, PODS('alice'))).status).toBe(200)
    expect((await call(alice.token, 'GET', room.name, PODS('alice'))).status).toBe(429)
  })

  it('gives the leader a larger bucket, not an exemption', async () => {
    const name = uniqueName('leader')
    const stub = env.CLUSTER.getByName(name)
    const created = await stub.create({ name, nodes: 0, limits: { ...DEFAULT_LIMITS, requestsPerSecond: 1, burst: 4 } })
    if (!created.ok) throw new Error(created.status.message)
    const p = await joinRoom(name, created.joinCode, 'Pat')
    await runInDurableObject(stub, (o: ClusterDO) => void (o.wall = () => 5_000_000))
    const served = async (token: string) => {
      let n = 0
      while ((await call(token, 'GET', name, '/version')).status === 200) n++
      return n
    }
    expect(await served(created.adminToken)).toBe(4 * ADMIN_FACTOR)
    expect(await served(p.token)).toBe(4)
  })

  it("refuses a body over the limit with upstream's 413, declared or streamed, and stores nothing", async () => {
    const room = await createRoom()
    const alice = await joinRoom(room.name, room.joinCode, 'Alice')
    const big = configMap('big', { blob: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) })
    const r = await call(alice.token, 'POST', room.name, '/api/v1/namespaces/alice/configmaps', big)
    expect(r.status).toBe(413)
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728', code: 413 })
    const text = JSON.stringify(big)
    const streamed = await worker.fetch(
      new Request(`http://wheelhouse.test/clusters/${room.name}/api/v1/namespaces/alice/configmaps`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
        body: new ReadableStream({
          start(c) {
            const bytes = new TextEncoder().encode(text)
            for (let i = 0; i < bytes.length; i += 65536) c.enqueue(bytes.slice(i, i + 65536))
            c.close()
          },
        }),
      }),
    )
    expect(streamed.status).toBe(413)
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/alice/configmaps/big')).status).toBe(404)
    // Just under the limit is fine (the store then judges the object itself).
    expect((await call(alice.token, 'POST', room.name, '/api/v1/namespaces/alice/configmaps', configMap('small', { blob: 'x'.repeat(1000) }))).status).toBe(201)
  })

  it('keeps the sender of a streamed body (read into a copy before the API server sees it) as who it is', async () => {
    const room = await createRoom()
    const alice = await joinRoom(room.name, room.joinCode, 'Alice')
    const stream = (ns: string, name: string) =>
      worker.fetch(
        new Request(`http://wheelhouse.test/clusters/${room.name}/api/v1/namespaces/${ns}/configmaps`, {
          method: 'POST',
          headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
          body: new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode(JSON.stringify(configMap(name))))
              c.close()
            },
          }),
        }),
      )
    expect((await stream('alice', 'mine')).status).toBe(201)
    const elsewhere = await stream('default', 'theirs')
    expect(elsewhere.status).toBe(403)
    expect(((await elsewhere.json()) as { message: string }).message).toBe('configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"')
  })

  it('limits open watches per token, counts them down as they end, and ends them when the token is revoked', async () => {
    const name = uniqueName('watch')
    const stub = env.CLUSTER.getByName(name)
    const created = await stub.create({ name, nodes: 0, limits: { ...DEFAULT_LIMITS, maxWatches: 2 } })
    if (!created.ok) throw new Error(created.status.message)
    const alice = await joinRoom(name, created.joinCode, 'Alice')
    const bob = await joinRoom(name, created.joinCode, 'Bob')
    const watch = (token: string, ns: string) => worker.fetch(new Request(`http://wheelhouse.test/clusters/${name}/api/v1/namespaces/${ns}/configmaps?watch=1`, { headers: { authorization: `Bearer ${token}` } }))
    const w1 = await watch(alice.token, 'alice')
    const w2 = await watch(alice.token, 'alice')
    expect([w1.status, w2.status]).toEqual([200, 200])
    const third = await watch(alice.token, 'alice')
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('1')
    // Someone else's watches are their own.
    const b1 = await watch(bob.token, 'bob')
    expect(b1.status).toBe(200)
    // A watch the client closes frees its place.
    await w1.body!.cancel()
    const again = await until(async () => {
      const r = await watch(alice.token, 'alice')
      if (r.status === 200) return r
      await r.body?.cancel()
      return undefined
    }, 'a place for a new watch')
    await again.body!.cancel()
    await w2.body!.cancel()
    // Revoking Bob ends his open watch.
    await stub.fetch(new Request(`http://x/clusters/${name}/participants/bob`, { method: 'DELETE', headers: { authorization: `Bearer ${created.adminToken}` } }))
    const reader = b1.body!.getReader()
    for (;;) {
      const { done } = await reader.read()
      if (done) break
    }
  })
})

describe('live sockets', () => {
  it('count against the same cap as watches', async () => {
    const name = uniqueName('sockets')
    const created = await env.CLUSTER.getByName(name).create({ name, nodes: 0, limits: { ...DEFAULT_LIMITS, maxWatches: 1 } })
    if (!created.ok) throw new Error(created.status.message)
    const carol = await joinRoom(name, created.joinCode, 'Carol')
    const b64url = (t: string) => btoa(t).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const open = () =>
      worker.fetch(
        new Request(`http://wheelhouse.test/clusters/${name}/live`, {
          headers: { upgrade: 'websocket', 'sec-websocket-protocol': `wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64url(carol.token)}` },
        }),
      )
    const first = await open()
    expect(first.status).toBe(101)
    first.webSocket!.accept()
    const second = await open()
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, '1'])
    const watch = await worker.fetch(new Request(`http://wheelhouse.test/clusters/${name}/api/v1/namespaces/carol/configmaps?watch=1`, { headers: { authorization: `Bearer ${carol.token}` } }))
    expect(watch.status).toBe(429)
    first.webSocket!.close(1000, 'done')
  })
})

describe('revocation', () => {
  it("closes the participant's live sockets at once", async () => {
    const room = await createRoom()
    const carol = await joinRoom(room.name, room.joinCode, 'Carol')
    const b64url = (t: string) => btoa(t).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const r = await worker.fetch(
      new Request(`http://wheelhouse.test/clusters/${room.name}/live`, {
        headers: { upgrade: 'websocket', 'sec-websocket-protocol': `wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64url(carol.token)}` },
      }),
    )
    expect(r.status).toBe(101)
    const ws = r.webSocket!
    let closed: number | undefined
    ws.addEventListener('close', (e) => void (closed = e.code))
    ws.accept()
    await call(room.adminToken, 'DELETE', room.name, '/participants/carol')
    expect(await until(async () => closed, 'the socket to close')).toBe(1008)
  })
})

describe('join codes', () => {
  it('slows down guessing per address: the fifth failure locks it out, with a Retry-After; others still join', async () => {
    const room = await createRoom()
    const guesser = freshAddress()
    for (let i = 0; i < 5; i++) {
      const r = await post(`/clusters/${room.name}/join`, { joinCode: `ZZZZ-ZZZZ-Z${i}`, displayName: 'Mallory' }, { address: guesser })
      expect(r.status).toBe(401)
    }
    const locked = await post(`/clusters/${room.name}/join`, { joinCode: room.joinCode, displayName: 'Mallory' }, { address: guesser })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(29)
    expect(locked.json).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: Number(locked.headers.get('retry-after')) } })
    expect((await joinRoom(room.name, room.joinCode, 'Alice', freshAddress())).username).toBe('alice')
    // Guesses sent all at once get no more tries than guesses sent one after another.
    const burst = freshAddress()
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`/clusters/${room.name}/join`, { joinCode: `YYYY-YYYY-${String(i).padStart(2, '0')}`, displayName: 'Mallory' }, { address: burst })))
    expect(all.filter((r) => r.status === 401)).toHaveLength(5)
    expect(all.filter((r) => r.status === 429)).toHaveLength(15)
    const people = await call(room.adminToken, 'GET', room.name, '/participants')
    expect(people.json.items.map((p: any) => p.username)).toEqual(['alice'])
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/mallory')).status).toBe(404)
  })
})

describe('cluster creation', () => {
  it('caps live clusters per creator address with 429 and Retry-After, and stores nothing for the refused one', async () => {
    const creator = freshAddress()
    const mine = []
    for (let i = 0; i < 5; i++) mine.push(await createRoom({}, creator))
    const name = uniqueName('sixth')
    const r = await post('/clusters', { name, nodes: 0 }, { token: SECRET, address: creator })
    expect(r.status).toBe(429)
    expect(r.json).toMatchObject({ reason: 'TooManyRequests', message: `creator ${creator} already has 5 clusters, the most allowed: delete one or wait for one to expire` })
    const wait = Number(r.headers.get('retry-after'))
    expect(wait).toBeGreaterThan(8 * 3600 - 120)
    expect(wait).toBeLessThanOrEqual(8 * 3600)
    expect(await stored(name)).toBe(false)
    expect(await directory().get(name)).toBeUndefined()
    // Another address is not affected; deleting one of the five makes room.
    expect((await createRoom({}, freshAddress())).name).toBeDefined()
    expect(await directory().get(mine[0]!.name)).toMatchObject({ creator })
    expect((await call(mine[0]!.adminToken, 'DELETE', mine[0]!.name, '')).status).toBe(200)
    expect((await createRoom({ name }, creator)).name).toBe(name)
  })

  it("limits creations per address per hour in open mode (the directory's own check)", async () => {
    const creator = freshAddress()
    const reg = (name: string) => directory().register({ name, creator, nodes: 0, mode: 'spectator', expiresAt: null, maxClusters: 100, perHour: 2 })
    const [a, b, c] = [uniqueName('rate'), uniqueName('rate'), uniqueName('rate')]
    expect(await reg(a)).toEqual({ ok: true })
    expect(await reg(b)).toEqual({ ok: true })
    const refused = await reg(c)
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 3600, status: { code: 429, message: `creator ${creator} created 2 clusters in the last hour, the most allowed: try again later` } })
    expect(await directory().get(c)).toBeUndefined()
    // Deleting a cluster does not give the hour's creation back; a failed creation does.
    await directory().release(a)
    expect((await reg(c)).ok).toBe(false)
    await directory().release(b, true)
    expect((await reg(c)).ok).toBe(true)
  })

  it('stores nothing for a refused creation or a join to a cluster nobody made', async () => {
    const cases: [number, unknown, string | null][] = [
      [401, { name: uniqueName('nosecret') }, null],
      [401, { name: uniqueName('badsecret') }, 'wrong'],
      [422, { name: uniqueName('big'), nodes: 21 }, SECRET],
      [422, { name: uniqueName('fast'), speed: 5000 }, SECRET],
      [422, { name: uniqueName('mode'), mode: 'root' }, SECRET],
      [422, { name: uniqueName('forever'), ttlHours: 73 }, SECRET],
    ]
    for (const [code, body, token] of cases) {
      const name = (body as { name: string }).name
      const r = await post('/clusters', body, { token })
      expect(r.status, name).toBe(code)
      expect(await stored(name), name).toBe(false)
      expect(await directory().get(name), name).toBeUndefined()
    }
    const ghost = uniqueName('ghost')
    expect((await post(`/clusters/${ghost}/join`, { joinCode: 'AAAA-AAAA-AA', displayName: 'X' })).status).toBe(404)
    expect(await stored(ghost)).toBe(false)
  })
})

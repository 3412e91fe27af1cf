// The live feed over real WebSockets to the cluster object: authentication by
// subprotocol, subscriptions that list, resume or expire, attribution of
// writes, presence, flow control, and a hub rebuilt from its sockets'
// attachments as after hibernation.
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientMessage, ServerMessage } from '../../worker/multiplayer/protocol'
import { FLOW_WINDOW } from '../../worker/multiplayer/protocol'
import { findKind } from '../../worker/resources/registry'
import { inPlane, newCluster, type TestCluster, until, worker } from './helpers'

const CONFIGMAPS = findKind('', 'v1', 'configmaps')!
const stored = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
  data,
})

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

function liveRequest(c: TestCluster, protocols: string[], headers: Record<string, string> = {}) {
  return new Request(`http://wheelhouse.test/clusters/${c.name}/live`, {
    headers: { upgrade: 'websocket', 'sec-websocket-protocol': protocols.join(', '), ...headers },
  })
}

/** A browser's side of the feed: keeps every message, acks what it read unless told not to. */
class Client {
  readonly messages: ServerMessage[] = []
  received = 0
  closedWith: number | undefined
  constructor(
    readonly ws: WebSocket,
    public acking = true,
  ) {
    ws.addEventListener('message', (e) => {
      const data = e.data as string
      this.received += data.length
      this.messages.push(JSON.parse(data))
      if (this.acking) this.send({ type: 'ack', received: this.received })
    })
    ws.addEventListener('close', (e) => {
      this.closedWith = e.code
    })
    ws.accept()
  }

  send(m: ClientMessage): void {
    this.ws.send(JSON.stringify(m))
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[]
  }

  /** Every event received for a subscription, in order (but the root CA publisher's ConfigMap, in every namespace). */
  events(sub: string) {
    return this.of('events').flatMap((m) =>
      m.events.filter((e) => e.sub === sub && (e.object as any)?.metadata?.name !== 'kube-root-ca.crt'),
    )
  }

  wait<T>(fn: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
    return until(async () => fn(), what, ms)
  }
}

const open: Client[] = []
afterEach(() => {
  for (const c of open.splice(0)) if (c.closedWith === undefined) c.ws.close(1000, 'done')
})

async function connect(c: TestCluster, opts: { token?: string; acking?: boolean } = {}): Promise<Client> {
  const r = await c.stub.fetch(liveRequest(c, ['wheelhouse.v1', `base64url.bearer.authorization.k8s.io.${b64url(opts.token ?? c.token)}`]))
  expect(r.status).toBe(101)
  expect(r.headers.get('sec-websocket-protocol')).toBe('wheelhouse.v1')
  const client = new Client(r.webSocket!, opts.acking ?? true)
  open.push(client)
  await client.wait(() => client.of('welcome')[0], 'welcome')
  return client
}

async function api(c: TestCluster, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${path}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  )
  return { status: r.status, json: (await r.json()) as any }
}

const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: labels ? { name, labels } : { name },
  data,
})

const cmSub = (id: string, more: Record<string, string> = {}): ClientMessage => ({
  type: 'subscribe',
  sub: { id, group: '', version: 'v1', resource: 'configmaps', namespace: 'default', ...more },
})

describe('live feed', () => {
  it('refuses a missing or wrong token with 401 before upgrading, and asks for an upgrade and its subprotocol', async () => {
    const c = await newCluster()
    const none = await c.stub.fetch(liveRequest(c, ['wheelhouse.v1']))
    expect(none.status).toBe(401)
    expect(none.webSocket).toBeNull()
    expect(((await none.json()) as any).reason).toBe('Unauthorized')
    const wrong = await c.stub.fetch(liveRequest(c, ['wheelhouse.v1', `base64url.bearer.authorization.k8s.io.${b64url('wha_nope')}`]))
    expect(wrong.status).toBe(401)
    // As kube-apiserver: the token subprotocol alone (nothing to echo back) does not authenticate.
    const alone = await c.stub.fetch(liveRequest(c, [`base64url.bearer.authorization.k8s.io.${b64url(c.token)}`]))
    expect(alone.status).toBe(401)
    const badEncoding = await c.stub.fetch(liveRequest(c, ['wheelhouse.v1', 'base64url.bearer.authorization.k8s.io.***']))
    expect(badEncoding.status).toBe(401)
    const otherProtocol = await c.stub.fetch(liveRequest(c, ['v4.channel.k8s.io', `base64url.bearer.authorization.k8s.io.${b64url(c.token)}`]))
    expect(otherProtocol.status).toBe(400)
    expect(((await otherProtocol.json()) as any).message).toContain('wheelhouse.v1')
    const plain = await c.stub.fetch(new Request(`http://x/clusters/${c.name}/live`, { headers: { authorization: `Bearer ${c.token}` } }))
    expect(plain.status).toBe(400)
    expect(((await plain.json()) as any).message).toBe('Upgrade request required')
  })

  it('is reached through the Worker, which forwards the upgrade to the cluster object', async () => {
    const c = await newCluster()
    const r = await worker.fetch(liveRequest(c, ['wheelhouse.v1', `base64url.bearer.authorization.k8s.io.${b64url(c.token)}`]))
    expect(r.status).toBe(101)
    const client = new Client(r.webSocket!)
    open.push(client)
    const welcome = await client.wait(() => client.of('welcome')[0], 'welcome through the Worker')
    expect(welcome).toMatchObject({ cluster: c.name, you: { user: 'kubernetes-admin', name: 'kubernetes-admin' } })
    expect((await worker.fetch(liveRequest(c, ['wheelhouse.v1']))).status).toBe(401)
  })

  it('lists, then streams ADDED/MODIFIED/DELETED with who made each write', async () => {
    const c = await newCluster()
    expect((await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('before', { a: '1' }))).status).toBe(201)
    const alice = await connect(c)
    alice.send({ type: 'presence', name: 'Alice' })
    alice.send(cmSub('cms'))
    const synced = await alice.wait(() => alice.of('synced').find((m) => m.sub === 'cms'), 'synced')
    // The initial list carries the last writer too.
    expect(alice.events('cms')).toEqual([expect.objectContaining({ type: 'ADDED', by: 'kubernetes-admin', object: expect.objectContaining({ data: { a: '1' } }) })])
    const session = { 'x-wheelhouse-session': alice.of('welcome')[0]!.you.id }
    await alice.wait(() => alice.of('people').some((m) => m.people[0]?.name === 'Alice'), 'presence applied')

    // Through the API with the session header: the person's name; without it (kubectl): the user.
    expect((await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('web', { v: '1' }), session)).status).toBe(201)
    expect((await api(c, 'PATCH', '/api/v1/namespaces/default/configmaps/web', { data: { v: '2' } }, { 'content-type': 'application/merge-patch+json' })).status).toBe(200)
    expect((await api(c, 'DELETE', '/api/v1/namespaces/default/configmaps/web')).status).toBe(200)
    // Another namespace is not this subscription's.
    expect((await api(c, 'POST', '/api/v1/namespaces/kube-system/configmaps', configMap('elsewhere'))).status).toBe(201)
    const events = await alice.wait(() => (alice.events('cms').length >= 4 ? alice.events('cms') : undefined), 'three live events')
    expect(events.slice(1).map((e) => [e.type, e.object.metadata.name, e.object.data?.v, e.by])).toEqual([
      ['ADDED', 'web', '1', 'Alice'],
      ['MODIFIED', 'web', '2', 'kubernetes-admin'],
      ['DELETED', 'web', '2', 'kubernetes-admin'],
    ])
    // resourceVersions climb past the list's, and a DELETED carries the deletion's revision.
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion))
    expect(rvs[1]).toBeGreaterThan(Number(synced.resourceVersion))
    expect(rvs[3]).toBeGreaterThan(rvs[2]!)
    await new Promise((r) => setTimeout(r, 150))
    expect(alice.events('cms')).toHaveLength(4)
  })

  it('follows a label selector: an object leaving the selection is DELETED for the subscriber', async () => {
    const c = await newCluster()
    const client = await connect(c)
    client.send(cmSub('blue', { labelSelector: 'color=blue' }))
    await client.wait(() => client.of('synced')[0], 'synced')
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('x', {}, { color: 'blue' }))
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('y', {}, { color: 'red' }))
    await api(c, 'PATCH', '/api/v1/namespaces/default/configmaps/x', { metadata: { labels: { color: 'red' } } }, { 'content-type': 'application/merge-patch+json' })
    await api(c, 'PATCH', '/api/v1/namespaces/default/configmaps/y', { metadata: { labels: { color: 'blue' } } }, { 'content-type': 'application/merge-patch+json' })
    const events = await client.wait(() => (client.events('blue').length >= 3 ? client.events('blue') : undefined), 'transitions')
    expect(events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.labels.color])).toEqual([
      ['ADDED', 'x', 'blue'],
      ['DELETED', 'x', 'blue'],
      ['ADDED', 'y', 'blue'],
    ])
  })

  it('refuses bad subscriptions with a Status naming the field', async () => {
    const c = await newCluster()
    const client = await connect(c)
    client.send({ type: 'subscribe', sub: { id: 'a', group: '', version: 'v1', resource: 'nopes' } })
    client.send({ type: 'subscribe', sub: { id: 'b', group: '', version: 'v1', resource: 'nodes', namespace: 'default' } })
    client.send(cmSub('c', { labelSelector: 'a in (' }))
    client.send(cmSub('d', { resourceVersion: 'abc' }))
    client.send(cmSub('e'))
    client.send(cmSub('e'))
    client.send({ type: 'unsubscribe', id: 'zzz' })
    const errors = await client.wait(() => (client.of('error').length >= 6 ? client.of('error') : undefined), 'six errors')
    // In the order of the ids: workerd does not always hand a socket's messages over in the order sent.
    errors.sort((x, y) => (x.sub! < y.sub! ? -1 : 1))
    expect(errors.map((e) => [e.sub, e.status.code, e.status.reason])).toEqual([
      ['a', 404, 'NotFound'],
      ['b', 422, 'Invalid'],
      ['c', 400, 'BadRequest'],
      ['d', 400, 'BadRequest'],
      ['e', 409, 'AlreadyExists'],
      ['zzz', 404, 'NotFound'],
    ])
    expect(errors[1]!.status.message).toContain('subscription.namespace')
    // The good one is served (whichever of the two "e" came first).
    await client.wait(() => client.of('synced').find((m) => m.sub === 'e'), 'e synced')
    await new Promise((r) => setTimeout(r, 100))
    expect(client.of('error')).toHaveLength(6)
  })

  it('resumes from a resourceVersion: replays only what was missed, then goes live', async () => {
    const c = await newCluster()
    const first = await connect(c)
    first.send(cmSub('cms'))
    const { resourceVersion } = await first.wait(() => first.of('synced')[0], 'synced')
    first.ws.close(1000, 'away')
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('a'))
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('b'))
    await api(c, 'DELETE', '/api/v1/namespaces/default/configmaps/a')
    const again = await connect(c)
    again.send(cmSub('cms', { resourceVersion }))
    const replayed = await again.wait(() => (again.events('cms').length >= 3 ? again.events('cms') : undefined), 'replay')
    expect(replayed.map((e) => [e.type, e.object.metadata.name, e.by])).toEqual([
      ['ADDED', 'a', 'kubernetes-admin'],
      ['ADDED', 'b', 'kubernetes-admin'],
      ['DELETED', 'a', 'kubernetes-admin'],
    ])
    // No list on a resume: no synced, a bookmark at the head instead; then live.
    const bookmark = await again.wait(() => again.of('bookmark')[0], 'bookmark')
    expect(again.of('synced')).toHaveLength(0)
    expect(Number(bookmark.resourceVersion)).toBe(Number(replayed[2]!.object.metadata.resourceVersion))
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('c'))
    await again.wait(() => again.events('cms').find((e) => e.object.metadata.name === 'c'), 'live after replay')
    expect(again.events('cms')).toHaveLength(4)
  })

  it('answers a compacted resourceVersion with expired', async () => {
    const c = await newCluster()
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('a'))
    const old = await inPlane(c, ({ store }) => store.currentRevision())
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('b'))
    await inPlane(c, ({ store }) => store.compact(store.currentRevision()))
    const client = await connect(c)
    client.send(cmSub('cms', { resourceVersion: String(old) }))
    await client.wait(() => client.of('expired').find((m) => m.sub === 'cms'), 'expired')
    // The client relists: without a resourceVersion, it gets the objects again.
    client.send(cmSub('cms'))
    await client.wait(() => client.of('synced')[0], 'relisted')
    expect(client.events('cms').map((e) => e.object.metadata.name)).toEqual(['a', 'b'])
  })

  it('shows who is here: welcome, people on join, change and leave', async () => {
    const c = await newCluster()
    const a = await connect(c)
    const b = await connect(c)
    const welcomeB = b.of('welcome')[0]!
    expect(welcomeB.cluster).toBe(c.name)
    expect(welcomeB.people.map((p) => p.id)).toEqual([a.of('welcome')[0]!.you.id, welcomeB.you.id])
    expect(welcomeB.you.color).not.toBe(a.of('welcome')[0]!.you.color)
    await a.wait(() => a.of('people').some((m) => m.people.length === 2), 'a sees b')
    b.send({ type: 'presence', name: 'Bob', focus: { kind: 'Pod', namespace: 'default', name: 'web-1' } })
    const seen = await a.wait(() => a.of('people').map((m) => m.people.find((p) => p.name === 'Bob')).find(Boolean), 'a sees Bob')
    expect(seen).toMatchObject({ user: 'kubernetes-admin', focus: { kind: 'Pod', namespace: 'default', name: 'web-1' } })
    b.send({ type: 'presence', name: '' })
    await b.wait(() => b.of('error')[0], 'bad name refused')
    b.ws.close(1000, 'bye')
    await a.wait(() => a.of('people').at(-1)?.people.length === 1, 'b left')
    a.send({ type: 'ping', t: 42 })
    expect((await a.wait(() => a.of('pong')[0], 'pong')).t).toBe(42)
  })

  it('attributes controllers, the scheduler and kubelets', async () => {
    const c = await newCluster({ nodes: 1 })
    const client = await connect(c)
    client.send({ type: 'subscribe', sub: { id: 'pods', group: '', version: 'v1', resource: 'pods', namespace: 'default' } })
    await client.wait(() => client.of('synced')[0], 'synced')
    await api(c, 'POST', '/apis/apps/v1/namespaces/default/replicasets', {
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    })
    const by = await until(
      async () => {
        await c.stub.setClock({ stepMs: 1000 })
        const seen = new Set(client.events('pods').map((e) => e.by))
        return seen.has('kubelet worker-1') && seen
      },
      'pod created, bound and reported',
      30_000,
    )
    expect(client.events('pods')[0]).toMatchObject({ type: 'ADDED', by: 'replicaset-controller' })
    expect(by.has('default-scheduler')).toBe(true)
  })

  it('pages a list within the flow window and resumes when the client acks', async () => {
    const c = await newCluster()
    const big = 'x'.repeat(60_000)
    await inPlane(c, ({ api: server }) => {
      for (let i = 0; i < 40; i++) server.objects.create(CONFIGMAPS, stored(`big-${String(i).padStart(2, '0')}`, { big }))
    })
    const client = await connect(c, { acking: false })
    client.send(cmSub('cms'))
    await client.wait(() => client.events('cms').length > 0, 'first page')
    await new Promise((r) => setTimeout(r, 200))
    // 40 × 60 KB is 2.4 M characters: pages of about 256 K go out until the window is full, the rest waits.
    expect(client.of('synced')).toHaveLength(0)
    expect(client.received).toBeGreaterThan(FLOW_WINDOW)
    expect(client.received).toBeLessThan(FLOW_WINDOW + 256 * 1024 + 61_000)
    client.send({ type: 'ack', received: client.received })
    client.acking = true
    await client.wait(() => client.of('synced')[0], 'synced after acks')
    expect(client.events('cms').map((e) => e.object.metadata.name)).toEqual(Array.from({ length: 40 }, (_, i) => `big-${String(i).padStart(2, '0')}`))
  })

  it('closes a socket that stops reading with 1013 past the flow limit', async () => {
    const c = await newCluster()
    const slow = await connect(c, { acking: false })
    const fast = await connect(c)
    for (const cl of [slow, fast]) cl.send(cmSub('cms'))
    await slow.wait(() => slow.of('synced')[0] && fast.of('synced')[0], 'both synced')
    const big = 'y'.repeat(100_000)
    // 170 writes of 100 KB: more than the 16 Mi characters a client may leave unread.
    const burst = (from: number, n: number) =>
      inPlane(c, ({ api: server }) => {
        let o = server.objects.get(CONFIGMAPS, 'default', 'hot') ?? server.objects.create(CONFIGMAPS, stored('hot', { big, n: String(from) }))
        for (let i = 1; i < n; i++) o = server.objects.update(CONFIGMAPS, { ...o, data: { big, n: String(from + i) } }, o.metadata.resourceVersion)
      })
    await burst(0, 170)
    await fast.wait(() => fast.events('cms').length === 170, 'fast client got every write', 30_000)
    expect(slow.closedWith).toBeUndefined()
    // The next batch finds the slow client still 17 M behind: closed, rather than sent more.
    await burst(170, 2)
    await slow.wait(() => slow.closedWith, 'slow client closed')
    expect(slow.closedWith).toBe(1013)
    // The reading client is not affected.
    await fast.wait(() => fast.events('cms').length === 171, 'fast client got the next write')
    expect(fast.closedWith).toBeUndefined()
  })

  it('keeps the writer of each live revision and prunes the rest after compaction', async () => {
    const c = await newCluster()
    // The root CA publisher writes too: let it finish first, so the revisions below are consecutive.
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      await until(async () => (await api(c, 'GET', `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`)).status === 200, `root CA in ${ns}`)
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('kept'))
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('changed', { v: '1' }))
    await api(c, 'PATCH', '/api/v1/namespaces/default/configmaps/changed', { data: { v: '2' } }, { 'content-type': 'application/merge-patch+json' })
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('gone'))
    await api(c, 'DELETE', '/api/v1/namespaces/default/configmaps/gone')
    const rv = async (name: string) => Number((await api(c, 'GET', `/api/v1/namespaces/default/configmaps/${name}`)).json.metadata.resourceVersion)
    const [kept, changed] = [await rv('kept'), await rv('changed')]
    const result = await inPlane(c, ({ store, live }) => {
      const all = [kept, changed - 1, changed, changed + 1, changed + 2]
      const before = live.attribution.writersOf(all)
      store.compact(store.currentRevision())
      // Sliced: two rows per step.
      let steps = 1
      while (!live.attribution.pruneStep(store.compactRevision(), 2)) steps++
      return { before: [...before.keys()], after: [...live.attribution.writersOf(all).entries()], steps }
    })
    // Every write was attributed; the superseded one, the creation and the deletion of "gone" were pruned.
    expect(result.before).toEqual([kept, changed - 1, changed, changed + 1, changed + 2])
    expect(result.after).toEqual([
      [kept, 'kubernetes-admin'],
      [changed, 'kubernetes-admin'],
    ])
    expect(result.steps).toBeGreaterThan(1)
  })

  it('sends a bookmark to a subscription idle for a minute once the store moves', async () => {
    const c = await newCluster()
    const client = await connect(c)
    client.send(cmSub('cms'))
    client.send({ type: 'subscribe', sub: { id: 'secrets', group: '', version: 'v1', resource: 'secrets', namespace: 'default' } })
    await client.wait(() => client.of('synced').length === 2, 'both synced')
    let wall = 1_000_000
    await inPlane(c, ({ live }) => live.reload(() => wall))
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('early'))
    await client.wait(() => client.events('cms')[0], 'early event')
    expect(client.of('bookmark')).toHaveLength(0)
    wall += 61_000
    const created = await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('late'))
    const bookmark = await client.wait(() => client.of('bookmark')[0], 'bookmark for the idle subscription')
    // Only the silent subscription, at the store's revision; the busy one had its event.
    expect(bookmark).toEqual({ type: 'bookmark', sub: 'secrets', resourceVersion: created.json.metadata.resourceVersion })
    await client.wait(() => client.events('cms')[1], 'late event')
    expect(client.of('bookmark')).toHaveLength(1)
  })

  it('keeps presence and subscriptions across a hub rebuilt from its sockets (hibernation)', async () => {
    const c = await newCluster()
    const a = await connect(c)
    const b = await connect(c)
    a.send({ type: 'presence', name: 'Ann', color: '#112233' })
    a.send(cmSub('cms'))
    b.send(cmSub('cms', { labelSelector: 'keep=yes' }))
    await a.wait(() => a.of('synced')[0] && b.of('synced')[0], 'both synced')
    await a.wait(() => b.of('people').some((m) => m.people.some((p) => p.name === 'Ann')), 'b sees Ann')
    const before = await inPlane(c, ({ live }, state) => {
      live.reload()
      return { sockets: state.getWebSockets().length, hub: live.hub.connections, live: live.hub.feed.live }
    })
    expect(before).toEqual({ sockets: 2, hub: 2, live: 2 })
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', configMap('after', {}, { keep: 'yes' }), { 'x-wheelhouse-session': a.of('welcome')[0]!.you.id })
    await a.wait(() => a.events('cms')[0] && b.events('cms')[0], 'both hear the write')
    // The name came back from the attachment: the write is Ann's.
    expect(a.events('cms')[0]).toMatchObject({ type: 'ADDED', by: 'Ann' })
    expect(b.events('cms')[0]).toMatchObject({ type: 'ADDED', by: 'Ann' })
    b.send({ type: 'presence', name: 'Ben' })
    const people = await a.wait(() => a.of('people').find((m) => m.people.some((p) => p.name === 'Ben'))?.people, 'people after rebuild')
    expect(people.map((p) => [p.name, p.color === '#112233'])).toEqual([
      ['Ann', true],
      ['Ben', false],
    ])
  })
})

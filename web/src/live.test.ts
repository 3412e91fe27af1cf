import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoff, bearerSubprotocol, LiveFeed } from './live'

/** A browser WebSocket as the feed uses it, scripted by the test. */
class ScriptedSocket {
  readyState = 0
  sent: any[] = []
  onopen?: () => void
  onmessage?: (e: { data: string }) => void
  onclose?: () => void
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(s: string) {
    this.sent.push(JSON.parse(s))
  }
  close() {
    this.readyState = 3
    this.onclose?.()
  }
  accept() {
    this.readyState = 1
    this.onopen?.()
  }
  receive(m: object) {
    this.onmessage?.({ data: JSON.stringify(m) })
  }
}

const pod = (name: string, rv: string) => ({ kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: rv } })
const me = { id: 'c1', user: 'admin', name: 'Ada', color: '#f00' }

describe('LiveFeed', () => {
  let sockets: ScriptedSocket[]
  let feed: LiveFeed
  beforeEach(() => {
    vi.useFakeTimers()
    sockets = []
    feed = new LiveFeed({ cluster: 'demo', token: 'tok', name: 'Ada' }, 'ws://x/clusters/demo/live', (u, p) => {
      const s = new ScriptedSocket(u, p)
      sockets.push(s)
      return s as unknown as WebSocket
    })
  })
  afterEach(() => {
    feed.stop()
    vi.useRealTimers()
  })

  it('authenticates with the bearer subprotocol, sets its name, lists nodes and pods first, then every other kind', () => {
    feed.start()
    const s = sockets[0]!
    expect(s.protocols).toEqual(['wheelhouse.v1', bearerSubprotocol('tok')])
    s.accept()
    expect(s.sent[0]).toEqual({ type: 'presence', name: 'Ada' })
    const subs = () => s.sent.filter((m) => m.type === 'subscribe').map((m) => m.sub.id)
    expect(subs()).toEqual(['nodes', 'pods'])
    expect(s.sent.find((m) => m.sub?.id === 'pods').sub).toEqual({ id: 'pods', group: '', version: 'v1', resource: 'pods' })
    s.receive({ type: 'synced', sub: 'nodes', resourceVersion: '3' })
    expect(subs()).toEqual(['nodes', 'pods'])
    s.receive({ type: 'synced', sub: 'pods', resourceVersion: '3' })
    expect(subs()).toEqual(['nodes', 'pods', 'services', 'endpointslices', 'deployments', 'replicasets', 'events', 'schedulingdecisions', 'clocks', 'nodepools'])
    expect(s.sent.find((m) => m.sub?.id === 'deployments').sub).toEqual({ id: 'deployments', group: 'apps', version: 'v1', resource: 'deployments' })
  })

  it('resumes from the last resourceVersion after a drop, with back-off', () => {
    feed.start()
    const s = sockets[0]!
    s.accept()
    s.receive({ type: 'welcome', you: me, people: [me], cluster: 'demo' })
    s.receive({ type: 'events', events: [{ sub: 'pods', type: 'ADDED', object: pod('a', '5') }] })
    s.receive({ type: 'synced', sub: 'pods', resourceVersion: '7' })
    s.receive({ type: 'events', events: [{ sub: 'pods', type: 'MODIFIED', object: pod('a', '9'), by: 'Ada' }] })
    expect(feed.connection).toBe('live')
    s.close()
    expect(feed.connection).toBe('reconnecting')
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(backoff(0, () => 1))
    expect(sockets).toHaveLength(2)
    const s1 = sockets[1]!
    s1.accept()
    expect(s1.sent.find((m) => m.sub?.id === 'pods').sub.resourceVersion).toBe('9')
    s1.receive({ type: 'synced', sub: 'nodes', resourceVersion: '7' })
    s1.receive({ type: 'synced', sub: 'services', resourceVersion: '8' })
    s1.close()
    vi.advanceTimersByTime(20_000)
    expect(sockets).toHaveLength(3)
    sockets[2]!.accept()
    // Every kind at once: those seen resume from their resourceVersion, the rest list.
    const subs = sockets[2]!.sent.filter((m) => m.type === 'subscribe').map((m) => m.sub)
    expect(subs.find((x) => x.id === 'pods').resourceVersion).toBe('9')
    expect(subs.find((x) => x.id === 'services').resourceVersion).toBe('8')
    expect(subs.find((x) => x.id === 'events').resourceVersion).toBeUndefined()
    expect(subs).toHaveLength(10)
    // What was seen stays on screen while resuming.
    expect(feed.stores.pods.get('uid-a')?.metadata.resourceVersion).toBe('9')
  })

  it('relists on expired and drops what the new list no longer has', () => {
    feed.start()
    const s = sockets[0]!
    s.accept()
    s.receive({ type: 'events', events: [{ sub: 'pods', type: 'ADDED', object: pod('a', '5') }, { sub: 'pods', type: 'ADDED', object: pod('b', '6') }] })
    s.receive({ type: 'synced', sub: 'pods', resourceVersion: '6' })
    s.sent = []
    s.receive({ type: 'expired', sub: 'pods' })
    expect(s.sent).toEqual([{ type: 'subscribe', sub: { id: 'pods', group: '', version: 'v1', resource: 'pods' } }])
    expect(feed.synced.has('pods')).toBe(false)
    s.receive({ type: 'events', events: [{ sub: 'pods', type: 'ADDED', object: pod('b', '20') }] })
    // Until synced, the old objects stay (no flicker)…
    expect(feed.stores.pods.size).toBe(2)
    s.receive({ type: 'synced', sub: 'pods', resourceVersion: '20' })
    // …then whatever was not listed again is gone.
    expect([...feed.stores.pods.keys()]).toEqual(['uid-b'])
  })

  it("records a person's writes as activity, with attribution per object", () => {
    feed.start()
    const s = sockets[0]!
    s.accept()
    s.receive({ type: 'welcome', you: me, people: [me, { ...me, id: 'c2', name: 'Bob' }], cluster: 'demo' })
    s.receive({ type: 'synced', sub: 'pods', resourceVersion: '1' })
    s.receive({ type: 'events', events: [{ sub: 'pods', type: 'ADDED', object: pod('a', '2'), by: 'Bob' }, { sub: 'pods', type: 'ADDED', object: pod('b', '3'), by: 'replicaset-controller' }] })
    expect(feed.by.get('uid-a')).toBe('Bob')
    expect(feed.by.get('uid-b')).toBe('replicaset-controller')
    expect(feed.activity.map((a) => `${a.by} ${a.type} ${a.name}`)).toEqual(['Bob ADDED a'])
    // Who set a node's fault stays known after the node's own status writes.
    const node = (rv: string, fault?: string) => ({ kind: 'Node', metadata: { name: 'worker-2', uid: 'n2', resourceVersion: rv, annotations: fault ? { 'sim.wheelhouse.dev/fault': fault } : {} } })
    s.receive({ type: 'events', events: [{ sub: 'nodes', type: 'ADDED', object: node('4'), by: 'kubelet worker-2' }] })
    s.receive({ type: 'events', events: [{ sub: 'nodes', type: 'MODIFIED', object: node('5', 'poweroff'), by: 'Bob' }] })
    s.receive({ type: 'events', events: [{ sub: 'nodes', type: 'MODIFIED', object: node('6', 'poweroff'), by: 'node-controller' }] })
    expect(feed.by.get('n2')).toBe('node-controller')
    expect(feed.faultBy.get('worker-2')).toBe('Bob')
  })

  it('sends focus once per change, and again after a reconnect', () => {
    feed.start()
    sockets[0]!.accept()
    feed.focus({ kind: 'Node', name: 'worker-1' })
    feed.focus({ kind: 'Node', name: 'worker-1' })
    expect(sockets[0]!.sent.filter((m) => m.type === 'presence' && m.focus)).toHaveLength(1)
    sockets[0]!.close()
    vi.advanceTimersByTime(20_000)
    sockets[1]!.accept()
    expect(sockets[1]!.sent[0]).toEqual({ type: 'presence', name: 'Ada', focus: { kind: 'Node', name: 'worker-1' } })
  })

  it('an optional kind the server refuses is left alone', () => {
    feed.start()
    sockets[0]!.accept()
    sockets[0]!.receive({ type: 'error', sub: 'nodepools', status: { message: 'not found' } })
    expect(feed.unavailable.has('nodepools')).toBe(true)
    expect(feed.errors).toEqual([])
    sockets[0]!.receive({ type: 'error', sub: 'pods', status: { message: 'forbidden' } })
    expect(feed.errors).toEqual(['forbidden'])
  })
})

it('backoff doubles from 0.5 s to at most 15 s, jittered ±25%', () => {
  expect([0, 1, 2, 3, 10].map((n) => backoff(n, () => 0.5))).toEqual([500, 1000, 2000, 4000, 15000])
  expect(backoff(0, () => 0)).toBe(375)
  expect(backoff(0, () => 1)).toBe(625)
})

it('bearerSubprotocol is base64url without padding', () => {
  expect(bearerSubprotocol('a?b>')).toBe('base64url.bearer.authorization.k8s.io.YT9iPg')
})

it('acknowledges what it has read, at least every 64 Ki characters', () => {
  const sockets: ScriptedSocket[] = []
  const feed = new LiveFeed({ cluster: 'demo', token: 't', name: 'A' }, 'ws://x', (u, p) => {
    const s = new ScriptedSocket(u, p)
    sockets.push(s)
    return s as unknown as WebSocket
  })
  feed.start()
  const s = sockets[0]!
  s.accept()
  s.sent = []
  const big = { type: 'events', events: [{ sub: 'pods', type: 'ADDED', object: { ...pod('a', '1'), pad: 'x'.repeat(40_000) } }] }
  s.receive(big)
  expect(s.sent).toEqual([])
  s.receive(big)
  const len = JSON.stringify(big).length
  expect(s.sent).toEqual([{ type: 'ack', received: 2 * len }])
  feed.stop()
})

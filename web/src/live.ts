// The live feed's client: one WebSocket to the cluster object (protocol in
// worker/multiplayer/protocol.ts), a store per kind keyed by uid, presence.
// After a drop it reconnects with exponential back-off and resumes each
// subscription from the last resourceVersion it saw; on `expired` it relists.
import type { ClientMessage, FeedEvent, FocusTarget, Person, ServerMessage, Subscription } from '../../worker/multiplayer/protocol'
import type { Identity } from './identity'

type Obj = Record<string, any>

// Values of protocol.ts, repeated: web/ imports only types from worker/.
const LIVE_SUBPROTOCOL = 'wheelhouse.v1'
const BEARER_SUBPROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.'
/** Flow control: acknowledge at least every this many characters received (protocol.ts ACK_EVERY). */
const ACK_EVERY = 64 * 1024

export interface KindSpec {
  key: string
  group: string
  version: string
  resource: string
  /** Not every cluster serves it: a refusal is not an error. */
  optional?: boolean
  /** Listed first: what the first paint needs; the others are asked for once these are synced. */
  early?: boolean
}

const kind = <R extends string>(resource: R, group = '', version = 'v1', optional = false, early = false) =>
  ({ key: resource, group, version, resource, optional, early }) satisfies KindSpec

export const KINDS = [
  kind('nodes', '', 'v1', false, true),
  kind('pods', '', 'v1', false, true),
  kind('services'),
  kind('endpointslices', 'discovery.k8s.io'),
  kind('deployments', 'apps'),
  kind('replicasets', 'apps'),
  kind('events'),
  kind('schedulingdecisions', 'sim.wheelhouse.dev', 'v1alpha1'),
  kind('clocks', 'sim.wheelhouse.dev', 'v1alpha1'),
  kind('nodepools', 'sim.wheelhouse.dev', 'v1alpha1', true),
]

export type KindKey = (typeof KINDS)[number]['key']

/** A write a person made, for the activity stream. */
export interface Activity {
  /** Wall time received. */
  at: number
  by: string
  type: FeedEvent['type']
  kind: string
  name: string
  namespace?: string
  object: Obj
  previous?: Obj
}

export type Connection = 'connecting' | 'live' | 'reconnecting'

const MAX_ACTIVITY = 100
/** WebSocket.OPEN. */
const OPEN = 1
const PING_MS = 25_000

export function bearerSubprotocol(token: string): string {
  const bytes = new TextEncoder().encode(token)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return BEARER_SUBPROTOCOL_PREFIX + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Reconnect delay after `attempt` failures in a row: 0.5 s doubling to 15 s, with jitter. */
export function backoff(attempt: number, random = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** attempt)
  return Math.round(base * (0.75 + random() * 0.5))
}

export class LiveFeed {
  readonly stores = Object.fromEntries(KINDS.map((k) => [k.key, new Map<string, Obj>()])) as Record<KindKey, Map<string, Obj>>
  /** Who made the last write of each object (uid), as the server attributes it. */
  readonly by = new Map<string, string>()
  /** Who set each node's fault annotation (by node name): later status writes do not hide it. */
  readonly faultBy = new Map<string, string>()
  readonly activity: Activity[] = []
  /** When each Event object arrived (wall ms), 0 for those of the first list: the stream's order. */
  readonly arrived = new Map<string, number>()
  readonly synced = new Set<KindKey>()
  readonly unavailable = new Set<KindKey>()
  errors: string[] = []
  people: Person[] = []
  you?: Person
  connection: Connection = 'connecting'
  /** Bumped on every change, so views can tell a new snapshot from the last. */
  version = 0

  #ws?: WebSocket
  #rv = new Map<KindKey, string>()
  /** uids seen since a (re)list began; the rest are gone once it is synced. */
  #relisting = new Map<KindKey, Set<string>>()
  #attempt = 0
  #restSubscribed = false
  /** Characters received on this socket, and how many of them were acknowledged. */
  #received = 0
  #acked = 0
  #timer?: ReturnType<typeof setTimeout>
  #ping?: ReturnType<typeof setInterval>
  #focus: FocusTarget | null = null
  #listeners = new Set<() => void>()
  #pending = false
  #closed = false
  /** Display names of people ever seen here: a `by` that is one of them is a person's write. */
  #personNames = new Set<string>()

  constructor(
    readonly identity: Identity,
    readonly url = liveUrl(identity, location),
    /** How a socket is opened (tests script one). */
    readonly open: (url: string, protocols: string[]) => WebSocket = (u, p) => new WebSocket(u, p),
  ) {}

  /** Connects (once: the page may start it before its first render). */
  start(): void {
    this.#closed = false
    if (this.#ws || this.#timer !== undefined) return
    this.#connect()
  }

  stop(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    clearInterval(this.#ping)
    const ws = this.#ws
    this.#ws = undefined
    ws?.close(1000, 'signed out')
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Tells the others what this person is looking at (null: nothing). */
  focus(target: FocusTarget | null): void {
    if (sameTarget(this.#focus, target)) return
    this.#focus = target
    this.#send({ type: 'presence', focus: target })
  }

  isPerson(by: string | undefined): boolean {
    return !!by && this.#personNames.has(by)
  }

  #connect(): void {
    this.connection = this.#attempt === 0 && !this.you ? 'connecting' : 'reconnecting'
    this.#changed()
    let ws: WebSocket
    try {
      ws = this.open(this.url, [LIVE_SUBPROTOCOL, bearerSubprotocol(this.identity.token)])
    } catch {
      return this.#retry()
    }
    this.#ws = ws
    this.#received = 0
    this.#acked = 0
    ws.onopen = () => {
      mark('ws-open')
      this.#send({ type: 'presence', name: this.identity.name, ...(this.#focus ? { focus: this.#focus } : {}) })
      // Resuming, everything at once; listing afresh, the first paint's kinds first.
      this.#restSubscribed = false
      for (const k of KINDS) if (k.early || this.#rv.has(k.key)) this.#subscribe(k)
      this.#subscribeRest()
      clearInterval(this.#ping)
      this.#ping = setInterval(() => {
        this.#send({ type: 'ping', t: Date.now() })
        this.#ack(true)
      }, PING_MS)
    }
    ws.onmessage = (e) => {
      this.#received += String(e.data).length
      this.#ack(false)
      let m: ServerMessage
      try {
        m = JSON.parse(String(e.data)) as ServerMessage
      } catch {
        return
      }
      this.#receive(m)
    }
    ws.onclose = () => {
      if (this.#ws !== ws) return
      clearInterval(this.#ping)
      this.#ws = undefined
      if (!this.#closed) this.#retry()
    }
  }

  /** The server pauses lists and replays until we say we have read them. */
  #ack(always: boolean): void {
    if (this.#received - this.#acked >= ACK_EVERY || (always && this.#received > this.#acked)) {
      this.#acked = this.#received
      this.#send({ type: 'ack', received: this.#received })
    }
  }

  #retry(): void {
    this.connection = 'reconnecting'
    this.#changed()
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#connect()
    }, backoff(this.#attempt++))
  }

  #subscribe(k: KindSpec, relist = false): void {
    const key = k.key as KindKey
    const sub: Subscription = { id: key, group: k.group, version: k.version, resource: k.resource }
    const rv = relist ? undefined : this.#rv.get(key)
    if (rv) sub.resourceVersion = rv
    else {
      this.#relisting.set(key, new Set())
      this.synced.delete(key)
    }
    this.#send({ type: 'subscribe', sub })
  }

  /** The other kinds, once the early ones are synced (or resuming from a resourceVersion). */
  #subscribeRest(): void {
    if (this.#restSubscribed || KINDS.some((k) => k.early && !this.synced.has(k.key) && !this.#rv.has(k.key))) return
    this.#restSubscribed = true
    for (const k of KINDS) if (!k.early && !this.#rv.has(k.key) && !this.unavailable.has(k.key)) this.#subscribe(k)
  }

  #send(m: ClientMessage): void {
    if (this.#ws?.readyState === OPEN) this.#ws.send(JSON.stringify(m))
  }

  #receive(m: ServerMessage): void {
    switch (m.type) {
      case 'welcome':
        mark('welcome')
        this.you = m.you
        this.#attempt = 0
        this.connection = 'live'
        this.#setPeople(m.people)
        break
      case 'people':
        this.#setPeople(m.people)
        break
      case 'events':
        for (const e of m.events) this.#apply(e)
        break
      case 'synced': {
        const key = m.sub as KindKey
        this.#rv.set(key, m.resourceVersion)
        const seen = this.#relisting.get(key)
        if (seen) {
          // Whatever was not listed again was deleted while we were away.
          for (const uid of this.stores[key]?.keys() ?? []) if (!seen.has(uid)) this.stores[key].delete(uid)
          this.#relisting.delete(key)
        }
        this.synced.add(key)
        mark(`synced:${key}`)
        // The rest waits for the first paint: their lists would hold up the frame that shows the cluster.
        afterNextPaint(() => this.#subscribeRest())
        break
      }
      case 'bookmark':
        this.#rv.set(m.sub as KindKey, m.resourceVersion)
        return
      case 'expired': {
        const k = KINDS.find((x) => x.key === m.sub)
        this.#rv.delete(m.sub as KindKey)
        if (k) this.#subscribe(k, true)
        break
      }
      case 'error': {
        const k = KINDS.find((x) => x.key === m.sub)
        if (k?.optional) this.unavailable.add(k.key)
        else this.errors = [...this.errors.slice(-4), String(m.status?.message ?? 'error')]
        break
      }
      case 'pong':
        return
    }
    this.#changed()
  }

  #apply(e: FeedEvent): void {
    const key = e.sub as KindKey
    const store = this.stores[key]
    if (!store) return
    const uid = e.object?.metadata?.uid as string | undefined
    if (!uid) return
    const previous = store.get(uid)
    if (e.type === 'DELETED') {
      store.delete(uid)
      this.arrived.delete(uid)
    } else {
      store.set(uid, e.object)
      if (key === 'events') this.arrived.set(uid, this.synced.has(key) ? Date.now() : 0)
    }
    this.#relisting.get(key)?.add(uid)
    const rv = e.object.metadata?.resourceVersion
    if (rv) this.#rv.set(key, rv)
    if (e.by) this.by.set(uid, e.by)
    if (key === 'nodes' && e.by && fault(e.object) !== fault(previous)) this.faultBy.set(e.object.metadata.name, e.by)
    // A person's write (not the initial list, not an Event object) joins the activity stream.
    if (e.by && this.#personNames.has(e.by) && this.synced.has(key) && key !== 'events') {
      const md = e.object.metadata ?? {}
      this.activity.unshift({ at: Date.now(), by: e.by, type: e.type, kind: e.object.kind ?? key, name: md.name, namespace: md.namespace, object: e.object, previous })
      if (this.activity.length > MAX_ACTIVITY) this.activity.length = MAX_ACTIVITY
    }
  }

  #setPeople(people: Person[]): void {
    this.people = people
    for (const p of people) this.#personNames.add(p.name)
  }

  /**
   * Listeners hear once per frame, however many messages arrived: messages
   * that come together (a list, a batch) are all applied before one render.
   */
  #changed(): void {
    this.version++
    if (this.#pending) return
    this.#pending = true
    const notify = () => {
      this.#pending = false
      for (const l of this.#listeners) l()
    }
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(notify)
    else queueMicrotask(notify)
  }
}

/** Runs f once the browser has painted the next frame (at once outside a browser). */
function afterNextPaint(f: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(f))
  else f()
}

/** A performance mark for the first occurrence of each step (load-time measurements). */
function mark(what: string): void {
  const name = `wheelhouse:${what}`
  if (typeof performance !== 'undefined' && performance.getEntriesByName(name).length === 0) performance.mark(name)
}

export function liveUrl(id: Identity, loc: { protocol: string; host: string }): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${loc.host}/clusters/${id.cluster}/live`
}

const fault = (node: Obj | undefined): string | undefined => node?.metadata?.annotations?.['sim.wheelhouse.dev/fault']

function sameTarget(a: FocusTarget | null, b: FocusTarget | null): boolean {
  return a?.kind === b?.kind && a?.name === b?.name && a?.namespace === b?.namespace
}

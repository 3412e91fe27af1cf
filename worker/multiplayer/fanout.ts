// The fan-out: every live subscription of every socket is served by ONE store
// watch on /registry/, indexed by kind. Each store event is decoded at most
// once per kind and serialized once, then matched against that kind's
// subscriptions only; one watch per subscription would parse every event
// once per subscriber (200 sockets × a few subscriptions = a thousand parses
// per write). A new subscription first catches up on its own: a paged list at
// a pinned revision, then a replay from the log (a store watch of its own,
// paused while the socket's flow window is full), then it joins the index.
import type { Store } from '../etcd/mvcc'
import { encodeContinue, prefixRange } from '../etcd/keys'
import { StoreError, type WatchEvent, type WatchHandle, type WatchSink } from '../etcd/types'
import { decodeObject, type Obj } from '../apiserver/objects'
import type { KindInfo } from '../resources/kind'
import type { Conn, Sub } from './connection'
import { eventPart, eventsMessage } from './outbox'
import { asDeleted, selects, transition } from './subscription'

/** Objects per list page at most, and about this many characters of them: a page is decoded, sent, and let go. */
export const LIST_PAGE = 250
export const PAGE_CHARS = 256 * 1024
/** A live subscription that heard nothing for this long gets a bookmark when the store moves. */
export const BOOKMARK_IDLE_MS = 60_000
const BOOKMARK_SCAN_MS = 1_000

export interface FeedDeps {
  store: Pick<Store, 'watch' | 'list' | 'currentRevision'>
  /** Writers of past revisions (lists and replays). */
  writersOf(revisions: Iterable<number>): Map<number, string>
  /** The writer of the write being published now (live events). */
  actor(): string | undefined
  wallNow(): number
  /** Something waits in an outbox: the hub arms its flush. */
  pending(): void
}

/** `/registry/<group>/<resource>/` of a key: the index's key. */
export function kindPrefixOf(key: string): string | undefined {
  let slashes = 0
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 47 && ++slashes === 4) return key.slice(0, i + 1)
  return undefined
}

/** The namespace of an object's key under its kind's prefix ("" for a cluster-scoped kind). */
export function namespaceOfKey(key: string, kindPrefix: string): string {
  const end = key.indexOf('/', kindPrefix.length)
  return end < 0 ? '' : key.slice(kindPrefix.length, end)
}

/** Whether the subscriber may see an object of this key (their namespaces only, when so limited). */
const shows = (sub: Sub, key: string) => !sub.readable || sub.readable(namespaceOfKey(key, sub.target.kindPrefix))

/** One store event, decoded and serialized lazily, once per kind that asks. */
class EventView {
  readonly #now = new Map<KindInfo, Obj | undefined>()
  readonly #before = new Map<KindInfo, Obj | undefined>()
  readonly #json = new Map<string, string>()
  constructor(readonly e: WatchEvent) {}

  now(k: KindInfo): Obj | undefined {
    if (!this.#now.has(k)) this.#now.set(k, this.e.type === 'PUT' ? decodeObject(this.e.kv, k) : undefined)
    return this.#now.get(k)
  }

  before(k: KindInfo): Obj | undefined {
    if (!this.#before.has(k)) this.#before.set(k, this.e.prevKv ? decodeObject(this.e.prevKv, k) : undefined)
    return this.#before.get(k)
  }

  json(k: KindInfo, of: 'now' | 'before'): string {
    const key = `${of} ${k.group}/${k.version}`
    let s = this.#json.get(key)
    if (s === undefined) {
      s = JSON.stringify(of === 'now' ? this.now(k) : asDeleted(this.before(k)!, this.e.kv))
      this.#json.set(key, s)
    }
    return s
  }
}

export class Feed {
  /** Live subscriptions by their kind's key prefix. */
  readonly #index = new Map<string, Set<Sub>>()
  #watch: WatchHandle | undefined
  #lastScan = 0

  constructor(readonly deps: FeedDeps) {}

  /** Live subscriptions, for tests and figures. */
  get live(): number {
    let n = 0
    for (const s of this.#index.values()) n += s.size
    return n
  }

  get watching(): boolean {
    return this.#watch !== undefined
  }

  // --- live ------------------------------------------------------------------

  /** Adds a live subscription to the index (after its catch-up, or on waking from hibernation). */
  join(sub: Sub): void {
    sub.phase = 'live'
    let set = this.#index.get(sub.target.kindPrefix)
    if (!set) this.#index.set(sub.target.kindPrefix, (set = new Set()))
    set.add(sub)
    this.#ensureWatch()
  }

  /** Forgets a subscription in any phase. */
  drop(sub: Sub): void {
    sub.replay?.cancel()
    sub.replay = undefined
    const set = this.#index.get(sub.target.kindPrefix)
    if (set?.delete(sub) && set.size === 0) this.#index.delete(sub.target.kindPrefix)
    if (this.#index.size === 0 && this.#watch) {
      this.#watch.cancel()
      this.#watch = undefined
    }
  }

  /** Stops everything (the object is going away, or a test simulates it). */
  dispose(): void {
    this.#watch?.cancel()
    this.#watch = undefined
    for (const set of this.#index.values()) for (const s of set) s.replay?.cancel()
    this.#index.clear()
  }

  #ensureWatch(): void {
    if (this.#watch) return
    const sink: WatchSink = {
      // The fan-out never pushes back: each socket's own flow decides its fate.
      desiredSize: () => Number.MAX_SAFE_INTEGER,
      send: (events) => this.#publish(events),
      close: () => {
        // The store closed every watch (shutting down): subscriptions stay indexed, a new watch serves them.
        this.#watch = undefined
      },
    }
    this.#watch = this.deps.store.watch(prefixRange('/registry/'), { startRevision: 0, prevKv: true }, sink)
  }

  #publish(events: WatchEvent[]): void {
    const by = this.deps.actor()
    const now = this.deps.wallNow()
    let any = false
    for (const e of events) {
      const kp = kindPrefixOf(e.kv.key)
      const subs = kp && this.#index.get(kp)
      if (!subs) continue
      const view = new EventView(e)
      for (const sub of subs) {
        const k = sub.target.kind
        if (!shows(sub, e.kv.key)) continue
        const t = transition(sub.target, e, () => view.now(k), () => view.before(k))
        if (!t) continue
        sub.conn.outbox.push(eventPart(sub.id, t.type, view.json(k, t.of), by), now)
        sub.lastRv = e.kv.modRevision
        sub.lastSentAt = now
        any = true
      }
    }
    if (this.#bookmarks(now)) any = true
    if (any) this.deps.pending()
  }

  /** Idle live subscriptions hear the store's revision about once a minute of their silence, so a resume stays within history. */
  #bookmarks(now: number): boolean {
    if (now - this.#lastScan < BOOKMARK_SCAN_MS) return false
    this.#lastScan = now
    const head = this.deps.store.currentRevision()
    let any = false
    for (const set of this.#index.values())
      for (const sub of set) {
        if (now - sub.lastSentAt < BOOKMARK_IDLE_MS || sub.lastRv >= head) continue
        sub.conn.outbox.queue(JSON.stringify({ type: 'bookmark', sub: sub.id, resourceVersion: String(head) }), now)
        sub.lastRv = head
        sub.lastSentAt = now
        any = true
      }
    return any
  }

  // --- catch-up --------------------------------------------------------------

  /** Sends what the socket's flow window allows of its subscriptions still listing or replaying. */
  pump(conn: Conn): void {
    for (const sub of [...conn.subs.values()]) {
      while (!conn.closed && conn.flow.open && conn.subs.get(sub.id) === sub && sub.phase !== 'live') {
        if (sub.phase === 'list') this.#listPage(sub)
        else if (!this.#replayStep(sub)) break
      }
    }
  }

  #listPage(sub: Sub): void {
    const { conn, target } = sub
    let page
    try {
      page = this.deps.store.list(prefixRange(target.prefix), {
        limit: LIST_PAGE,
        continue: sub.cont,
        revision: sub.cont ? undefined : sub.rv,
      })
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Compacted') return this.#expire(sub)
      throw err
    }
    // Cut the page by size too (big objects), resuming after the last key taken.
    let size = 0
    let taken = page.kvs.length
    for (let i = 0; i < page.kvs.length; i++) {
      size += page.kvs[i]!.value.length
      if (size >= PAGE_CHARS) {
        taken = i + 1
        break
      }
    }
    const more = page.more || taken < page.kvs.length
    const cont = taken < page.kvs.length ? encodeContinue({ rv: page.revision, after: page.kvs[taken - 1]!.key }) : page.continue
    const objects = page.kvs
      .slice(0, taken)
      .filter((kv) => shows(sub, kv.key))
      .map((kv) => decodeObject(kv, target.kind))
      .filter((o) => selects(target, o))
    if (objects.length) {
      const writers = this.deps.writersOf(objects.map((o) => Number(o.metadata.resourceVersion)))
      const parts = objects.map((o) => eventPart(sub.id, 'ADDED', JSON.stringify(o), writers.get(Number(o.metadata.resourceVersion))))
      conn.sendText(eventsMessage(parts))
    }
    if (more) sub.cont = cont
    else {
      sub.cont = undefined
      conn.send({ type: 'synced', sub: sub.id, resourceVersion: String(sub.rv) })
      sub.lastRv = sub.rv
      sub.phase = 'replay'
    }
    conn.save()
  }

  /** One step of a replay from the log; false when it paused for the window or ended. */
  #replayStep(sub: Sub): boolean {
    const { conn } = sub
    try {
      if (sub.replay) sub.replay.pull()
      else {
        const handle = this.deps.store.watch(prefixRange(sub.target.prefix), { startRevision: sub.rv + 1, prevKv: true }, this.#replaySink(sub))
        // The sink may have been closed during the call (compaction overtook it): then the handle is spent.
        if (conn.subs.get(sub.id) === sub && sub.phase === 'replay') sub.replay = handle
        else handle.cancel()
      }
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Compacted') {
        this.#expire(sub)
        return false
      }
      throw err
    }
    if (!sub.replay || conn.subs.get(sub.id) !== sub) return false
    // The store's replay stops only when its consumer is full or it reached the head: room left means live.
    if (!conn.closed && conn.flow.open) {
      this.#goLive(sub)
      return true
    }
    conn.save()
    return false
  }

  /** Where a subscription's replay delivers: straight to its socket, in pages the flow window allows. */
  #replaySink(sub: Sub): WatchSink {
    const { conn } = sub
    let ended = false
    return {
      desiredSize: () => (ended || conn.closed || !conn.flow.open ? 0 : 1),
      send: (events) => this.#replayed(sub, events),
      close: (error) => {
        ended = true
        sub.replay = undefined
        if (error && conn.subs.get(sub.id) === sub) this.#expire(sub)
      },
    }
  }

  #replayed(sub: Sub, events: WatchEvent[]): void {
    const { conn, target } = sub
    const k = target.kind
    const writers = this.deps.writersOf(events.map((e) => e.kv.modRevision))
    const parts: string[] = []
    for (const e of events) {
      if (!shows(sub, e.kv.key)) continue
      const view = new EventView(e)
      const t = transition(target, e, () => view.now(k), () => view.before(k))
      if (t) parts.push(eventPart(sub.id, t.type, view.json(k, t.of), writers.get(e.kv.modRevision)))
    }
    const last = events[events.length - 1]
    if (last) sub.rv = last.kv.modRevision
    if (parts.length) {
      // Anything batched for this socket goes first, so the socket's events stay in store order.
      for (const m of conn.outbox.take()) conn.sendText(m)
      conn.sendText(eventsMessage(parts))
    }
  }

  #goLive(sub: Sub): void {
    sub.replay?.cancel()
    sub.replay = undefined
    const head = this.deps.store.currentRevision()
    const now = this.deps.wallNow()
    this.join(sub)
    if (head > sub.lastRv) {
      sub.conn.outbox.queue(JSON.stringify({ type: 'bookmark', sub: sub.id, resourceVersion: String(head) }), now)
      this.deps.pending()
    }
    sub.lastRv = head
    sub.lastSentAt = now
    sub.conn.save()
  }

  #expire(sub: Sub): void {
    this.drop(sub)
    sub.conn.subs.delete(sub.id)
    sub.conn.send({ type: 'expired', sub: sub.id })
    sub.conn.save()
  }
}

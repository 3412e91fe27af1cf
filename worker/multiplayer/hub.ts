// The live hub of one cluster: its browser sockets (accepted with the
// hibernation API by the cluster object), their messages, presence, and the
// batched flush. Subscriptions and the fan-out are feed's (fanout.ts). Every
// socket's attachment mirrors its person and subscriptions; rebuild() makes
// the hub again from them after the object hibernated.
import type { UserInfo } from '../apiserver/authn'
import { status, type Status } from '../apiserver/status'
import type { LiveAccess } from './access'
import { MAX_SUBSCRIPTIONS, fits, readAttachment } from './attachment'
import { Conn, type LiveSocket, Sub } from './connection'
import { Feed, type FeedDeps } from './fanout'
import { Flow } from './flow'
import { applyPresence, assignColor, peopleList, samePerson } from './presence'
import { BATCH_MS, type Person, type ServerMessage } from './protocol'
import { parseSubscription, restoreTarget, type Target } from './subscription'

/** Client messages are small; anything bigger is refused. */
export const MAX_CLIENT_MESSAGE = 64 * 1024

/** The Durable Object's sockets: ctx.acceptWebSocket and ctx.getWebSockets. */
export interface SocketHost<S extends LiveSocket> {
  accept(ws: S, tags: string[]): void
  sockets(tag?: string): S[]
}

/** Wall-clock timers: delivery is paced in real time, not simulated time. */
export interface WallTimers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface HubDeps<S extends LiveSocket> {
  cluster: string
  host: SocketHost<S>
  feed: Omit<FeedDeps, 'pending'>
  timers: WallTimers
  /** What each person may read (RBAC); without it, everyone reads everything. */
  access?: LiveAccess
  /** Connection ids; by default time-ordered, so the people list is in order of arrival. */
  newId?(): string
}

const defaultId = () => `${Date.now().toString(36).padStart(9, '0')}-${crypto.randomUUID().slice(0, 8)}`

export class LiveHub<S extends LiveSocket = LiveSocket> {
  readonly feed: Feed
  readonly #conns = new Map<S, Conn<S>>()
  #timer: unknown
  #peopleDirty = false

  constructor(readonly deps: HubDeps<S>) {
    this.feed = new Feed({ ...deps.feed, pending: () => this.#arm() })
  }

  get connections(): number {
    return this.#conns.size
  }

  people(): Person[] {
    return peopleList([...this.#conns.values()].map((c) => c.person))
  }

  /** The person of a live connection, by its id (the web client's x-wheelhouse-session). */
  personOf(connectionId: string): Person | undefined {
    for (const ws of this.deps.host.sockets(connectionId)) {
      const c = this.#conns.get(ws)
      if (c && !c.closed) return c.person
    }
    return undefined
  }

  /** Makes the connections again from the sockets' attachments (the object woke from hibernation). */
  rebuild(): void {
    const now = this.deps.feed.wallNow()
    const head = this.deps.feed.store.currentRevision()
    for (const ws of this.deps.host.sockets()) {
      if (this.#conns.has(ws)) continue
      const att = readAttachment(ws.deserializeAttachment())
      // Without the user's groups (a socket from before they were kept) nothing can be authorized.
      if (!att || !att.user) {
        ws.close(1011, 'connection state lost: reconnect')
        continue
      }
      const conn = new Conn(ws, att.person, new Flow(true), att.user)
      this.#conns.set(ws, conn)
      let refused = false
      for (const rec of att.subs) {
        const target = restoreTarget(rec.sub)
        if (!target) continue
        // Permissions may have changed while the object slept.
        const scope = this.#scope(conn, target)
        if ('refused' in scope) {
          this.#refuse(conn, scope.refused, target.sub.id)
          refused = true
          continue
        }
        const sub = new Sub(conn, target, rec.phase, rec.rv, now, rec.cont)
        sub.readable = scope.readable
        conn.subs.set(sub.id, sub)
        if (rec.phase === 'live') {
          sub.lastRv = head
          this.feed.join(sub)
        }
      }
      if (refused) conn.save()
    }
    for (const conn of this.#conns.values()) this.feed.pump(conn)
  }

  /** A new socket, already authenticated as `user`: accepted for hibernation, welcomed, announced. */
  accept(ws: S, user: UserInfo): Person {
    const id = (this.deps.newId ?? defaultId)()
    const person: Person = { id, user: user.username, name: user.username, color: assignColor(this.people()) }
    this.deps.host.accept(ws, [id])
    const conn = new Conn(ws, person, new Flow(), user)
    this.#conns.set(ws, conn)
    conn.save()
    conn.send({ type: 'welcome', you: person, people: this.people(), cluster: this.deps.cluster })
    this.#peopleChanged()
    return person
  }

  message(ws: S, data: string | ArrayBuffer): void {
    const conn = this.#conns.get(ws)
    if (!conn) {
      // A socket the hub already let go (closed for being too far behind): make sure it goes.
      try {
        ws.close(1011, 'unknown connection: reconnect')
      } catch {
        // already closing
      }
      return
    }
    if (typeof data !== 'string') return this.#refuse(conn, status(400, 'BadRequest', 'messages must be JSON text'))
    if (data.length > MAX_CLIENT_MESSAGE)
      return this.#refuse(conn, status(413, 'RequestEntityTooLarge', `message is ${data.length} characters, more than ${MAX_CLIENT_MESSAGE}`))
    let msg: Record<string, any>
    try {
      msg = JSON.parse(data)
    } catch (err) {
      return this.#refuse(conn, status(400, 'BadRequest', `message is not JSON: ${(err as Error).message}`))
    }
    switch (msg?.type) {
      case 'subscribe':
        return this.#subscribe(conn, msg.sub)
      case 'unsubscribe':
        return this.#unsubscribe(conn, msg.id)
      case 'presence':
        return this.#presence(conn, msg)
      case 'ping':
        conn.send({ type: 'pong', t: typeof msg.t === 'number' ? msg.t : 0 })
        return
      case 'ack':
        if (!conn.flow.onAck(msg.received))
          return this.#refuse(conn, status(400, 'BadRequest', `ack.received: Invalid value: ${JSON.stringify(msg.received)}: must count the characters received, between the last ack and what was sent`))
        return this.feed.pump(conn)
      default:
        return this.#refuse(conn, status(400, 'BadRequest', `type: Unsupported value: ${JSON.stringify(msg?.type)}: supported values: "subscribe", "unsubscribe", "presence", "ping", "ack"`))
    }
  }

  /** The socket closed or failed: its subscriptions end and the others hear it left. */
  closed(ws: S): void {
    const conn = this.#conns.get(ws)
    if (!conn) return
    conn.closed = true
    for (const sub of conn.subs.values()) this.feed.drop(sub)
    this.#conns.delete(ws)
    this.#peopleChanged()
  }

  /** Sends every outbox and the people list if it changed; closes sockets too far behind. */
  flush(): void {
    if (this.#timer !== undefined) this.deps.timers.clear(this.#timer)
    this.#timer = undefined
    const people = this.#peopleDirty ? JSON.stringify({ type: 'people', people: this.people() } satisfies ServerMessage) : undefined
    this.#peopleDirty = false
    const gone: Conn<S>[] = []
    for (const conn of this.#conns.values()) {
      if (conn.flow.over) {
        // More is due and the client has not read what it was sent before: rather than hold
        // it all in memory, close; the client reconnects and resumes from its last resourceVersion.
        conn.close(1013, 'too far behind: reconnect and resume from your last resourceVersion')
        gone.push(conn)
        continue
      }
      let ok = people === undefined || conn.sendText(people)
      if (ok && conn.outbox.pending) for (const m of conn.outbox.take()) if (!(ok = conn.sendText(m))) break
      if (!ok) gone.push(conn)
    }
    for (const conn of gone) this.closed(conn.ws)
  }

  /** Forgets everything in memory (the object is going away; tests simulate hibernation with it). */
  dispose(): void {
    if (this.#timer !== undefined) this.deps.timers.clear(this.#timer)
    this.#timer = undefined
    this.feed.dispose()
    this.#conns.clear()
  }

  #arm(): void {
    // One timer for every socket: whatever is pending goes out together, at most BATCH_MS after the first.
    if (this.#timer === undefined) this.#timer = this.deps.timers.set(() => this.flush(), BATCH_MS)
  }

  #peopleChanged(): void {
    this.#peopleDirty = true
    this.#arm()
  }

  #refuse(conn: Conn<S>, s: Status, sub?: string): void {
    conn.send(sub === undefined ? { type: 'error', status: s } : { type: 'error', sub, status: s })
  }

  #subscribe(conn: Conn<S>, raw: unknown): void {
    const rawId = typeof (raw as { id?: unknown })?.id === 'string' ? ((raw as { id: string }).id) : undefined
    const parsed = parseSubscription(raw)
    if (!parsed.ok) return this.#refuse(conn, parsed.status, rawId)
    const { target } = parsed
    const id = target.sub.id
    if (conn.subs.has(id)) return this.#refuse(conn, status(409, 'AlreadyExists', `subscription "${id}" already exists on this connection`), id)
    if (conn.subs.size >= MAX_SUBSCRIPTIONS)
      return this.#refuse(conn, status(429, 'TooManyRequests', `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection`), id)
    const scope = this.#scope(conn, target)
    if ('refused' in scope) return this.#refuse(conn, scope.refused, id)
    const now = this.deps.feed.wallNow()
    const sub =
      parsed.resourceVersion !== undefined
        ? new Sub(conn, target, 'replay', parsed.resourceVersion, now)
        : new Sub(conn, target, 'list', this.deps.feed.store.currentRevision(), now)
    sub.lastRv = parsed.resourceVersion ?? 0
    sub.readable = scope.readable
    conn.subs.set(id, sub)
    if (!fits(conn.attachment()) || !conn.save()) {
      conn.subs.delete(id)
      return this.#refuse(conn, status(422, 'Invalid', 'subscription: Too long: the connection\'s subscriptions would not fit in its 16 KiB attachment'), id)
    }
    this.feed.pump(conn)
  }

  /**
   * Whether the person may read what the subscription asks for: all of it, only the
   * namespaces `readable` lets through, or nothing (the 403 to send).
   */
  #scope(conn: Conn<S>, target: Target): { readable?: (namespace: string) => boolean } | { refused: Status } {
    const access = this.deps.access
    if (!access) return {}
    const { group, resource } = target.sub
    const scope = access.scope(conn.user, group, resource, target.sub.namespace ?? '', target.kind.namespaced)
    if ('refused' in scope) return scope
    return scope.all ? {} : { readable: (ns) => access.readable(conn.user, group, resource, ns) }
  }

  #unsubscribe(conn: Conn<S>, id: unknown): void {
    const sub = typeof id === 'string' ? conn.subs.get(id) : undefined
    if (!sub) return this.#refuse(conn, status(404, 'NotFound', `subscription "${String(id)}" not found`), typeof id === 'string' ? id : undefined)
    this.feed.drop(sub)
    conn.subs.delete(sub.id)
    conn.save()
  }

  #presence(conn: Conn<S>, msg: Record<string, any>): void {
    const next = applyPresence(conn.person, { name: msg.name, color: msg.color, focus: msg.focus })
    if ((next as Status).kind === 'Status') return this.#refuse(conn, next as Status)
    const before = conn.person
    conn.person = next as Person
    if (!fits(conn.attachment()) || !conn.save()) {
      conn.person = before
      return this.#refuse(conn, status(422, 'Invalid', 'presence: Too long: it would not fit in the connection\'s 16 KiB attachment'))
    }
    if (!samePerson(before, conn.person)) this.#peopleChanged()
  }
}

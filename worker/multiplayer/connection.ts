// One browser's socket: its person, its subscriptions, what it is owed
// (outbox) and what it has read (flow). Its attachment mirrors the person and
// the subscriptions, so the connection can be rebuilt after hibernation.
import type { UserInfo } from '../apiserver/authn'
import type { WatchHandle } from '../etcd/types'
import { type Attachment, type Phase, type SubRecord } from './attachment'
import { Flow } from './flow'
import { Outbox } from './outbox'
import type { Person, ServerMessage } from './protocol'
import type { Target } from './subscription'

/** What the hub needs of a WebSocket (workerd's, or a test's). */
export interface LiveSocket {
  send(message: string): void
  close(code?: number, reason?: string): void
  serializeAttachment(value: unknown): void
  deserializeAttachment(): unknown
  readonly readyState: number
}

const OPEN = 1

export class Sub {
  /** While listing or replaying from the log: the store watch that replays, paused when the window is full. */
  replay: WatchHandle | undefined
  /** The last revision sent (an event or a bookmark), and when (wall time). */
  lastRv = 0
  lastSentAt: number
  /**
   * Set when the person may read the kind only in some namespaces (a subscription
   * across namespaces without cluster-wide list and watch): whether one is shown.
   */
  readable: ((namespace: string) => boolean) | undefined

  constructor(
    readonly conn: Conn,
    readonly target: Target,
    public phase: Phase,
    /** list: the revision read at; replay: the last revision delivered. */
    public rv: number,
    now: number,
    public cont?: string,
  ) {
    this.lastSentAt = now
  }

  get id(): string {
    return this.target.sub.id
  }

  record(): SubRecord {
    const r: SubRecord = { sub: this.target.sub, phase: this.phase, rv: this.rv }
    if (this.cont) r.cont = this.cont
    return r
  }
}

export class Conn<S extends LiveSocket = LiveSocket> {
  readonly subs = new Map<string, Sub>()
  readonly outbox = new Outbox()
  closed = false

  constructor(
    readonly ws: S,
    public person: Person,
    readonly flow: Flow,
    readonly user: UserInfo,
  ) {}

  get id(): string {
    return this.person.id
  }

  attachment(): Attachment {
    return { v: 1, person: this.person, user: this.user, subs: [...this.subs.values()].map((s) => s.record()) }
  }

  /** Writes the attachment; false if the runtime refused it (too large). */
  save(): boolean {
    try {
      this.ws.serializeAttachment(this.attachment())
      return true
    } catch {
      return false
    }
  }

  /** Sends now (not batched). False when the socket is gone: the caller drops the connection. */
  sendText(text: string): boolean {
    if (this.closed || this.ws.readyState !== OPEN) return false
    try {
      this.ws.send(text)
    } catch {
      return false
    }
    this.flow.onSend(text)
    return true
  }

  send(message: ServerMessage): boolean {
    return this.sendText(JSON.stringify(message))
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    try {
      this.ws.close(code, reason)
    } catch {
      // already closing
    }
  }
}

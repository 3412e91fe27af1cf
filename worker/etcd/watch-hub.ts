// Fans committed events out to watchers. A watcher that starts behind replays
// from the log in pages, pulled as its consumer makes room, then switches to
// live delivery with no gap and no duplicate: both happen inside the object's
// single thread, between commits.
import { StoreError, type KeyRange, type WatchEvent, type WatchHandle, type WatchOptions, type WatchSink } from './types'
import { bounds } from './keys'

/** Events a live watcher may owe its consumer before it is closed as too slow. */
export const MAX_WATCH_BACKLOG = 10_000
const REPLAY_PAGE = 500

export interface WatchLog {
  currentRevision(): number
  compactRevision(): number
  /** Events in [from, to] within [start, end), in revision order, at most `limit`. */
  events(start: string, end: string, from: number, to: number, limit: number): WatchEvent[]
}

class Watcher implements WatchHandle {
  live = false
  closed = false
  constructor(
    readonly id: number,
    readonly start: string,
    readonly end: string,
    readonly prevKv: boolean,
    /** The next revision this watcher has not yet been given. */
    public next: number,
    readonly sink: WatchSink,
    readonly hub: WatchHub,
  ) {}

  matches(key: string): boolean {
    return key >= this.start && key < this.end
  }

  pull(): void {
    this.hub.catchUp(this)
  }

  cancel(): void {
    this.hub.remove(this)
  }
}

export class WatchHub {
  readonly #watchers = new Map<number, Watcher>()
  #nextId = 1
  constructor(readonly log: WatchLog) {}

  get size(): number {
    return this.#watchers.size
  }

  add(range: KeyRange, opts: WatchOptions, sink: WatchSink): WatchHandle {
    const { start, end } = bounds(range)
    const current = this.log.currentRevision()
    const from = opts.startRevision > 0 ? opts.startRevision : current + 1
    const compacted = this.log.compactRevision()
    if (from <= compacted)
      throw new StoreError(
        'Compacted',
        `required revision ${from} has been compacted (compact revision ${compacted})`,
        undefined,
        compacted,
      )
    const w = new Watcher(this.#nextId++, start, end, opts.prevKv ?? false, from, sink, this)
    this.#watchers.set(w.id, w)
    if (from > current) w.live = true
    else this.catchUp(w)
    return w
  }

  /** Replays from the log while the consumer has room; goes live once it reaches the head. */
  catchUp(w: Watcher): void {
    while (!w.closed && !w.live && w.sink.desiredSize() > 0) {
      if (w.next <= this.log.compactRevision()) {
        this.#close(w, new StoreError('Compacted', `watcher fell behind the compaction at ${this.log.compactRevision()}`, undefined, this.log.compactRevision()))
        return
      }
      const head = this.log.currentRevision()
      const events = this.log.events(w.start, w.end, w.next, head, REPLAY_PAGE)
      if (events.length > 0) {
        w.sink.send(w.prevKv ? events : events.map(withoutPrev), head)
        w.next = events[events.length - 1]!.kv.modRevision + 1
      }
      if (events.length < REPLAY_PAGE) {
        w.next = head + 1
        w.live = true
      }
    }
  }

  /** Called after a commit with that commit's events, in revision order. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0 || this.#watchers.size === 0) return
    const head = events[events.length - 1]!.kv.modRevision
    for (const w of this.#watchers.values()) {
      if (!w.live) continue
      const mine: WatchEvent[] = []
      for (const e of events) {
        if (e.kv.modRevision >= w.next && w.matches(e.kv.key)) mine.push(w.prevKv ? e : withoutPrev(e))
      }
      w.next = head + 1
      if (mine.length === 0) continue
      if (w.sink.desiredSize() < -MAX_WATCH_BACKLOG) {
        this.#close(w, new StoreError('WatcherTooSlow', `watcher ${w.id} fell more than ${MAX_WATCH_BACKLOG} events behind`))
        continue
      }
      w.sink.send(mine, head)
    }
  }

  remove(w: WatchHandle): void {
    const watcher = this.#watchers.get(w.id)
    if (watcher) {
      watcher.closed = true
      this.#watchers.delete(w.id)
    }
  }

  closeAll(error?: StoreError): void {
    for (const w of [...this.#watchers.values()]) this.#close(w, error)
  }

  #close(w: Watcher, error?: StoreError): void {
    this.remove(w)
    w.sink.close(error)
  }
}

function withoutPrev(e: WatchEvent): WatchEvent {
  return e.prevKv ? { type: e.type, kv: e.kv } : e
}

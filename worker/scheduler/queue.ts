// kube-scheduler's scheduling queue: activeQ ordered by PrioritySort (higher
// priority first, then earlier arrival), a backoff set (1 s doubling to 10 s
// per failed attempt) and an unschedulable set that cluster events (a node
// added or changed, a pod deleted) move back. Keys only: the pods themselves
// stay in the store.

export interface QueuedPod {
  key: string
  priority: number
  /** When it first entered the queue (simulated ms): the PrioritySort tie-break. */
  timestamp: number
  attempts: number
  /** Until when a failed pod backs off. */
  backoffUntil: number
}

export const INITIAL_BACKOFF_MS = 1_000
export const MAX_BACKOFF_MS = 10_000
/** Upstream flushes pods left unschedulable this long back into the queue. */
export const UNSCHEDULABLE_FLUSH_MS = 5 * 60_000

export function podBackoff(attempts: number): number {
  return Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS)
}

const before = (a: QueuedPod, b: QueuedPod) =>
  a.priority > b.priority ||
  (a.priority === b.priority &&
    (a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.key < b.key)))

/** A binary heap of queued pods in PrioritySort order. */
class Heap {
  readonly #items: QueuedPod[] = []
  readonly #index = new Map<string, number>()

  get size(): number {
    return this.#items.length
  }
  has(key: string): boolean {
    return this.#index.has(key)
  }
  push(p: QueuedPod): void {
    if (this.#index.has(p.key)) this.remove(p.key)
    this.#items.push(p)
    this.#index.set(p.key, this.#items.length - 1)
    this.#up(this.#items.length - 1)
  }
  pop(): QueuedPod | undefined {
    const top = this.#items[0]
    if (top) this.remove(top.key)
    return top
  }
  remove(key: string): QueuedPod | undefined {
    const i = this.#index.get(key)
    if (i === undefined) return undefined
    const item = this.#items[i]!
    const last = this.#items.pop()!
    this.#index.delete(key)
    if (i < this.#items.length) {
      this.#items[i] = last
      this.#index.set(last.key, i)
      this.#down(i)
      this.#up(i)
    }
    return item
  }
  #swap(i: number, j: number): void {
    const a = this.#items[i]!
    const b = this.#items[j]!
    this.#items[i] = b
    this.#items[j] = a
    this.#index.set(b.key, i)
    this.#index.set(a.key, j)
  }
  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(this.#items[i]!, this.#items[parent]!)) return
      this.#swap(i, parent)
      i = parent
    }
  }
  #down(i: number): void {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < this.#items.length && before(this.#items[l]!, this.#items[m]!)) m = l
      if (r < this.#items.length && before(this.#items[r]!, this.#items[m]!)) m = r
      if (m === i) return
      this.#swap(i, m)
      i = m
    }
  }
}

export class SchedulingQueue {
  readonly #active = new Heap()
  readonly #backoff = new Map<string, QueuedPod>()
  /** Unschedulable pods, with when they became so. */
  readonly #unschedulable = new Map<string, { pod: QueuedPod; since: number }>()

  get size(): { active: number; backoff: number; unschedulable: number } {
    return {
      active: this.#active.size,
      backoff: this.#backoff.size,
      unschedulable: this.#unschedulable.size,
    }
  }

  has(key: string): boolean {
    return this.#active.has(key) || this.#backoff.has(key) || this.#unschedulable.has(key)
  }

  /** A new pending pod, or one whose spec changed: straight to activeQ, keeping its attempt count. */
  add(key: string, priority: number, now: number): void {
    const old =
      this.#active.remove(key) ?? this.#backoff.get(key) ?? this.#unschedulable.get(key)?.pod
    this.#backoff.delete(key)
    this.#unschedulable.delete(key)
    const p: QueuedPod = old
      ? { ...old, priority }
      : { key, priority, timestamp: now, attempts: 0, backoffUntil: 0 }
    if (p.backoffUntil > now) this.#backoff.set(key, p)
    else this.#active.push(p)
  }

  delete(key: string): void {
    this.#active.remove(key)
    this.#backoff.delete(key)
    this.#unschedulable.delete(key)
  }

  /** Up to n pods to schedule now, best first; expired back-offs and stale unschedulables rejoin first. */
  pop(n: number, now: number): QueuedPod[] {
    for (const [key, p] of this.#backoff)
      if (p.backoffUntil <= now) {
        this.#backoff.delete(key)
        this.#active.push(p)
      }
    for (const [key, u] of this.#unschedulable)
      if (now - u.since >= UNSCHEDULABLE_FLUSH_MS) {
        this.#unschedulable.delete(key)
        this.#active.push(u.pod)
      }
    const out: QueuedPod[] = []
    while (out.length < n) {
      const p = this.#active.pop()
      if (!p) break
      out.push(p)
    }
    return out
  }

  /** A cycle found no node: it waits for a cluster event, and backs off before its next try. */
  unschedulable(p: QueuedPod, now: number): void {
    const next = { ...p, attempts: p.attempts + 1 }
    next.backoffUntil = now + podBackoff(next.attempts)
    this.#unschedulable.set(p.key, { pod: next, since: now })
  }

  /** A cycle failed for another reason (a conflict writing the binding): retry after the back-off. */
  retry(p: QueuedPod, now: number): void {
    const next = { ...p, attempts: p.attempts + 1 }
    next.backoffUntil = now + podBackoff(next.attempts)
    this.#backoff.set(p.key, next)
  }

  /** A cluster event that may make unschedulable pods fit: back to activeQ, or backoff if still backing off. */
  moveAllToActiveOrBackoff(now: number): void {
    for (const [key, u] of this.#unschedulable) {
      this.#unschedulable.delete(key)
      if (u.pod.backoffUntil > now) this.#backoff.set(key, u.pod)
      else this.#active.push(u.pod)
    }
  }

  /** When the queue next has work: now if activeQ has pods, else the earliest back-off end or flush. */
  nextWake(now: number): number | undefined {
    if (this.#active.size) return now
    let at: number | undefined
    for (const p of this.#backoff.values())
      at = at === undefined ? p.backoffUntil : Math.min(at, p.backoffUntil)
    for (const u of this.#unschedulable.values()) {
      const t = u.since + UNSCHEDULABLE_FLUSH_MS
      at = at === undefined ? t : Math.min(at, t)
    }
    return at
  }
}

// Slows down guessing of a cluster's join code: failed joins are counted per
// client address (CF-Connecting-IP) on this cluster; the fifth failure within
// ten minutes locks the address out for 30 s, each further one doubles it, up to
// 15 minutes. A success clears the address's record, so one classroom behind a
// single NAT is not punished for a few typos once someone got in. Wall time, in
// memory (a restart forgets, which costs a guesser nothing it could use: 50 bits
// at a handful of guesses per minute).

export const WINDOW_MS = 10 * 60_000
export const FREE_FAILURES = 5
const FIRST_LOCKOUT_MS = 30_000
const MAX_LOCKOUT_MS = 15 * 60_000
/** Addresses remembered before stale ones are dropped. */
const MAX_ADDRESSES = 10_000

interface Record {
  failures: number[]
  lockedUntil: number
}

export class JoinGuard {
  readonly #by = new Map<string, Record>()

  /** Seconds the address must still wait, or 0 when it may try. */
  retryAfter(address: string, now: number): number {
    const r = this.#by.get(address)
    if (!r || r.lockedUntil <= now) return 0
    return Math.max(1, Math.ceil((r.lockedUntil - now) / 1000))
  }

  failed(address: string, now: number): void {
    if (this.#by.size >= MAX_ADDRESSES) this.#prune(now)
    const r = this.#by.get(address) ?? { failures: [], lockedUntil: 0 }
    r.failures = r.failures.filter((t) => t > now - WINDOW_MS)
    r.failures.push(now)
    const over = r.failures.length - FREE_FAILURES
    if (over >= 0) r.lockedUntil = now + Math.min(MAX_LOCKOUT_MS, FIRST_LOCKOUT_MS * 2 ** over)
    this.#by.set(address, r)
  }

  succeeded(address: string): void {
    this.#by.delete(address)
  }

  #prune(now: number): void {
    for (const [k, r] of this.#by) if (r.lockedUntil <= now && !r.failures.some((t) => t > now - WINDOW_MS)) this.#by.delete(k)
  }
}

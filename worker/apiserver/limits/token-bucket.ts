// A token bucket: `burst` requests at once, refilled at `rate` per second.
// Times are wall-clock milliseconds passed in by the caller: rate limits are
// about real requests hitting the object, not simulated time (a cluster at
// speed 60 must not grant 60 times the requests).

export interface BucketVerdict {
  ok: boolean
  /** When refused: whole seconds until one token is back (at least 1). */
  retryAfterSeconds: number
}

export class TokenBucket {
  #tokens: number
  #last: number
  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst
    this.#last = now
  }

  #refill(now: number): void {
    if (now > this.#last) this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate)
    this.#last = Math.max(this.#last, now)
  }

  take(now: number): BucketVerdict {
    this.#refill(now)
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return { ok: true, retryAfterSeconds: 0 }
    }
    const wait = this.rate > 0 ? (1 - this.#tokens) / this.rate : Infinity
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) }
  }

  /** Full again: nothing to remember about this client. */
  full(now: number): boolean {
    this.#refill(now)
    return this.#tokens >= this.burst
  }
}

/**
 * Buckets by client, each made full on first use (or anew when its rate or burst
 * changes). Past `max` clients the idle (full) ones are forgotten, and if all are
 * busy, all: forgetting a bucket only ever lets a client through, never refuses one.
 */
export class Buckets {
  readonly #buckets = new Map<string, TokenBucket>()
  constructor(readonly max: number) {}

  take(client: string, rate: number, burst: number, now: number): BucketVerdict {
    let b = this.#buckets.get(client)
    if (!b || b.rate !== rate || b.burst !== burst) {
      if (this.#buckets.size >= this.max) {
        for (const [k, v] of this.#buckets) if (v.full(now)) this.#buckets.delete(k)
        if (this.#buckets.size >= this.max) this.#buckets.clear()
      }
      b = new TokenBucket(rate, burst, now)
      this.#buckets.set(client, b)
    }
    return b.take(now)
  }

  forget(client: string): void {
    this.#buckets.delete(client)
  }

  get size(): number {
    return this.#buckets.size
  }
}

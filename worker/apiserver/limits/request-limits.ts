// What one token may ask of its cluster, checked before the API server sees a
// request: its request rate (a token bucket each, the admin's five times
// larger: a leader's flood must not starve participants, nor theirs the
// leader), its open watches, and the size of a body. Kept in memory: limits
// concern requests reaching this object now, and a restarted object forgetting
// them is harmless. Times are wall-clock ms from the caller (see token-bucket.ts).
import { status, statusResponse } from '../status'
import type { ClusterLimits } from './cluster-limits'
import { Buckets } from './token-bucket'

/** The admin's bucket is this many times a participant's. */
export const ADMIN_FACTOR = 5
/** Buckets kept before full (idle) ones are forgotten. */
const MAX_BUCKETS = 1000

/** 429 as kube-apiserver's priority and fairness words it, with Retry-After. */
export function tooManyRequests(retryAfterSeconds: number): Response {
  return statusResponse(
    status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }),
    { 'retry-after': String(retryAfterSeconds) },
  )
}

/** 413 as kube-apiserver's limitedReadBody words it. */
export function entityTooLarge(limit: number): Response {
  return statusResponse(status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`))
}

/** A watch: ?watch=1|true, or the legacy /watch/ path. */
export function isWatch(url: URL, path: string): boolean {
  const w = url.searchParams.get('watch')
  return w === '1' || w === 'true' || /^\/(?:api\/[^/]+|apis\/[^/]+\/[^/]+)\/watch\//.test(path)
}

export class RequestLimiter {
  readonly #buckets = new Buckets(MAX_BUCKETS)
  readonly #watches = new Map<string, number>()
  /** Cancels each open watch of a client, so a revoked token loses its streams too. */
  readonly #streams = new Map<string, Set<() => void>>()

  constructor(readonly limits: () => ClusterLimits | undefined) {}

  /** Takes one request from the client's bucket; a 429 when it is empty. */
  rate(client: string, admin: boolean, now: number): Response | undefined {
    const l = this.limits()
    if (!l) return undefined
    const factor = admin ? ADMIN_FACTOR : 1
    const v = this.#buckets.take(client, l.requestsPerSecond * factor, l.burst * factor, now)
    return v.ok ? undefined : tooManyRequests(v.retryAfterSeconds)
  }


  /** The request with its body read if it had no length, or a 413 when it is too large. */
  async body(req: Request): Promise<Request | Response> {
    const limit = this.limits()?.maxBodyBytes ?? 3 * 1024 * 1024
    const length = req.headers.get('content-length')
    if (length !== null) return Number(length) > limit ? entityTooLarge(limit) : req
    if (!req.body) return req
    // A chunked body: read at most limit + 1 bytes, as limitedReadBody does.
    const reader = req.body.getReader()
    const chunks: Uint8Array[] = []
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        await reader.cancel()
        return entityTooLarge(limit)
      }
      chunks.push(value)
    }
    const bytes = new Uint8Array(size)
    let at = 0
    for (const c of chunks) {
      bytes.set(c, at)
      at += c.byteLength
    }
    return new Request(req, { body: bytes })
  }

  /** Room for one more watch of this client (its live sockets, counted by the caller, are watches too), or a 429. */
  watchAllowed(client: string, sockets = 0): Response | undefined {
    const l = this.limits()
    if (!l) return undefined
    return (this.#watches.get(client) ?? 0) + sockets >= l.maxWatches ? tooManyRequests(1) : undefined
  }

  /** Counts the response's stream as one of the client's watches until it ends or is cancelled. */
  trackWatch(client: string, res: Response): Response {
    if (!res.body || !this.limits()) return res
    this.#watches.set(client, (this.#watches.get(client) ?? 0) + 1)
    let done = false
    const source = res.body.getReader()
    const streams = this.#streams.get(client) ?? new Set()
    this.#streams.set(client, streams)
    const release = () => {
      if (done) return
      done = true
      streams.delete(stop)
      if (!streams.size) this.#streams.delete(client)
      const n = (this.#watches.get(client) ?? 1) - 1
      if (n > 0) this.#watches.set(client, n)
      else this.#watches.delete(client)
    }
    let controller!: ReadableStreamDefaultController<Uint8Array>
    const stop = () => {
      release()
      void source.cancel().catch(() => {})
      try {
        controller.close()
      } catch {
        // already closed
      }
    }
    streams.add(stop)
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c
      },
      pull: async (c) => {
        try {
          const { done: end, value } = await source.read()
          if (end) {
            release()
            c.close()
          } else c.enqueue(value)
        } catch (err) {
          release()
          c.error(err)
        }
      },
      cancel: async (reason) => {
        release()
        await source.cancel(reason)
      },
    })
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
  }

  openWatches(client: string): number {
    return this.#watches.get(client) ?? 0
  }

  /** Ends every watch of the client (its token was revoked) and forgets its bucket. */
  forget(client: string): void {
    for (const stop of [...(this.#streams.get(client) ?? [])]) stop()
    this.#buckets.forget(client)
  }
}

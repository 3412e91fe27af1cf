// A first, looser rate limit in the Worker, before a request reaches its
// cluster's object. The object's limiter (apiserver/limits/) is the one that
// counts: it sees every request of a token and answers 429 at its rate. But a
// refused request still costs the object a request, so a flood slows everyone
// sharing it. This guard keeps a token bucket per cluster and bearer token in
// the Worker's isolate, twice as large as the object's, and turns away what
// goes beyond even that: a flood mostly stops here, while a client within its
// limits can never be refused by this guard before the object would refuse it
// (an isolate sees at most the requests the object sees). Wall time, as the
// object's limiter (rate limits are about real requests).
import type { ClusterLimits } from '../apiserver/limits/cluster-limits'
import { ADMIN_FACTOR, tooManyRequests } from '../apiserver/limits/request-limits'
import { Buckets } from '../apiserver/limits/token-bucket'
import { bearerToken } from '../apiserver/authn'

/** How much looser than the object's limiter the guard is. */
export const SLACK = 2
/** Buckets kept per isolate before idle (full) ones are forgotten. */
const MAX_BUCKETS = 10_000

export class FloodGuard {
  readonly #buckets = new Buckets(MAX_BUCKETS)

  /** A 429 for a request beyond twice its token's rate, or undefined to let it through to the object. */
  check(cluster: string, authorization: string | undefined, limits: ClusterLimits, now: number): Response | undefined {
    const token = bearerToken(authorization)
    // No token: the object answers 401 (or it is /join, which has its own guard).
    if (!token || limits.requestsPerSecond <= 0) return undefined
    // The admin token's bucket is larger in the object too; its prefix says which it is.
    const factor = SLACK * (token.startsWith('wha_') ? ADMIN_FACTOR : 1)
    const v = this.#buckets.take(`${cluster} ${token}`, limits.requestsPerSecond * factor, limits.burst * factor, now)
    return v.ok ? undefined : tooManyRequests(v.retryAfterSeconds)
  }

  get size(): number {
    return this.#buckets.size
  }
}

// Whether a creator may have one more cluster: at most `max` live clusters per
// client address, and in open mode at most `perHour` creations an hour. A 429
// with how long to wait, as for any other rate limit.
import { status, type Status } from '../apiserver/status'

export const HOUR_MS = 3_600_000

export interface CreatorRecord {
  creator: string
  /** Expiry (wall ms, null: never) of each of its live clusters. */
  clusters: (number | null)[]
  /** Times (wall ms) of its creations within the last hour. */
  recent: number[]
  now: number
  maxClusters: number
  /** 0: no creation rate (secret mode). */
  perHour: number
}

export function admitCreation(r: CreatorRecord): { status: Status; retryAfterSeconds: number } | undefined {
  const secs = (ms: number) => Math.max(1, Math.ceil(ms / 1000))
  if (r.clusters.length >= r.maxClusters) {
    const expiring = r.clusters.filter((t): t is number => t !== null)
    const wait = expiring.length ? secs(Math.min(...expiring) - r.now) : secs(HOUR_MS)
    const message = `creator ${r.creator} already has ${r.clusters.length} clusters, the most allowed: delete one or wait for one to expire`
    return { status: status(429, 'TooManyRequests', message, { retryAfterSeconds: wait }), retryAfterSeconds: wait }
  }
  const recent = r.recent.filter((t) => t > r.now - HOUR_MS)
  if (r.perHour > 0 && recent.length >= r.perHour) {
    const wait = secs(Math.min(...recent) + HOUR_MS - r.now)
    const message = `creator ${r.creator} created ${recent.length} clusters in the last hour, the most allowed: try again later`
    return { status: status(429, 'TooManyRequests', message, { retryAfterSeconds: wait }), retryAfterSeconds: wait }
  }
  return undefined
}

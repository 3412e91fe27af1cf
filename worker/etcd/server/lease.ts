import { StoreError, type Backend } from '../types'
import { header, int64 } from './codec'

const ttlLeft = (expiresAt: number, now: number) => String(Math.max(0, Math.ceil((expiresAt - now) / 1000)))

/** POST /v3/lease/grant {TTL, ID?} */
export function leaseGrant(store: Backend, body: Record<string, unknown>) {
  const lease = store.grantLease(int64('TTL', body.TTL), int64('ID', body.ID) || undefined)
  return { header: header(store.currentRevision()), ID: String(lease.id), TTL: String(lease.ttlSeconds) }
}

/** POST /v3/lease/revoke {ID} */
export function leaseRevoke(store: Backend, body: Record<string, unknown>) {
  store.revokeLease(int64('ID', body.ID))
  return { header: header(store.currentRevision()) }
}

/** POST /v3/lease/keepalive {ID}: one renewal, answered as the stream's first message. */
export function leaseKeepAlive(store: Backend, body: Record<string, unknown>) {
  const lease = store.keepAliveLease(int64('ID', body.ID))
  return { result: { header: header(store.currentRevision()), ID: String(lease.id), TTL: String(lease.ttlSeconds) } }
}

/** POST /v3/lease/timetolive {ID} */
export function leaseTimeToLive(store: Backend, body: Record<string, unknown>, now: number) {
  const id = int64('ID', body.ID)
  if (!id) throw new StoreError('InvalidArgument', 'ID is required')
  const lease = store.getLease(id)
  if (!lease) return { header: header(store.currentRevision()), ID: String(id), TTL: '-1' }
  return {
    header: header(store.currentRevision()),
    ID: String(id),
    TTL: ttlLeft(lease.expiresAt, now),
    grantedTTL: String(lease.ttlSeconds),
  }
}

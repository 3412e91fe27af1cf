import type { Backend } from '../types'
import { b64decode, header, int64, kvJson } from './codec'

/** POST /v3/kv/put {key, value, lease?, prev_kv?}: an unconditional write. */
export function put(store: Backend, body: Record<string, unknown>) {
  const key = b64decode('key', body.key)
  const value = b64decode('value', body.value)
  const r = store.txn({ compare: [], success: [{ put: { key, value, lease: int64('lease', body.lease) } }] })
  const out: Record<string, unknown> = { header: header(r.revision) }
  const prev = r.results[0]?.kv
  if (body.prev_kv === true && prev) out.prev_kv = kvJson(prev)
  return out
}

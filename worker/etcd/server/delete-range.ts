import type { Backend } from '../types'
import { b64decode, header, kvJson } from './codec'

/** POST /v3/kv/deleterange {key, range_end?, prev_kv?} */
export function deleteRange(store: Backend, body: Record<string, unknown>) {
  const key = b64decode('key', body.key)
  const end = body.range_end === undefined ? undefined : b64decode('range_end', body.range_end)
  const r = store.deleteRange({ key, end })
  const out: Record<string, unknown> = { header: header(r.revision), deleted: String(r.deleted.length) }
  if (body.prev_kv === true && r.deleted.length > 0) out.prev_kvs = r.deleted.map((kv) => kvJson(kv))
  return out
}

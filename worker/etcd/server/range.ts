import type { Backend } from '../types'
import { b64decode, header, int64, kvJson } from './codec'

/** POST /v3/kv/range {key, range_end?, limit?, revision?, keys_only?, count_only?} */
export function range(store: Backend, body: Record<string, unknown>) {
  const key = b64decode('key', body.key)
  const end = body.range_end === undefined ? undefined : b64decode('range_end', body.range_end)
  const r = store.list(
    { key, end },
    {
      limit: int64('limit', body.limit),
      revision: int64('revision', body.revision),
      count: true,
      keysOnly: body.keys_only === true || body.count_only === true,
    },
  )
  const out: Record<string, unknown> = { header: header(store.currentRevision()), count: String(r.count ?? 0) }
  if (body.count_only !== true && r.kvs.length > 0) out.kvs = r.kvs.map((kv) => kvJson(kv, body.keys_only === true))
  if (r.more) out.more = true
  return out
}

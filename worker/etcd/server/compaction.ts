import type { Backend } from '../types'
import { header, int64 } from './codec'

/** POST /v3/kv/compaction {revision} */
export function compaction(store: Backend, body: Record<string, unknown>) {
  store.compact(int64('revision', body.revision))
  return { header: header(store.currentRevision()) }
}

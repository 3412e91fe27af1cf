// POST /v3/watch {create_request: {key, range_end?, start_revision?, prev_kv?}}: a
// stream of newline-delimited {"result": …} messages, as etcd's gateway sends them.
import { type Backend, StoreError, type WatchEvent, type WatchHandle } from '../types'
import { b64decode, header, int64, kvJson } from './codec'
import { eventStream, STREAMING_HEADERS } from './streaming'

function eventJson(e: WatchEvent) {
  // The gateway omits enum defaults: a PUT event has no "type".
  const out: Record<string, unknown> = e.type === 'DELETE' ? { type: 'DELETE' } : {}
  out.kv = e.type === 'DELETE' ? { key: kvJson(e.kv).key, mod_revision: String(e.kv.modRevision) } : kvJson(e.kv)
  if (e.prevKv) out.prev_kv = kvJson(e.prevKv)
  return out
}

export function watch(store: Backend, body: Record<string, unknown>): Response {
  const req = body.create_request as Record<string, unknown> | undefined
  if (!req) throw new StoreError('InvalidArgument', 'create_request is required')
  const key = b64decode('create_request.key', req.key)
  const end = req.range_end === undefined ? undefined : b64decode('create_request.range_end', req.range_end)
  const startRevision = int64('create_request.start_revision', req.start_revision)
  const prevKv = req.prev_kv === true
  let handle: WatchHandle | undefined
  const out = eventStream({ pull: () => handle?.pull(), cancel: () => handle?.cancel() })
  const cancelled = (err: StoreError) => {
    const msg: Record<string, unknown> = { header: header(store.currentRevision()), watch_id: '0', canceled: true, cancel_reason: err.message }
    if (err.compactRevision) msg.compact_revision = String(err.compactRevision)
    out.send({ result: msg })
    out.close()
  }
  // Sent first, so the client sees its watch created before any event.
  out.send({ result: { header: header(store.currentRevision()), watch_id: '0', created: true } })
  try {
    handle = store.watch(
      { key, end },
      { startRevision, prevKv },
      {
        desiredSize: out.desiredSize,
        send: (events, revision) => out.send({ result: { header: header(revision), watch_id: '0', events: events.map(eventJson) } }, events.length),
        close: (error) => (error ? cancelled(error) : out.close()),
      },
    )
  } catch (err) {
    if (!(err instanceof StoreError)) throw err
    cancelled(err)
  }
  return new Response(out.stream, { headers: { 'content-type': 'application/json', ...STREAMING_HEADERS } })
}

// POST /v3/watch {create_request: {key, range_end?, start_revision?, prev_kv?}}: a
// stream of newline-delimited {"result": …} messages, as etcd's gateway sends them.
import { type Backend, StoreError, type WatchEvent, type WatchHandle } from '../types'
import { STREAMING_HEADERS } from './streaming'
import { b64decode, header, int64, kvJson } from './codec'

const encoder = new TextEncoder()
/** Room in the stream's queue, counted in events. */
const HIGH_WATER_EVENTS = 1_000

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
  const sizes = new WeakMap<Uint8Array, number>()
  let handle: WatchHandle | undefined
  let ctrl!: ReadableStreamDefaultController<Uint8Array>
  const line = (msg: object, events = 1) => {
    const bytes = encoder.encode(JSON.stringify({ result: msg }) + '\n')
    sizes.set(bytes, events)
    return bytes
  }
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        ctrl = c
      },
      pull() {
        handle?.pull()
      },
      cancel() {
        handle?.cancel()
      },
    },
    { highWaterMark: HIGH_WATER_EVENTS, size: (chunk) => sizes.get(chunk) ?? 1 },
  )
  try {
    // Sent first, so the client sees its watch created before any event.
    ctrl.enqueue(line({ header: header(store.currentRevision()), watch_id: '0', created: true }))
    handle = store.watch(
      { key, end },
      { startRevision, prevKv },
      {
        desiredSize: () => ctrl.desiredSize ?? 0,
        send: (events, revision) =>
          ctrl.enqueue(line({ header: header(revision), watch_id: '0', events: events.map(eventJson) }, events.length)),
        close: (error) => {
          if (error) {
            const msg: Record<string, unknown> = {
              header: header(store.currentRevision()),
              watch_id: '0',
              canceled: true,
              cancel_reason: error.message,
            }
            if (error.compactRevision) msg.compact_revision = String(error.compactRevision)
            ctrl.enqueue(line(msg))
          }
          ctrl.close()
        },
      },
    )
  } catch (err) {
    if (!(err instanceof StoreError)) throw err
    const msg: Record<string, unknown> = {
      header: header(store.currentRevision()),
      watch_id: '0',
      canceled: true,
      cancel_reason: err.message,
    }
    if (err.compactRevision) msg.compact_revision = String(err.compactRevision)
    ctrl.enqueue(line(msg))
    ctrl.close()
  }
  return new Response(stream, { headers: { 'content-type': 'application/json', ...STREAMING_HEADERS } })
}

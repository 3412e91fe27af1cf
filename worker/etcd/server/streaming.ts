/**
 * Headers for responses that stream (watches, followed logs). A compressing proxy
 * (Cloudflare's edge, and miniflare imitating it for application/json) buffers
 * until its compressor fills, so a watcher would not see its first event.
 * "identity" and "no-transform" ask every hop to pass the bytes as they come.
 */
export const STREAMING_HEADERS = {
  'content-encoding': 'identity',
  'cache-control': 'no-cache, no-store, no-transform',
  'x-content-type-options': 'nosniff',
} as const

const encoder = new TextEncoder()

/**
 * A newline-delimited stream whose queue is counted in events, so a watch can
 * see how far its consumer lags (desiredSize < 0) and pull replay pages only
 * when there is room.
 */
export function eventStream(hooks: { pull(): void; cancel(): void }, highWaterEvents = 1_000) {
  const sizes = new WeakMap<Uint8Array, number>()
  let ctrl!: ReadableStreamDefaultController<Uint8Array>
  let closed = false
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        ctrl = c
      },
      pull() {
        hooks.pull()
      },
      cancel() {
        closed = true
        hooks.cancel()
      },
    },
    { highWaterMark: highWaterEvents, size: (chunk) => sizes.get(chunk) ?? 1 },
  )
  return {
    stream,
    get closed() {
      return closed
    },
    /** Queues one line (a JSON message) standing for `events` events. */
    send(message: unknown, events = 1): void {
      if (closed) return
      const bytes = encoder.encode(JSON.stringify(message) + '\n')
      sizes.set(bytes, events)
      ctrl.enqueue(bytes)
    },
    desiredSize: () => ctrl.desiredSize ?? 0,
    close(): void {
      if (closed) return
      closed = true
      try {
        ctrl.close()
      } catch {
        // already errored by the consumer
      }
    },
  }
}

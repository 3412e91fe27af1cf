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

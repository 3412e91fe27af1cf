// Restart and image-pull backoff as the kubelet keeps it: 10 s doubling to a
// 300 s cap, forgotten once a container has run 10 minutes without trouble.
export const INITIAL_BACKOFF_MS = 10_000
export const MAX_BACKOFF_MS = 300_000
export const BACKOFF_RESET_MS = 600_000

/** The delay before attempt n+1 after n consecutive failures (n >= 1). */
export function backoffDelay(failures: number): number {
  return Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS)
}

/** A Go time.Duration string, as the kubelet prints back-off delays: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${s % 60}s`
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`
}

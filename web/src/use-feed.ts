// Re-render a component whenever the live feed changes.
import { useSyncExternalStore } from 'hono/jsx/dom'
import type { LiveFeed } from './live'

export function useFeed(feed: LiveFeed): number {
  return useSyncExternalStore(
    (cb) => feed.subscribe(cb),
    () => feed.version,
  )
}

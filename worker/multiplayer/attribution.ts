// Who is writing: every piece of work that may write through the API server
// (a request, a controller's sync, the scheduler's cycle, a kubelet's report)
// runs inside actAs(name, …), and the live feed reads the name back when the
// store publishes the write, which happens synchronously inside that work.
// AsyncLocalStorage carries it across awaits (nodejs_compat in workerd).
import { AsyncLocalStorage } from 'node:async_hooks'

const actor = new AsyncLocalStorage<string>()

/** Runs fn with `by` as the author of every write it makes (also after its awaits). */
export function actAs<T>(by: string, fn: () => T): T {
  return actor.run(by, fn)
}

/** The author of the work running now, if any (seeding and lease expiry have none). */
export function currentActor(): string | undefined {
  return actor.getStore()
}

/** The scheduler signs its bindings and events as upstream's does (Event source "default-scheduler"). */
export const SCHEDULER_ACTOR = 'default-scheduler'

/** A kubelet reports as "kubelet <node>", as its Events' source reads in `kubectl describe`. */
export const kubeletActor = (node: string) => `kubelet ${node}`

/** Longest name a writer may carry; a display name is shorter than this (presence.ts). */
export const MAX_ACTOR_LENGTH = 128

/**
 * The author of an API request: the person's display name when the request
 * names a live connection of the same user (x-wheelhouse-session), otherwise
 * the authenticated user's name (kubectl, scripts).
 */
export function requestActor(username: string, person: { user: string; name: string } | undefined): string {
  if (person && person.user === username && person.name) return person.name.slice(0, MAX_ACTOR_LENGTH)
  return username.slice(0, MAX_ACTOR_LENGTH)
}

/** The header the web client sends with its own API calls: the id of its live connection. */
export const SESSION_HEADER = 'x-wheelhouse-session'

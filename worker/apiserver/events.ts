// Events as the components write them (kubelet, scheduler, controllers):
// equal events (same object, reason, message, source) share a name, so a
// repeat counts up instead of adding an object, as upstream's correlator does.
import type { KubeletEvent } from '../resources/node-rpc'
import { findKind } from '../resources/registry'
import { rfc3339 } from './context'
import type { Obj, Objects } from './objects'
import { prepareForCreate } from './prepare'

const EVENTS = findKind('', 'v1', 'events')!

export interface EventSource {
  component: string
  host?: string
}

/** FNV-1a over the event's identity: equal events share a name, so repeats count up as upstream's correlator does. */
function eventName(e: KubeletEvent, source: string): string {
  const key = [
    source,
    e.involvedObject.kind,
    e.involvedObject.namespace,
    e.involvedObject.name,
    e.involvedObject.uid,
    e.involvedObject.fieldPath,
    e.reason,
    e.message,
    e.type,
  ].join('\u0000')
  let h1 = 0x811c9dc5
  let h2 = 0xcbf29ce4
  for (let i = 0; i < key.length; i++) {
    h1 = Math.imul(h1 ^ key.charCodeAt(i), 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ key.charCodeAt(i), 0x01000193 + 2) >>> 0
  }
  return `${e.involvedObject.name}.${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`
}

/** kube-apiserver's --event-ttl: an event goes an hour (simulated) after its last write. */
export const EVENT_TTL_SECONDS = 3600
/** Events written within this long share one etcd lease, as upstream's lease manager reuses them. */
const LEASE_REUSE_MS = 60_000
const currentLease = new WeakMap<object, { id: number; grantedAt: number }>()

/** A lease that expires about EVENT_TTL after now (at most a minute later), shared by nearby writes. */
function eventLease(objects: Objects, now: number): number {
  const store = objects.store
  const cur = currentLease.get(store)
  if (cur && now - cur.grantedAt < LEASE_REUSE_MS && store.getLease(cur.id)) return cur.id
  const lease = store.grantLease(EVENT_TTL_SECONDS + LEASE_REUSE_MS / 1000)
  currentLease.set(store, { id: lease.id, grantedAt: now })
  return lease.id
}

export function recordEvent(objects: Objects, e: KubeletEvent, source: EventSource): void {
  const namespace = e.involvedObject.namespace || 'default'
  const name = eventName(e, `${source.component}/${source.host ?? ''}`)
  const old = objects.get(EVENTS, namespace, name)
  const lease = eventLease(objects, e.time)
  if (old) {
    objects.update(
      EVENTS,
      { ...old, count: (old.count ?? 1) + 1, lastTimestamp: rfc3339(e.time) },
      old.metadata.resourceVersion,
      lease,
    )
    return
  }
  const ev: Obj = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: e.involvedObject,
    reason: e.reason,
    message: e.message,
    type: e.type,
    source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
    firstTimestamp: rfc3339(e.time),
    lastTimestamp: rfc3339(e.time),
    count: 1,
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? source.component,
  }
  prepareForCreate(EVENTS, ev, e.time)
  objects.create(EVENTS, ev, lease)
}

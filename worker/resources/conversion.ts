// Kinds served in two API groups over one storage: events.k8s.io/v1 Events are
// core/v1 Events with other field names, as upstream converts them.
import type { KindInfo } from './kind'

type O = Record<string, any>

function setIf(o: O, key: string, v: unknown): void {
  if (v !== undefined && v !== null) o[key] = v
}

/** core/v1 Event → events.k8s.io/v1 Event. */
export function eventToEventsV1(e: O): O {
  const out: O = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata }
  setIf(out, 'eventTime', e.eventTime ?? null)
  out.eventTime = e.eventTime ?? null
  setIf(out, 'series', e.series && { count: e.series.count, lastObservedTime: e.series.lastObservedTime })
  setIf(out, 'reportingController', e.reportingComponent)
  setIf(out, 'reportingInstance', e.reportingInstance)
  setIf(out, 'action', e.action)
  setIf(out, 'reason', e.reason)
  setIf(out, 'regarding', e.involvedObject)
  setIf(out, 'related', e.related)
  setIf(out, 'note', e.message)
  setIf(out, 'type', e.type)
  setIf(out, 'deprecatedSource', e.source && Object.keys(e.source).length ? e.source : undefined)
  setIf(out, 'deprecatedFirstTimestamp', e.firstTimestamp)
  setIf(out, 'deprecatedLastTimestamp', e.lastTimestamp)
  setIf(out, 'deprecatedCount', e.count)
  return out
}

/** events.k8s.io/v1 Event → core/v1 Event. */
export function eventsV1ToEvent(e: O): O {
  const out: O = { apiVersion: 'v1', kind: 'Event', metadata: e.metadata }
  out.involvedObject = e.regarding ?? {}
  setIf(out, 'reason', e.reason)
  setIf(out, 'message', e.note)
  out.source = e.deprecatedSource ?? {}
  setIf(out, 'firstTimestamp', e.deprecatedFirstTimestamp)
  setIf(out, 'lastTimestamp', e.deprecatedLastTimestamp)
  setIf(out, 'count', e.deprecatedCount)
  setIf(out, 'type', e.type)
  setIf(out, 'eventTime', e.eventTime)
  setIf(out, 'series', e.series)
  setIf(out, 'action', e.action)
  setIf(out, 'related', e.related)
  setIf(out, 'reportingComponent', e.reportingController ?? '')
  setIf(out, 'reportingInstance', e.reportingInstance ?? '')
  return out
}

export interface Conversion {
  /** Where the objects live: the group and resource of the storage kind. */
  storage: { group: string; resource: string }
  toStorage(o: O): O
  fromStorage(o: O): O
}

const CONVERSIONS: Record<string, Conversion> = {
  'events.k8s.io/v1/Event': { storage: { group: '', resource: 'events' }, toStorage: eventsV1ToEvent, fromStorage: eventToEventsV1 },
}

export function conversionFor(k: KindInfo): Conversion | undefined {
  return CONVERSIONS[`${k.group}/${k.version}/${k.kind}`]
}

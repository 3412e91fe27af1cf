// A subscription is a watch: one kind, optionally one namespace and label and
// field selectors. This file checks what a client asks for (answering as the
// API server would, with a Status naming the field) and decides what a store
// event means to a subscription, selector transitions included: an object
// that stops matching is DELETED for that subscriber, as in a watch.
import type { KeyValue, WatchEvent } from '../etcd/types'
import type { Obj } from '../apiserver/objects'
import {
  type FieldRequirement,
  type LabelRequirement,
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from '../apiserver/selectors'
import { status, type Status } from '../apiserver/status'
import type { KindInfo } from '../resources/kind'
import { storagePrefix } from '../resources/kind'
import { findKind } from '../resources/registry'
import type { Subscription } from './protocol'

/** A subscription id is the client's, short and printable. */
const ID = /^[\x21-\x7e]{1,64}$/
const MAX_SELECTOR = 1024
/** Namespace names are DNS-1123 labels. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

/** A checked subscription, ready to match store events. */
export interface Target {
  /** As the client sent it, without resourceVersion (that is progress, not identity). */
  sub: Subscription
  kind: KindInfo
  /** Every object of the kind lives under this key prefix: the fan-out's index. */
  kindPrefix: string
  /** The subscription's keys (the kind's, or one namespace's of it). */
  prefix: string
  labels: LabelRequirement[]
  fields: FieldRequirement[]
}

export type Parsed = { ok: true; target: Target; resourceVersion?: number } | { ok: false; status: Status }

const invalid = (field: string, value: unknown, why: string): Parsed => ({
  ok: false,
  status: status(422, 'Invalid', `subscription.${field}: Invalid value: ${JSON.stringify(value)}: ${why}`, {
    causes: [{ type: 'FieldValueInvalid', field: `subscription.${field}`, message: why }],
  }),
})

const optionalString = (v: unknown) => v === undefined || v === null || typeof v === 'string'

/** Checks a client's subscription; the Status says what is wrong, naming the field. */
export function parseSubscription(raw: unknown): Parsed {
  if (!raw || typeof raw !== 'object') return { ok: false, status: status(400, 'BadRequest', 'subscription: Required value: a subscription object') }
  const s = raw as Record<string, unknown>
  if (typeof s.id !== 'string' || !ID.test(s.id)) return invalid('id', s.id, 'must be 1 to 64 printable characters without spaces')
  for (const f of ['group', 'version', 'resource'] as const)
    if (typeof s[f] !== 'string') return invalid(f, s[f], 'must be a string')
  for (const f of ['namespace', 'labelSelector', 'fieldSelector', 'resourceVersion'] as const)
    if (!optionalString(s[f])) return invalid(f, s[f], 'must be a string')
  const group = s.group as string
  const version = s.version as string
  const resource = s.resource as string
  const kind = findKind(group, version, resource)
  if (!kind || kind.virtual || !kind.verbs.includes('watch'))
    return { ok: false, status: status(404, 'NotFound', `the server could not find the requested resource (watch ${group ? `${resource}.${group}` : resource})`) }
  const namespace = (s.namespace as string | undefined) || undefined
  if (namespace !== undefined) {
    if (!kind.namespaced) return invalid('namespace', namespace, `${resource} are not namespaced`)
    if (!NAMESPACE.test(namespace)) return invalid('namespace', namespace, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\'')
  }
  const labelSelector = (s.labelSelector as string | undefined) || undefined
  const fieldSelector = (s.fieldSelector as string | undefined) || undefined
  for (const [f, v] of [['labelSelector', labelSelector], ['fieldSelector', fieldSelector]] as const)
    if (v && v.length > MAX_SELECTOR) return invalid(f, `${v.slice(0, 32)}…`, `must be no more than ${MAX_SELECTOR} characters`)
  let labels: LabelRequirement[]
  let fields: FieldRequirement[]
  try {
    labels = parseLabelSelector(labelSelector)
    fields = parseFieldSelector(fieldSelector, kind)
  } catch (err) {
    if (err instanceof SelectorError) return { ok: false, status: status(400, 'BadRequest', err.message) }
    throw err
  }
  const rv = (s.resourceVersion as string | undefined) || undefined
  if (rv !== undefined && !/^\d+$/.test(rv)) return { ok: false, status: status(400, 'BadRequest', `resourceVersion: Invalid value: "${rv}": must be a non-negative integer`) }
  const sub: Subscription = { id: s.id, group, version, resource }
  if (namespace) sub.namespace = namespace
  if (labelSelector) sub.labelSelector = labelSelector
  if (fieldSelector) sub.fieldSelector = fieldSelector
  const target = targetOf(sub, kind, labels, fields)
  // "0", like a watch's, means "from the current state": a list first.
  return rv && rv !== '0' ? { ok: true, target, resourceVersion: Number(rv) } : { ok: true, target }
}

function targetOf(sub: Subscription, kind: KindInfo, labels: LabelRequirement[], fields: FieldRequirement[]): Target {
  return { sub, kind, kindPrefix: storagePrefix(kind), prefix: storagePrefix(kind, sub.namespace), labels, fields }
}

/** The target of a subscription that was checked before (one kept in a socket's attachment). */
export function restoreTarget(sub: Subscription): Target | undefined {
  const parsed = parseSubscription(sub)
  return parsed.ok ? parsed.target : undefined
}

/** Whether the subscription selects this object (the key prefix was checked already). */
export function selects(t: Target, o: Obj | undefined): boolean {
  if (!o) return false
  if (t.labels.length && !matchLabels(t.labels, o.metadata.labels)) return false
  if (t.fields.length && !matchFields(t.fields, o, t.kind)) return false
  return true
}

/** What a store event is to a subscription: ADDED or MODIFIED (the new object), DELETED (the old one), or nothing. */
export type Transition = { type: 'ADDED' | 'MODIFIED'; of: 'now' } | { type: 'DELETED'; of: 'before' } | undefined

/**
 * The event as this subscription sees it. `now` and `before` decode the new
 * and previous objects on demand: a subscription without selectors needs
 * neither, so most events are never decoded for matching.
 */
export function transition(t: Target, e: WatchEvent, now: () => Obj | undefined, before: () => Obj | undefined): Transition {
  if (!e.kv.key.startsWith(t.prefix)) return undefined
  const filtered = t.labels.length > 0 || t.fields.length > 0
  const had = e.prevKv !== undefined
  if (!filtered) {
    if (e.type === 'DELETE') return had ? { type: 'DELETED', of: 'before' } : undefined
    return { type: had ? 'MODIFIED' : 'ADDED', of: 'now' }
  }
  const wasIn = had && selects(t, before())
  if (e.type === 'DELETE') return wasIn ? { type: 'DELETED', of: 'before' } : undefined
  if (selects(t, now())) return { type: wasIn ? 'MODIFIED' : 'ADDED', of: 'now' }
  return wasIn ? { type: 'DELETED', of: 'before' } : undefined
}

/** A deleted object as a watch reports it: its last state, at the revision of its deletion. */
export function asDeleted(before: Obj, deletedAt: KeyValue): Obj {
  return { ...before, metadata: { ...before.metadata, resourceVersion: String(deletedAt.modRevision) } }
}

// The LimitRanger admission plugin (plugin/pkg/admission/limitranger): on pod
// creation each container and init container without a request or limit gets
// the namespace's LimitRange defaults (recorded in the kubernetes.io/limit-ranger
// annotation); then pods and claims must respect every range's min, max and
// maxLimitRequestRatio per Container, per Pod and per PersistentVolumeClaim.
// Pure: the caller passes the namespace's LimitRanges.
import type { Obj } from '../objects'
import { type Attributes, aggregate, forbidden } from './attributes'
import { podLimits, podRequests } from './pod-resources'
import {
  format,
  fromWire,
  milliValue,
  parse,
  value,
  type Quantity,
  type ResourceList,
} from './resource-list'

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger'

const isPods = (a: Attributes) => a.group === '' && a.resource === 'pods'
const isClaims = (a: Attributes) => a.group === '' && a.resource === 'persistentvolumeclaims'

/**
 * LimitRange defaulting (SetDefaults_LimitRangeItem), for Container items: the
 * default limit falls back to max, the default request to the default limit,
 * then to min. kube-apiserver stores ranges defaulted; it belongs in
 * resources/defaults.ts, and the plugin applies it to its own copy meanwhile.
 */
export function defaultLimitRange(lr: Obj): void {
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue
    item.default ??= {}
    item.defaultRequest ??= {}
    for (const [k, v] of Object.entries(item.max ?? {})) item.default[k] ??= v
    for (const [k, v] of Object.entries(item.default)) item.defaultRequest[k] ??= v
    for (const [k, v] of Object.entries(item.min ?? {})) item.defaultRequest[k] ??= v
  }
}

function defaulted(lr: Obj): Obj {
  const copy = structuredClone(lr)
  defaultLimitRange(copy)
  return copy
}

/** Which requests run through the plugin: pods on create, claims on create and update, no subresources. */
function supports(a: Attributes): boolean {
  if (a.subresource) return false
  if (isPods(a)) return a.operation === 'CREATE'
  return isClaims(a)
}

/** Objects being deleted are left alone. */
const beingDeleted = (a: Attributes) => !!a.oldObject?.metadata?.deletionTimestamp

const canonical = (v: unknown) => {
  const q = parse(v as string | number)
  return q ? format(q) : v
}

/** The mutating half: default requests and limits of new pods' containers. */
export function admitLimitRangerDefaults(a: Attributes, limitRanges: Obj[]): void {
  if (!supports(a) || beingDeleted(a) || !isPods(a)) return
  for (const lr of sortByName(limitRanges)) mergeDefaults(a.object, defaulted(lr))
}

function mergeDefaults(pod: Obj, lr: Obj): void {
  const requests: Record<string, unknown> = {}
  const limits: Record<string, unknown> = {}
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue
    Object.assign(requests, item.defaultRequest ?? {})
    Object.assign(limits, item.default ?? {})
  }
  const notes: string[] = []
  const merge = (c: Obj, what: string) => {
    c.resources ??= {}
    const setLimits = Object.keys(limits).filter((k) => !(k in (c.resources.limits ?? {})))
    const setRequests = Object.keys(requests).filter((k) => !(k in (c.resources.requests ?? {})))
    // Empty lists stay absent, as upstream's empty maps are omitted on the wire.
    if (setLimits.length) c.resources.limits ??= {}
    if (setRequests.length) c.resources.requests ??= {}
    for (const k of setLimits) c.resources.limits[k] = canonical(limits[k])
    for (const k of setRequests) c.resources.requests[k] = canonical(requests[k])
    if (setRequests.length)
      notes.push(`${setRequests.sort().join(', ')} request for ${what} ${c.name}`)
    if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${what} ${c.name}`)
  }
  for (const c of pod.spec?.containers ?? []) merge(c, 'container')
  for (const c of pod.spec?.initContainers ?? []) merge(c, 'init container')
  if (notes.length) {
    pod.metadata.annotations ??= {}
    pod.metadata.annotations[LIMIT_RANGER_ANNOTATION] =
      `LimitRanger plugin set: ${notes.join('; ')}`
  }
}

/** The validating half: throws upstream's 403 for the first range the object breaks. */
export function admitLimitRangerValidate(a: Attributes, limitRanges: Obj[]): void {
  if (!supports(a) || beingDeleted(a)) return
  for (const lr of sortByName(limitRanges)) {
    const errs = isPods(a)
      ? validatePod(defaulted(lr), a.object)
      : validateClaim(defaulted(lr), a.object)
    if (errs.length) throw forbidden(a, aggregate(errs))
  }
}

const sortByName = (list: Obj[]) =>
  [...list].sort((x, y) => String(x.metadata?.name).localeCompare(String(y.metadata?.name)))

const sortedEntries = (list: Record<string, unknown> | undefined): [string, Quantity][] =>
  Object.keys(list ?? {})
    .sort()
    .flatMap((k) => {
      const q = parse(list![k] as string | number)
      return q ? [[k, q] as [string, Quantity]] : []
    })

const MAX_MILLI = 9223372036854775807n / 1000n

/** Upstream compares in milli-units unless a value is too large for them (requestLimitEnforcedValues). */
function comparable(...qs: (Quantity | undefined)[]): bigint[] {
  const units = qs.map((q) => (q ? value(q) : 0n))
  if (units.every((u) => u <= MAX_MILLI)) return qs.map((q) => (q ? milliValue(q) : 0n))
  return units
}

function minConstraint(
  type: string,
  r: string,
  enforced: Quantity,
  requests: ResourceList,
  limits: ResourceList,
): string | undefined {
  const req = requests[r]
  const lim = limits[r]
  const [rv, lv, ev] = comparable(req, lim, enforced)
  const e = format(enforced)
  if (!req) return `minimum ${r} usage per ${type} is ${e}.  No request is specified`
  if (rv! < ev!) return `minimum ${r} usage per ${type} is ${e}, but request is ${format(req)}`
  if (lim && lv! < ev!) return `minimum ${r} usage per ${type} is ${e}, but limit is ${format(lim)}`
  return undefined
}

function maxConstraint(
  type: string,
  r: string,
  enforced: Quantity,
  requests: ResourceList,
  limits: ResourceList,
): string | undefined {
  const req = requests[r]
  const lim = limits[r]
  const [rv, lv, ev] = comparable(req, lim, enforced)
  const e = format(enforced)
  if (!lim) return `maximum ${r} usage per ${type} is ${e}.  No limit is specified`
  if (lv! > ev!) return `maximum ${r} usage per ${type} is ${e}, but limit is ${format(lim)}`
  if (req && rv! > ev!)
    return `maximum ${r} usage per ${type} is ${e}, but request is ${format(req)}`
  return undefined
}

/** Claims have no limits: max applies to the request (maxRequestConstraint). */
function maxRequestConstraint(
  type: string,
  r: string,
  enforced: Quantity,
  requests: ResourceList,
): string | undefined {
  const req = requests[r]
  const [rv, , ev] = comparable(req, undefined, enforced)
  const e = format(enforced)
  if (!req) return `maximum ${r} usage per ${type} is ${e}.  No request is specified`
  if (rv! > ev!) return `maximum ${r} usage per ${type} is ${e}, but request is ${format(req)}`
  return undefined
}

function ratioConstraint(
  type: string,
  r: string,
  enforced: Quantity,
  requests: ResourceList,
  limits: ResourceList,
): string | undefined {
  const req = requests[r]
  const lim = limits[r]
  const [rv, lv] = comparable(req, lim, enforced)
  const e = format(enforced)
  if (!req || rv === 0n)
    return `${r} max limit to request ratio per ${type} is ${e}, but no request is specified or request is 0`
  if (!lim || lv === 0n)
    return `${r} max limit to request ratio per ${type} is ${e}, but no limit is specified or limit is 0`
  const observed = Number(lv) / Number(rv)
  const inMilli = value(enforced) <= MAX_MILLI
  const over = inMilli
    ? observed * 1000 > Number(milliValue(enforced))
    : observed > Number(value(enforced))
  if (over)
    return `${r} max limit to request ratio per ${type} is ${e}, but provided ratio is ${observed.toFixed(6)}`
  return undefined
}

/** min, max and ratio of one LimitRange item against one set of requests and limits. */
function checkItem(item: Obj, requests: ResourceList, limits: ResourceList): string[] {
  const errs: (string | undefined)[] = []
  for (const [r, q] of sortedEntries(item.min))
    errs.push(minConstraint(item.type, r, q, requests, limits))
  for (const [r, q] of sortedEntries(item.max))
    errs.push(maxConstraint(item.type, r, q, requests, limits))
  for (const [r, q] of sortedEntries(item.maxLimitRequestRatio))
    errs.push(ratioConstraint(item.type, r, q, requests, limits))
  return errs.filter((e): e is string => !!e)
}

function validatePod(lr: Obj, pod: Obj): string[] {
  const errs: string[] = []
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container')
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])])
        errs.push(
          ...checkItem(item, fromWire(c.resources?.requests), fromWire(c.resources?.limits)),
        )
    if (item.type === 'Pod')
      errs.push(
        ...checkItem(
          item,
          podRequests(pod, { excludeOverhead: true }),
          podLimits(pod, { excludeOverhead: true }),
        ),
      )
  }
  return errs
}

function validateClaim(lr: Obj, pvc: Obj): string[] {
  const errs: (string | undefined)[] = []
  const requests = fromWire(pvc.spec?.resources?.requests)
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue
    for (const [r, q] of sortedEntries(item.min))
      errs.push(minConstraint(item.type, r, q, requests, {}))
    for (const [r, q] of sortedEntries(item.max))
      errs.push(maxRequestConstraint(item.type, r, q, requests))
  }
  return errs.filter((e): e is string => !!e)
}

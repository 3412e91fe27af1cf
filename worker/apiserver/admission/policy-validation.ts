// Validation of ResourceQuota and LimitRange (pkg/apis/core/validation:
// ValidateResourceQuota, ValidateResourceQuotaUpdate, ValidateLimitRange), with
// upstream's field paths and messages. Go prints a rejected value of a named
// slice or struct type with %#v; those are rendered the same way here. A
// rejected resource.Quantity, which Go would also print with %#v, is shown as
// its quoted string.
import type { Cause } from '../../resources/validation'
import { cmp, format, milliValue, parse, value, type Quantity } from './resource-list'

type O = Record<string, any>

const q = JSON.stringify
const invalid = (field: string, shown: string, why: string): Cause => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${shown}: ${why}`,
})
const key = (path: string, k: string) => `${path}[${k}]`

const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
])
const STANDARD_QUOTA_RESOURCES = new Set([...STANDARD_RESOURCES].filter((r) => r !== 'storage'))
const INTEGER_RESOURCES = new Set([
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
])
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage'])
const LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim'])
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass']
const POD_COMPUTE = new Set(['pods', 'cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'])

const isHugePages = (r: string) => r.startsWith('hugepages-') || r.startsWith('requests.hugepages-')
const isNative = (r: string) => !r.includes('/') || r.includes('kubernetes.io/')
const isExtended = (r: string) => !isNative(r) && !r.startsWith('requests.')

const NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** IsQualifiedName's messages. */
function qualifiedName(v: string): string[] {
  const parts = v.split('/')
  if (parts.length > 2)
    return [`a qualified name ${NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  const errs: string[] = []
  const name = parts.length === 2 ? parts[1]! : parts[0]!
  if (parts.length === 2) {
    if (!parts[0]) errs.push('prefix part must be non-empty')
    else if (!SUBDOMAIN.test(parts[0]!) || parts[0]!.length > 253)
      errs.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      )
  }
  if (!name) errs.push('name part must be non-empty')
  else if (name.length > 63) errs.push('name part must be no more than 63 characters')
  if (!NAME.test(name)) errs.push(`name part ${NAME_MSG}`)
  return errs
}

/** validateResourceName: a qualified name, standard unless it has a prefix. */
function resourceName(field: string, r: string): Cause[] {
  const errs = qualifiedName(r).map((m) => invalid(field, q(r), m))
  if (errs.length) return errs
  if (!r.includes('/') && !STANDARD_RESOURCES.has(r) && !isHugePages(r))
    return [invalid(field, q(r), 'must be a standard resource type or fully qualified')]
  return []
}

function quotaResourceName(field: string, r: string): Cause[] {
  const errs = resourceName(field, r)
  if (!r.includes('/') && !STANDARD_QUOTA_RESOURCES.has(r) && !isHugePages(r))
    errs.push(invalid(field, q(r), 'must be a standard resource for quota'))
  return errs
}

function containerResourceName(field: string, r: string): Cause[] {
  const errs = resourceName(field, r)
  if (!r.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(r) && !r.startsWith('hugepages-'))
      errs.push(invalid(field, q(r), 'must be a standard resource for containers'))
  } else if (!isNative(r) && !isExtended(r))
    errs.push(invalid(field, q(r), "doesn't follow extended resource name standard"))
  return errs
}

/** ValidateResourceQuantityValue: non-negative, whole for counted resources. */
function quantityValue(field: string, r: string, raw: unknown): Cause[] {
  const v = parse(raw as string)
  if (!v) return []
  if (v.nanos < 0n) return [invalid(field, q(format(v)), 'must be greater than or equal to 0')]
  const integer = INTEGER_RESOURCES.has(r) || r.startsWith('count/') || isExtended(r)
  if (integer && milliValue(v) % 1000n !== 0n) return [invalid(field, q(format(v)), 'must be an integer')]
  return []
}

const goStrings = (type: string, list: string[] | undefined) =>
  list ? `[]${type}{${list.map((s) => q(s)).join(', ')}}` : `[]${type}(nil)`

function goScopeSelector(sel: O): string {
  const reqs = (sel.matchExpressions ?? []).map(
    (r: O) =>
      `core.ScopedResourceSelectorRequirement{ScopeName:${q(r.scopeName ?? '')}, Operator:${q(r.operator ?? '')}, Values:${goStrings('string', r.values)}}`,
  )
  const list = sel.matchExpressions ? `[]core.ScopedResourceSelectorRequirement{${reqs.join(', ')}}` : '[]core.ScopedResourceSelectorRequirement(nil)'
  return `core.ScopeSelector{MatchExpressions:${list}}`
}

function scopeValidFor(scope: string, r: string): boolean {
  if (scope === 'BestEffort') return r === 'pods'
  if (scope === 'VolumeAttributesClass') return r === 'persistentvolumeclaims' || r === 'requests.storage'
  return SCOPES.includes(scope) ? POD_COMPUTE.has(r) : true
}

const CONFLICTS = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']]

function quotaSpec(spec: O): Cause[] {
  const out: Cause[] = []
  const hard = Object.keys(spec.hard ?? {}).sort()
  for (const r of hard) {
    out.push(...quotaResourceName(key('spec.hard', r), r), ...quantityValue(key('spec.hard', r), r, spec.hard[r]))
  }
  const standard = hard.filter((r) => !r.includes('/') && (STANDARD_QUOTA_RESOURCES.has(r) || isHugePages(r)))
  const scopes: string[] | undefined = spec.scopes
  if (scopes?.length) {
    const shown = goStrings('core.ResourceQuotaScope', scopes)
    for (const s of scopes) {
      if (!SCOPES.includes(s)) out.push(invalid('spec.scopes', shown, 'unsupported scope'))
      for (const r of standard) if (!scopeValidFor(s, r)) out.push(invalid('spec.scopes', shown, 'unsupported scope applied to resource'))
    }
    for (const pair of CONFLICTS) if (pair.every((p) => scopes.includes(p))) out.push(invalid('spec.scopes', shown, 'conflicting scopes'))
  }
  const sel: O | undefined = spec.scopeSelector
  if (sel) {
    const path = 'spec.scopeSelector.matchExpressions'
    const names: string[] = []
    for (const req of sel.matchExpressions ?? []) {
      const scope = req.scopeName ?? ''
      if (!SCOPES.includes(scope)) out.push(invalid(`${path}.scopeName`, q(scope), 'unsupported scope'))
      for (const r of standard) if (!scopeValidFor(scope, r)) out.push(invalid(path, goScopeSelector(sel), 'unsupported scope applied to resource'))
      if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(scope) && req.operator !== 'Exists')
        out.push(
          invalid(`${path}.operator`, q(req.operator ?? ''), "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"),
        )
      const values: string[] = req.values ?? []
      if (req.operator === 'In' || req.operator === 'NotIn') {
        if (!values.length)
          out.push({ type: 'FieldValueRequired', field: `${path}.values`, message: "Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector" })
      } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
        if (values.length) out.push(invalid(`${path}.values`, goStrings('string', values), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"))
      } else out.push(invalid(`${path}.operator`, q(req.operator ?? ''), 'not a valid selector operator'))
      names.push(scope)
    }
    for (const pair of CONFLICTS) if (pair.every((p) => names.includes(p))) out.push(invalid(path, goStrings('core.ResourceQuotaScope', scopes), 'conflicting scopes'))
  }
  return out
}

export function validateResourceQuota(rq: O, old?: O): Cause[] {
  const out = quotaSpec(rq.spec ?? {})
  if (old) {
    const a = [...new Set<string>(rq.spec?.scopes ?? [])].sort()
    const b = [...new Set<string>(old.spec?.scopes ?? [])].sort()
    if (q(a) !== q(b)) out.push(invalid('spec.scopes', goStrings('core.ResourceQuotaScope', rq.spec?.scopes), 'field is immutable'))
  }
  return out
}

/** Compares as upstream's ratio check: in milli-units unless a value is too large for them. */
function ratioTooLarge(ratio: Quantity, min: Quantity, max: Quantity): [boolean, number] {
  const MAX_MILLI = 9223372036854775807n / 1000n
  let r = Number(value(ratio))
  let lo = value(min)
  let hi = value(max)
  if (value(ratio) < MAX_MILLI && lo < MAX_MILLI && hi < MAX_MILLI) {
    r = Number(milliValue(ratio)) / 1000
    lo = milliValue(min)
    hi = milliValue(max)
  }
  const limit = Number(hi) / Number(lo)
  return [r > limit, limit]
}

export function validateLimitRange(lr: O): Cause[] {
  const out: Cause[] = []
  const seen = new Set<string>()
  const items: O[] = lr.spec?.limits ?? []
  items.forEach((item, i) => {
    const at = `spec.limits[${i}]`
    const type = String(item.type ?? '')
    const typeErrs = qualifiedName(type).map((m) => invalid(`${at}.type`, q(type), m))
    if (!typeErrs.length && !type.includes('/') && !LIMIT_TYPES.has(type))
      typeErrs.push(invalid(`${at}.type`, q(type), 'must be a standard limit type or fully qualified'))
    out.push(...typeErrs)
    if (seen.has(type)) out.push({ type: 'FieldValueDuplicate', field: `${at}.type`, message: `Duplicate value: ${q(type)}` })
    seen.add(type)
    const nameCheck = type === 'Pod' || type === 'Container' ? containerResourceName : resourceName
    const lists: Record<string, Record<string, Quantity>> = { max: {}, min: {}, default: {}, defaultRequest: {}, maxLimitRequestRatio: {} }
    const keys = new Set<string>()
    const take = (field: string) => {
      for (const r of Object.keys(item[field] ?? {}).sort()) {
        out.push(...nameCheck(key(`${at}.${field}`, r), r))
        keys.add(r)
        const v = parse(item[field][r])
        if (v) lists[field]![r] = v
      }
    }
    take('max')
    take('min')
    if (type === 'Pod') {
      for (const f of ['default', 'defaultRequest'])
        if (Object.keys(item[f] ?? {}).length)
          out.push({ type: 'FieldValueForbidden', field: `${at}.${f}`, message: "Forbidden: may not be specified when `type` is 'Pod'" })
    } else {
      take('default')
      take('defaultRequest')
    }
    if (type === 'PersistentVolumeClaim' && !(item.min?.storage !== undefined || item.max?.storage !== undefined))
      out.push({ type: 'FieldValueRequired', field: `${at}.limits`, message: 'Required value: either minimum or maximum storage value is required, but neither was provided' })
    take('maxLimitRequestRatio')
    const { min, max, default: def, defaultRequest: req, maxLimitRequestRatio: ratio } = lists
    for (const r of [...keys].sort()) {
      const s = (x: Quantity) => format(x)
      const [lo, hi, d, dr, mr] = [min![r], max![r], def![r], req![r], ratio![r]]
      if (lo && hi && cmp(lo, hi) > 0) out.push(invalid(key(`${at}.min`, r), q(s(lo)), `min value ${s(lo)} is greater than max value ${s(hi)}`))
      if (dr && lo && cmp(lo, dr) > 0) out.push(invalid(key(`${at}.defaultRequest`, r), q(s(dr)), `min value ${s(lo)} is greater than default request value ${s(dr)}`))
      if (dr && hi && cmp(dr, hi) > 0) out.push(invalid(key(`${at}.defaultRequest`, r), q(s(dr)), `default request value ${s(dr)} is greater than max value ${s(hi)}`))
      if (dr && d && cmp(dr, d) > 0) out.push(invalid(key(`${at}.defaultRequest`, r), q(s(dr)), `default request value ${s(dr)} is greater than default limit value ${s(d)}`))
      if (d && lo && cmp(lo, d) > 0) out.push(invalid(key(`${at}.default`, r), q(s(lo)), `min value ${s(lo)} is greater than default value ${s(d)}`))
      if (d && hi && cmp(d, hi) > 0) out.push(invalid(key(`${at}.default`, r), q(s(hi)), `default value ${s(d)} is greater than max value ${s(hi)}`))
      if (mr && milliValue(mr) < 1000n) out.push(invalid(key(`${at}.maxLimitRequestRatio`, r), q(s(mr)), `ratio ${s(mr)} is less than 1`))
      if (mr && lo && hi) {
        const [over, limit] = ratioTooLarge(mr, lo, hi)
        if (over) out.push(invalid(key(`${at}.maxLimitRequestRatio`, r), q(s(mr)), `ratio ${s(mr)} is greater than max/min = ${limit.toFixed(6)}`))
      }
      // Resources that cannot be overcommitted (hugepages, extended): default and defaultRequest must match.
      const overcommit = isNative(r) && !r.startsWith('hugepages-')
      if (!overcommit && d && dr && cmp(d, dr) !== 0)
        out.push(invalid(key(`${at}.defaultRequest`, r), q(s(dr)), `default value ${s(d)} must equal to defaultRequest value ${s(dr)} in ${r}`))
    }
  })
  return out
}

// Upstream-style validation messages (apimachinery validation/field errors):
// "<field>: Required value", "<field>: Invalid value: "x": <why>".
import { validateInstance, validateNodePool } from './cloud'
import type { KindInfo } from './kind'
import { validateRole, validateRoleBinding } from './rbac-validation'
import { validateStorage } from './storage-validation'
import { validateVolumeAttachment } from './volume-attachment-validation'

export interface Cause {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden'
  field: string
  message: string
}

type O = Record<string, any>
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

export const required = (field: string): Cause => ({ type: 'FieldValueRequired', field, message: 'Required value' })
export const invalid = (field: string, value: unknown, why: string): Cause => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
})

const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

export function validateDNS1123Label(field: string, v: string): Cause[] {
  const out: Cause[] = []
  if (v.length > 63) out.push(invalid(field, v, 'must be no more than 63 characters'))
  if (!DNS1123_LABEL.test(v)) out.push(invalid(field, v, LABEL_MSG))
  return out
}

export function validateDNS1123Subdomain(field: string, v: string): Cause[] {
  const out: Cause[] = []
  if (v.length > 253) out.push(invalid(field, v, 'must be no more than 253 characters'))
  if (!DNS1123_SUBDOMAIN.test(v)) out.push(invalid(field, v, SUBDOMAIN_MSG))
  return out
}

/** RBAC names are path segments (ValidateRBACName), so "system:basic-user" is one. */
export function validatePathSegmentName(field: string, v: string): Cause[] {
  if (v === '.' || v === '..') return [invalid(field, v, `may not be '${v}'`)]
  return ['/', '%'].filter((c) => v.includes(c)).map((c) => invalid(field, v, `may not contain '${c}'`))
}

/** Kinds whose names are DNS labels rather than subdomains. */
const LABEL_NAMED = new Set(['Namespace'])

const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
/** Service names are DNS-1035 labels (they become DNS names and environment variables): no leading digit. */
export function validateDNS1035Label(field: string, v: string): Cause[] {
  const out: Cause[] = []
  if (v.length > 63) out.push(invalid(field, v, 'must be no more than 63 characters'))
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(v)) out.push(invalid(field, v, DNS1035_MSG))
  return out
}

export function validateLabels(field: string, labels: unknown): Cause[] {
  if (labels === undefined || labels === null) return []
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalid(field, labels, 'must be a map of strings')]
  const out: Cause[] = []
  for (const [k, v] of Object.entries(labels as O)) {
    const slash = k.lastIndexOf('/')
    const name = slash >= 0 ? k.slice(slash + 1) : k
    const prefix = slash >= 0 ? k.slice(0, slash) : ''
    if (!name || name.length > 63 || !LABEL_NAME.test(name) || (prefix && !DNS1123_SUBDOMAIN.test(prefix)))
      out.push(invalid(field, k, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"))
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v))
      out.push(invalid(`${field}`, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"))
  }
  return out
}

export function validateMeta(k: KindInfo, o: O): Cause[] {
  const m = o.metadata ?? {}
  const out: Cause[] = []
  if (!m.name) out.push(required('metadata.name'))
  else if (k.kind === 'Service' && !k.group) out.push(...validateDNS1035Label('metadata.name', m.name))
  else if (k.group === 'rbac.authorization.k8s.io') out.push(...validatePathSegmentName('metadata.name', m.name))
  else out.push(...(LABEL_NAMED.has(k.kind) ? validateDNS1123Label('metadata.name', m.name) : validateDNS1123Subdomain('metadata.name', m.name)))
  out.push(...validateLabels('metadata.labels', m.labels))
  if (m.annotations !== undefined && (typeof m.annotations !== 'object' || Array.isArray(m.annotations) || Object.values(m.annotations).some((v) => typeof v !== 'string')))
    out.push(invalid('metadata.annotations', m.annotations, 'must be a map of strings'))
  return out
}

function validateContainers(field: string, list: unknown, requireOne: boolean): Cause[] {
  if (list === undefined && !requireOne) return []
  if (!Array.isArray(list) || (requireOne && list.length === 0)) return [required(field)]
  const out: Cause[] = []
  const names = new Set<string>()
  list.forEach((c: O, i) => {
    if (!c?.name) out.push(required(`${field}[${i}].name`))
    else {
      out.push(...validateDNS1123Label(`${field}[${i}].name`, c.name))
      if (names.has(c.name)) out.push({ type: 'FieldValueDuplicate', field: `${field}[${i}].name`, message: `Duplicate value: ${JSON.stringify(c.name)}` })
      names.add(c.name)
    }
    if (!c?.image) out.push(required(`${field}[${i}].image`))
    const pol = c?.imagePullPolicy
    if (pol !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(pol))
      out.push({ type: 'FieldValueNotSupported', field: `${field}[${i}].imagePullPolicy`, message: `Unsupported value: ${JSON.stringify(pol)}: supported values: "Always", "IfNotPresent", "Never"` })
  })
  return out
}

export function validatePodSpec(field: string, spec: O | undefined): Cause[] {
  if (!spec) return [required(field)]
  const out = [...validateContainers(`${field}.containers`, spec.containers, true), ...validateContainers(`${field}.initContainers`, spec.initContainers, false)]
  if (spec.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy))
    out.push({ type: 'FieldValueNotSupported', field: `${field}.restartPolicy`, message: `Unsupported value: ${JSON.stringify(spec.restartPolicy)}: supported values: "Always", "OnFailure", "Never"` })
  return out
}

function validateSelectorMatches(field: string, selector: O | undefined, templateLabels: O | undefined): Cause[] {
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) return [required(field)]
  const labels = templateLabels ?? {}
  const ok = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
  return ok ? [] : [invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')]
}

export function validateKind(k: KindInfo, o: O, old?: O): Cause[] {
  const out = validateMeta(k, o)
  const key = `${k.group}/${k.version}/${k.kind}`
  if (key === '/v1/Pod') out.push(...validatePodSpec('spec', o.spec))
  if (key === 'apps/v1/Deployment' || key === 'apps/v1/ReplicaSet') {
    const s = o.spec ?? {}
    if (typeof s.replicas === 'number' && s.replicas < 0) out.push(invalid('spec.replicas', s.replicas, 'must be greater than or equal to 0'))
    out.push(...validateSelectorMatches('spec.selector', s.selector, s.template?.metadata?.labels))
    out.push(...validatePodSpec('spec.template.spec', s.template?.spec))
    if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(s.selector))
      out.push(invalid('spec.selector', s.selector, 'field is immutable'))
  }
  // Services: resources/service-validation.ts, called by the API server's Service strategy.
  if (key === 'sim.wheelhouse.dev/v1alpha1/Clock') {
    const sp = o.spec ?? {}
    if (o.metadata?.name !== 'cluster') out.push(invalid('metadata.name', o.metadata?.name, 'the cluster has one clock, named "cluster"'))
    if (typeof sp.speed !== 'number' || !Number.isFinite(sp.speed) || sp.speed < 0.1 || sp.speed > 1000)
      out.push(invalid('spec.speed', sp.speed, 'must be a number between 0.1 and 1000'))
    if (sp.paused !== undefined && typeof sp.paused !== 'boolean') out.push(invalid('spec.paused', sp.paused, 'must be a boolean'))
  }
  // PersistentVolumes, PersistentVolumeClaims, StorageClasses: resources/storage-validation.ts.
  out.push(...validateStorage(key, o, old))
  if (key === 'storage.k8s.io/v1/VolumeAttachment') out.push(...validateVolumeAttachment(o, old))
  if (key === 'rbac.authorization.k8s.io/v1/Role' || key === 'rbac.authorization.k8s.io/v1/ClusterRole') out.push(...validateRole(o, k.kind === 'Role'))
  if (key === 'rbac.authorization.k8s.io/v1/RoleBinding' || key === 'rbac.authorization.k8s.io/v1/ClusterRoleBinding') out.push(...validateRoleBinding(o, k.kind === 'RoleBinding', old))
  if (key === 'sim.wheelhouse.dev/v1alpha1/NodePool') out.push(...validateNodePool(o, old))
  if (key === 'sim.wheelhouse.dev/v1alpha1/Instance') out.push(...validateInstance(o, old))
  if (key === '/v1/ConfigMap' || key === '/v1/Secret') {
    if (old?.immutable && (JSON.stringify(old.data) !== JSON.stringify(o.data) || JSON.stringify(old.binaryData) !== JSON.stringify(o.binaryData)))
      out.push({ type: 'FieldValueForbidden', field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' })
    for (const dk of Object.keys(o.data ?? {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(dk)) out.push(invalid(`data[${dk}]`, dk, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"))
    }
  }
  return out
}

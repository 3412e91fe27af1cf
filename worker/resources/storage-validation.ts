// Validation of PersistentVolumes, PersistentVolumeClaims and StorageClasses
// (pkg/apis/core/validation and pkg/apis/storage/validation), with upstream's
// field paths and messages.
import { parseQuantity } from './quantity'
import { ACCESS_MODES, ANN_BETA_STORAGE_CLASS } from './storage'
import { type Cause, invalid, required, validateDNS1123Subdomain } from './validation'

type O = Record<string, any>

const notSupported = (field: string, value: unknown, supported: string[]): Cause => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
})
const forbidden = (field: string, why: string): Cause => ({
  type: 'FieldValueForbidden',
  field,
  message: `Forbidden: ${why}`,
})
const requiredWhy = (field: string, why: string): Cause => ({
  ...required(field),
  message: `Required value: ${why}`,
})
const immutable = (field: string, value: unknown): Cause =>
  invalid(field, value, 'field is immutable')
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain']
const VOLUME_MODES = ['Block', 'Filesystem']
/** The volume sources we serve, in upstream's order of checking. */
const PV_SOURCES = ['hostPath', 'nfs', 'local', 'csi']
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/

function validateAccessModes(field: string, modes: unknown, why = ''): Cause[] {
  const list: string[] = Array.isArray(modes) ? modes : []
  const out: Cause[] = []
  if (list.length === 0) out.push(why ? requiredWhy(field, why) : required(field))
  for (const m of list)
    if (!ACCESS_MODES.includes(m)) out.push(notSupported(field, m, ACCESS_MODES))
  if (
    list.includes('ReadWriteOncePod') &&
    list.some((m) => m !== 'ReadWriteOncePod' && ACCESS_MODES.includes(m))
  )
    out.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'))
  return out
}

/** ValidatePositiveQuantityValue: a size must be above zero. */
function validatePositive(field: string, q: unknown): Cause[] {
  const v = parseQuantity(q as string)
  return v !== undefined && v <= 0 ? [invalid(field, String(q), 'must be greater than zero')] : []
}

/** ValidateClassName: a class name is a DNS subdomain. */
const validateClassName = (field: string, name: unknown): Cause[] =>
  typeof name === 'string' && name !== '' ? validateDNS1123Subdomain(field, name) : []

function validateLabelSelector(field: string, sel: O | undefined): Cause[] {
  const out: Cause[] = []
  ;(sel?.matchExpressions ?? []).forEach((r: O, i: number) => {
    const f = `${field}.matchExpressions[${i}]`
    const n = r.values?.length ?? 0
    if (r.operator === 'In' || r.operator === 'NotIn') {
      if (n === 0)
        out.push(requiredWhy(`${f}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
    } else if (r.operator === 'Exists' || r.operator === 'DoesNotExist') {
      if (n > 0)
        out.push(
          forbidden(
            `${f}.values`,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        )
    } else out.push(invalid(`${f}.operator`, r.operator, 'not a valid selector operator'))
  })
  return out
}

function validateVolumeSource(spec: O): Cause[] {
  const out: Cause[] = []
  let n = 0
  for (const src of PV_SOURCES) {
    const s = spec[src]
    if (!s) continue
    if (n++ > 0) {
      out.push(forbidden(`spec.${src}`, 'may not specify more than 1 volume type'))
      continue
    }
    const f = `spec.${src}`
    if (src === 'hostPath' && !s.path) out.push(required(`${f}.path`))
    if (src === 'nfs') {
      if (!s.server) out.push(required(`${f}.server`))
      if (!s.path) out.push(required(`${f}.path`))
      else if (!String(s.path).startsWith('/'))
        out.push(invalid(`${f}.path`, s.path, 'must be an absolute path'))
    }
    if (src === 'local') {
      if (!s.path) out.push(required(`${f}.path`))
      if (!spec.nodeAffinity)
        out.push(requiredWhy('spec.nodeAffinity', 'Local volume requires node affinity'))
    }
    if (src === 'csi') {
      if (!s.driver) out.push(required(`${f}.driver`))
      if (!s.volumeHandle) out.push(required(`${f}.volumeHandle`))
    }
  }
  if (n === 0) out.push(requiredWhy('spec', 'must specify a volume type'))
  return out
}

export function validatePersistentVolume(pv: O, old?: O): Cause[] {
  const spec: O = pv.spec ?? {}
  const out = validateAccessModes('spec.accessModes', spec.accessModes)
  const cap: O = spec.capacity ?? {}
  if (Object.keys(cap).length === 0) out.push(required('spec.capacity'))
  if (!('storage' in cap) || Object.keys(cap).length > 1)
    out.push(notSupported('spec.capacity', cap, ['storage']))
  for (const [r, q] of Object.entries(cap)) out.push(...validatePositive(`spec.capacity[${r}]`, q))
  const policy = spec.persistentVolumeReclaimPolicy
  if (policy && !RECLAIM_POLICIES.includes(policy))
    out.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES))
  if (spec.nodeAffinity && !spec.nodeAffinity.required)
    out.push(requiredWhy('spec.nodeAffinity.required', 'must specify required node constraints'))
  else if (spec.nodeAffinity && !(spec.nodeAffinity.required.nodeSelectorTerms ?? []).length)
    out.push(
      requiredWhy(
        'spec.nodeAffinity.required.nodeSelectorTerms',
        'must have at least one node selector term',
      ),
    )
  out.push(...validateVolumeSource(spec))
  out.push(...validateClassName('spec.storageClassName', spec.storageClassName))
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode))
    out.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES))
  if (!old) return out
  const os: O = old.spec ?? {}
  if (PV_SOURCES.some((s) => !same(spec[s], os[s])))
    out.push(
      forbidden(
        'spec.persistentvolumesource',
        'spec.persistentvolumesource is immutable after creation',
      ),
    )
  if (spec.volumeMode !== os.volumeMode) out.push(immutable('volumeMode', spec.volumeMode))
  if (os.nodeAffinity && !same(spec.nodeAffinity, os.nodeAffinity))
    out.push(immutable('nodeAffinity', spec.nodeAffinity))
  return out
}

function validateClaimSpec(spec: O): Cause[] {
  const out = validateAccessModes(
    'spec.accessModes',
    spec.accessModes,
    'at least 1 access mode is required',
  )
  if (spec.selector) out.push(...validateLabelSelector('spec.selector', spec.selector))
  const storage = spec.resources?.requests?.storage
  if (storage === undefined) out.push(required('spec.resources[storage]'))
  else out.push(...validatePositive('spec.resources[storage]', storage))
  out.push(...validateClassName('spec.storageClassName', spec.storageClassName))
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode))
    out.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES))
  return out
}

/**
 * ValidatePersistentVolumeClaimUpdate: a claim's spec is fixed once created,
 * except that its volumeName may be set once, a missing class may be filled
 * in, and a bound claim's storage request may change (but not below what it
 * has).
 */
function validateClaimUpdate(pvc: O, old: O): Cause[] {
  const out: Cause[] = []
  const spec: O = structuredClone(pvc.spec ?? {})
  const was: O = structuredClone(old.spec ?? {})
  if (!was.volumeName) was.volumeName = spec.volumeName
  const oldAnn = old.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS]
  if (
    was.storageClassName === undefined &&
    spec.storageClassName !== undefined &&
    (oldAnn === undefined || oldAnn === spec.storageClassName)
  )
    was.storageClassName = spec.storageClassName
  if (pvc.status?.phase === 'Bound' && spec.resources?.requests)
    spec.resources.requests.storage = was.resources?.requests?.storage
  if (!same(sorted(spec), sorted(was)))
    out.push(
      forbidden(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    )
  const newSize = parseQuantity(pvc.spec?.resources?.requests?.storage) ?? 0
  const oldSize = parseQuantity(old.spec?.resources?.requests?.storage) ?? 0
  const statusSize = parseQuantity(old.status?.capacity?.storage) ?? 0
  // RecoverVolumeExpansionFailure (beta, on): a request may come down, but not to what the volume already has.
  if (newSize < oldSize && newSize <= statusSize)
    out.push(
      forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'),
    )
  if (pvc.spec?.volumeMode !== old.spec?.volumeMode)
    out.push(immutable('volumeMode', pvc.spec?.volumeMode))
  return out
}

/** Keys sorted, so that field order does not count as a change. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted)
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as O)
        .sort()
        .map((k) => [k, sorted((v as O)[k])]),
    )
  return v
}

export function validatePersistentVolumeClaim(pvc: O, old?: O): Cause[] {
  const out = validateClaimSpec(pvc.spec ?? {})
  if (old) out.push(...validateClaimUpdate(pvc, old))
  return out
}

/** validation.IsQualifiedName, as a StorageClass's provisioner must be. */
function validateQualifiedName(field: string, v: string): Cause[] {
  const parts = v.split('/')
  if (parts.length > 2)
    return [
      invalid(
        field,
        v,
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ),
    ]
  const name = parts[parts.length - 1]!
  const out: Cause[] = []
  if (parts.length === 2) {
    if (!parts[0]) out.push(invalid(field, v, 'prefix part must be non-empty'))
    else
      for (const c of validateDNS1123Subdomain(field, parts[0]))
        out.push(
          invalid(
            field,
            v,
            `prefix part ${c.message.slice(`Invalid value: ${JSON.stringify(parts[0])}: `.length)}`,
          ),
        )
  }
  if (!name) out.push(invalid(field, v, 'name part must be non-empty'))
  else {
    if (name.length > 63)
      out.push(invalid(field, v, 'name part must be no more than 63 characters'))
    if (!NAME_PART.test(name)) out.push(invalid(field, v, NAME_PART_MSG))
  }
  return out
}

export function validateStorageClass(sc: O, old?: O): Cause[] {
  const out: Cause[] = []
  if (!sc.provisioner) out.push(required('provisioner'))
  else out.push(...validateQualifiedName('provisioner', String(sc.provisioner).toLowerCase()))
  if (sc.reclaimPolicy !== undefined && !['Delete', 'Retain'].includes(sc.reclaimPolicy))
    out.push(notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']))
  const modes = ['Immediate', 'WaitForFirstConsumer']
  if (sc.volumeBindingMode === undefined) out.push(required('volumeBindingMode'))
  else if (!modes.includes(sc.volumeBindingMode))
    out.push(notSupported('volumeBindingMode', sc.volumeBindingMode, modes))
  if (!old) return out
  if (!same(sorted(sc.parameters ?? {}), sorted(old.parameters ?? {})))
    out.push(forbidden('parameters', 'updates to parameters are forbidden.'))
  if (sc.provisioner !== old.provisioner)
    out.push(forbidden('provisioner', 'updates to provisioner are forbidden.'))
  if (sc.reclaimPolicy !== old.reclaimPolicy)
    out.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'))
  if (sc.volumeBindingMode !== old.volumeBindingMode)
    out.push(immutable('volumeBindingMode', sc.volumeBindingMode))
  return out
}

/** The storage kinds' rules, by "group/version/Kind"; other kinds have none here. */
export function validateStorage(key: string, o: O, old?: O): Cause[] {
  if (key === '/v1/PersistentVolume') return validatePersistentVolume(o, old)
  if (key === '/v1/PersistentVolumeClaim') return validatePersistentVolumeClaim(o, old)
  if (key === 'storage.k8s.io/v1/StorageClass') return validateStorageClass(o, old)
  return []
}

// Defaults and validation of the simulated cloud's kinds, NodePool and
// Instance, with apimachinery's field-error wording.
import { DEFAULT_MACHINE_TYPE, MACHINE_TYPES, ZONES } from './machine-types'
import { type Cause, invalid, required, validateDNS1123Label, validateLabels } from './validation'

type O = Record<string, any>

/** Node pools beyond this size are refused, as a project quota would. */
export const MAX_POOL_REPLICAS = 100

const supported = (field: string, v: unknown, values: readonly string[]): Cause => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(v)}: supported values: ${values.map((x) => JSON.stringify(x)).join(', ')}`,
})
const immutable = (field: string, v: unknown): Cause => invalid(field, v, 'field is immutable')

export function defaultNodePool(p: O): void {
  p.spec ??= {}
  p.spec.machineType ??= DEFAULT_MACHINE_TYPE
  p.spec.zones ??= [...ZONES]
  p.spec.replicas ??= 1
}

export function defaultInstance(i: O): void {
  i.spec ??= {}
  i.spec.running ??= true
}

function validateMachineType(field: string, v: unknown): Cause[] {
  if (v === undefined || v === '') return [required(field)]
  return typeof v === 'string' && MACHINE_TYPES[v]
    ? []
    : [supported(field, v, Object.keys(MACHINE_TYPES).sort())]
}

function validateZone(field: string, v: unknown): Cause[] {
  if (v === undefined || v === '') return [required(field)]
  return (ZONES as readonly unknown[]).includes(v) ? [] : [supported(field, v, ZONES)]
}

const EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule']

function validateTaints(field: string, taints: unknown): Cause[] {
  if (taints === undefined) return []
  if (!Array.isArray(taints)) return [invalid(field, taints, 'must be a list of taints')]
  const out: Cause[] = []
  const seen = new Set<string>()
  taints.forEach((t: O, i) => {
    const f = `${field}[${i}]`
    if (!t?.key) out.push(required(`${f}.key`))
    // A taint's key and value follow the label rules (checked one at a time on a one-entry map).
    else out.push(...validateLabels(`${f}.key`, { [t.key]: '' }))
    if (t?.value !== undefined) out.push(...validateLabels(`${f}.value`, { k: t.value }))
    if (!t?.effect) out.push(required(`${f}.effect`))
    else if (!EFFECTS.includes(t.effect)) out.push(supported(`${f}.effect`, t.effect, EFFECTS))
    const id = `${t?.key}:${t?.effect}`
    if (seen.has(id))
      out.push({
        type: 'FieldValueDuplicate',
        field: f,
        message: `Duplicate value: ${JSON.stringify({ key: t.key, effect: t.effect })}`,
      })
    seen.add(id)
  })
  return out
}

export function validateNodePool(p: O, old?: O): Cause[] {
  const s = p.spec ?? {}
  const out: Cause[] = []
  // Node names are "<pool>-<n>": the pool's name must be a DNS label with room for the suffix.
  if (p.metadata?.name) {
    out.push(...validateDNS1123Label('metadata.name', p.metadata.name))
    if (p.metadata.name.length > 50)
      out.push(invalid('metadata.name', p.metadata.name, 'must be no more than 50 characters'))
  }
  out.push(...validateMachineType('spec.machineType', s.machineType))
  if (old && old.spec?.machineType !== s.machineType)
    out.push(immutable('spec.machineType', s.machineType))
  if (!Array.isArray(s.zones) || s.zones.length === 0) out.push(required('spec.zones'))
  else
    s.zones.forEach((z: unknown, i: number) => {
      out.push(...validateZone(`spec.zones[${i}]`, z))
      if (s.zones.indexOf(z) !== i)
        out.push({
          type: 'FieldValueDuplicate',
          field: `spec.zones[${i}]`,
          message: `Duplicate value: ${JSON.stringify(z)}`,
        })
    })
  if (!Number.isInteger(s.replicas) || s.replicas < 0)
    out.push(invalid('spec.replicas', s.replicas, 'must be greater than or equal to 0'))
  else if (s.replicas > MAX_POOL_REPLICAS)
    out.push(
      invalid('spec.replicas', s.replicas, `must be less than or equal to ${MAX_POOL_REPLICAS}`),
    )
  out.push(...validateLabels('spec.labels', s.labels))
  out.push(...validateTaints('spec.taints', s.taints))
  return out
}

export function validateInstance(i: O, old?: O): Cause[] {
  const s = i.spec ?? {}
  const out: Cause[] = [
    ...validateMachineType('spec.machineType', s.machineType),
    ...validateZone('spec.zone', s.zone),
  ]
  if (i.metadata?.name) out.push(...validateDNS1123Label('metadata.name', i.metadata.name))
  if (s.pool !== undefined) out.push(...validateDNS1123Label('spec.pool', s.pool))
  if (typeof s.running !== 'boolean')
    out.push(invalid('spec.running', s.running, 'must be a boolean'))
  if (old)
    for (const f of ['pool', 'zone', 'machineType'])
      if (old.spec?.[f] !== s[f]) out.push(immutable(`spec.${f}`, s[f]))
  return out
}

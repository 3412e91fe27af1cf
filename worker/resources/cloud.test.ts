import { describe, expect, it } from 'vitest'
import { defaultInstance, defaultNodePool, validateInstance, validateNodePool } from './cloud'
import { capacityOf } from './machine-types'

const pool = (spec: Record<string, unknown>, name = 'gpu') => {
  const p = { metadata: { name }, spec: { ...spec } }
  defaultNodePool(p)
  return p
}
const fields = (causes: { field: string; message: string }[]) =>
  causes.map((c) => `${c.field}: ${c.message}`)

describe('NodePool defaults', () => {
  it('standard-4 in the three zones, one node', () => {
    expect(pool({}).spec).toEqual({
      machineType: 'standard-4',
      zones: ['zone-a', 'zone-b', 'zone-c'],
      replicas: 1,
    })
  })
})

describe('validateNodePool', () => {
  const cases: {
    name: string
    spec: Record<string, unknown>
    old?: Record<string, unknown>
    poolName?: string
    want: string[]
  }[] = [
    { name: 'defaults are valid', spec: {}, want: [] },
    {
      name: 'unknown machine type',
      spec: { machineType: 'huge-64' },
      want: [
        'spec.machineType: Unsupported value: "huge-64": supported values: "highcpu-4", "highmem-4", "standard-2", "standard-4", "standard-8"',
      ],
    },
    {
      name: 'negative replicas',
      spec: { replicas: -1 },
      want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'over the quota',
      spec: { replicas: 101 },
      want: ['spec.replicas: Invalid value: 101: must be less than or equal to 100'],
    },
    { name: 'no zones', spec: { zones: [] }, want: ['spec.zones: Required value'] },
    {
      name: 'unknown and repeated zones',
      spec: { zones: ['zone-a', 'zone-z', 'zone-a'] },
      want: [
        'spec.zones[1]: Unsupported value: "zone-z": supported values: "zone-a", "zone-b", "zone-c"',
        'spec.zones[2]: Duplicate value: "zone-a"',
      ],
    },
    {
      name: 'taint without effect, bad effect',
      spec: { taints: [{ key: 'gpu' }, { key: 'x', effect: 'Never' }] },
      want: [
        'spec.taints[0].effect: Required value',
        'spec.taints[1].effect: Unsupported value: "Never": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
      ],
    },
    {
      name: 'machine type is immutable',
      spec: { machineType: 'standard-8' },
      old: { machineType: 'standard-4' },
      want: ['spec.machineType: Invalid value: "standard-8": field is immutable'],
    },
    { name: 'replicas may change', spec: { replicas: 7 }, old: { replicas: 1 }, want: [] },
    {
      name: 'a name that leaves no room for node numbers',
      spec: {},
      poolName: 'p'.repeat(51),
      want: [
        `metadata.name: Invalid value: "${'p'.repeat(51)}": must be no more than 50 characters`,
      ],
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const old = c.old ? pool(c.old) : undefined
      expect(fields(validateNodePool(pool(c.spec, c.poolName), old))).toEqual(c.want)
    })
  it('bad node labels name the field', () => {
    expect(fields(validateNodePool(pool({ labels: { 'a b': 'x' } })))[0]).toMatch(
      /^spec\.labels: Invalid value: "a b"/,
    )
  })
})

describe('validateInstance', () => {
  const inst = (spec: Record<string, unknown>) => {
    const i = { metadata: { name: 'vm-1' }, spec: { ...spec } }
    defaultInstance(i)
    return i
  }
  it('needs a zone and a machine type', () => {
    expect(fields(validateInstance(inst({})))).toEqual([
      'spec.machineType: Required value',
      'spec.zone: Required value',
    ])
  })
  it('a standalone VM is valid; running defaults to true', () => {
    const i = inst({ zone: 'zone-b', machineType: 'highmem-4' })
    expect(i.spec.running).toBe(true)
    expect(validateInstance(i)).toEqual([])
  })
  it('pool, zone and machine type are immutable', () => {
    const old = inst({ pool: 'default', zone: 'zone-a', machineType: 'standard-4' })
    const next = inst({ pool: 'other', zone: 'zone-b', machineType: 'standard-4', running: false })
    expect(fields(validateInstance(next, old))).toEqual([
      'spec.pool: Invalid value: "other": field is immutable',
      'spec.zone: Invalid value: "zone-b": field is immutable',
    ])
  })
})

describe('machine types', () => {
  it('capacity annotation of a shape', () => {
    expect(capacityOf('standard-4')).toBe('cpu=4,memory=16Gi,pods=110')
    expect(capacityOf('nope')).toBeUndefined()
  })
})

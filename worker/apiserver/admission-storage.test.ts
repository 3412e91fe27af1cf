import { describe, expect, it } from 'vitest'
import { findKind } from '../resources/registry'
import { admitClaimResize, admitStorageCreate, type ClassReader } from './admission-storage'
import { ApiError } from './errors'

const PVCS = findKind('', 'v1', 'persistentvolumeclaims')!
const PVS = findKind('', 'v1', 'persistentvolumes')!
type O = any

function classes(list: O[]): ClassReader {
  return {
    list: () => ({ items: list }) as any,
    get: (_k, _ns, name) => list.find((c) => c.metadata.name === name),
  }
}
const sc = (name: string, created: string, isDefault: boolean, extra: O = {}): O => ({
  metadata: {
    name,
    creationTimestamp: created,
    annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {},
  },
  provisioner: 'pd.csi.wheelhouse.dev',
  ...extra,
})
const claim = (spec: O = {}, annotations?: O): O => ({
  metadata: { name: 'data', namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
})

describe('DefaultStorageClass', () => {
  const cases: { name: string; classes: O[]; claim: O; want: string | undefined }[] = [
    {
      name: 'a claim without a class gets the default',
      classes: [
        sc('standard', '2025-01-01T00:00:00Z', true),
        sc('fast', '2025-01-01T00:00:00Z', false),
      ],
      claim: claim(),
      want: 'standard',
    },
    {
      name: 'the newest default wins when several are marked',
      classes: [sc('old', '2025-01-01T00:00:00Z', true), sc('new', '2025-02-01T00:00:00Z', true)],
      claim: claim(),
      want: 'new',
    },
    {
      name: 'equal ages: the first by name',
      classes: [sc('b', '2025-01-01T00:00:00Z', true), sc('a', '2025-01-01T00:00:00Z', true)],
      claim: claim(),
      want: 'a',
    },
    {
      name: 'an explicit empty class stays empty',
      classes: [sc('standard', '2025-01-01T00:00:00Z', true)],
      claim: claim({ storageClassName: '' }),
      want: '',
    },
    {
      name: 'the beta annotation counts as a class',
      classes: [sc('standard', '2025-01-01T00:00:00Z', true)],
      claim: claim({}, { 'volume.beta.kubernetes.io/storage-class': 'fast' }),
      want: undefined,
    },
    {
      name: 'no default class: nothing',
      classes: [sc('fast', '2025-01-01T00:00:00Z', false)],
      claim: claim(),
      want: undefined,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      admitStorageCreate(classes(c.classes), PVCS, c.claim)
      expect(c.claim.spec.storageClassName).toBe(c.want)
    })
})

describe('StorageObjectInUseProtection', () => {
  it('puts the protection finalizers on new claims and volumes, once', () => {
    const pvc = claim()
    pvc.metadata.finalizers = ['example.com/keep']
    admitStorageCreate(classes([]), PVCS, pvc)
    expect(pvc.metadata.finalizers).toEqual(['example.com/keep', 'kubernetes.io/pvc-protection'])
    const pv: O = {
      metadata: { name: 'pv1', finalizers: ['kubernetes.io/pv-protection'] },
      spec: {},
    }
    admitStorageCreate(classes([]), PVS, pv)
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection'])
  })
})

describe('PersistentVolumeClaimResize', () => {
  const bound = (cls: string, size = '1Gi') => ({
    ...claim({ storageClassName: cls, resources: { requests: { storage: size } } }),
    status: { phase: 'Bound', capacity: { storage: size } },
  })
  const grown = (o: O) => ({
    ...o,
    spec: { ...o.spec, resources: { requests: { storage: '2Gi' } } },
  })
  const world = classes([
    sc('standard', '2025-01-01T00:00:00Z', true, { allowVolumeExpansion: true }),
    sc('fixed', '2025-01-01T00:00:00Z', false),
  ])
  const message = (f: () => void) => {
    try {
      f()
      return undefined
    } catch (e) {
      return (e as ApiError).status
    }
  }
  it('lets a bound claim of an expandable class grow', () => {
    const old = bound('standard')
    expect(message(() => admitClaimResize(world, PVCS, grown(old), old))).toBeUndefined()
  })
  it('refuses a class that does not allow expansion, with 403', () => {
    const old = bound('fixed')
    expect(message(() => admitClaimResize(world, PVCS, grown(old), old))).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    })
  })
  it('refuses an unbound claim', () => {
    const old = { ...bound('standard'), status: { phase: 'Pending' } }
    expect(message(() => admitClaimResize(world, PVCS, grown(old), old))?.message).toBe(
      'persistentvolumeclaims "data" is forbidden: Only bound persistent volume claims can be expanded',
    )
  })
  it('ignores requests that do not grow', () => {
    const old = bound('fixed', '2Gi')
    expect(message(() => admitClaimResize(world, PVCS, grown(old), old))).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import {
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultStorageClass,
} from './storage'
import {
  validatePersistentVolume,
  validatePersistentVolumeClaim,
  validateStorageClass,
} from './storage-validation'

type O = Record<string, any>
const msgs = (causes: { field: string; message: string }[]) =>
  causes.map((c) => `${c.field}: ${c.message}`)

const claim = (spec: O, status: O = {}): O => {
  const c: O = { metadata: { name: 'data' }, spec, status }
  defaultPersistentVolumeClaim(c)
  return c
}
const goodClaim = () =>
  claim({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } })

const volume = (spec: O): O => {
  const v: O = { metadata: { name: 'pv1' }, spec }
  defaultPersistentVolume(v)
  return v
}
const goodVolume = () =>
  volume({
    accessModes: ['ReadWriteOnce'],
    capacity: { storage: '5Gi' },
    hostPath: { path: '/tmp/x' },
  })

describe('PersistentVolumeClaim validation', () => {
  const cases: { name: string; spec: O; want: string[] }[] = [
    { name: 'valid', spec: goodClaim().spec, want: [] },
    {
      name: 'no access modes, no storage request',
      spec: { resources: {} },
      want: [
        'spec.accessModes: Required value: at least 1 access mode is required',
        'spec.resources[storage]: Required value',
      ],
    },
    {
      name: 'unknown access mode',
      spec: { accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '1Gi' } } },
      want: [
        'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      ],
    },
    {
      name: 'ReadWriteOncePod with another mode',
      spec: {
        accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'],
        resources: { requests: { storage: '1Gi' } },
      },
      want: ['spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes'],
    },
    {
      name: 'zero storage',
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0' } } },
      want: ['spec.resources[storage]: Invalid value: "0": must be greater than zero'],
    },
    {
      name: 'bad class name and volume mode',
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: 'Fast_SSD',
        volumeMode: 'Raw',
      },
      want: [
        expect.stringMatching(
          /^spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain/,
        ),
        'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"',
      ] as any,
    },
    {
      name: 'bad selector operator',
      spec: {
        ...goodClaim().spec,
        selector: {
          matchExpressions: [
            { key: 'a', operator: 'Near' },
            { key: 'b', operator: 'In' },
          ],
        },
      },
      want: [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(msgs(validatePersistentVolumeClaim(claim(c.spec)))).toEqual(c.want))

  const IMMUTABLE =
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'
  const updates: { name: string; old: O; change: (c: O) => void; want: string[] }[] = [
    {
      name: 'volumeName set once',
      old: goodClaim(),
      change: (c) => (c.spec.volumeName = 'pv1'),
      want: [],
    },
    {
      name: 'volumeName changed after set',
      old: { ...goodClaim(), spec: { ...goodClaim().spec, volumeName: 'pv1' } },
      change: (c) => (c.spec.volumeName = 'pv2'),
      want: [IMMUTABLE],
    },
    {
      name: 'missing class filled in',
      old: goodClaim(),
      change: (c) => (c.spec.storageClassName = 'standard'),
      want: [],
    },
    {
      name: 'class changed',
      old: { ...goodClaim(), spec: { ...goodClaim().spec, storageClassName: 'standard' } },
      change: (c) => (c.spec.storageClassName = 'fast'),
      want: [IMMUTABLE],
    },
    {
      name: 'pending claim may not resize',
      old: goodClaim(),
      change: (c) => (c.spec.resources.requests.storage = '2Gi'),
      want: [IMMUTABLE],
    },
    {
      name: 'bound claim may grow',
      old: claim(goodClaim().spec, { phase: 'Bound', capacity: { storage: '1Gi' } }),
      change: (c) => (c.spec.resources.requests.storage = '2Gi'),
      want: [],
    },
    {
      name: 'bound claim may not shrink to what it has',
      old: claim(
        { ...goodClaim().spec, resources: { requests: { storage: '2Gi' } } },
        { phase: 'Bound', capacity: { storage: '2Gi' } },
      ),
      change: (c) => (c.spec.resources.requests.storage = '1Gi'),
      want: [
        'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
      ],
    },
    {
      name: 'access modes changed',
      old: goodClaim(),
      change: (c) => (c.spec.accessModes = ['ReadOnlyMany']),
      want: [IMMUTABLE],
    },
  ]
  for (const u of updates)
    it(`update: ${u.name}`, () => {
      const next = structuredClone(u.old)
      u.change(next)
      expect(msgs(validatePersistentVolumeClaim(next, u.old))).toEqual(u.want)
    })
})

describe('PersistentVolume validation', () => {
  const cases: { name: string; spec: O; want: string[] }[] = [
    { name: 'valid', spec: goodVolume().spec, want: [] },
    {
      name: 'nothing at all',
      spec: {},
      want: [
        'spec.accessModes: Required value',
        'spec.capacity: Required value',
        'spec.capacity: Unsupported value: {}: supported values: "storage"',
        'spec: Required value: must specify a volume type',
      ],
    },
    {
      name: 'two sources, bad policy',
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '1Gi' },
        hostPath: { path: '/data' },
        nfs: { server: 'nfs.example', path: 'exports' },
        persistentVolumeReclaimPolicy: 'Shred',
      },
      want: [
        'spec.persistentVolumeReclaimPolicy: Unsupported value: "Shred": supported values: "Delete", "Recycle", "Retain"',
        'spec.nfs: Forbidden: may not specify more than 1 volume type',
      ],
    },
    {
      name: 'local without node affinity',
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '1Gi' },
        local: { path: '/mnt/disk' },
      },
      want: ['spec.nodeAffinity: Required value: Local volume requires node affinity'],
    },
    {
      name: 'csi without a handle',
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '1Gi' },
        csi: { driver: 'pd.csi.wheelhouse.dev' },
      },
      want: ['spec.csi.volumeHandle: Required value'],
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(msgs(validatePersistentVolume(volume(c.spec)))).toEqual(c.want))

  it('keeps its source once created', () => {
    const old = goodVolume()
    const next = structuredClone(old)
    next.spec.hostPath.path = '/tmp/y'
    next.spec.volumeMode = 'Block'
    expect(msgs(validatePersistentVolume(next, old))).toEqual([
      'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
      'volumeMode: Invalid value: "Block": field is immutable',
    ])
  })
  it('may be bound and change its reclaim policy', () => {
    const old = goodVolume()
    const next = structuredClone(old)
    next.spec.claimRef = { namespace: 'default', name: 'data' }
    next.spec.persistentVolumeReclaimPolicy = 'Delete'
    expect(validatePersistentVolume(next, old)).toEqual([])
  })
})

describe('StorageClass validation', () => {
  const sc = (o: O): O => {
    const c: O = { metadata: { name: 'fast' }, ...o }
    defaultStorageClass(c)
    return c
  }
  it('defaults reclaimPolicy and volumeBindingMode', () => {
    expect(sc({ provisioner: 'x.example.com/disk' })).toMatchObject({
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    })
  })
  const cases: { name: string; o: O; want: string[] }[] = [
    { name: 'valid', o: { provisioner: 'pd.csi.wheelhouse.dev' }, want: [] },
    { name: 'no provisioner', o: {}, want: ['provisioner: Required value'] },
    {
      name: 'bad provisioner, policy and mode',
      o: { provisioner: 'a/b/c', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' },
      want: [
        expect.stringMatching(
          /^provisioner: Invalid value: "a\/b\/c": a qualified name must consist/,
        ),
        'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
        'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      ] as any,
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(msgs(validateStorageClass(sc(c.o)))).toEqual(c.want))

  it('refuses changes to what provisioned volumes depend on', () => {
    const old = sc({ provisioner: 'pd.csi.wheelhouse.dev', parameters: { type: 'pd-standard' } })
    const next = {
      ...old,
      provisioner: 'other.example.com',
      parameters: { type: 'pd-ssd' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    }
    expect(msgs(validateStorageClass(next, old))).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
      'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { PODS, type KindRef, type Obj } from './framework/types'
import { recordingContext } from './framework/recording-context'
import {
  RESYNC_PERIOD_MS,
  STORAGE_CLASSES,
  delayBindingEvent,
  persistentVolumeController,
  syncClaim,
  syncVolume,
} from './persistentvolume'
import { PVCS, PVS } from './persistentvolume-binding'

type O = Record<string, any>
const DRIVER = 'pd.csi.wheelhouse.dev'
const EXTERNAL =
  "Waiting for a volume to be created either by the external provisioner 'pd.csi.wheelhouse.dev' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."

const sc = (name: string, extra: O = {}): [KindRef, Obj] => [
  STORAGE_CLASSES,
  {
    metadata: {
      name,
      ...(extra.default
        ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }
        : {}),
    },
    provisioner: extra.provisioner ?? DRIVER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: extra.mode ?? 'Immediate',
  },
]
const pvc = (name: string, extra: O = {}): [KindRef, Obj] => [
  PVCS,
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: extra.annotations ?? {},
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: extra.size ?? '1Gi' } },
      ...('cls' in extra ? { storageClassName: extra.cls } : {}),
      ...(extra.volumeName ? { volumeName: extra.volumeName } : {}),
      volumeMode: 'Filesystem',
    },
    status: { phase: extra.phase ?? 'Pending', ...(extra.status ?? {}) },
  },
]
const pv = (name: string, extra: O = {}): [KindRef, Obj] => [
  PVS,
  {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, uid: `uid-${name}`, annotations: extra.annotations ?? {} },
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: extra.size ?? '1Gi' },
      persistentVolumeReclaimPolicy: extra.policy ?? 'Retain',
      storageClassName: extra.cls ?? '',
      volumeMode: 'Filesystem',
      ...(extra.source ?? { hostPath: { path: '/data' } }),
      ...(extra.claimRef ? { claimRef: extra.claimRef } : {}),
    },
    status: { phase: extra.phase ?? 'Available' },
  },
]
const ref = (name: string, uid?: string) => ({
  kind: 'PersistentVolumeClaim',
  namespace: 'default',
  name,
  ...(uid ? { uid } : {}),
  apiVersion: 'v1',
})
const pod = (name: string, claim: string, nodeName?: string): [KindRef, Obj] => [
  PODS,
  {
    metadata: { name, namespace: 'default' },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }],
    },
    status: { phase: 'Pending' },
  },
]
const events = (r: ReturnType<typeof recordingContext>) =>
  r.events.map((e) => `${e.type} ${e.reason} ${e.name}: ${e.message}`)

describe('claim sync', () => {
  it('binds a claim to the smallest matching static volume, both sides', () => {
    const r = recordingContext([
      pvc('data', { cls: '' }),
      pv('big', { size: '10Gi' }),
      pv('small', { size: '2Gi' }),
    ])
    syncClaim(r.ctx, 'default', 'data')
    const v = r.get(PVS, undefined, 'small')!
    const c = r.get(PVCS, 'default', 'data')!
    expect(v.spec.claimRef).toMatchObject({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid: 'uid-data',
      apiVersion: 'v1',
    })
    expect(v.metadata.annotations['pv.kubernetes.io/bound-by-controller']).toBe('yes')
    expect(v.status).toMatchObject({
      phase: 'Bound',
      lastPhaseTransitionTime: '2025-01-01T00:00:00Z',
    })
    expect(c.spec.volumeName).toBe('small')
    expect(c.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    })
    expect(c.status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '2Gi' },
    })
    expect(r.writes).toEqual([
      `update ${PVS} small`,
      `updateStatus ${PVS} small`,
      `update ${PVCS} data`,
      `updateStatus ${PVCS} data`,
    ])
    expect(r.get(PVS, undefined, 'big')!.spec.claimRef).toBeUndefined()
  })

  it('without volumes or class: FailedBinding, Pending, a look again at the resync', () => {
    const r = recordingContext([pvc('data', { cls: '' })])
    syncClaim(r.ctx, 'default', 'data')
    expect(events(r)).toEqual([
      'Normal FailedBinding data: no persistent volumes available for this claim and no storage class is set',
    ])
    expect(r.requeues).toEqual([['claim:default/data', RESYNC_PERIOD_MS]])
    expect(r.writes).toEqual([])
  })

  it('gives a claim without a class the default class, and looks again at once', () => {
    const r = recordingContext([pvc('data'), sc('standard', { default: true })])
    syncClaim(r.ctx, 'default', 'data')
    expect(r.get(PVCS, 'default', 'data')!.spec.storageClassName).toBe('standard')
    expect(r.requeues).toEqual([['claim:default/data', 0]])
  })

  it('hands a claim of an Immediate class to its external provisioner', () => {
    const r = recordingContext([pvc('data', { cls: 'standard' }), sc('standard')])
    syncClaim(r.ctx, 'default', 'data')
    expect(r.get(PVCS, 'default', 'data')!.metadata.annotations).toEqual({
      'volume.beta.kubernetes.io/storage-provisioner': DRIVER,
      'volume.kubernetes.io/storage-provisioner': DRIVER,
    })
    expect(events(r)).toEqual([`Normal ExternalProvisioning data: ${EXTERNAL}`])
    // Again at the resync: no second write, the event again (counted up by the recorder).
    syncClaim(r.ctx, 'default', 'data')
    expect(r.writes).toEqual([`update ${PVCS} data`])
    expect(r.events).toHaveLength(2)
  })

  const failures: { name: string; objs: [KindRef, Obj][]; want: string }[] = [
    {
      name: 'a missing class',
      objs: [pvc('data', { cls: 'fast' })],
      want: 'Warning ProvisioningFailed data: storageclass.storage.k8s.io "fast" not found',
    },
    {
      name: 'an in-tree provisioner we do not have',
      objs: [
        pvc('data', { cls: 'local' }),
        sc('local', { provisioner: 'kubernetes.io/no-provisioner' }),
      ],
      want: 'Warning ProvisioningFailed data: no volume plugin matched name: kubernetes.io/no-provisioner',
    },
  ]
  for (const f of failures)
    it(`cannot provision with ${f.name}`, () => {
      const r = recordingContext(f.objs)
      syncClaim(r.ctx, 'default', 'data')
      expect(events(r)).toEqual([f.want])
      expect(r.writes).toEqual([])
    })

  it('WaitForFirstConsumer: waits, naming an unscheduled pod, until the scheduler selects a node', () => {
    const r = recordingContext([
      pvc('data', { cls: 'standard-rwo' }),
      sc('standard-rwo', { mode: 'WaitForFirstConsumer' }),
    ])
    syncClaim(r.ctx, 'default', 'data')
    expect(events(r)).toEqual([
      'Normal WaitForFirstConsumer data: waiting for first consumer to be created before binding',
    ])
    expect(r.writes).toEqual([])

    const withPod = recordingContext([
      pvc('data', { cls: 'standard-rwo' }),
      sc('standard-rwo', { mode: 'WaitForFirstConsumer' }),
      pod('web-0', 'data'),
    ])
    syncClaim(withPod.ctx, 'default', 'data')
    expect(events(withPod)).toEqual([
      'Normal WaitForPodScheduled data: waiting for pod web-0 to be scheduled',
    ])

    const selected = recordingContext([
      pvc('data', {
        cls: 'standard-rwo',
        annotations: { 'volume.kubernetes.io/selected-node': 'worker-2' },
      }),
      sc('standard-rwo', { mode: 'WaitForFirstConsumer' }),
    ])
    syncClaim(selected.ctx, 'default', 'data')
    expect(
      selected.get(PVCS, 'default', 'data')!.metadata.annotations[
        'volume.kubernetes.io/storage-provisioner'
      ],
    ).toBe(DRIVER)
    expect(events(selected)).toEqual([`Normal ExternalProvisioning data: ${EXTERNAL}`])
  })

  it('binds a provisioned volume without marking it bound-by-controller', () => {
    const r = recordingContext([
      pvc('data', { cls: 'standard' }),
      sc('standard'),
      pv('pvc-uid-data', {
        cls: 'standard',
        policy: 'Delete',
        phase: 'Pending',
        claimRef: ref('data', 'uid-data'),
        annotations: { 'pv.kubernetes.io/provisioned-by': DRIVER },
        source: { csi: { driver: DRIVER, volumeHandle: 'h' } },
      }),
    ])
    syncClaim(r.ctx, 'default', 'data')
    expect(r.get(PVS, undefined, 'pvc-uid-data')!.metadata.annotations).toEqual({
      'pv.kubernetes.io/provisioned-by': DRIVER,
    })
    expect(r.get(PVS, undefined, 'pvc-uid-data')!.status.phase).toBe('Bound')
    expect(r.get(PVCS, 'default', 'data')!.status.phase).toBe('Bound')
  })

  it('a requested volume that does not fit: VolumeMismatch, Pending', () => {
    const r = recordingContext([
      pvc('data', { cls: '', volumeName: 'tiny', size: '5Gi' }),
      pv('tiny', { size: '1Gi' }),
    ])
    syncClaim(r.ctx, 'default', 'data')
    expect(events(r)).toEqual([
      'Warning VolumeMismatch data: Cannot bind to requested volume "tiny": requested PV is too small',
    ])
  })

  it('a requested volume taken by another claim: FailedBinding', () => {
    const r = recordingContext([
      pvc('data', { cls: '', volumeName: 'pv1' }),
      pv('pv1', { claimRef: ref('other', 'uid-other'), phase: 'Bound' }),
    ])
    syncClaim(r.ctx, 'default', 'data')
    expect(events(r)).toEqual([
      'Warning FailedBinding data: volume "pv1" already bound to a different claim.',
    ])
  })

  it('a bound claim whose volume is gone is Lost', () => {
    const r = recordingContext([
      pvc('data', {
        cls: '',
        volumeName: 'gone',
        phase: 'Bound',
        annotations: { 'pv.kubernetes.io/bind-completed': 'yes' },
      }),
    ])
    syncClaim(r.ctx, 'default', 'data')
    expect(r.get(PVCS, 'default', 'data')!.status.phase).toBe('Lost')
    expect(events(r)).toEqual([
      'Warning ClaimLost data: Bound claim has lost its PersistentVolume. Data on the volume is lost!',
    ])
  })
})

describe('volume sync', () => {
  it('marks an unused or pre-bound volume Available', () => {
    const r = recordingContext([
      pv('a', { phase: 'Pending' }),
      pv('b', { phase: 'Pending', claimRef: ref('later') }),
    ])
    syncVolume(r.ctx, 'a')
    syncVolume(r.ctx, 'b')
    expect(r.get(PVS, undefined, 'a')!.status.phase).toBe('Available')
    expect(r.get(PVS, undefined, 'b')!.status.phase).toBe('Available')
  })

  const released: {
    name: string
    volume: [KindRef, Obj]
    want: { phase?: string; gone?: boolean; message?: string; events: string[] }
  }[] = [
    {
      name: 'Retain keeps it Released',
      volume: pv('v', { phase: 'Bound', claimRef: ref('data', 'uid-data') }),
      want: { phase: 'Released', events: [] },
    },
    {
      name: 'Delete of a CSI volume is left to its provisioner',
      volume: pv('v', {
        phase: 'Bound',
        policy: 'Delete',
        claimRef: ref('data', 'uid-data'),
        annotations: { 'pv.kubernetes.io/provisioned-by': DRIVER },
        source: { csi: { driver: DRIVER, volumeHandle: 'h' } },
      }),
      want: { phase: 'Released', events: [] },
    },
    {
      name: 'Delete of a hostPath outside /tmp fails',
      volume: pv('v', { phase: 'Bound', policy: 'Delete', claimRef: ref('data', 'uid-data') }),
      want: {
        phase: 'Failed',
        message: 'host_path deleter only supports /tmp/.+ but received provided /data',
        events: [
          'Warning VolumeFailedDelete v: host_path deleter only supports /tmp/.+ but received provided /data',
        ],
      },
    },
    {
      name: 'Delete of a hostPath under /tmp deletes the volume',
      volume: pv('v', {
        phase: 'Bound',
        policy: 'Delete',
        claimRef: ref('data', 'uid-data'),
        source: { hostPath: { path: '/tmp/scratch' } },
      }),
      want: { gone: true, events: [] },
    },
    {
      name: 'Delete of an NFS volume: no deleter',
      volume: pv('v', {
        phase: 'Bound',
        policy: 'Delete',
        claimRef: ref('data', 'uid-data'),
        source: { nfs: { server: 'nfs', path: '/exports' } },
      }),
      want: {
        phase: 'Failed',
        events: [
          'Warning VolumeFailedDelete v: error getting deleter volume plugin for volume "v": no deletable volume plugin matched',
        ],
      },
    },
    {
      name: 'Recycle of a hostPath frees it',
      volume: pv('v', {
        phase: 'Bound',
        policy: 'Recycle',
        claimRef: ref('data', 'uid-data'),
        annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' },
      }),
      want: { phase: 'Available', events: ['Normal VolumeRecycled v: Volume recycled'] },
    },
  ]
  for (const c of released)
    it(`claim gone: ${c.name}`, () => {
      const r = recordingContext([c.volume])
      syncVolume(r.ctx, 'v')
      const v = r.get(PVS, undefined, 'v')
      if (c.want.gone) expect(v).toBeUndefined()
      else {
        expect(v!.status.phase).toBe(c.want.phase)
        if (c.want.message) expect(v!.status.message).toBe(c.want.message)
      }
      expect(events(r)).toEqual(c.want.events)
    })

  it('a claim recreated under the same name does not hold the old volume', () => {
    const r = recordingContext([
      pvc('data', { cls: '' }),
      pv('v', { phase: 'Bound', claimRef: ref('data', 'uid-older') }),
    ])
    syncVolume(r.ctx, 'v')
    expect(r.get(PVS, undefined, 'v')!.status.phase).toBe('Released')
  })

  it('a volume the controller bound to a claim that went elsewhere is unbound', () => {
    const r = recordingContext([
      pvc('data', {
        cls: '',
        volumeName: 'other',
        phase: 'Bound',
        annotations: { 'pv.kubernetes.io/bind-completed': 'yes' },
      }),
      pv('v', {
        phase: 'Bound',
        claimRef: ref('data', 'uid-data'),
        annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' },
      }),
    ])
    syncVolume(r.ctx, 'v')
    const v = r.get(PVS, undefined, 'v')!
    expect(v.spec.claimRef).toBeUndefined()
    expect(v.metadata.annotations).toBeUndefined()
    expect(v.status.phase).toBe('Available')
  })

  it('a provisioned volume whose claim is not bound yet sends the claim to be bound', () => {
    const r = recordingContext([
      pvc('data', { cls: 'standard' }),
      pv('v', { phase: 'Pending', claimRef: ref('data', 'uid-data') }),
    ])
    syncVolume(r.ctx, 'v')
    expect(r.requeues).toEqual([['claim:default/data', 0]])
  })
})

describe('watches', () => {
  const keysFor = (kind: KindRef, o: Obj, deleted = false) =>
    persistentVolumeController.watches[kind]!(o, undefined, deleted)
  it('a claim names itself, and its volume when deleted', () => {
    const [, c] = pvc('data', { volumeName: 'v' })
    expect(keysFor(PVCS, c)).toEqual(['claim:default/data'])
    expect(keysFor(PVCS, c, true)).toEqual(['claim:default/data', 'volume:v'])
  })
  it('a volume names itself and its claim', () => {
    expect(keysFor(PVS, pv('v', { claimRef: ref('data') })[1])).toEqual([
      'volume:v',
      'claim:default/data',
    ])
  })
})

describe('delayBindingEvent', () => {
  it('names every unscheduled, unfinished pod using the claim', () => {
    const [, c] = pvc('data')
    const pods = [
      pod('a', 'data')[1],
      pod('b', 'data')[1],
      pod('placed', 'data', 'worker-1')[1],
      pod('other', 'x')[1],
    ]
    expect(delayBindingEvent(c, pods)).toEqual({
      reason: 'WaitForPodScheduled',
      message: 'waiting for pods a,b to be scheduled',
    })
  })
})

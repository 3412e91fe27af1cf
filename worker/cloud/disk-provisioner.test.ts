import { describe, expect, it } from 'vitest'
import { NODES, type KindRef, type Obj } from '../controllers/framework/types'
import { recordingContext } from '../controllers/framework/recording-context'
import { PROVISION_DELAY_MS, diskProvisioner } from './disk-provisioner'

const PVS: KindRef = '/v1/persistentvolumes'
const PVCS: KindRef = '/v1/persistentvolumeclaims'
const SCS: KindRef = 'storage.k8s.io/v1/storageclasses'
const DRIVER = 'pd.csi.wheelhouse.dev'
type O = Record<string, any>

const sc = (name: string, mode = 'Immediate', extra: O = {}): [KindRef, Obj] => [
  SCS,
  {
    metadata: { name },
    provisioner: DRIVER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: mode,
    parameters: { type: 'pd-balanced' },
    ...extra,
  },
]
const claim = (cls: string, extra: O = {}): [KindRef, Obj] => [
  PVCS,
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: 'data',
      namespace: 'default',
      uid: '0f4c',
      resourceVersion: '7',
      annotations: {
        'volume.kubernetes.io/storage-provisioner': DRIVER,
        ...(extra.annotations ?? {}),
      },
    },
    spec: {
      accessModes: extra.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: extra.size ?? '10Gi' } },
      storageClassName: cls,
      volumeMode: 'Filesystem',
      ...(extra.selector ? { selector: extra.selector } : {}),
    },
    status: { phase: 'Pending' },
  },
]
const node = (name: string, zone: string): [KindRef, Obj] => [
  NODES,
  { metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } },
]
const nodes = [node('worker-1', 'zone-a'), node('worker-2', 'zone-b'), node('worker-3', 'zone-c')]
const events = (r: ReturnType<typeof recordingContext>) =>
  r.events.map((e) => `${e.type} ${e.reason}: ${e.message}`)
const sync = (r: ReturnType<typeof recordingContext>, key: string) =>
  diskProvisioner.sync(key, r.ctx)

describe('provisioning', () => {
  it('an Immediate claim: Provisioning, then after the delay its volume in a zone with nodes', () => {
    const r = recordingContext([sc('standard'), claim('standard', { size: '1500Mi' }), ...nodes])
    sync(r, 'claim:default/data')
    expect(events(r)).toEqual([
      'Normal Provisioning: External provisioner is provisioning volume for claim "default/data"',
    ])
    expect(r.requeues).toEqual([['provision:default/data', PROVISION_DELAY_MS]])
    expect(r.writes).toEqual([])
    sync(r, 'provision:default/data')
    const pv = r.get(PVS, undefined, 'pvc-0f4c')!
    const zone: string =
      pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]
    expect(['zone-a', 'zone-b', 'zone-c']).toContain(zone)
    expect(pv.metadata.annotations).toEqual({
      'pv.kubernetes.io/provisioned-by': DRIVER,
      'volume.kubernetes.io/provisioner-deletion-secret-name': '',
      'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
    })
    expect(pv.metadata.finalizers).toEqual(['external-provisioner.volume.kubernetes.io/finalizer'])
    expect(pv.spec).toMatchObject({
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '2Gi' }, // whole GiB, rounded up
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: 'default',
        name: 'data',
        uid: '0f4c',
        apiVersion: 'v1',
        resourceVersion: expect.any(String),
      },
      csi: {
        driver: DRIVER,
        fsType: 'ext4',
        volumeHandle: `projects/kubernetes/zones/${zone}/disks/pvc-0f4c`,
      },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] },
              ],
            },
          ],
        },
      },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
    })
    expect(events(r).at(-1)).toBe(
      'Normal ProvisioningSucceeded: Successfully provisioned volume pvc-0f4c',
    )
    // Once made, the claim's next sync does nothing.
    sync(r, 'claim:default/data')
    expect(r.events).toHaveLength(2)
  })

  it('WaitForFirstConsumer: nothing until the scheduler selects a node, then that node’s zone', () => {
    const waiting = recordingContext([
      sc('standard-rwo', 'WaitForFirstConsumer'),
      claim('standard-rwo'),
      ...nodes,
    ])
    sync(waiting, 'claim:default/data')
    sync(waiting, 'provision:default/data')
    expect(waiting.events).toEqual([])
    expect(waiting.writes).toEqual([])
    const r = recordingContext([
      sc('standard-rwo', 'WaitForFirstConsumer'),
      claim('standard-rwo', { annotations: { 'volume.kubernetes.io/selected-node': 'worker-3' } }),
      ...nodes,
    ])
    sync(r, 'claim:default/data')
    sync(r, 'provision:default/data')
    expect(r.get(PVS, undefined, 'pvc-0f4c')!.spec.csi.volumeHandle).toBe(
      'projects/kubernetes/zones/zone-c/disks/pvc-0f4c',
    )
  })

  it('a Retain class makes volumes without the provisioner’s finalizer', () => {
    const r = recordingContext([
      sc('keep', 'Immediate', { reclaimPolicy: 'Retain' }),
      claim('keep'),
      ...nodes,
    ])
    sync(r, 'provision:default/data')
    expect(r.get(PVS, undefined, 'pvc-0f4c')!.metadata.finalizers).toBeUndefined()
    expect(r.get(PVS, undefined, 'pvc-0f4c')!.spec.persistentVolumeReclaimPolicy).toBe('Retain')
  })

  const refusals: { name: string; objs: [KindRef, Obj][]; want: string }[] = [
    {
      name: 'ReadWriteMany',
      objs: [sc('standard'), claim('standard', { modes: ['ReadWriteMany'] }), ...nodes],
      want: 'failed to provision volume with StorageClass "standard": rpc error: code = InvalidArgument desc = VolumeCapabilities is invalid: specified multi writer with mount access type',
    },
    {
      name: 'a selector',
      objs: [
        sc('standard'),
        claim('standard', { selector: { matchLabels: { a: 'b' } } }),
        ...nodes,
      ],
      want: 'failed to provision volume with StorageClass "standard": claim Selector is not supported',
    },
    {
      name: 'no nodes anywhere',
      objs: [sc('standard'), claim('standard')],
      want: 'failed to provision volume with StorageClass "standard": error generating accessibility requirements: no available topology found',
    },
  ]
  for (const c of refusals)
    it(`refuses ${c.name}, and throws to be retried with back-off`, () => {
      const r = recordingContext(c.objs)
      expect(() => sync(r, 'claim:default/data')).toThrow(c.want)
      expect(events(r)).toEqual([
        'Normal Provisioning: External provisioner is provisioning volume for claim "default/data"',
        `Warning ProvisioningFailed: ${c.want}`,
      ])
      sync(r, 'provision:default/data')
      expect(r.get(PVS, undefined, 'pvc-0f4c')).toBeUndefined()
    })

  it('claims of other provisioners or already bound are not ours', () => {
    const [, other] = claim('standard')
    other.metadata.annotations = { 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' }
    expect(diskProvisioner.watches[PVCS]!(other, undefined, false)).toEqual([])
    const [, bound] = claim('standard')
    bound.spec.volumeName = 'pv1'
    expect(diskProvisioner.watches[PVCS]!(bound, undefined, false)).toEqual([])
    expect(diskProvisioner.watches[PVCS]!(claim('standard')[1], undefined, false)).toEqual([
      'claim:default/data',
    ])
  })
})

describe('deletion', () => {
  const volume = (phase: string, policy: string, extra: O = {}): [KindRef, Obj] => [
    PVS,
    {
      metadata: {
        name: 'pvc-0f4c',
        uid: 'v1',
        annotations: extra.static ? {} : { 'pv.kubernetes.io/provisioned-by': extra.by ?? DRIVER },
        finalizers: extra.finalizers ?? [
          'external-provisioner.volume.kubernetes.io/finalizer',
          'kubernetes.io/pv-protection',
        ],
      },
      spec: {
        persistentVolumeReclaimPolicy: policy,
        csi: { driver: extra.driver ?? DRIVER, volumeHandle: 'h' },
      },
      status: { phase },
    },
  ]
  it('a Released Delete volume loses its disk; only the PV protection finalizer is left', () => {
    const r = recordingContext([volume('Released', 'Delete')])
    sync(r, 'volume:pvc-0f4c')
    const pv = r.get(PVS, undefined, 'pvc-0f4c')!
    expect(pv.metadata.deletionTimestamp).toBeDefined()
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection'])
  })
  it('without other finalizers it is gone at once', () => {
    const r = recordingContext([
      volume('Released', 'Delete', {
        finalizers: ['external-provisioner.volume.kubernetes.io/finalizer'],
      }),
    ])
    sync(r, 'volume:pvc-0f4c')
    expect(r.get(PVS, undefined, 'pvc-0f4c')).toBeUndefined()
  })
  it('a Bound volume, or a Retain one, keeps its disk', () => {
    for (const v of [volume('Bound', 'Delete'), volume('Released', 'Retain', { finalizers: [] })]) {
      const r = recordingContext([v])
      sync(r, 'volume:pvc-0f4c')
      expect(r.writes).toEqual([])
    }
  })
  it('the finalizer follows the policy: added to a bound static volume of our driver, dropped for Retain', () => {
    const r = recordingContext([
      volume('Bound', 'Delete', { static: true, finalizers: ['kubernetes.io/pv-protection'] }),
    ])
    sync(r, 'volume:pvc-0f4c')
    expect(r.get(PVS, undefined, 'pvc-0f4c')!.metadata.finalizers).toEqual([
      'kubernetes.io/pv-protection',
      'external-provisioner.volume.kubernetes.io/finalizer',
    ])
    const retained = recordingContext([volume('Bound', 'Retain')])
    sync(retained, 'volume:pvc-0f4c')
    expect(retained.get(PVS, undefined, 'pvc-0f4c')!.metadata.finalizers).toEqual([
      'kubernetes.io/pv-protection',
    ])
  })
  it('volumes of other drivers are left alone', () => {
    expect(
      diskProvisioner.watches[PVS]!(
        volume('Released', 'Delete', { by: 'ebs.csi.aws.com' })[1],
        undefined,
        false,
      ),
    ).toEqual([])
    expect(
      diskProvisioner.watches[PVS]!(
        volume('Released', 'Delete', { static: true, driver: 'x.csi' })[1],
        undefined,
        false,
      ),
    ).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { attachmentName } from '../resources/csi'
import {
  ATTACH_RETRY_MS,
  attachDetachController,
  MAX_WAIT_FOR_UNMOUNT_MS,
  multiAttachMessage,
  syncAttachDetach,
} from './attach-detach'
import { recordingContext } from './framework/recording-context'
import { type KindRef, type Obj, NODES, PODS } from './framework/types'

type Rec = Record<string, any>
const T0 = Date.parse('2026-03-01T12:00:00Z')
const PVCS: KindRef = '/v1/persistentvolumeclaims'
const PVS: KindRef = '/v1/persistentvolumes'
const VAS: KindRef = 'storage.k8s.io/v1/volumeattachments'
const DRIVER = 'pd.csi.wheelhouse.dev'
const HANDLE = 'projects/wheelhouse/zones/zone-b/disks/pvc-1'
const UNIQUE = `kubernetes.io/csi/${DRIVER}^${HANDLE}`
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

const node = (name: string, status: Rec = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True' }], ...status },
})
const pod = (name: string, nodeName: string, extra: Rec = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: extra.namespace ?? 'default', uid: `uid-${name}` },
  spec: {
    nodeName,
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: extra.claim ?? 'data' } }],
  },
  status: { phase: extra.phase ?? 'Running' },
})
const claim = (name = 'data', bound = true, namespace = 'default'): Obj => ({
  metadata: { name, namespace, uid: `uid-${name}` },
  spec: { accessModes: ['ReadWriteOnce'], ...(bound ? { volumeName: 'pvc-1' } : {}) },
  status: { phase: bound ? 'Bound' : 'Pending' },
})
const pv = (modes = ['ReadWriteOnce']): Obj => ({
  metadata: { name: 'pvc-1' },
  spec: {
    accessModes: modes,
    csi: { driver: DRIVER, volumeHandle: HANDLE },
    claimRef: { namespace: 'default', name: 'data', uid: 'uid-data' },
  },
  status: { phase: 'Bound' },
})
const va = (nodeName: string, status?: Rec, extra: Rec = {}): Obj => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'VolumeAttachment',
  metadata: { name: attachmentName(HANDLE, DRIVER, nodeName), ...extra },
  spec: { attacher: DRIVER, nodeName, source: { persistentVolumeName: 'pvc-1' } },
  ...(status ? { status } : {}),
})

/** The recording context, with field selectors (spec.nodeName, involvedObject.uid) honoured. */
function world(objs: [KindRef, Obj][], now = T0) {
  const rec = recordingContext(objs, now)
  const list = rec.ctx.list
  const at = (o: Obj, path: string) => path.split('.').reduce((v: any, p) => v?.[p], o)
  rec.ctx.list = (k, opts) =>
    list(k, opts).filter((o) =>
      Object.entries(opts?.fields ?? {}).every(([f, v]) => String(at(o, f)) === v),
    )
  return rec
}

describe('attach/detach controller', () => {
  it('asks for a VolumeAttachment named as the CSI attacher names it', () => {
    const w = world([
      [NODES, node('worker-2')],
      [PODS, pod('web', 'worker-2')],
      [PVCS, claim()],
      [PVS, pv()],
    ])
    syncAttachDetach('worker-2', w.ctx)
    const name = attachmentName(HANDLE, DRIVER, 'worker-2')
    expect(w.writes).toEqual([`create ${VAS} ${name}`])
    expect(w.get(VAS, undefined, name)!.spec).toEqual({
      attacher: DRIVER,
      nodeName: 'worker-2',
      source: { persistentVolumeName: 'pvc-1' },
    })
    expect(w.events).toEqual([])
  })

  it('reports an attached volume in the node status, with one SuccessfulAttachVolume per pod', () => {
    const w = world([
      [NODES, node('worker-2')],
      [PODS, pod('web', 'worker-2')],
      [PVCS, claim()],
      [PVS, pv()],
      [VAS, va('worker-2', { attached: true })],
    ])
    syncAttachDetach('worker-2', w.ctx)
    expect(w.get(NODES, undefined, 'worker-2')!.status.volumesAttached).toEqual([
      { name: UNIQUE, devicePath: '' },
    ])
    expect(w.events).toEqual([
      {
        name: 'web',
        type: 'Normal',
        reason: 'SuccessfulAttachVolume',
        message: 'AttachVolume.Attach succeeded for volume "pvc-1" ',
      },
    ])
    // Already reported: nothing more to say or write.
    syncAttachDetach('worker-2', w.ctx)
    expect(w.events).toHaveLength(1)
    expect(w.writes).toEqual([`updateStatus ${NODES} worker-2`])
  })

  it("passes the driver's attach error on to the pod and tries again later", () => {
    const error = {
      time: iso(T0),
      message: 'rpc error: code = FailedPrecondition desc = wrong zone',
    }
    const w = world([
      [NODES, node('worker-1')],
      [PODS, pod('web', 'worker-1')],
      [PVCS, claim()],
      [PVS, pv()],
      [VAS, va('worker-1', { attached: false, attachError: error })],
    ])
    syncAttachDetach('worker-1', w.ctx)
    expect(w.events).toEqual([
      {
        name: 'web',
        type: 'Warning',
        reason: 'FailedAttachVolume',
        message:
          'AttachVolume.Attach failed for volume "pvc-1" : rpc error: code = FailedPrecondition desc = wrong zone',
      },
    ])
    expect(w.requeues).toEqual([['worker-1', ATTACH_RETRY_MS]])
    expect(w.get(NODES, undefined, 'worker-1')!.status.volumesAttached).toBeUndefined()
  })

  it('does not attach a ReadWriteOnce volume used on another node: Multi-Attach error, once', () => {
    const objs: [KindRef, Obj][] = [
      [NODES, node('worker-1', { volumesAttached: [{ name: UNIQUE, devicePath: '' }] })],
      [NODES, node('worker-2')],
      [PODS, pod('db-0', 'worker-1')],
      [PODS, pod('db-1', 'worker-2')],
      [PVCS, claim()],
      [PVS, pv()],
      [VAS, va('worker-1', { attached: true })],
    ]
    const w = world(objs)
    syncAttachDetach('worker-2', w.ctx)
    expect(w.writes).toEqual([])
    const message = 'Multi-Attach error for volume "pvc-1" Volume is already used by pod(s) db-0'
    expect(w.events).toEqual([
      { name: 'db-1', type: 'Warning', reason: 'FailedAttachVolume', message },
    ])
    // An identical warning already recorded for the pod is not repeated.
    const recorded: Obj = {
      metadata: { name: 'db-1.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'db-1', uid: 'uid-db-1' },
      reason: 'FailedAttachVolume',
      message,
    }
    const again = world([...objs, ['/v1/events', recorded]])
    syncAttachDetach('worker-2', again.ctx)
    expect(again.events).toEqual([])
  })

  it('attaches a ReadWriteMany volume to a second node', () => {
    const w = world([
      [NODES, node('worker-2')],
      [PODS, pod('a', 'worker-1')],
      [PODS, pod('b', 'worker-2')],
      [PVCS, claim()],
      [PVS, pv(['ReadWriteMany'])],
      [VAS, va('worker-1', { attached: true })],
    ])
    syncAttachDetach('worker-2', w.ctx)
    expect(w.writes).toEqual([`create ${VAS} ${attachmentName(HANDLE, DRIVER, 'worker-2')}`])
  })

  it('detaches once no pod uses the volume and the kubelet has unmounted it', () => {
    const attached = { volumesAttached: [{ name: UNIQUE, devicePath: '' }] }
    const objs = (status: Rec): [KindRef, Obj][] => [
      [NODES, node('worker-2', status)],
      [PODS, pod('done', 'worker-2', { phase: 'Succeeded' })],
      [PVCS, claim()],
      [PVS, pv()],
      [VAS, va('worker-2', { attached: true })],
    ]
    const mounted = world(objs({ ...attached, volumesInUse: [UNIQUE] }))
    syncAttachDetach('worker-2', mounted.ctx)
    expect(mounted.writes).toEqual([])
    const unmounted = world(objs(attached))
    syncAttachDetach('worker-2', unmounted.ctx)
    expect(unmounted.writes).toEqual([
      `delete ${VAS} ${attachmentName(HANDLE, DRIVER, 'worker-2')}`,
      `updateStatus ${NODES} worker-2`,
    ])
    expect(unmounted.get(NODES, undefined, 'worker-2')!.status.volumesAttached).toBeUndefined()
  })

  it('force-detaches from a node unreachable for 6 minutes, and waits out the rest before that', () => {
    const objs = (notReadyFor: number): [KindRef, Obj][] => [
      [
        NODES,
        {
          ...node('worker-2', {
            volumesAttached: [{ name: UNIQUE, devicePath: '' }],
            volumesInUse: [UNIQUE],
          }),
          status: {
            conditions: [
              { type: 'Ready', status: 'Unknown', lastTransitionTime: iso(T0 - notReadyFor) },
            ],
            volumesAttached: [{ name: UNIQUE, devicePath: '' }],
            volumesInUse: [UNIQUE],
          },
        },
      ],
      [PVCS, claim()],
      [PVS, pv()],
      [VAS, va('worker-2', { attached: true })],
    ]
    const early = world(objs(60_000))
    syncAttachDetach('worker-2', early.ctx)
    expect(early.writes).toEqual([])
    expect(early.requeues).toEqual([['worker-2', MAX_WAIT_FOR_UNMOUNT_MS - 60_000]])
    const late = world(objs(MAX_WAIT_FOR_UNMOUNT_MS))
    syncAttachDetach('worker-2', late.ctx)
    expect(late.writes[0]).toBe(`delete ${VAS} ${attachmentName(HANDLE, DRIVER, 'worker-2')}`)
  })

  it('leaves claims that are not bound yet alone', () => {
    const w = world([
      [NODES, node('worker-2')],
      [PODS, pod('web', 'worker-2')],
      [PVCS, claim('data', false)],
    ])
    syncAttachDetach('worker-2', w.ctx)
    expect(w.writes).toEqual([])
  })

  it('looks again at the nodes of the pods using a changed claim or volume', () => {
    const w = world([
      [PODS, pod('a', 'worker-1')],
      [PODS, pod('b', 'worker-3')],
      [PODS, pod('c', 'worker-2', { claim: 'other' })],
      [PVS, pv()],
    ])
    syncAttachDetach('pvc:default/data', w.ctx)
    syncAttachDetach('pv:pvc-1', w.ctx)
    expect(w.requeues).toEqual([
      ['worker-1', 0],
      ['worker-3', 0],
      ['worker-1', 0],
      ['worker-3', 0],
    ])
  })

  it('wakes for pods with claims, nodes with attachments, attachments and storage objects', () => {
    const w = attachDetachController.watches
    expect(w[PODS]!(pod('web', 'worker-2'), undefined, false)).toEqual(['worker-2'])
    expect(
      w[PODS]!({ metadata: { name: 'x' }, spec: { nodeName: 'worker-2' } }, undefined, false),
    ).toEqual([])
    expect(w[NODES]!(node('worker-1'), undefined, false)).toEqual([])
    expect(w[NODES]!(node('worker-1', { volumesInUse: [UNIQUE] }), undefined, false)).toEqual([
      'worker-1',
    ])
    expect(w[VAS]!(va('worker-1'), undefined, true)).toEqual(['worker-1', 'pv:pvc-1'])
    expect(w[PVCS]!(claim(), undefined, false)).toEqual(['pvc:default/data'])
  })
})

describe('multiAttachMessage', () => {
  const p = (name: string, namespace = 'default') => ({ metadata: { name, namespace } })
  const cases = [
    { users: [p('a'), p('b')], want: 'Volume is already used by pod(s) a, b' },
    {
      users: [p('a'), p('x', 'other')],
      want: 'Volume is already used by pod(s) a and 1 pod(s) in different namespaces',
    },
    {
      users: [p('x', 'other')],
      want: 'Volume is already used by 1 pod(s) in different namespaces',
    },
    {
      users: [],
      want: "Volume is already exclusively attached to one node and can't be attached to another",
    },
  ]
  for (const c of cases)
    it(c.want, () => {
      expect(multiAttachMessage('pvc-1', p('me'), c.users)).toBe(
        `Multi-Attach error for volume "pvc-1" ${c.want}`,
      )
    })
})

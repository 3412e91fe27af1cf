import { describe, expect, it } from 'vitest'
import { recordingContext } from '../controllers/framework/recording-context'
import { type KindRef, type Obj, NODES } from '../controllers/framework/types'
import {
  ATTACH_DELAY_MS,
  ATTACHER_FINALIZER,
  DETACH_DELAY_MS,
  diskZones,
  publishError,
  syncDiskAttachment,
} from './disk-attacher'

type Rec = Record<string, any>
const T0 = Date.parse('2026-03-01T12:00:00Z')
const PVS: KindRef = '/v1/persistentvolumes'
const VAS: KindRef = 'storage.k8s.io/v1/volumeattachments'
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

const node = (name: string, zone: string): Obj => ({
  metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
})
const pv: Obj = {
  metadata: { name: 'pvc-1' },
  spec: {
    csi: { driver: 'pd.csi.wheelhouse.dev', volumeHandle: 'disk-1' },
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] },
            ],
          },
        ],
      },
    },
  },
}
const va = (nodeName: string, extra: Rec = {}): Obj => ({
  metadata: { name: `csi-${nodeName}`, creationTimestamp: iso(T0), ...extra },
  spec: { attacher: 'pd.csi.wheelhouse.dev', nodeName, source: { persistentVolumeName: 'pvc-1' } },
})
const world = (attachment: Obj, now: number) =>
  recordingContext(
    [
      [NODES, node('worker-1', 'zone-a')],
      [NODES, node('worker-2', 'zone-b')],
      [PVS, pv],
      [VAS, attachment],
    ],
    now,
  )

describe('disk attacher', () => {
  it('claims the attachment with its finalizer and attaches after the cloud’s delay', () => {
    const early = world(va('worker-2'), T0 + 1000)
    syncDiskAttachment('csi-worker-2', early.ctx)
    expect(early.get(VAS, undefined, 'csi-worker-2')!.metadata.finalizers).toEqual([
      ATTACHER_FINALIZER,
    ])
    expect(early.get(VAS, undefined, 'csi-worker-2')!.status).toBeUndefined()
    expect(early.requeues).toEqual([['csi-worker-2', ATTACH_DELAY_MS - 1000]])
    const due = world(va('worker-2', { finalizers: [ATTACHER_FINALIZER] }), T0 + ATTACH_DELAY_MS)
    syncDiskAttachment('csi-worker-2', due.ctx)
    expect(due.get(VAS, undefined, 'csi-worker-2')!.status).toEqual({ attached: true })
  })

  it('refuses a node in another zone than the disk, in status.attachError', () => {
    const w = world(va('worker-1', { finalizers: [ATTACHER_FINALIZER] }), T0 + ATTACH_DELAY_MS)
    syncDiskAttachment('csi-worker-1', w.ctx)
    expect(w.get(VAS, undefined, 'csi-worker-1')!.status).toEqual({
      attached: false,
      attachError: {
        time: iso(T0 + ATTACH_DELAY_MS),
        message:
          'rpc error: code = FailedPrecondition desc = disk disk-1 is in zone zone-b and cannot be attached to instance worker-1 in zone zone-a',
      },
    })
    // The same answer is not written again.
    const writes = w.writes.length
    syncDiskAttachment('csi-worker-1', w.ctx)
    expect(w.writes).toHaveLength(writes)
  })

  it('detaches a deleted attachment after the cloud’s delay, then lets it go', () => {
    const deleting = { finalizers: [ATTACHER_FINALIZER], deletionTimestamp: iso(T0) }
    const early = world(va('worker-2', deleting), T0 + 500)
    syncDiskAttachment('csi-worker-2', early.ctx)
    expect(early.requeues).toEqual([['csi-worker-2', DETACH_DELAY_MS - 500]])
    const due = world(va('worker-2', deleting), T0 + DETACH_DELAY_MS)
    syncDiskAttachment('csi-worker-2', due.ctx)
    expect(due.get(VAS, undefined, 'csi-worker-2')).toBeUndefined()
  })

  it('ignores other drivers’ attachments', () => {
    const w = world(
      { ...va('worker-2'), spec: { ...va('worker-2').spec, attacher: 'other.csi' } },
      T0 + 10_000,
    )
    syncDiskAttachment('csi-worker-2', w.ctx)
    expect(w.writes).toEqual([])
  })

  it('reads the disk’s zone from its affinity, else its label; no zone attaches anywhere', () => {
    expect(diskZones(pv)).toEqual(['zone-b'])
    expect(
      diskZones({
        metadata: { labels: { 'topology.kubernetes.io/zone': 'zone-a__zone-c' } },
        spec: {},
      }),
    ).toEqual(['zone-a', 'zone-c'])
    expect(
      publishError(
        { metadata: { name: 'x' }, spec: {} },
        'x',
        node('worker-1', 'zone-a'),
        'worker-1',
      ),
    ).toBeUndefined()
    expect(publishError(undefined, 'gone', node('worker-1', 'zone-a'), 'worker-1')).toBe(
      'persistentvolume "gone" not found',
    )
  })
})

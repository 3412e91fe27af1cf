import { describe, expect, it } from 'vitest'
import type { KindRef, Obj } from '../controllers/framework/types'
import { recordingContext } from '../controllers/framework/recording-context'
import { RESIZE_DELAY_MS, diskResizer, mergeResizeConditions } from './disk-resizer'

const PVS: KindRef = '/v1/persistentvolumes'
const PVCS: KindRef = '/v1/persistentvolumeclaims'
type O = Record<string, any>

const claim = (request: string, status: O = {}): [KindRef, Obj] => [
  PVCS,
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default', uid: 'c1' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: request } },
      volumeName: 'pvc-c1',
    },
    status: {
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '1Gi' },
      ...status,
    },
  },
]
const disk = (capacity: string, driver = 'pd.csi.wheelhouse.dev'): [KindRef, Obj] => [
  PVS,
  {
    metadata: { name: 'pvc-c1' },
    spec: {
      capacity: { storage: capacity },
      claimRef: { namespace: 'default', name: 'data', uid: 'c1' },
      csi: { driver, volumeHandle: 'h' },
    },
    status: { phase: 'Bound' },
  },
]
const events = (r: ReturnType<typeof recordingContext>) =>
  r.events.map((e) => `${e.reason}: ${e.message}`)

describe('disk resizer', () => {
  it('grows a disk: Resizing, then the volume at the new size and the filesystem pending on the node', () => {
    const r = recordingContext([claim('1500Mi'), disk('1Gi')])
    diskResizer.sync('claim:default/data', r.ctx)
    let c = r.get(PVCS, 'default', 'data')!
    expect(c.status).toMatchObject({
      capacity: { storage: '1Gi' },
      allocatedResources: { storage: '1500Mi' },
      allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' },
      conditions: [
        { type: 'Resizing', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' },
      ],
    })
    expect(r.requeues).toEqual([['expand:default/data', RESIZE_DELAY_MS]])
    // A second look while resizing does nothing more.
    diskResizer.sync('claim:default/data', r.ctx)
    expect(r.events).toHaveLength(1)

    diskResizer.sync('expand:default/data', r.ctx)
    expect(r.get(PVS, undefined, 'pvc-c1')!.spec.capacity).toEqual({ storage: '2Gi' })
    c = r.get(PVCS, 'default', 'data')!
    expect(c.status.capacity).toEqual({ storage: '1Gi' }) // the kubelet finishes it
    expect(c.status.allocatedResourceStatuses).toEqual({ storage: 'NodeResizePending' })
    expect(c.status.conditions.map((x: O) => x.type)).toEqual([
      'Resizing',
      'FileSystemResizePending',
    ])
    expect(c.status.conditions[1].message).toBe(
      'Waiting for user to (re-)start a pod to finish file system resize of volume on node.',
    )
    expect(events(r)).toEqual([
      'Resizing: External resizer is resizing volume pvc-c1',
      'FileSystemResizeRequired: Require file system resize of volume on node',
    ])
    // Nothing more until the node is done.
    diskResizer.sync('claim:default/data', r.ctx)
    expect(r.events).toHaveLength(2)
  })

  const untouched: { name: string; objs: [KindRef, Obj][] }[] = [
    { name: 'a claim asking for what it has', objs: [claim('1Gi'), disk('1Gi')] },
    { name: 'a pending claim', objs: [claim('2Gi', { phase: 'Pending' }), disk('1Gi')] },
    { name: 'another driver’s volume', objs: [claim('2Gi'), disk('1Gi', 'ebs.csi.aws.com')] },
  ]
  for (const u of untouched)
    it(`leaves ${u.name} alone`, () => {
      const r = recordingContext(u.objs)
      diskResizer.sync('claim:default/data', r.ctx)
      expect(r.writes).toEqual([])
    })

  it('merges resize conditions as upstream: others kept, replaced by type, old resize ones kept only if asked', () => {
    const old = [
      { type: 'Resizing' },
      { type: 'ModifyingVolume' },
      { type: 'FileSystemResizePending', old: true },
    ]
    expect(mergeResizeConditions(old, [{ type: 'FileSystemResizePending' }], false)).toEqual([
      { type: 'ModifyingVolume' },
      { type: 'FileSystemResizePending' },
    ])
    expect(mergeResizeConditions(old, [{ type: 'NodeResizeError' }], true)).toEqual([
      ...old,
      { type: 'NodeResizeError' },
    ])
  })
})

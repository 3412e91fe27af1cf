// The kubelet waiting for a pod's claim volumes, on a stepped clock: claims
// must be Bound and their volumes attached to the node before any container
// starts, with upstream's FailedMount text when the volumes cannot be processed.
import { describe, expect, it } from 'vitest'
import type { KubeletEvent } from '../../resources/node-rpc'
import { newPodRecord, type PodRecord } from './pod-record'
import { podStatus } from './pod-status'
import { type PodWorld, syncPod } from './pod-worker'
import {
  POD_ATTACH_AND_MOUNT_TIMEOUT_MS,
  resolveClaimVolumes,
  unattachedVolumes,
  volumesInUse,
} from './pod-volumes'

type Obj = Record<string, any>
const T0 = Date.parse('2026-11-25T10:00:00Z')
const UNIQUE = 'kubernetes.io/csi/pd.csi.wheelhouse.dev^disk-b'

const claim = (extra: Obj = {}): Obj => ({
  metadata: { name: 'data', namespace: 'default', uid: 'uid-claim' },
  spec: { volumeName: 'pvc-1' },
  status: { phase: 'Bound' },
  ...extra,
})
const volume = (extra: Obj = {}): Obj => ({
  metadata: { name: 'pvc-1' },
  spec: {
    csi: { driver: 'pd.csi.wheelhouse.dev', volumeHandle: 'disk-b' },
    claimRef: { namespace: 'default', name: 'data', uid: 'uid-claim' },
  },
  ...extra,
})

function makeWorld(objects: Record<string, Obj | null>, attached: string[] = []) {
  const images = new Map<string, number>()
  const events: KubeletEvent[] = []
  const w: PodWorld & { events: KubeletEvent[]; objects: Record<string, Obj | null> } = {
    nodeName: 'worker-2',
    hostIP: '172.18.0.4',
    allocatable: { cpu: 4, memory: 16 * 2 ** 30 },
    bandwidthBytesPerSec: 50_000_000,
    images: { has: (d) => images.has(d), add: (i) => void images.set(i.digest, i.sizeBytes) },
    lookup: (res, ns, name) => w.objects[`${res}/${ns}/${name}`],
    volumesAttached: new Set(attached),
    allocateIP: () => '10.244.2.2',
    emit: (e) => void events.push(e),
    events,
    objects,
  }
  return w
}

const objects = (pvc: Obj | null = claim(), pv: Obj | null = volume()) => ({
  'persistentvolumeclaims/default/data': pvc,
  'persistentvolumes//pvc-1': pv,
})

function newPod(): PodRecord {
  return newPodRecord(
    {
      metadata: { name: 'db', namespace: 'default', uid: 'uid-db' },
      spec: {
        restartPolicy: 'Always',
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      },
      status: { qosClass: 'BestEffort' },
    },
    T0,
  )
}

/** Runs the worker at every wake-up until `until` (ms after T0). */
function runUntil(rec: PodRecord, w: PodWorld, until: number): void {
  let now = T0
  for (let i = 0; i < 10_000; i++) {
    const r = syncPod(rec, now, w)
    if (r.fetch) throw new Error('unexpected fetch')
    if (r.wakeAt === undefined || r.wakeAt > T0 + until) return void syncPod(rec, T0 + until, w)
    now = Math.max(now, r.wakeAt)
  }
}

const waiting = (rec: PodRecord, at: number) =>
  podStatus(rec, T0 + at, '172.18.0.4').containerStatuses[0].state

describe('the kubelet waiting for claim volumes', () => {
  it('holds the containers until the volume is attached, then starts them', () => {
    const w = makeWorld(objects())
    const rec = newPod()
    runUntil(rec, w, 5 * 60_000)
    // Waiting on the attach/detach controller: ContainerCreating, and (as in 1.32) no event for a timed-out wait.
    expect(waiting(rec, 5 * 60_000)).toEqual({ waiting: { reason: 'ContainerCreating' } })
    expect(w.events).toEqual([])
    expect(rec.claimVolumes).toEqual({ data: UNIQUE })
    expect(rec.awaitingAttach).toBe(true)
    // The Node reports it attached (the kubelet's configure sets mountRetryAt to that moment).
    w.volumesAttached = new Set([UNIQUE])
    rec.mountRetryAt = T0 + 5 * 60_000
    runUntil(rec, w, 6 * 60_000)
    expect(podStatus(rec, T0 + 6 * 60_000, '172.18.0.4').phase).toBe('Running')
    expect(rec.awaitingAttach).toBeUndefined()
    // The sandbox came up when the volume did, not when the pod was first seen.
    expect(rec.sandboxAt).toBe(T0 + 5 * 60_000 + 1_000)
  })

  it('looks again every podAttachAndMountTimeout when nothing wakes it', () => {
    const w = makeWorld(objects())
    const rec = newPod()
    expect(syncPod(rec, T0, w).wakeAt).toBe(T0 + POD_ATTACH_AND_MOUNT_TIMEOUT_MS)
  })

  it('reports an unbound claim as upstream does, every 10 s', () => {
    const pending = claim({ spec: {}, status: { phase: 'Pending' } })
    const w = makeWorld(objects(pending, null))
    const rec = newPod()
    runUntil(rec, w, 25_000)
    expect(w.events.map((e) => [e.reason, e.type, (e.time - T0) / 1000])).toEqual([
      ['FailedMount', 'Warning', 0],
      ['FailedMount', 'Warning', 10],
      ['FailedMount', 'Warning', 20],
    ])
    expect(w.events[0]!.message).toBe(
      'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound',
    )
    expect(waiting(rec, 25_000)).toEqual({ waiting: { reason: 'ContainerCreating' } })
  })

  it('asks for the claim, then its volume, in the report’s reads', () => {
    const w = makeWorld({})
    const rec = newPod()
    expect(syncPod(rec, T0, w).fetch).toEqual([
      { resource: 'persistentvolumeclaims', namespace: 'default', name: 'data' },
    ])
    w.objects['persistentvolumeclaims/default/data'] = claim()
    expect(syncPod(rec, T0, w).fetch).toEqual([
      { resource: 'persistentvolumeclaims', namespace: 'default', name: 'data' },
      { resource: 'persistentvolumes', namespace: '', name: 'pvc-1' },
    ])
  })
})

describe('resolveClaimVolumes', () => {
  const pod = newPod().pod
  const cases: { name: string; pvc: Obj | null; pv: Obj | null; error: string }[] = [
    {
      name: 'a missing claim',
      pvc: null,
      pv: null,
      error: 'failed to fetch PVC from API server: persistentvolumeclaims "data" not found',
    },
    {
      name: 'a claim being deleted',
      pvc: claim({ metadata: { ...claim().metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }),
      pv: volume(),
      error: 'PVC is being deleted',
    },
    {
      name: 'a missing volume',
      pvc: claim(),
      pv: null,
      error: 'failed to fetch PV pvc-1 from API server: persistentvolumes "pvc-1" not found',
    },
    {
      name: 'a volume bound to another claim',
      pvc: claim(),
      pv: volume({ spec: { ...volume().spec, claimRef: { uid: 'uid-other' } } }),
      error:
        'found PV object pvc-1 but its pv.Spec.ClaimRef.UID uid-other does not point to claim.UID uid-claim',
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const r = resolveClaimVolumes(
        pod,
        (res, ns, name) =>
          objects(c.pvc, c.pv)[`${res}/${ns}/${name}` as 'persistentvolumes//pvc-1'],
      )
      expect(r).toEqual({
        ok: false,
        failed: ['data'],
        message: `Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: ${c.error}`,
      })
    })

  it('ignores claim volumes no container mounts', () => {
    const unused = { ...pod, spec: { ...pod.spec, containers: [{ name: 'app', image: 'nginx' }] } }
    expect(resolveClaimVolumes(unused, () => undefined)).toEqual({ ok: true, volumes: {} })
  })
})

describe('volumesInUse and unattachedVolumes', () => {
  it('reports each attachable volume of the pods still there, sorted, once', () => {
    expect(
      volumesInUse([
        { claimVolumes: { a: 'kubernetes.io/csi/d^2', b: '' } },
        { claimVolumes: { c: 'kubernetes.io/csi/d^1' } },
        { claimVolumes: { d: 'kubernetes.io/csi/d^2' } },
        { claimVolumes: { e: 'kubernetes.io/csi/d^3' }, finished: true },
        {},
      ]),
    ).toEqual(['kubernetes.io/csi/d^1', 'kubernetes.io/csi/d^2'])
  })

  it('lists the volumes the node does not report attached', () => {
    expect(unattachedVolumes({ b: 'u2', a: 'u1', c: '' }, new Set(['u2']))).toEqual(['a'])
  })
})

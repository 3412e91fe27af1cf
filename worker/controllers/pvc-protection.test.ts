import { describe, expect, it } from 'vitest'
import { PODS, type KindRef, type Obj } from './framework/types'
import { recordingContext } from './framework/recording-context'
import { pvProtectionController, syncVolumeProtection } from './pv-protection'
import { podUsesClaim, pvcProtectionController, syncClaimProtection } from './pvc-protection'

const PVCS: KindRef = '/v1/persistentvolumeclaims'
const PVS: KindRef = '/v1/persistentvolumes'
const FIN = 'kubernetes.io/pvc-protection'

const claim = (deleting: boolean, finalizers = [FIN]): Obj => ({
  metadata: {
    name: 'data',
    namespace: 'default',
    uid: 'uid-data',
    finalizers,
    ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
  spec: {},
})
const pod = (
  name: string,
  extra: { node?: string; phase?: string; volume?: Record<string, any> } = {},
): Obj => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: {
    ...(extra.node ? { nodeName: extra.node } : {}),
    volumes: [extra.volume ?? { name: 'v', persistentVolumeClaim: { claimName: 'data' } }],
  },
  status: { phase: extra.phase ?? 'Running' },
})

describe('PVC protection', () => {
  const cases: { name: string; pods: Obj[]; kept: boolean }[] = [
    {
      name: 'a running pod on a node keeps it',
      pods: [pod('web', { node: 'worker-1' })],
      kept: true,
    },
    {
      name: 'a finished pod still on its node keeps it',
      pods: [pod('job', { node: 'worker-1', phase: 'Succeeded' })],
      kept: true,
    },
    { name: 'an unscheduled pod does not', pods: [pod('web')], kept: false },
    {
      name: 'a pod using another claim does not',
      pods: [
        pod('web', {
          node: 'worker-1',
          volume: { name: 'v', persistentVolumeClaim: { claimName: 'x' } },
        }),
      ],
      kept: false,
    },
    { name: 'no pods: released', pods: [], kept: false },
  ]
  for (const c of cases)
    it(`a claim being deleted: ${c.name}`, () => {
      const r = recordingContext([
        [PVCS, claim(true)],
        ...c.pods.map((p) => [PODS, p] as [KindRef, Obj]),
      ])
      syncClaimProtection(r.ctx, 'default', 'data')
      if (c.kept) expect(r.get(PVCS, 'default', 'data')!.metadata.finalizers).toEqual([FIN])
      else expect(r.get(PVCS, 'default', 'data')).toBeUndefined()
    })

  it('adds the finalizer to a claim without it, but not to one being deleted', () => {
    const r = recordingContext([[PVCS, claim(false, [])]])
    syncClaimProtection(r.ctx, 'default', 'data')
    expect(r.get(PVCS, 'default', 'data')!.metadata.finalizers).toEqual([FIN])
    expect(pvcProtectionController.watches[PVCS]!(claim(true, []), undefined, false)).toEqual([])
  })

  it('an ephemeral claim counts only for its own pod, until the pod is shut down', () => {
    const eph = { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }
    const p = pod('web', { node: 'worker-1', volume: eph })
    const own: Obj = {
      metadata: {
        name: 'web-scratch',
        namespace: 'default',
        ownerReferences: [{ controller: true, uid: 'uid-web' }],
      },
    }
    const foreign: Obj = {
      metadata: {
        name: 'web-scratch',
        namespace: 'default',
        ownerReferences: [{ controller: true, uid: 'other' }],
      },
    }
    expect(podUsesClaim(p, own)).toBe(true)
    expect(podUsesClaim(p, foreign)).toBe(false)
    const shut = {
      ...p,
      metadata: {
        ...p.metadata,
        deletionTimestamp: '2025-01-01T00:00:00Z',
        deletionGracePeriodSeconds: 0,
      },
    }
    expect(podUsesClaim(shut, own)).toBe(false)
  })

  it('pod writes wake the claims only when the pod can no longer be using them', () => {
    const keys = (p: Obj, deleted = false) =>
      pvcProtectionController.watches[PODS]!(p, undefined, deleted)
    expect(keys(pod('web', { node: 'worker-1' }))).toEqual([])
    expect(keys(pod('web', { node: 'worker-1' }), true)).toEqual(['default/data'])
    expect(keys(pod('web', { node: 'worker-1', phase: 'Failed' }))).toEqual(['default/data'])
    expect(keys(pod('web'))).toEqual(['default/data'])
  })
})

describe('PV protection', () => {
  const volume = (
    phase: string,
    deleting: boolean,
    finalizers = ['kubernetes.io/pv-protection'],
  ): Obj => ({
    metadata: {
      name: 'pv1',
      finalizers,
      ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: {},
    status: { phase },
  })
  const cases: { name: string; volume: Obj; want: string[] | undefined }[] = [
    {
      name: 'a Bound volume being deleted keeps its finalizer',
      volume: volume('Bound', true),
      want: ['kubernetes.io/pv-protection'],
    },
    {
      name: 'a Released volume being deleted goes',
      volume: volume('Released', true),
      want: undefined,
    },
    {
      name: 'other finalizers stay',
      volume: volume('Available', true, ['kubernetes.io/pv-protection', 'x/y']),
      want: ['x/y'],
    },
    {
      name: 'a volume without it gets it',
      volume: volume('Available', false, []),
      want: ['kubernetes.io/pv-protection'],
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const r = recordingContext([[PVS, c.volume]])
      syncVolumeProtection(r.ctx, 'pv1')
      expect(r.get(PVS, undefined, 'pv1')?.metadata.finalizers).toEqual(c.want)
    })
  it('wakes only for volumes that need it', () => {
    expect(pvProtectionController.watches[PVS]!(volume('Bound', false), undefined, false)).toEqual(
      [],
    )
    expect(pvProtectionController.watches[PVS]!(volume('Bound', true), undefined, false)).toEqual([
      'pv1',
    ])
  })
})

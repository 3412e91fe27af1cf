import { describe, expect, it } from 'vitest'
import { Code, CycleState, type Obj } from '../../framework/types'
import { preempt } from '../../preemption'
import { defaultProfile } from '../../profile'
import { scheduleOne } from '../../schedule-one'
import {
  brief,
  claim,
  listers,
  podWithClaims,
  runVolumeFilter,
  storageClass,
  volume,
  volumeSnapshot,
  ZONED,
} from '../helper/volume-testing'
import {
  BIND_TIMEOUT_MS,
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_PV_NOT_EXIST,
  ERR_UNBOUND_IMMEDIATE,
  VolumeBinding,
} from './volume-binding'

const U = 'UnschedulableAndUnresolvable'
const immediate = storageClass('standard')
const wffc = storageClass('standard-rwo', { volumeBindingMode: 'WaitForFirstConsumer' })
const local = storageClass('local', {
  provisioner: 'kubernetes.io/no-provisioner',
  volumeBindingMode: 'WaitForFirstConsumer',
})
const zonedWffc = storageClass('zonal', {
  volumeBindingMode: 'WaitForFirstConsumer',
  allowedTopologies: [
    {
      matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-a', 'zone-c'] }],
    },
  ],
})
const ref = (name: string) => ({
  kind: 'PersistentVolumeClaim',
  namespace: 'default',
  name,
  uid: `uid-${name}`,
})
const all = (s: string) => ({ 'worker-1': s, 'worker-2': s, 'worker-3': s })

describe('VolumeBinding filter', () => {
  const cases: { name: string; claims: string[]; objects: Obj[]; want: Record<string, string> }[] =
    [
      { name: 'a pod without claims is skipped', claims: [], objects: [], want: all('Success') },
      {
        name: 'a missing claim rejects every node',
        claims: ['data'],
        objects: [immediate],
        want: all(`${U}: persistentvolumeclaim "data" not found`),
      },
      {
        name: 'a claim being deleted',
        claims: ['data'],
        objects: [immediate, claim('data', { deleting: true })],
        want: all(`${U}: persistentvolumeclaim "data" is being deleted`),
      },
      {
        name: 'a Lost claim',
        claims: ['data'],
        objects: [immediate, claim('data', { volume: 'gone', phase: 'Lost' })],
        want: all(
          `${U}: persistentvolumeclaim "data" bound to non-existent persistentvolume "gone"`,
        ),
      },
      {
        name: 'an unbound claim of an Immediate class waits for the PV controller',
        claims: ['data'],
        objects: [immediate, claim('data')],
        want: all(`${U}: ${ERR_UNBOUND_IMMEDIATE}`),
      },
      {
        name: 'a bound PV in zone-b: only the zone-b node',
        claims: ['data'],
        objects: [
          immediate,
          claim('data', { volume: 'pv-b' }),
          volume('pv-b', { zone: 'zone-b', claimRef: ref('data') }),
        ],
        want: {
          'worker-1': `${U}: ${ERR_REASON_NODE_CONFLICT}`,
          'worker-2': 'Success',
          'worker-3': `${U}: ${ERR_REASON_NODE_CONFLICT}`,
        },
      },
      {
        name: 'a claim bound to a PV that is gone',
        claims: ['data'],
        objects: [immediate, claim('data', { volume: 'gone' })],
        want: all(`${U}: ${ERR_REASON_PV_NOT_EXIST}`),
      },
      {
        name: 'WaitForFirstConsumer with a matching Available PV in zone-b and no provisioner',
        claims: ['data'],
        objects: [
          local,
          claim('data', { cls: 'local' }),
          volume('pv-b', { zone: 'zone-b', cls: 'local' }),
        ],
        want: {
          'worker-1': `${U}: ${ERR_REASON_BIND_CONFLICT}`,
          'worker-2': 'Success',
          'worker-3': `${U}: ${ERR_REASON_BIND_CONFLICT}`,
        },
      },
      {
        name: 'WaitForFirstConsumer: a PV too small, of another mode or access mode does not match',
        claims: ['data'],
        objects: [
          local,
          claim('data', { cls: 'local', size: '10Gi', modes: ['ReadWriteOncePod'] }),
          volume('small', { cls: 'local', size: '5Gi', modes: ['ReadWriteOncePod'] }),
          volume('rwo', { cls: 'local', size: '20Gi', modes: ['ReadWriteOnce'] }),
          volume('bound', { cls: 'local', size: '20Gi', claimRef: ref('other') }),
        ],
        want: all(`${U}: ${ERR_REASON_BIND_CONFLICT}`),
      },
      {
        name: 'WaitForFirstConsumer: a class that provisions anywhere fits every node',
        claims: ['data'],
        objects: [wffc, claim('data', { cls: 'standard-rwo' })],
        want: all('Success'),
      },
      {
        name: "WaitForFirstConsumer: a class's allowedTopologies limit where it provisions",
        claims: ['data'],
        objects: [zonedWffc, claim('data', { cls: 'zonal' })],
        want: {
          'worker-1': 'Success',
          'worker-2': `${U}: ${ERR_REASON_BIND_CONFLICT}`,
          'worker-3': 'Success',
        },
      },
      {
        name: 'a claim already given a selected node keeps the pod to that node',
        claims: ['data'],
        objects: [
          wffc,
          claim('data', {
            cls: 'standard-rwo',
            annotations: { 'volume.kubernetes.io/selected-node': 'worker-3' },
          }),
        ],
        want: {
          'worker-1': `${U}: ${ERR_REASON_BIND_CONFLICT}`,
          'worker-2': `${U}: ${ERR_REASON_BIND_CONFLICT}`,
          'worker-3': 'Success',
        },
      },
      {
        name: 'a bound claim in zone-a and a delayed one with only a zone-b PV: both reasons',
        claims: ['a', 'b'],
        objects: [
          immediate,
          local,
          claim('a', { volume: 'pv-a' }),
          volume('pv-a', { zone: 'zone-a', claimRef: ref('a') }),
          claim('b', { cls: 'local' }),
          volume('pv-b', { zone: 'zone-b', cls: 'local' }),
        ],
        want: {
          'worker-1': `${U}: ${ERR_REASON_BIND_CONFLICT}`,
          'worker-2': `${U}: ${ERR_REASON_NODE_CONFLICT}`,
          'worker-3': `${U}: ${ERR_REASON_NODE_CONFLICT}; ${ERR_REASON_BIND_CONFLICT}`,
        },
      },
    ]
  for (const c of cases)
    it(c.name, () => {
      const pod = podWithClaims('p', c.claims)
      const { verdicts } = runVolumeFilter(VolumeBinding, pod, volumeSnapshot(ZONED, c.objects))
      expect(brief(verdicts)).toEqual(c.want)
    })

  it('skips a pod without claims at PreFilter', () => {
    const s = VolumeBinding.preFilter!(
      new CycleState(),
      podWithClaims('p', []),
      volumeSnapshot(ZONED, []),
    )
    expect(s?.code).toBe(Code.Skip)
  })

  it('gives each of two claims its own smallest fitting PV', () => {
    const objects = [
      local,
      claim('big', { cls: 'local', size: '8Gi' }),
      claim('small', { cls: 'local', size: '1Gi' }),
      volume('pv-2', { cls: 'local', size: '2Gi' }),
      volume('pv-10', { cls: 'local', size: '10Gi' }),
      volume('pv-50', { cls: 'local', size: '50Gi' }),
    ]
    const pod = podWithClaims('p', ['big', 'small'])
    const snapshot = volumeSnapshot(ZONED, objects)
    const { state } = runVolumeFilter(VolumeBinding, pod, snapshot)
    const r = VolumeBinding.preBind(state, pod, 'worker-1', snapshot)
    expect(
      r.updates!.map((u) => [u.object.metadata.name, u.object.spec.claimRef.name]).sort(),
    ).toEqual([
      ['pv-10', 'big'],
      ['pv-2', 'small'],
    ])
  })
})

describe('VolumeBinding PreBind', () => {
  it('does nothing for a pod whose claims are all bound', () => {
    const objects = [
      immediate,
      claim('data', { volume: 'pv-b' }),
      volume('pv-b', { claimRef: ref('data') }),
    ]
    const pod = podWithClaims('p', ['data'])
    const snapshot = volumeSnapshot(ZONED, objects)
    const { state } = runVolumeFilter(VolumeBinding, pod, snapshot)
    expect(VolumeBinding.preBind(state, pod, 'worker-2', snapshot)).toEqual({})
  })

  it('pre-binds a chosen PV to its claim and waits until the PV controller has bound the claim', () => {
    const pv = volume('pv-b', { zone: 'zone-b', cls: 'local' })
    const objects = [local, claim('data', { cls: 'local' }), pv]
    const pod = podWithClaims('p', ['data'])
    const snapshot = volumeSnapshot(ZONED, objects)
    const { state } = runVolumeFilter(VolumeBinding, pod, snapshot)
    const r = VolumeBinding.preBind(state, pod, 'worker-2', snapshot)
    expect(r.updates).toHaveLength(1)
    const next = r.updates![0]!
    expect(next.resource).toBe('persistentvolumes')
    expect(next.object.spec.claimRef).toEqual({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid: 'uid-data',
      apiVersion: 'v1',
      resourceVersion: '7',
    })
    expect(next.object.metadata.annotations).toEqual({
      'pv.kubernetes.io/bound-by-controller': 'yes',
    })
    const node = ZONED[1]!
    // The PV controller has not bound the claim yet: keep waiting.
    expect(
      VolumeBinding.checkPreBind(
        r.pending,
        node,
        listers([local, claim('data', { cls: 'local' }), next.object]),
        1000,
      ),
    ).toBeUndefined()
    const bound = [local, claim('data', { cls: 'local', volume: 'pv-b' }), next.object]
    expect(VolumeBinding.checkPreBind(r.pending, node, listers(bound), 2000)?.code).toBe(
      Code.Success,
    )
  })

  it('asks for provisioning on the chosen node, and fails when the provisioner gives the claim back', () => {
    const objects = [wffc, claim('data', { cls: 'standard-rwo' })]
    const pod = podWithClaims('p', ['data'])
    const snapshot = volumeSnapshot(ZONED, objects)
    const { state } = runVolumeFilter(VolumeBinding, pod, snapshot)
    const r = VolumeBinding.preBind(state, pod, 'worker-3', snapshot)
    expect(r.updates!.map((u) => [u.resource, u.object.metadata.annotations])).toEqual([
      ['persistentvolumeclaims', { 'volume.kubernetes.io/selected-node': 'worker-3' }],
    ])
    const node = ZONED[2]!
    const annotated = r.updates![0]!.object
    expect(
      VolumeBinding.checkPreBind(r.pending, node, listers([wffc, annotated]), 5000),
    ).toBeUndefined()
    // Provisioned in zone-c and bound: the pod may be bound.
    const done = structuredClone(annotated)
    done.spec.volumeName = 'pvc-uid-data'
    done.status.phase = 'Bound'
    const pv = volume('pvc-uid-data', {
      zone: 'zone-c',
      cls: 'standard-rwo',
      claimRef: ref('data'),
    })
    expect(VolumeBinding.checkPreBind(r.pending, node, listers([wffc, done, pv]), 9000)?.code).toBe(
      Code.Success,
    )
    // The provisioner dropped the annotation: scheduling starts over.
    expect(
      VolumeBinding.checkPreBind(
        r.pending,
        node,
        listers([wffc, claim('data', { cls: 'standard-rwo' })]),
        9000,
      ),
    ).toEqual({
      code: Code.Error,
      reasons: ['binding volumes: provisioning failed for PVC "data"'],
    })
  })

  it('gives up after the bind timeout', () => {
    const pending = { namespace: 'default', statics: [], provisions: ['data'] }
    const c = claim('data', { annotations: { 'volume.kubernetes.io/selected-node': 'worker-1' } })
    const l = listers([c])
    expect(VolumeBinding.checkPreBind(pending, ZONED[0], l, BIND_TIMEOUT_MS - 1)).toBeUndefined()
    expect(VolumeBinding.checkPreBind(pending, ZONED[0], l, BIND_TIMEOUT_MS)?.reasons).toEqual([
      'binding volumes: context deadline exceeded',
    ])
  })
})

describe('FitError text with the volume plugins in the default profile', () => {
  it('names the missing claim after "0/3 nodes are available:"', () => {
    const snapshot = volumeSnapshot(ZONED, [immediate])
    const ex = scheduleOne(podWithClaims('p', ['data']), snapshot, defaultProfile())
    expect(ex.chosen).toBeUndefined()
    expect(ex.message).toBe('0/3 nodes are available: persistentvolumeclaim "data" not found.')
    // A PreFilter rejection is every node's: preemption cannot help anywhere.
    expect(preempt(podWithClaims('p', ['data']), snapshot, defaultProfile(), ex).message).toBe(
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    )
  })

  it('counts nodes whose zone the bound volume is not in', () => {
    const objects = [
      immediate,
      claim('data', { volume: 'pv-b' }),
      volume('pv-b', { zone: 'zone-b', claimRef: ref('data') }),
    ]
    const snapshot = volumeSnapshot(ZONED, objects)
    const ex = scheduleOne(podWithClaims('p', ['data']), snapshot, defaultProfile())
    expect(ex.chosen).toBe('worker-2')
    const snapshot2 = volumeSnapshot(
      ZONED.filter((n) => n.metadata.name !== 'worker-2'),
      objects,
    )
    const ex2 = scheduleOne(podWithClaims('p', ['data']), snapshot2, defaultProfile())
    expect(ex2.message).toBe(`0/2 nodes are available: 2 ${ERR_REASON_NODE_CONFLICT}.`)
  })
})

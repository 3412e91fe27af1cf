import { describe, expect, it } from 'vitest'
import { type KindRef, NODES, type Obj, PDBS, PODS } from '../controllers/framework/types'
import { DRAIN_RETRY_MS, DRAIN_TIMEOUT_MS, syncNodePool } from './node-pool'
import { INSTANCES, NODEPOOLS } from './provider'
import { T0, testContext } from './test-context'

type R = Record<string, any>
const ZONES = ['zone-a', 'zone-b', 'zone-c']
const pool = (replicas: number): Obj => ({
  apiVersion: 'sim.wheelhouse.dev/v1alpha1',
  kind: 'NodePool',
  metadata: { name: 'default', uid: 'pool-uid', generation: 1 },
  spec: { machineType: 'standard-4', zones: ZONES, replicas },
})
const inst = (i: number, phase = 'Running'): Obj => ({
  metadata: { name: `worker-${i}`, labels: { 'sim.wheelhouse.dev/nodepool': 'default' } },
  spec: { pool: 'default', zone: ZONES[(i - 1) % 3], machineType: 'standard-4', running: true },
  status: { phase },
})
const node = (i: number, taints?: R[], unschedulable?: boolean): Obj => ({
  metadata: { name: `worker-${i}`, labels: { 'sim.wheelhouse.dev/nodepool': 'default' } },
  spec: {
    providerID: `wheelhouse://c1/${ZONES[(i - 1) % 3]}/worker-${i}`,
    ...(taints ? { taints } : {}),
    ...(unschedulable ? { unschedulable } : {}),
  },
  status: {
    conditions: [{ type: 'Ready', status: 'True' }],
    allocatable: { cpu: '4', memory: '16Gi' },
  },
})
const pod = (name: string, nodeName: string, extra: R = {}): Obj => ({
  metadata: { name, namespace: 'default', labels: { app: 'web' }, ...extra.metadata },
  spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
})
const cluster = (n: number, replicas: number, extra: [KindRef, Obj][] = []): [KindRef, Obj][] => [
  [NODEPOOLS, pool(replicas)],
  ...Array.from({ length: n }, (_, i): [KindRef, Obj][] => [
    [INSTANCES, inst(i + 1)],
    [NODES, node(i + 1)],
  ]).flat(),
  ...extra,
]
const TBD = (s: number) => ({
  key: 'ToBeDeletedByClusterAutoscaler',
  value: String(T0 / 1000 + s),
  effect: 'NoSchedule',
})

describe('syncNodePool', () => {
  it('scale-up: new VMs continue the names, spread over the zones', () => {
    const f = testContext(T0, cluster(3, 5))
    syncNodePool('default', f.ctx)
    expect(f.events).toEqual([
      'Normal ScaledUpGroup default: Scale-up: setting group default size to 5 instead of 3 (max: 100)',
    ])
    const made = f.ctx.list(INSTANCES).filter((i) => i.metadata.name > 'worker-3')
    expect(
      made.map((i) => [i.metadata.name, i.spec.zone, i.metadata.ownerReferences[0].name]),
    ).toEqual([
      ['worker-4', 'zone-a', 'default'],
      ['worker-5', 'zone-b', 'default'],
    ])
    const st = f.get(NODEPOOLS, undefined, 'default')!.status
    expect(st).toMatchObject({ replicas: 5, readyReplicas: 3 })
  })

  it('other pools name their nodes <pool>-<n>', () => {
    const f = testContext(T0, [[NODEPOOLS, { ...pool(2), metadata: { name: 'gpu', uid: 'g' } }]])
    syncNodePool('gpu', f.ctx)
    expect(f.ctx.list(INSTANCES).map((i) => i.metadata.name)).toEqual(['gpu-1', 'gpu-2'])
  })

  it('scale-down: an empty node goes at once; a busy one is marked, cordoned and its pods evicted', () => {
    const f = testContext(
      T0,
      cluster(5, 3, [
        [PODS, pod('web-a', 'worker-4')],
        [PODS, pod('web-b', 'worker-1')],
      ]),
    )
    syncNodePool('default', f.ctx)
    // Zones a and b hold two each: the least utilized of them, worker-5 (empty), goes first; then
    // zone-a holds the most, and of its two equally used nodes the newest, worker-4.
    expect(f.events).toEqual([
      'Normal ScaleDownEmpty default: Scale-down: removing empty node "worker-5" (zone-b holds the most of the pool\'s nodes (2) and it is the least utilized there (0))',
      'Normal ScaleDown worker-5: marked the node as toBeDeleted/unschedulable',
      'Normal ScaleDownEmpty default: Scale-down: empty node worker-5 removed',
      "Normal ScaleDown default: Scale-down: removing node worker-4, utilization: {0.03 0 0 0.03 cpu}, pods to reschedule: web-a (zone-a holds the most of the pool's nodes (2) and it is the least utilized there (0.03))",
      'Normal ScaleDown worker-4: marked the node as toBeDeleted/unschedulable',
      'Normal ScaleDown web-a: deleting pod for node scale down',
    ])
    expect(f.get(INSTANCES, undefined, 'worker-5')).toBeUndefined()
    const n4 = f.get(NODES, undefined, 'worker-4')!
    expect(n4.spec.unschedulable).toBe(true)
    expect(n4.spec.taints).toEqual([TBD(0)])
    const evicted = f.get(PODS, 'default', 'web-a')!
    expect(evicted.metadata.deletionTimestamp).toBeDefined()
    expect(evicted.status.conditions.at(-1)).toMatchObject({
      type: 'DisruptionTarget',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    })
    expect(f.requeues).toEqual([['default', DRAIN_RETRY_MS]])
    expect(f.get(NODEPOOLS, undefined, 'default')!.status.conditions[1]).toMatchObject({
      reason: 'ScalingDown',
      message: 'draining worker-4',
    })
  })

  it("a drained node's VM is deleted", () => {
    const f = testContext(
      T0 + 40_000,
      cluster(4, 3).map(([k, o]): [KindRef, Obj] =>
        o.metadata.name === 'worker-4' && k === NODES ? [k, node(4, [TBD(0)], true)] : [k, o],
      ),
    )
    syncNodePool('default', f.ctx)
    expect(f.events).toEqual([
      'Normal ScaleDown default: Scale-down: node worker-4 removed with drain',
    ])
    expect(f.get(INSTANCES, undefined, 'worker-4')).toBeUndefined()
    expect(f.requeues).toEqual([])
  })

  it('a budget holds a drain up, and says so; past the deadline it gives way', () => {
    const objs = cluster(4, 3, [
      [PODS, pod('web-a', 'worker-4')],
      [PODS, pod('web-b', 'worker-1')],
      [
        PDBS,
        {
          metadata: { name: 'web', namespace: 'default' },
          spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 2 },
        },
      ],
    ]).map(([k, o]): [KindRef, Obj] =>
      o.metadata.name === 'worker-4' && k === NODES ? [k, node(4, [TBD(0)], true)] : [k, o],
    )
    const f = testContext(T0 + 5_000, objs)
    syncNodePool('default', f.ctx)
    expect(f.get(PODS, 'default', 'web-a')!.metadata.deletionTimestamp).toBeUndefined()
    expect(f.get(NODEPOOLS, undefined, 'default')!.status.conditions[1].message).toBe(
      "draining worker-4: default/web-a: Cannot evict pod as it would violate the pod's disruption budget. (The disruption budget web needs 2 healthy pods and has 2 currently)",
    )
    const late = testContext(T0 + DRAIN_TIMEOUT_MS, objs)
    syncNodePool('default', late.ctx)
    expect(late.get(PODS, 'default', 'web-a')!.metadata.deletionTimestamp).toBeDefined()
  })

  it('growing again cancels a removal before adding VMs', () => {
    const objs = cluster(4, 4).map(([k, o]): [KindRef, Obj] =>
      o.metadata.name === 'worker-4' && k === NODES ? [k, node(4, [TBD(0)], true)] : [k, o],
    )
    const f = testContext(T0, objs)
    syncNodePool('default', f.ctx)
    expect(f.get(NODES, undefined, 'worker-4')!.spec).toEqual({
      providerID: 'wheelhouse://c1/zone-a/worker-4',
    })
    expect(f.ctx.list(INSTANCES)).toHaveLength(4)
  })

  it('a VM still provisioning is removed first, without a drain', () => {
    const f = testContext(T0, [...cluster(3, 3), [INSTANCES, inst(4, 'Provisioning')]])
    syncNodePool('default', f.ctx)
    expect(f.events).toEqual([
      'Normal ScaleDownEmpty default: Scale-down: removing empty node "worker-4" (it has not registered a node yet, so there is nothing to drain)',
      'Normal ScaleDownEmpty default: Scale-down: empty node worker-4 removed',
    ])
  })

  it('a deleted pool takes its VMs', () => {
    const f = testContext(
      T0,
      cluster(2, 2).filter(([k]) => k !== NODEPOOLS),
    )
    syncNodePool('default', f.ctx)
    expect(f.ctx.list(INSTANCES)).toEqual([])
  })

  it('at size and ready: status only, stable', () => {
    const f = testContext(T0, cluster(3, 3))
    syncNodePool('default', f.ctx)
    expect(f.writes).toEqual(['updateStatus nodepools default'])
    expect(
      f.get(NODEPOOLS, undefined, 'default')!.status.conditions.map((c: Obj) => c.reason),
    ).toEqual(['NodesReady', 'Stable'])
    syncNodePool('default', f.ctx)
    expect(f.writes).toHaveLength(1)
  })
})

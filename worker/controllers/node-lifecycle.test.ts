import { describe, expect, it } from 'vitest'
import { rfc3339 } from '../apiserver/context'
import {
  type ControllerContext,
  type KindRef,
  type Obj,
  LEASES,
  NODES,
  PODS,
} from './framework/types'
import {
  computeZoneState,
  conditionTaints,
  markNodeStatusUnknown,
  markPodNotReady,
  nodeHealthDeadline,
  nodeLifecycleController,
  noExecuteGate,
  reconcileTaints,
  zoneEvictionQPS,
} from './node-lifecycle'

const T0 = Date.parse('2025-01-01T00:00:00Z')
const at = (s: number) => rfc3339(T0 + s * 1000)

// A recording context, as upstream's fake clientset: objects in a Map, writes listed.
function fakeContext(now: number, objs: [KindRef, Obj][]) {
  const store = new Map<string, Obj>()
  const id = (k: KindRef, ns: string | undefined, n: string) => `${k}|${ns ?? ''}|${n}`
  for (const [k, o] of objs)
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
  const writes: string[] = []
  const events: string[] = []
  const requeues: [string, number][] = []
  const put = (verb: string, k: KindRef, o: Obj) => {
    writes.push(`${verb} ${k} ${o.metadata.name}`)
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
    return o
  }
  const ctx: ControllerContext = {
    now,
    get: (k, ns, n) => store.get(id(k, ns, n)),
    list: (k, opts) =>
      [...store.entries()]
        .filter(([key]) => key.startsWith(`${k}|`))
        .map(([, o]) => o)
        .filter((o) => !opts?.namespace || o.metadata.namespace === opts.namespace)
        .filter(
          (o) =>
            !opts?.fields?.['spec.nodeName'] || o.spec?.nodeName === opts.fields['spec.nodeName'],
        ),
    create: (k, o) => put('create', k, o),
    update: (k, o) => put('update', k, o),
    updateStatus: (k, o) => put('updateStatus', k, o),
    delete: (k, ns, n) => {
      writes.push(`delete ${k} ${n}`)
      store.delete(id(k, ns, n))
    },
    event: (o, type, reason, message) =>
      events.push(`${type} ${reason} ${o.metadata.name}: ${message}`),
    requeueAfter: (key, ms) => requeues.push([key, ms]),
  }
  return {
    ctx,
    store,
    writes,
    events,
    requeues,
    get: (k: KindRef, ns: string | undefined, n: string) => store.get(id(k, ns, n)),
  }
}

const cond = (type: string, status: string, hb = at(0)) => ({
  type,
  status,
  lastHeartbeatTime: hb,
  lastTransitionTime: at(0),
  reason: 'Kubelet',
  message: '',
})
const kubeletConds = (ready: string, hb = at(0)) => [
  cond('MemoryPressure', 'False', hb),
  cond('DiskPressure', 'False', hb),
  cond('PIDPressure', 'False', hb),
  cond('Ready', ready, hb),
]
const node = (name: string, extra: Obj = { metadata: {} }): Obj => ({
  ...extra,
  metadata: { name, creationTimestamp: at(0), ...extra.metadata },
  spec: extra.spec ?? {},
  status: extra.status ?? { conditions: kubeletConds('True') },
})
const lease = (name: string, renewS: number): Obj => ({
  metadata: { name, namespace: 'kube-node-lease' },
  spec: { renewTime: new Date(T0 + renewS * 1000).toISOString().replace('Z', '000Z') },
})

describe('nodeHealthDeadline', () => {
  const cases = [
    { name: 'heartbeat only', node: node('a'), lease: undefined, want: T0 + 50_000 },
    { name: 'a newer lease wins', node: node('a'), lease: lease('a', 30), want: T0 + 80_000 },
    {
      name: 'never posted: startup grace from creation',
      node: node('a', { metadata: {}, status: {} }),
      lease: undefined,
      want: T0 + 60_000,
    },
  ]
  for (const c of cases) it(c.name, () => expect(nodeHealthDeadline(c.node, c.lease)).toBe(c.want))
})

describe('markNodeStatusUnknown', () => {
  it('sets the four kubelet conditions Unknown', () => {
    const got = markNodeStatusUnknown(node('a'), T0 + 60_000)!
    expect(got.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown'],
      ['DiskPressure', 'Unknown', 'NodeStatusUnknown'],
      ['PIDPressure', 'Unknown', 'NodeStatusUnknown'],
      ['Ready', 'Unknown', 'NodeStatusUnknown'],
    ])
    expect(got[3]!.message).toBe('Kubelet stopped posting node status.')
    expect(got[3]!.lastTransitionTime).toBe(at(60))
  })
  it('adds never-posted conditions', () => {
    const got = markNodeStatusUnknown(node('a', { metadata: {}, status: {} }), T0 + 61_000)!
    expect(got).toHaveLength(4)
    expect(got[0]).toMatchObject({
      reason: 'NodeStatusNeverUpdated',
      message: 'Kubelet never posted node status.',
    })
  })
  it('changes nothing when already Unknown', () => {
    const n = node('a', {
      metadata: {},
      status: { conditions: kubeletConds('Unknown').map((c) => ({ ...c, status: 'Unknown' })) },
    })
    expect(markNodeStatusUnknown(n, T0)).toBeUndefined()
  })
})

describe('conditionTaints and reconcileTaints', () => {
  const cases = [
    { name: 'ready', node: node('a'), ne: undefined, want: undefined },
    {
      name: 'unknown → unreachable both effects',
      node: node('a', { metadata: {}, status: { conditions: [cond('Ready', 'Unknown')] } }),
      ne: 'node.kubernetes.io/unreachable',
      want: [
        'node.kubernetes.io/unreachable:NoSchedule',
        'node.kubernetes.io/unreachable:NoExecute',
      ],
    },
    {
      name: 'ready again drops both, keeps the user taint',
      node: node('a', {
        metadata: {},
        spec: {
          taints: [
            { key: 'dedicated', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
          ],
        },
      }),
      ne: undefined,
      want: ['dedicated:NoSchedule'],
    },
    {
      name: 'cordoned and under memory pressure',
      node: node('a', {
        metadata: {},
        spec: { unschedulable: true },
        status: { conditions: [cond('Ready', 'True'), cond('MemoryPressure', 'True')] },
      }),
      ne: undefined,
      want: [
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
      ],
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const got = reconcileTaints(c.node, c.ne, T0)
      expect(got?.map((t) => `${t.key}:${t.effect}`)).toEqual(c.want)
    })
  it('conditionTaints of False Ready', () => {
    expect(
      conditionTaints(
        node('a', { metadata: {}, status: { conditions: [cond('Ready', 'False')] } }),
      ),
    ).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }])
  })
})

describe('zone states and rates', () => {
  const cases = [
    { name: 'all ready', in: ['True', 'True'], want: 'Normal' },
    { name: 'none ready', in: ['Unknown', 'False'], want: 'FullDisruption' },
    { name: 'two of three down is normal', in: ['Unknown', 'Unknown', 'True'], want: 'Normal' },
    {
      name: 'three of four down is partial',
      in: ['Unknown', 'Unknown', 'False', 'True'],
      want: 'PartialDisruption',
    },
  ]
  for (const c of cases) it(c.name, () => expect(computeZoneState(c.in)).toBe(c.want))
  const rates = [
    { state: 'Normal' as const, size: 3, all: false, want: 0.1 },
    { state: 'PartialDisruption' as const, size: 10, all: false, want: 0 },
    { state: 'PartialDisruption' as const, size: 100, all: false, want: 0.01 },
    { state: 'FullDisruption' as const, size: 3, all: false, want: 0.1 },
    { state: 'FullDisruption' as const, size: 3, all: true, want: 0 },
  ]
  for (const r of rates)
    it(`${r.state} size ${r.size} all ${r.all}`, () =>
      expect(zoneEvictionQPS(r.state, r.size, r.all)).toBe(r.want))
})

describe('noExecuteGate', () => {
  const down = node('a', { metadata: {}, status: { conditions: [cond('Ready', 'Unknown')] } })
  const tainted = (name: string, s: number) =>
    node(name, {
      metadata: {},
      spec: {
        taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(s) }],
      },
      status: { conditions: [cond('Ready', 'Unknown')] },
    })
  it('allows the first taint in a zone', () =>
    expect(noExecuteGate(down, [down, node('b'), node('c')], T0).allow).toBe(true))
  it('waits 10 s after the last one', () =>
    expect(noExecuteGate(down, [down, tainted('b', 0), node('c')], T0 + 4000)).toEqual({
      allow: false,
      fullDisruption: false,
      retryMs: 6000,
    }))
  it('stops in full disruption', () =>
    expect(noExecuteGate(down, [down], T0).fullDisruption).toBe(true))
})

describe('markPodNotReady', () => {
  const pod = (status: string) => ({
    metadata: { name: 'p' },
    status: { conditions: [{ type: 'Ready', status }] },
  })
  it('flips True', () =>
    expect(markPodNotReady(pod('True'), T0)!.status.conditions[0]).toEqual({
      type: 'Ready',
      status: 'False',
      lastTransitionTime: at(0),
    }))
  it('leaves False', () => expect(markPodNotReady(pod('False'), T0)).toBeUndefined())
})

describe('sync', () => {
  const readyPod = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'a' },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  }
  it('a healthy node is looked at again when its grace runs out', () => {
    const f = fakeContext(T0 + 20_000, [
      [NODES, node('a')],
      [LEASES, lease('a', 10)],
    ])
    nodeLifecycleController.sync('a', f.ctx)
    expect(f.writes).toEqual([])
    expect(f.requeues).toEqual([['a', 40_000]])
  })
  it('a silent node goes Unknown, tainted, its pods not ready', () => {
    const f = fakeContext(T0 + 50_000, [
      [NODES, node('a')],
      [NODES, node('b')],
      [PODS, readyPod],
    ])
    nodeLifecycleController.sync('a', f.ctx)
    expect(f.writes).toEqual([
      `updateStatus ${NODES} a`,
      `updateStatus ${PODS} web`,
      `update ${NODES} a`,
    ])
    expect(f.events).toEqual([
      'Normal NodeNotReady a: Node a status is now: NodeNotReady',
      'Warning NodeNotReady web: Node is not ready',
    ])
    expect(f.get(NODES, undefined, 'a')!.spec.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at(50) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(50) },
    ])
  })
  it('the only node down: NoSchedule only (full disruption), looked at every 5 s', () => {
    const f = fakeContext(T0 + 50_000, [[NODES, node('a')]])
    nodeLifecycleController.sync('a', f.ctx)
    expect(f.get(NODES, undefined, 'a')!.spec.taints.map((t: Obj) => t.effect)).toEqual([
      'NoSchedule',
    ])
    expect(f.requeues).toEqual([['a', 5000]])
  })
  it('kubelet posting NotReady swaps unreachable for not-ready at once', () => {
    const n = node('a', {
      metadata: {},
      spec: {
        taints: [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(100) },
        ],
      },
      status: { conditions: kubeletConds('False', at(101)) },
    })
    const f = fakeContext(T0 + 101_000, [
      [NODES, n],
      [NODES, node('b', { metadata: {}, status: { conditions: kubeletConds('True', at(101)) } })],
    ])
    nodeLifecycleController.sync('a', f.ctx)
    expect(f.events).toEqual([])
    expect(
      f.get(NODES, undefined, 'a')!.spec.taints.map((t: Obj) => `${t.key}:${t.effect}`),
    ).toEqual(['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'])
  })
})

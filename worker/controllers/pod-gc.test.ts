import { describe, expect, it } from 'vitest'
import { type ControllerContext, type KindRef, type Obj, NODES, PODS } from './framework/types'
import { failedPod, isOutOfService, podGCController, terminatedPodsToDelete } from './pod-gc'

const T0 = Date.parse('2025-01-01T00:00:00Z')

// A recording context, as upstream's fake clientset: objects in a Map, writes listed.
function fakeContext(objs: [KindRef, Obj][]) {
  const store = new Map<string, Obj>()
  const id = (k: KindRef, ns: string | undefined, n: string) => `${k}|${ns ?? ''}|${n}`
  for (const [k, o] of objs)
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
  const writes: string[] = []
  const requeues: [string, number][] = []
  const put = (verb: string, k: KindRef, o: Obj) => {
    writes.push(`${verb} ${o.metadata.name} ${o.status?.phase}`)
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
    return o
  }
  const ctx: ControllerContext = {
    now: T0,
    get: (k, ns, n) => store.get(id(k, ns, n)),
    list: (k, opts) =>
      [...store.entries()]
        .filter(([key]) => key.startsWith(`${k}|`))
        .map(([, o]) => o)
        .filter(
          (o) =>
            !opts?.fields?.['spec.nodeName'] || o.spec?.nodeName === opts.fields['spec.nodeName'],
        ),
    create: (k, o) => put('create', k, o),
    update: (k, o) => put('update', k, o),
    updateStatus: (k, o) => put('updateStatus', k, o),
    delete: (k, ns, n, opts) => {
      writes.push(`delete ${n} grace=${opts?.gracePeriodSeconds}`)
      store.delete(id(k, ns, n))
    },
    event: () => {},
    requeueAfter: (key, ms) => requeues.push([key, ms]),
  }
  return { ctx, writes, requeues }
}

const pod = (
  name: string,
  phase: string,
  extra: { node?: string; created?: number; reason?: string; deleting?: boolean } = {},
): Obj => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    creationTimestamp: new Date(T0 + (extra.created ?? 0) * 1000).toISOString(),
    ...(extra.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
  spec: extra.node ? { nodeName: extra.node } : {},
  status: { phase, ...(extra.reason ? { reason: extra.reason } : {}) },
})
const node = (name: string, ready = 'True', taints: Record<string, any>[] = []): Obj => ({
  metadata: { name },
  spec: { taints },
  status: { conditions: [{ type: 'Ready', status: ready }] },
})

describe('terminatedPodsToDelete', () => {
  const pods = [
    pod('new', 'Succeeded', { created: 30 }),
    pod('old', 'Failed', { created: 10 }),
    pod('evicted', 'Failed', { created: 20, reason: 'Evicted' }),
    pod('running', 'Running', { created: 0 }),
    pod('b', 'Succeeded', { created: 10 }),
  ]
  const cases = [
    { name: 'under the threshold', threshold: 4, want: [] },
    {
      name: 'evicted first, then oldest, then by name',
      threshold: 1,
      want: ['evicted', 'b', 'old'],
    },
    { name: 'threshold 0 disables', threshold: 0, want: [] },
  ]
  for (const c of cases)
    it(c.name, () =>
      expect(terminatedPodsToDelete(pods, c.threshold).map((p) => p.metadata.name)).toEqual(c.want),
    )
})

describe('isOutOfService', () => {
  const taint = { key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }
  const cases = [
    { name: 'ready and tainted', node: node('n', 'True', [taint]), want: false },
    { name: 'not ready, tainted', node: node('n', 'False', [taint]), want: true },
    { name: 'not ready, untainted', node: node('n', 'Unknown'), want: false },
  ]
  for (const c of cases) it(c.name, () => expect(isOutOfService(c.node)).toBe(c.want))
})

describe('failedPod', () => {
  it('marks a running pod Failed with the condition', () =>
    expect(
      failedPod(pod('a', 'Running'), T0, { type: 'DisruptionTarget', status: 'True' })!.status,
    ).toEqual({
      phase: 'Failed',
      conditions: [
        { type: 'DisruptionTarget', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' },
      ],
    }))
  it('leaves a finished pod', () => expect(failedPod(pod('a', 'Succeeded'), T0)).toBeUndefined())
})

describe('sync', () => {
  it('a pod on a missing node waits out the quarantine, then goes', () => {
    const f = fakeContext([
      [PODS, pod('a', 'Running', { node: 'gone' })],
      [PODS, pod('b', 'Running', { node: 'n1' })],
      [NODES, node('n1')],
    ])
    podGCController.sync('pod:default/a', f.ctx)
    expect(f.requeues).toEqual([['orphans:gone', 40_000]])
    podGCController.sync('orphans:gone', f.ctx)
    expect(f.writes).toEqual(['updateStatus a Failed', 'delete a grace=0'])
  })
  it('a node back before the quarantine ends keeps its pods', () => {
    const f = fakeContext([
      [PODS, pod('a', 'Running', { node: 'n1' })],
      [NODES, node('n1')],
    ])
    podGCController.sync('orphans:n1', f.ctx)
    expect(f.writes).toEqual([])
  })
  it('terminating pods on an out-of-service node go; others stay', () => {
    const taint = { key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }
    const f = fakeContext([
      [NODES, node('n1', 'False', [taint])],
      [PODS, pod('a', 'Running', { node: 'n1', deleting: true })],
      [PODS, pod('b', 'Running', { node: 'n1' })],
    ])
    podGCController.sync('node:n1', f.ctx)
    expect(f.writes).toEqual(['updateStatus a Failed', 'delete a grace=0'])
  })
  it('a terminating unscheduled pod goes', () => {
    const f = fakeContext([[PODS, pod('a', 'Pending', { deleting: true })]])
    podGCController.sync('pod:default/a', f.ctx)
    expect(f.writes).toEqual(['updateStatus a Failed', 'delete a grace=0'])
  })
  it('a finished pod asks for one sweep 20 s on', () => {
    const f = fakeContext([])
    expect(podGCController.watches[PODS]!(pod('a', 'Succeeded'), undefined, false)).toEqual([
      'terminated-notice',
    ])
    podGCController.sync('terminated-notice', f.ctx)
    expect(f.requeues).toEqual([['terminated', 20_000]])
  })
})

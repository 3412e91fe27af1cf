import { describe, expect, it } from 'vitest'
import { rfc3339 } from '../apiserver/context'
import { type ControllerContext, type KindRef, type Obj, NODES, PODS } from './framework/types'
import { evictionTime, taintEvictionController, withDisruptionTarget } from './taint-eviction'

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
    writes.push(`${verb} ${o.metadata.name}`)
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
        .filter(
          (o) =>
            !opts?.fields?.['spec.nodeName'] || o.spec?.nodeName === opts.fields['spec.nodeName'],
        ),
    create: (k, o) => put('create', k, o),
    update: (k, o) => put('update', k, o),
    updateStatus: (k, o) => put('updateStatus', k, o),
    delete: (k, ns, n, opts) => {
      writes.push(`delete ${n} uid=${opts?.uid}`)
      store.delete(id(k, ns, n))
    },
    event: (o, type, reason, message) => events.push(`${type} ${reason}: ${message}`),
    requeueAfter: (key, ms) => requeues.push([key, ms]),
  }
  return { ctx, store, writes, events, requeues }
}

const unreachable = (s: number) => ({
  key: 'node.kubernetes.io/unreachable',
  effect: 'NoExecute',
  timeAdded: at(s),
})
const tol300 = {
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
}

describe('evictionTime', () => {
  const cases = [
    { name: 'no taints', tolerations: [], taints: [], want: undefined },
    { name: 'untolerated: now', tolerations: [], taints: [unreachable(0)], want: T0 + 10_000 },
    {
      name: 'tolerated 300 s from timeAdded',
      tolerations: [tol300],
      taints: [unreachable(0)],
      want: T0 + 300_000,
    },
    {
      name: 'tolerated forever',
      tolerations: [{ operator: 'Exists' }],
      taints: [unreachable(0)],
      want: undefined,
    },
    {
      name: 'the shortest over several taints',
      tolerations: [tol300, { key: 'gpu', operator: 'Exists', tolerationSeconds: 60 }],
      taints: [unreachable(0), { key: 'gpu', effect: 'NoExecute', timeAdded: at(5) }],
      want: T0 + 65_000,
    },
    {
      name: 'one untolerated among tolerated',
      tolerations: [tol300],
      taints: [unreachable(0), { key: 'other', effect: 'NoExecute' }],
      want: T0 + 10_000,
    },
    {
      name: 'negative seconds count as 0',
      tolerations: [{ ...tol300, tolerationSeconds: -5 }],
      taints: [unreachable(0)],
      want: T0,
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(evictionTime(c.tolerations, c.taints, T0 + 10_000)).toBe(c.want))
})

describe('withDisruptionTarget', () => {
  it('adds the condition', () =>
    expect(
      withDisruptionTarget({ metadata: {}, status: { conditions: [] } }, T0)!.status.conditions,
    ).toEqual([
      {
        type: 'DisruptionTarget',
        status: 'True',
        lastTransitionTime: at(0),
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
      },
    ]))
  it('leaves it when present', () => {
    const pod = withDisruptionTarget({ metadata: {}, status: {} }, T0)!
    expect(withDisruptionTarget(pod, T0 + 1000)).toBeUndefined()
  })
})

describe('sync', () => {
  const node = (taints: Record<string, any>[]): Obj => ({
    metadata: { name: 'n1' },
    spec: { taints },
  })
  const pod = (name: string, tolerations: Record<string, any>[] = []): Obj => ({
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName: 'n1', tolerations },
    status: {},
  })
  it('a node key evicts the intolerant and schedules the tolerant', () => {
    const f = fakeContext(T0 + 10_000, [
      [NODES, node([unreachable(0)])],
      [PODS, pod('a')],
      [PODS, pod('b', [tol300])],
    ])
    taintEvictionController.sync('n1', f.ctx)
    expect(f.writes).toEqual(['updateStatus a', 'delete a uid=uid-a'])
    expect(f.events).toEqual(['Normal TaintManagerEviction: Marking for deletion Pod default/a'])
    expect(f.requeues).toEqual([['pod:default/b', 290_000]])
  })
  it('a pod key at its deadline evicts', () => {
    const f = fakeContext(T0 + 300_000, [
      [NODES, node([unreachable(0)])],
      [PODS, pod('b', [tol300])],
    ])
    taintEvictionController.sync('pod:default/b', f.ctx)
    expect(f.writes).toEqual(['updateStatus b', 'delete b uid=uid-b'])
  })
  it('the taint gone before the deadline: nothing', () => {
    const f = fakeContext(T0 + 300_000, [
      [NODES, node([])],
      [PODS, pod('b', [tol300])],
    ])
    taintEvictionController.sync('pod:default/b', f.ctx)
    expect(f.writes).toEqual([])
  })
  it('keys', () => {
    const w = taintEvictionController.watches
    expect(w[NODES]!(node([unreachable(0)]), node([]), false)).toEqual(['n1'])
    expect(w[NODES]!(node([{ key: 'x', effect: 'NoSchedule' }]), node([]), false)).toEqual([])
    expect(w[PODS]!(pod('a'), undefined, false)).toEqual(['pod:default/a'])
    expect(w[PODS]!(pod('a'), pod('a'), false)).toEqual([])
  })
})

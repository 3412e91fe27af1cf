import { describe, expect, it } from 'vitest'
import {
  type ControllerContext,
  type KindRef,
  type Obj,
  DEPLOYMENTS,
  LEASES,
  NODES,
  PODS,
  REPLICASETS,
} from './framework/types'
import {
  classifyOwners,
  decideDependent,
  garbageCollectorController,
  gcKeysFor,
  ownerKindOf,
  parseKey,
} from './garbage-collector'

// A recording context, as upstream's fake clientset: objects in a Map, writes
// listed; delete records propagation finalizers as the API server does.
function fakeContext(objs: [KindRef, Obj][]) {
  const store = new Map<string, Obj>()
  const id = (k: KindRef, ns: string | undefined, n: string) => `${k}|${ns ?? ''}|${n}`
  for (const [k, o] of objs)
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
  const writes: string[] = []
  const put = (k: KindRef, o: Obj) => {
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
    return o
  }
  const ctx: ControllerContext = {
    now: 0,
    get: (k, ns, n) => store.get(id(k, ns, n)),
    list: (k, opts) =>
      [...store.entries()]
        .filter(([key]) => key.startsWith(`${k}|`))
        .map(([, o]) => o)
        .filter((o) => !opts?.namespace || o.metadata.namespace === opts.namespace),
    create: (k, o) => put(k, o),
    update: (k, o) => {
      writes.push(
        `update ${o.metadata.name} refs=${(o.metadata.ownerReferences ?? []).map((r: Obj) => r.uid)} fin=${o.metadata.finalizers ?? []}`,
      )
      return put(k, o)
    },
    updateStatus: (k, o) => put(k, o),
    delete: (k, ns, n, opts) => {
      writes.push(`delete ${n}${opts?.propagationPolicy ? ` ${opts.propagationPolicy}` : ''}`)
      const o = store.get(id(k, ns, n))!
      const fin = [...(o.metadata.finalizers ?? [])]
      if (opts?.propagationPolicy === 'Foreground' && !fin.includes('foregroundDeletion'))
        fin.push('foregroundDeletion')
      if (fin.length)
        put(k, { ...o, metadata: { ...o.metadata, finalizers: fin, deletionTimestamp: 'now' } })
      else store.delete(id(k, ns, n))
    },
    event: () => {},
    requeueAfter: () => {},
  }
  return { ctx, writes, has: (k: KindRef, n: string, ns = 'default') => store.has(id(k, ns, n)) }
}

const ref = (kind: string, name: string, extra: Obj['metadata'] = {}) => ({
  apiVersion: kind === 'ReplicaSet' || kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  name,
  uid: `uid-${name}`,
  ...extra,
})
const obj = (name: string, refs: Record<string, any>[] = [], extra: Obj['metadata'] = {}): Obj => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    ownerReferences: refs.length ? refs : undefined,
    ...extra,
  },
})

describe('ownerKindOf and parseKey', () => {
  it('maps references by group and kind', () => {
    expect(ownerKindOf({ apiVersion: 'apps/v1', kind: 'ReplicaSet' })).toBe(REPLICASETS)
    expect(ownerKindOf({ apiVersion: 'v1', kind: 'Node' })).toBe(NODES)
    expect(ownerKindOf({ apiVersion: 'batch/v1', kind: 'Job' })).toBeUndefined()
  })
  it('parses keys', () => {
    expect(parseKey(`owner:${REPLICASETS}:default/web`)).toEqual({
      role: 'owner',
      kind: REPLICASETS,
      namespace: 'default',
      name: 'web',
    })
    expect(parseKey(`owner:${NODES}:n1`)).toEqual({ role: 'owner', kind: NODES, name: 'n1' })
  })
})

describe('decideDependent', () => {
  const rs = obj('rs')
  const waiting = obj('rs', [], { deletionTimestamp: 'x', finalizers: ['foregroundDeletion'] })
  const cases = [
    {
      name: 'owner alive',
      dep: obj('p', [ref('ReplicaSet', 'rs')]),
      owners: { rs },
      has: false,
      want: { action: 'none' },
    },
    {
      name: 'owner gone',
      dep: obj('p', [ref('ReplicaSet', 'rs')]),
      owners: {},
      has: false,
      want: { action: 'delete', propagationPolicy: 'Background' },
    },
    {
      name: 'owner recreated with another uid',
      dep: obj('p', [ref('ReplicaSet', 'rs')]),
      owners: { rs: { metadata: { name: 'rs', uid: 'other' } } },
      has: false,
      want: { action: 'delete', propagationPolicy: 'Background' },
    },
    {
      name: 'one of two owners gone: its reference goes',
      dep: obj('p', [ref('ReplicaSet', 'rs'), ref('ReplicaSet', 'old')]),
      owners: { rs },
      has: false,
      want: { action: 'removeRefs', uids: ['uid-old'] },
    },
    {
      name: 'owner waiting, no dependents',
      dep: obj('p', [ref('ReplicaSet', 'rs')]),
      owners: { rs: waiting },
      has: false,
      want: { action: 'delete', propagationPolicy: 'Background' },
    },
    {
      name: 'owner waiting, has dependents',
      dep: obj('r', [ref('Deployment', 'rs')]),
      owners: { rs: waiting },
      has: true,
      want: { action: 'delete', propagationPolicy: 'Foreground' },
    },
    {
      name: 'already deleting',
      dep: obj('p', [ref('ReplicaSet', 'rs')], { deletionTimestamp: 'x' }),
      owners: {},
      has: false,
      want: { action: 'none' },
    },
    {
      name: 'unknown owner kind is taken as alive',
      dep: obj('p', [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u' }]),
      owners: {},
      has: false,
      want: { action: 'none' },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const owners = c.owners as Record<string, Obj>
      const cl = classifyOwners(c.dep, (r) => (ownerKindOf(r) ? owners[r.name] : 'unknown'))
      expect(decideDependent(c.dep, cl, c.has)).toEqual(c.want)
    })
})

describe('keys', () => {
  const keys = gcKeysFor(PODS)
  const cases = [
    { name: 'plain object', o: obj('p'), deleted: false, want: [] },
    {
      name: 'with an owner',
      o: obj('p', [ref('ReplicaSet', 'rs')]),
      deleted: false,
      want: [`dep:${PODS}:default/p`],
    },
    {
      name: 'gone, blocking its owner',
      o: obj('p', [ref('ReplicaSet', 'rs', { blockOwnerDeletion: true })]),
      deleted: true,
      want: [`owner:${PODS}:default/p`, `owner:${REPLICASETS}:default/rs`],
    },
    {
      name: 'deleting in the foreground',
      o: obj('p', [], { deletionTimestamp: 'x', finalizers: ['foregroundDeletion'] }),
      deleted: false,
      want: [`owner:${PODS}:default/p`],
    },
  ]
  for (const c of cases) it(c.name, () => expect(keys(c.o, undefined, c.deleted)).toEqual(c.want))
  it('a Lease owned by a Node', () => {
    const lease: Obj = {
      metadata: {
        name: 'n1',
        namespace: 'kube-node-lease',
        uid: 'l',
        ownerReferences: [ref('Node', 'n1', { blockOwnerDeletion: true })],
      },
    }
    expect(gcKeysFor(LEASES)(lease, undefined, true)).toContain(`owner:${NODES}:n1`)
  })
})

describe('sync', () => {
  const sync = (f: ReturnType<typeof fakeContext>, key: string) =>
    garbageCollectorController.sync(key, f.ctx)
  it('background: dependents of a gone owner are deleted', () => {
    const f = fakeContext([
      [PODS, obj('p1', [ref('ReplicaSet', 'rs')])],
      [PODS, obj('p2', [ref('ReplicaSet', 'other')])],
      [REPLICASETS, obj('other')],
    ])
    sync(f, `owner:${REPLICASETS}:default/rs`)
    expect(f.writes).toEqual(['delete p1 Background'])
  })
  it('a dependent whose owner is gone, found from its own key', () => {
    const f = fakeContext([[PODS, obj('p1', [ref('ReplicaSet', 'rs')])]])
    sync(f, `dep:${PODS}:default/p1`)
    expect(f.writes).toEqual(['delete p1 Background'])
  })
  it('a cluster-scoped owner: a node gone takes its lease', () => {
    const lease: Obj = {
      metadata: {
        name: 'n1',
        namespace: 'kube-node-lease',
        uid: 'l',
        ownerReferences: [ref('Node', 'n1')],
      },
    }
    const f = fakeContext([[LEASES, lease]])
    sync(f, `owner:${NODES}:n1`)
    expect(f.writes).toEqual(['delete n1 Background'])
  })
  it('orphan: references removed, then the finalizer, and the owner goes', () => {
    const rs = obj('rs', [], { deletionTimestamp: 'x', finalizers: ['orphan'] })
    const f = fakeContext([
      [REPLICASETS, rs],
      [PODS, obj('p1', [ref('ReplicaSet', 'rs'), ref('ReplicaSet', 'keep')])],
    ])
    sync(f, `owner:${REPLICASETS}:default/rs`)
    expect(f.writes).toEqual(['update p1 refs=uid-keep fin=', 'update rs refs= fin=', 'delete rs'])
    expect(f.has(REPLICASETS, 'rs')).toBe(false)
    expect(f.has(PODS, 'p1')).toBe(true)
  })
  it('foreground: the RS goes foreground, the Deployment waits for it', () => {
    const d = obj('d', [], { deletionTimestamp: 'x', finalizers: ['foregroundDeletion'] })
    const f = fakeContext([
      [DEPLOYMENTS, d],
      [REPLICASETS, obj('rs', [ref('Deployment', 'd', { blockOwnerDeletion: true })])],
      [PODS, obj('p1', [ref('ReplicaSet', 'rs', { blockOwnerDeletion: true })])],
    ])
    sync(f, `owner:${DEPLOYMENTS}:default/d`)
    expect(f.writes).toEqual(['delete rs Foreground'])
    sync(f, `owner:${REPLICASETS}:default/rs`)
    expect(f.writes.slice(1)).toEqual([
      'delete p1 Background',
      'update rs refs=uid-d fin=',
      'delete rs',
    ])
    sync(f, `owner:${DEPLOYMENTS}:default/d`)
    expect(f.writes.slice(4)).toEqual(['update d refs= fin=', 'delete d'])
    expect(f.has(DEPLOYMENTS, 'd')).toBe(false)
  })
  it('foreground with a pod still terminating: the owner keeps its finalizer', () => {
    const rs = obj('rs', [], { deletionTimestamp: 'x', finalizers: ['foregroundDeletion'] })
    const f = fakeContext([
      [REPLICASETS, rs],
      [
        PODS,
        obj('p1', [ref('ReplicaSet', 'rs', { blockOwnerDeletion: true })], {
          finalizers: ['kubelet'],
        }),
      ],
    ])
    sync(f, `owner:${REPLICASETS}:default/rs`)
    expect(f.writes).toEqual(['delete p1 Background'])
  })
})

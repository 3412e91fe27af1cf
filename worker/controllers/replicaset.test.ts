import { describe, expect, it } from 'vitest'
import { rfc3339 } from '../apiserver/context'
import { ApiError } from '../apiserver/errors'
import { status as apiStatus } from '../apiserver/status'
import { ownerRef } from './controller-utils'
import {
  type ControllerContext,
  type DeleteOptions,
  type KindRef,
  type Obj,
  PODS,
  REPLICASETS,
} from './framework/types'
import {
  calculateStatus,
  getPodsToDelete,
  podKeys,
  replicaSetController,
  ReplicaFailure,
} from './replicaset'

const T0 = Date.parse('2025-01-01T00:00:00Z')
const at = (s: number) => rfc3339(T0 + s * 1000)

// A recording context, like upstream's FakePodControl over a fake clientset:
// objects in a Map, every write listed, creates failing on demand.
function fakeContext(
  objs: [KindRef, Obj][],
  opts: { now?: number; failCreate?: (n: number) => Error | undefined } = {},
) {
  const store = new Map<string, Obj>()
  const id = (k: KindRef, ns: string | undefined, n: string) => `${k}|${ns ?? ''}|${n}`
  let rv = 1
  let creates = 0
  for (const [k, o] of objs)
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
  const created: Obj[] = []
  const updated: Obj[] = []
  const statuses: Obj[] = []
  const deleted: { name: string; opts?: DeleteOptions }[] = []
  const events: string[] = []
  const requeued: [string, number][] = []
  const put = (k: KindRef, o: Obj) => {
    const key = id(k, o.metadata.namespace, o.metadata.name)
    const cur = store.get(key)
    if (!cur) throw new ApiError(apiStatus(404, 'NotFound', `"${o.metadata.name}" not found`))
    if (o.metadata.resourceVersion && o.metadata.resourceVersion !== cur.metadata.resourceVersion)
      throw new ApiError(apiStatus(409, 'Conflict', 'the object has been modified'))
    const next = structuredClone({
      ...o,
      metadata: { ...o.metadata, resourceVersion: String(++rv) },
    })
    store.set(key, next)
    return next
  }
  const ctx: ControllerContext = {
    now: opts.now ?? T0,
    get: (k, ns, n) => store.get(id(k, ns, n)),
    list: (k, o = {}) =>
      [...store.entries()]
        .filter(
          ([key, v]) =>
            key.startsWith(`${k}|`) && (!o.namespace || v.metadata.namespace === o.namespace),
        )
        .map(([, v]) => v),
    create(k, obj) {
      creates++
      const err = opts.failCreate?.(creates)
      if (err) throw err
      const o = structuredClone(obj)
      o.metadata.name ??= `${o.metadata.generateName}${String(creates).padStart(5, 'x')}`
      o.metadata.uid = `uid-${o.metadata.name}`
      o.metadata.resourceVersion = String(++rv)
      o.metadata.creationTimestamp = rfc3339(ctx.now)
      store.set(id(k, o.metadata.namespace, o.metadata.name), o)
      created.push(o)
      return o
    },
    update(k, obj) {
      updated.push(structuredClone(obj))
      return put(k, obj)
    },
    updateStatus(k, obj) {
      statuses.push(structuredClone(obj.status))
      return put(k, obj)
    },
    delete(k, ns, n, o) {
      const cur = store.get(id(k, ns, n))
      if (!cur) return
      if (o?.uid && o.uid !== cur.metadata.uid)
        throw new ApiError(apiStatus(409, 'Conflict', 'Precondition failed: UID'))
      deleted.push({ name: n, opts: o })
      store.delete(id(k, ns, n))
    },
    event: (o, type, reason, message) =>
      void events.push(`${o.kind} ${o.metadata.name} ${type} ${reason} ${message}`),
    requeueAfter: (key, ms) => void requeued.push([key, ms]),
  }
  const rsNow = (name = 'web') => store.get(id(REPLICASETS, 'default', name))!
  const pods = () => ctx.list(PODS, { namespace: 'default' })
  return { ctx, created, updated, statuses, deleted, events, requeued, rsNow, pods }
}

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
}
const newRS = (
  replicas: number,
  extra: {
    minReadySeconds?: number
    status?: Record<string, any>
    deleting?: boolean
    owner?: Record<string, any>
  } = {},
): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'rs-uid',
    generation: 2,
    resourceVersion: '1',
    deletionTimestamp: extra.deleting ? at(0) : undefined,
    ownerReferences: extra.owner ? [extra.owner] : undefined,
  },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template,
    minReadySeconds: extra.minReadySeconds,
  },
  status: extra.status ?? { replicas: 0 },
})
const rsRef = ownerRef(newRS(0), 'ReplicaSet', 'apps/v1')

interface PodOpts {
  labels?: Record<string, string>
  owner?: Record<string, any> | null
  node?: string
  phase?: string
  readyAt?: number
  created?: number
  deleting?: boolean
}
const pod = (name: string, o: PodOpts = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    resourceVersion: '1',
    labels: o.labels ?? { app: 'web' },
    ownerReferences: o.owner === null ? undefined : [o.owner ?? rsRef],
    creationTimestamp: at(o.created ?? 0),
    deletionTimestamp: o.deleting ? at(0) : undefined,
  },
  spec: { nodeName: o.node ?? 'n1', containers: template.spec.containers },
  status: {
    phase: o.phase ?? 'Running',
    conditions:
      o.readyAt === undefined
        ? []
        : [{ type: 'Ready', status: 'True', lastTransitionTime: at(o.readyAt) }],
  },
})

const sync = (f: ReturnType<typeof fakeContext>, key = 'default/web') =>
  replicaSetController.sync(key, f.ctx)

describe('calculateStatus (replica_set_utils_test.go)', () => {
  const fullyLabeled = { app: 'web' }
  const partlyLabeled = { other: 'x' }
  const rsWith = (labels: Record<string, string>, min = 0) => ({
    ...newRS(1, { minReadySeconds: min }),
    spec: {
      ...newRS(1).spec,
      minReadySeconds: min,
      template: { ...template, metadata: { labels } },
    },
  })
  const cases = [
    {
      name: '1 fully labelled pod',
      input: { rs: rsWith(fullyLabeled), pods: [pod('a')] },
      want: { replicas: 1, fullyLabeledReplicas: 1 },
    },
    {
      name: '1 not fully labelled pod',
      input: { rs: rsWith({ ...fullyLabeled, ...partlyLabeled }), pods: [pod('a')] },
      want: { replicas: 1 },
    },
    {
      name: '2 fully labelled, ready and available',
      input: {
        rs: rsWith(fullyLabeled),
        pods: [pod('a', { readyAt: 0 }), pod('b', { readyAt: 0 })],
      },
      want: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    },
    {
      name: 'ready but not yet available (minReadySeconds)',
      input: {
        rs: rsWith(fullyLabeled, 10),
        pods: [pod('a', { readyAt: -20 }), pod('b', { readyAt: -5 })],
      },
      want: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 },
    },
    {
      name: 'no pods',
      input: { rs: rsWith(fullyLabeled), pods: [] as Obj[] },
      want: { replicas: 0 },
    },
  ]
  it.each(cases)('$name', ({ input, want }) =>
    expect(calculateStatus(input.rs, input.pods, undefined, T0)).toEqual(want),
  )

  const failure = (reason: string, message: string) => ({
    type: ReplicaFailure,
    status: 'True',
    lastTransitionTime: at(0),
    reason,
    message,
  })
  const conditionCases = [
    {
      name: 'create error sets FailedCreate',
      input: {
        replicas: 2,
        pods: [pod('a')],
        err: new Error('quota'),
        prev: undefined as Record<string, any> | undefined,
      },
      want: [failure('FailedCreate', 'quota')],
    },
    {
      name: 'delete error sets FailedDelete',
      input: { replicas: 0, pods: [pod('a')], err: new Error('nope'), prev: undefined },
      want: [failure('FailedDelete', 'nope')],
    },
    {
      name: 'an existing failure is kept as it was',
      input: {
        replicas: 2,
        pods: [pod('a')],
        err: new Error('again'),
        prev: failure('FailedCreate', 'first'),
      },
      want: [failure('FailedCreate', 'first')],
    },
    {
      name: 'success removes the failure',
      input: {
        replicas: 1,
        pods: [pod('a')],
        err: undefined,
        prev: failure('FailedCreate', 'first'),
      },
      want: undefined,
    },
  ]
  it.each(conditionCases)('condition: $name', ({ input, want }) => {
    const rs = newRS(input.replicas, {
      status: { replicas: 1, conditions: input.prev ? [input.prev] : undefined },
    })
    expect(calculateStatus(rs, input.pods, input.err, T0).conditions).toEqual(want)
  })
})

describe('getPodsToDelete', () => {
  const names = (l: Obj[]) => l.map((p) => p.metadata.name)
  const cases = [
    {
      name: 'diff equals the pods: all, unsorted',
      input: {
        pods: [pod('a', { readyAt: 0 }), pod('b', { phase: 'Pending' })],
        related: [] as Obj[],
        diff: 2,
      },
      want: ['a', 'b'],
    },
    {
      name: 'unscheduled, then pending, then not ready',
      input: {
        pods: [
          pod('ready', { readyAt: 0 }),
          pod('notready'),
          pod('pending', { phase: 'Pending' }),
          pod('unscheduled', { node: '' }),
        ],
        related: [] as Obj[],
        diff: 3,
      },
      want: ['unscheduled', 'pending', 'notready'],
    },
    {
      name: 'the pod on the crowded node (related pods counted)',
      input: {
        pods: [
          pod('lonely', { node: 'n1', readyAt: 0 }),
          pod('crowded', { node: 'n2', readyAt: 0 }),
        ],
        related: [
          pod('other1', { node: 'n2' }),
          pod('other2', { node: 'n2' }),
          pod('lonely', { node: 'n1' }),
        ],
        diff: 1,
      },
      want: ['crowded'],
    },
    {
      name: 'ready for less time first',
      input: {
        pods: [pod('old', { readyAt: -3600 }), pod('new', { readyAt: -10 })],
        related: [] as Obj[],
        diff: 1,
      },
      want: ['new'],
    },
  ]
  it.each(cases)('$name', ({ input, want }) =>
    expect(names(getPodsToDelete(input.pods, input.related, input.diff, T0))).toEqual(want),
  )
})

describe('podKeys', () => {
  const other = { ...rsRef, kind: 'StatefulSet', name: 'db', uid: 'ss' }
  const cases = [
    {
      name: 'controlled by a ReplicaSet',
      input: { pod: pod('a'), old: undefined as Obj | undefined, deleted: false },
      want: ['default/web'],
    },
    {
      name: 'deleted, controlled',
      input: { pod: pod('a'), old: undefined, deleted: true },
      want: ['default/web'],
    },
    {
      name: 'controlled by something else',
      input: { pod: pod('a', { owner: other }), old: undefined, deleted: false },
      want: [],
    },
    {
      name: 'orphan added',
      input: { pod: pod('a', { owner: null }), old: undefined, deleted: false },
      want: ['default/*'],
    },
    {
      name: 'orphan whose labels did not change',
      input: { pod: pod('a', { owner: null }), old: pod('a', { owner: null }), deleted: false },
      want: [],
    },
    {
      name: 'orphan relabelled',
      input: {
        pod: pod('a', { owner: null, labels: { app: 'x' } }),
        old: pod('a', { owner: null }),
        deleted: false,
      },
      want: ['default/*'],
    },
    {
      name: 'released: the old owner and every candidate',
      input: { pod: pod('a', { owner: null }), old: pod('a'), deleted: false },
      want: ['default/web', 'default/*'],
    },
    {
      name: 'orphan deleted',
      input: { pod: pod('a', { owner: null }), old: undefined, deleted: true },
      want: [],
    },
  ]
  it.each(cases)('$name', ({ input, want }) =>
    expect(podKeys(input.pod, input.old, input.deleted)).toEqual(want),
  )

  it('a write to a ReplicaSet syncs it', () => {
    expect(replicaSetController.watches[REPLICASETS]!(newRS(1), undefined, false)).toEqual([
      'default/web',
    ])
  })
})

describe('sync', () => {
  it('returns quietly for a ReplicaSet that is gone', () => {
    const f = fakeContext([])
    sync(f)
    expect([f.created, f.statuses, f.events]).toEqual([[], [], []])
  })

  it('creates the missing pods from the template, owned, with events, and writes the status', () => {
    const f = fakeContext([[REPLICASETS, newRS(3)]])
    sync(f)
    expect(f.created).toHaveLength(3)
    const p = f.created[0]!
    expect(p.metadata).toMatchObject({
      generateName: 'web-',
      namespace: 'default',
      labels: { app: 'web' },
      ownerReferences: [rsRef],
    })
    expect(p.spec).toEqual(template.spec)
    expect(f.events).toEqual(
      f.created.map(
        (c) => `ReplicaSet web Normal SuccessfulCreate Created pod: ${c.metadata.name}`,
      ),
    )
    expect(f.rsNow().status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      observedGeneration: 2,
    })
  })

  it('creates at most BurstReplicas (500) per sync', () => {
    const f = fakeContext([[REPLICASETS, newRS(600)]])
    sync(f)
    expect(f.created).toHaveLength(500)
    expect(f.rsNow().status.replicas).toBe(500)
  })

  it('stops creating after the slow-start batch with a failure, and reports it', () => {
    const quota = new ApiError(
      apiStatus(403, 'Forbidden', 'pods "web-x" is forbidden: exceeded quota'),
    )
    // Batches of 1, 2, 4: the 3rd create fails, so the batch of 2 is the last.
    const f = fakeContext([[REPLICASETS, newRS(10)]], {
      failCreate: (n) => (n === 3 ? quota : undefined),
    })
    expect(() => sync(f)).toThrow(quota)
    expect(f.created).toHaveLength(2)
    expect(f.events.filter((e) => e.includes('FailedCreate'))).toEqual([
      'ReplicaSet web Warning FailedCreate Error creating: pods "web-x" is forbidden: exceeded quota',
    ])
    expect(f.rsNow().status).toEqual({
      replicas: 2,
      fullyLabeledReplicas: 2,
      observedGeneration: 2,
      conditions: [
        {
          type: ReplicaFailure,
          status: 'True',
          lastTransitionTime: at(0),
          reason: 'FailedCreate',
          message: quota.message,
        },
      ],
    })
    // The next sync, quota lifted, creates the rest and clears the condition.
    const g = fakeContext([
      [REPLICASETS, f.rsNow()],
      ...f.pods().map((p) => [PODS, p] as [KindRef, Obj]),
    ])
    sync(g)
    expect(g.created).toHaveLength(8)
    expect(g.rsNow().status.conditions).toBeUndefined()
  })

  it('a terminating namespace is neither an error nor an event', () => {
    const terminating = new ApiError(
      apiStatus(403, 'Forbidden', 'forbidden: being terminated', {
        causes: [{ type: 'NamespaceTerminating' }],
      }),
    )
    const f = fakeContext([[REPLICASETS, newRS(2)]], { failCreate: () => terminating })
    sync(f)
    expect(f.events).toEqual([])
    expect(f.rsNow().status.conditions).toBeUndefined()
  })

  it('deletes the surplus, most deletable first, with a uid precondition', () => {
    const f = fakeContext([
      [REPLICASETS, newRS(2)],
      [PODS, pod('ready-old', { readyAt: -600 })],
      [PODS, pod('ready-new', { readyAt: -5 })],
      [PODS, pod('pending', { phase: 'Pending' })],
      [PODS, pod('unscheduled', { node: '' })],
    ])
    sync(f)
    expect(f.deleted).toEqual([
      { name: 'unscheduled', opts: { uid: 'uid-unscheduled' } },
      { name: 'pending', opts: { uid: 'uid-pending' } },
    ])
    expect(f.events).toEqual([
      'ReplicaSet web Normal SuccessfulDelete Deleted pod: unscheduled',
      'ReplicaSet web Normal SuccessfulDelete Deleted pod: pending',
    ])
    expect(f.rsNow().status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 })
  })

  it('a failed delete is an event, an error and a FailedDelete condition', () => {
    const f = fakeContext([
      [REPLICASETS, newRS(0)],
      [PODS, pod('a')],
    ])
    f.ctx.delete = () => {
      throw new ApiError(apiStatus(500, 'InternalError', 'etcd is down'))
    }
    expect(() => sync(f)).toThrow('unable to delete pods: etcd is down')
    expect(f.events).toEqual(['ReplicaSet web Warning FailedDelete Error deleting: etcd is down'])
    expect(f.rsNow().status.conditions[0]).toMatchObject({
      reason: 'FailedDelete',
      message: 'unable to delete pods: etcd is down',
    })
  })

  it('leaves inactive pods out: terminating and finished pods are replaced', () => {
    const f = fakeContext([
      [REPLICASETS, newRS(2)],
      [PODS, pod('running')],
      [PODS, pod('done', { phase: 'Succeeded' })],
      [PODS, pod('going', { deleting: true })],
    ])
    sync(f)
    expect(f.created).toHaveLength(1)
    expect(f.deleted).toEqual([])
  })

  it('adopts a matching orphan, releases a stray, ignores pods controlled by another', () => {
    const other = { ...rsRef, name: 'other', uid: 'other-uid' }
    const f = fakeContext([
      [REPLICASETS, newRS(2)],
      [PODS, pod('orphan', { owner: null })],
      [PODS, pod('stray', { labels: { app: 'db' } })],
      [PODS, pod('theirs', { owner: other })],
      [PODS, pod('unrelated', { owner: null, labels: { app: 'db' } })],
    ])
    sync(f)
    const byName = Object.fromEntries(
      f.pods().map((p) => [p.metadata.name, p.metadata.ownerReferences]),
    )
    expect(byName).toEqual({
      orphan: [rsRef],
      stray: undefined,
      theirs: [other],
      unrelated: undefined,
      [f.created[0]!.metadata.name]: [rsRef],
    })
    expect(f.updated.map((p) => p.metadata.name)).toEqual(['orphan', 'stray'])
  })

  it('a ReplicaSet being deleted neither adopts, releases nor creates', () => {
    const f = fakeContext([
      [REPLICASETS, newRS(3, { deleting: true })],
      [PODS, pod('orphan', { owner: null })],
      [PODS, pod('stray', { labels: { app: 'db' } })],
      [PODS, pod('mine')],
    ])
    sync(f)
    expect([f.created, f.updated, f.deleted]).toEqual([[], [], []])
    expect(f.rsNow().status).toMatchObject({ replicas: 1 })
  })

  it('an ns/* key lets each ReplicaSet selecting an orphan adopt it', () => {
    const db: Obj = { ...newRS(1), metadata: { ...newRS(1).metadata, name: 'db', uid: 'db-uid' } }
    db.spec = { ...db.spec, selector: { matchLabels: { app: 'db' } } }
    const f = fakeContext([
      [REPLICASETS, newRS(1)],
      [REPLICASETS, db],
      [PODS, pod('orphan', { owner: null })],
    ])
    sync(f, 'default/*')
    expect(f.ctx.get(PODS, 'default', 'orphan')!.metadata.ownerReferences).toEqual([rsRef])
    expect(f.created).toEqual([])
    expect(f.rsNow('db').status).toEqual({ replicas: 0 })
  })

  it('asks to come back when a ready pod will become available', () => {
    const f = fakeContext(
      [
        [REPLICASETS, newRS(2, { minReadySeconds: 30 })],
        [PODS, pod('a', { readyAt: -40 })],
        [PODS, pod('b', { readyAt: -10 })],
      ],
      { now: T0 },
    )
    sync(f)
    expect(f.rsNow().status).toMatchObject({ readyReplicas: 2, availableReplicas: 1 })
    expect(f.requeued).toEqual([['default/web', 20_001]])
  })

  it('writes no status when nothing changed', () => {
    const f = fakeContext([
      [
        REPLICASETS,
        newRS(1, { status: { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 2 } }),
      ],
      [PODS, pod('a')],
    ])
    sync(f)
    expect(f.statuses).toEqual([])
  })

  it('ranks by co-location over the pods of ReplicaSets under the same Deployment', () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      uid: 'dep-uid',
      controller: true,
      blockOwnerDeletion: true,
    }
    const old: Obj = {
      ...newRS(0, { owner: deploy }),
      metadata: { ...newRS(0, { owner: deploy }).metadata, name: 'web-old', uid: 'old-uid' },
    }
    old.spec = { ...old.spec, selector: { matchLabels: { app: 'web', v: 'old' } } }
    const oldRef = ownerRef(old, 'ReplicaSet', 'apps/v1')
    const f = fakeContext([
      [REPLICASETS, newRS(1, { owner: deploy })],
      [REPLICASETS, old],
      [PODS, pod('on-n1', { node: 'n1', readyAt: 0 })],
      [PODS, pod('on-n2', { node: 'n2', readyAt: 0 })],
      [
        PODS,
        pod('old-on-n2', {
          node: 'n2',
          readyAt: 0,
          owner: oldRef,
          labels: { app: 'web', v: 'old' },
        }),
      ],
    ])
    sync(f)
    expect(f.deleted.map((d) => d.name)).toEqual(['on-n2'])
  })
})

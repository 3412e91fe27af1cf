import { describe, expect, it } from 'vitest'
import { rfc3339 } from '../apiserver/context'
import {
  byCreationTimestamp,
  bySizeNewer,
  bySizeOlder,
  canonicalJSON,
  computeHash,
  deleteBefore,
  fnv1a32,
  isPodActive,
  isPodAvailable,
  isPodReady,
  msUntilAvailable,
  ownerRef,
  podDeletionCost,
  podFromTemplate,
  podReadySince,
  rankPodsForDeletion,
  safeEncodeString,
  slowStartBatch,
} from './controller-utils'
import type { Obj } from './framework/types'

const T0 = Date.parse('2025-01-01T00:00:00Z')
const at = (s: number) => rfc3339(T0 + s * 1000)

interface PodOpts {
  phase?: string
  node?: string
  readyAt?: number
  notReady?: boolean
  created?: number
  restarts?: number
  deleting?: boolean
  cost?: string
}
const pod = (name: string, o: PodOpts = {}): Obj => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    creationTimestamp: o.created === undefined ? undefined : at(o.created),
    deletionTimestamp: o.deleting ? at(0) : undefined,
    annotations:
      o.cost === undefined ? undefined : { 'controller.kubernetes.io/pod-deletion-cost': o.cost },
  },
  spec: { nodeName: o.node },
  status: {
    phase: o.phase ?? 'Running',
    conditions:
      o.readyAt === undefined && !o.notReady
        ? []
        : [
            {
              type: 'Ready',
              status: o.notReady ? 'False' : 'True',
              lastTransitionTime: at(o.readyAt ?? 0),
            },
          ],
    containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
  },
})

describe('pod state', () => {
  it.each([
    { name: 'running', input: pod('a'), want: true },
    { name: 'pending', input: pod('a', { phase: 'Pending' }), want: true },
    { name: 'succeeded', input: pod('a', { phase: 'Succeeded' }), want: false },
    { name: 'failed', input: pod('a', { phase: 'Failed' }), want: false },
    { name: 'terminating', input: pod('a', { deleting: true }), want: false },
  ])('isPodActive: $name', ({ input, want }) => expect(isPodActive(input)).toBe(want))

  it.each([
    { name: 'no conditions', input: pod('a'), want: [false, undefined] },
    {
      name: 'Ready=False',
      input: pod('a', { notReady: true, readyAt: 5 }),
      want: [false, undefined],
    },
    { name: 'Ready=True', input: pod('a', { readyAt: 5 }), want: [true, T0 + 5000] },
  ])('isPodReady, podReadySince: $name', ({ input, want }) =>
    expect([isPodReady(input), podReadySince(input)]).toEqual(want),
  )

  it.each([
    {
      name: 'minReadySeconds 0: ready is available',
      input: { readyAt: 10, min: 0, now: 10 },
      want: true,
    },
    { name: 'not ready', input: { readyAt: undefined, min: 0, now: 10 }, want: false },
    { name: 'not yet', input: { readyAt: 10, min: 5, now: 14 }, want: false },
    {
      name: 'exactly at the deadline is not enough',
      input: { readyAt: 10, min: 5, now: 15 },
      want: false,
    },
    { name: 'past the deadline', input: { readyAt: 10, min: 5, now: 15.001 }, want: true },
  ])('isPodAvailable: $name', ({ input, want }) =>
    expect(
      isPodAvailable(pod('a', { readyAt: input.readyAt }), input.min, T0 + input.now * 1000),
    ).toBe(want),
  )

  it('msUntilAvailable is the wait to the first instant past the deadline', () => {
    const p = pod('a', { readyAt: 10 })
    expect(msUntilAvailable(p, 5, T0 + 12_000)).toBe(3001)
    expect(isPodAvailable(p, 5, T0 + 12_000 + 3001)).toBe(true)
    expect(msUntilAvailable(p, 5, T0 + 16_000)).toBeUndefined()
    expect(msUntilAvailable(p, 0, T0)).toBeUndefined()
    expect(msUntilAvailable(pod('b'), 5, T0)).toBeUndefined()
  })

  it.each([
    { name: 'absent', input: undefined, want: 0 },
    { name: 'positive', input: '100', want: 100 },
    { name: 'negative', input: '-7', want: -7 },
    { name: 'zero', input: '0', want: 0 },
    { name: 'leading zero refused', input: '012', want: 0 },
    { name: 'not a number', input: 'ten', want: 0 },
    { name: 'beyond int32', input: '2147483648', want: 0 },
  ])('podDeletionCost: $name', ({ input, want }) =>
    expect(podDeletionCost(pod('a', { cost: input }))).toBe(want),
  )
})

describe('ranking for deletion (ActivePodsWithRanks.Less)', () => {
  const cases: { name: string; input: [PodOpts, number, PodOpts, number]; want: boolean }[] = [
    { name: 'unassigned before assigned', input: [{}, 0, { node: 'n' }, 0], want: true },
    { name: 'assigned after unassigned', input: [{ node: 'n' }, 0, {}, 0], want: false },
    {
      name: 'Pending before Running',
      input: [{ node: 'n', phase: 'Pending' }, 0, { node: 'n' }, 0],
      want: true,
    },
    {
      name: 'Unknown before Running',
      input: [{ node: 'n', phase: 'Unknown' }, 0, { node: 'n' }, 0],
      want: true,
    },
    {
      name: 'Pending before Unknown',
      input: [{ node: 'n', phase: 'Pending' }, 0, { node: 'n', phase: 'Unknown' }, 0],
      want: true,
    },
    {
      name: 'not ready before ready',
      input: [{ node: 'n' }, 0, { node: 'n', readyAt: 1 }, 0],
      want: true,
    },
    {
      name: 'lower deletion cost first',
      input: [{ node: 'n', cost: '-1' }, 0, { node: 'n' }, 0],
      want: true,
    },
    {
      name: 'cost beats co-location',
      input: [{ node: 'n', cost: '5' }, 9, { node: 'n' }, 0],
      want: false,
    },
    { name: 'more co-located first', input: [{ node: 'n' }, 3, { node: 'm' }, 1], want: true },
    {
      name: 'ready for less time first (different log buckets)',
      input: [{ node: 'n', readyAt: 90 }, 0, { node: 'n', readyAt: 0 }, 0],
      want: true,
    },
    {
      name: 'more restarts first',
      input: [{ node: 'n', restarts: 4 }, 0, { node: 'n', restarts: 1 }, 0],
      want: true,
    },
    {
      name: 'newer first',
      input: [{ node: 'n', created: 90 }, 0, { node: 'n', created: 0 }, 0],
      want: true,
    },
    {
      name: 'no creation time first',
      input: [{ node: 'n' }, 0, { node: 'n', created: 0 }, 0],
      want: true,
    },
    {
      name: 'equal: neither first',
      input: [{ node: 'n', created: 5 }, 0, { node: 'n', created: 5 }, 0],
      want: false,
    },
  ]
  it.each(cases)('$name', ({ input: [a, ra, b, rb], want }) =>
    expect(
      deleteBefore({ pod: pod('a', a), rank: ra }, { pod: pod('b', b), rank: rb }, T0 + 100_000),
    ).toBe(want),
  )

  it('times in one logarithmic bucket tie, broken by uid', () => {
    // Ages 64 s and 65 s: floor(log2(ns)) is 35 for both.
    const a = { pod: pod('b', { node: 'n', created: 36 }), rank: 0 }
    const b = { pod: pod('a', { node: 'n', created: 35 }), rank: 0 }
    expect(deleteBefore(a, b, T0 + 100_000)).toBe(false)
    expect(deleteBefore(b, a, T0 + 100_000)).toBe(true)
    // Without now the plain comparison holds: newer first.
    expect(deleteBefore(a, b)).toBe(true)
  })

  it('rankPodsForDeletion ranks by active related pods on the node', () => {
    const pods = [
      pod('x', { node: 'n1', readyAt: 0 }),
      pod('y', { node: 'n2', readyAt: 0 }),
      pod('z', { node: 'n2', readyAt: 0 }),
    ]
    const related = [
      ...pods,
      pod('gone', { node: 'n1', deleting: true }),
      pod('w', { node: 'n2', readyAt: 0 }),
    ]
    expect(rankPodsForDeletion(pods, related).map((p) => p.metadata.name)).toEqual(['y', 'z', 'x'])
  })
})

describe('slowStartBatch', () => {
  // fn fails on the calls listed; want: [successes, calls made].
  it.each([
    { name: 'none', input: { count: 0, fail: [] as number[] }, want: [0, 0] },
    { name: 'all succeed', input: { count: 10, fail: [] }, want: [10, 10] },
    { name: 'first call fails: one call only', input: { count: 10, fail: [1] }, want: [0, 1] },
    {
      name: 'fail in batch of 2: the batch completes',
      input: { count: 10, fail: [2] },
      want: [2, 3],
    },
    { name: 'fail in batch of 4', input: { count: 10, fail: [5, 6] }, want: [5, 7] },
    { name: 'fail in the last, short batch', input: { count: 10, fail: [10] }, want: [9, 10] },
  ])('$name', ({ input, want }) => {
    let calls = 0
    const r = slowStartBatch(input.count, 1, () => {
      calls++
      if (input.fail.includes(calls)) throw new Error(`call ${calls}`)
    })
    expect([r.successes, calls]).toEqual(want)
    if (input.fail.length) expect((r.error as Error).message).toBe(`call ${input.fail[0]}`)
    else expect(r.error).toBeUndefined()
  })
})

describe('pod-template-hash', () => {
  it('FNV-1a 32 and the safe alphabet', () => {
    expect(fnv1a32(new TextEncoder().encode(''))).toBe(0x811c9dc5)
    expect(fnv1a32(new TextEncoder().encode('a'))).toBe(0xe40c292c)
    expect(fnv1a32(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968)
    // Digits map to "456789bcdf" ('0' is 48, 48 % 27 = 21 → '4').
    expect(safeEncodeString('0123456789')).toBe('456789bcdf')
  })

  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  }
  it('is stable under key order, and looks like upstream', () => {
    const reordered = {
      spec: { containers: [{ image: 'nginx:1.27', name: 'nginx' }] },
      metadata: { labels: { app: 'web' } },
    }
    const h = computeHash(template)
    expect(h).toBe(computeHash(reordered))
    expect(h).toMatch(/^[456789bcdf]{1,10}$/)
  })
  it('changes with the template and with collisionCount', () => {
    const h = computeHash(template)
    expect(
      computeHash({ ...template, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } }),
    ).not.toBe(h)
    expect(computeHash(template, 1)).not.toBe(h)
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2))
    expect(computeHash(template, null)).toBe(h)
  })
  it('canonicalJSON sorts keys and leaves out undefined', () => {
    expect(canonicalJSON({ b: 1, a: [{ d: undefined, c: 'x' }], e: undefined })).toBe(
      '{"a":[{"c":"x"}],"b":1}',
    )
  })
})

describe('owners and templates', () => {
  const rs: Obj = { metadata: { name: 'web-7c5ddbdf54', namespace: 'prod', uid: 'u1' } }
  it('ownerRef is a controller reference', () => {
    expect(ownerRef(rs, 'ReplicaSet', 'apps/v1')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web-7c5ddbdf54',
      uid: 'u1',
      controller: true,
      blockOwnerDeletion: true,
    })
  })
  it('podFromTemplate copies labels, annotations, finalizers and spec', () => {
    const template = {
      metadata: {
        labels: { app: 'web' },
        annotations: { a: 'b' },
        finalizers: ['f'],
        name: 'ignored',
      },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    }
    const p = podFromTemplate(template, rs, ownerRef(rs, 'ReplicaSet', 'apps/v1'))
    expect(p.metadata).toEqual({
      namespace: 'prod',
      generateName: 'web-7c5ddbdf54-',
      ownerReferences: [ownerRef(rs, 'ReplicaSet', 'apps/v1')],
      labels: { app: 'web' },
      annotations: { a: 'b' },
      finalizers: ['f'],
    })
    expect(p.spec).toEqual(template.spec)
    expect(p.spec).not.toBe(template.spec)
  })
})

describe('replica set orders', () => {
  const rs = (name: string, replicas: number, created: number): Obj => ({
    metadata: { name, creationTimestamp: at(created) },
    spec: { replicas },
  })
  const names = (l: Obj[]) => l.map((r) => r.metadata.name)
  const list = [rs('c', 1, 5), rs('a', 3, 5), rs('b', 3, 1), rs('d', 0, 0)]
  it.each([
    { name: 'byCreationTimestamp', input: byCreationTimestamp, want: ['d', 'b', 'a', 'c'] },
    { name: 'bySizeOlder', input: bySizeOlder, want: ['b', 'a', 'c', 'd'] },
    { name: 'bySizeNewer', input: bySizeNewer, want: ['a', 'b', 'c', 'd'] },
  ])('$name', ({ input, want }) => expect(names(input(list))).toEqual(want))
})

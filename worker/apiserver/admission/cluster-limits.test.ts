import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors'
import type { Attributes } from './attributes'
import { admitClusterLimits, DEFAULT_LIMITS, NODES_PREFIX, ObjectCounts, PODS_PREFIX, type Counter } from './cluster-limits'

type O = any
const limits = { ...DEFAULT_LIMITS, maxPods: 2, maxNodes: 3, maxObjects: 10 }
const counts = (n: Record<string, number>): Counter => ({
  below: (prefix, max, except) => (n[prefix] ?? 0) - (except ? (n[except] ?? 0) : 0) < max,
})
const create = (group: string, resource: string, object: O, extra: Partial<Attributes> = {}): Attributes => ({
  operation: 'CREATE',
  group,
  resource,
  namespace: resource === 'nodes' || resource === 'nodepools' ? undefined : 'default',
  object,
  ...extra,
})
const named = (name: string, spec: O = {}) => ({ metadata: { name }, spec })

function message(fn: () => void): string | undefined {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApiError) return `${e.status.code} ${e.status.message}`
    throw e
  }
  return undefined
}

describe('admitClusterLimits', () => {
  const pools = () => [named('default', { replicas: 2 }), named('gpu', { replicas: 1 })]
  it.each([
    { name: 'a pod below the limit', a: create('', 'pods', named('p')), n: { [PODS_PREFIX]: 1 }, want: undefined },
    { name: 'a pod at the limit', a: create('', 'pods', named('p')), n: { [PODS_PREFIX]: 2 }, want: '403 pods "p" is forbidden: exceeded cluster limit: pods=2' },
    { name: 'a generated name is named as generated', a: create('', 'pods', named('web-x7k2p'), { name: undefined }), n: { [PODS_PREFIX]: 2 }, want: '403 pods "web-x7k2p" is forbidden: exceeded cluster limit: pods=2' },
    { name: 'a node at the limit', a: create('', 'nodes', named('worker-4')), n: { [NODES_PREFIX]: 3 }, want: '403 nodes "worker-4" is forbidden: exceeded cluster limit: nodes=3' },
    { name: 'any object at the total', a: create('', 'configmaps', named('c')), n: { '/registry/': 10 }, want: '403 configmaps "c" is forbidden: exceeded cluster limit: objects=10' },
    { name: 'events do not count', a: create('', 'configmaps', named('c')), n: { '/registry/': 14, '/registry/core/events/': 5 }, want: undefined },
    { name: 'events are never refused', a: create('', 'events', named('e')), n: { '/registry/': 99 }, want: undefined },
    { name: 'updates are not counted', a: { ...create('', 'pods', named('p')), operation: 'UPDATE' as const, oldObject: named('p') }, n: { [PODS_PREFIX]: 9, '/registry/': 99 }, want: undefined },
    { name: 'a pool growing past maxNodes', a: { ...create('sim.wheelhouse.dev', 'nodepools', named('default', { replicas: 3 })), operation: 'UPDATE' as const, oldObject: named('default', { replicas: 2 }) }, n: {}, want: '403 nodepools.sim.wheelhouse.dev "default" is forbidden: exceeded cluster limit: nodes=3' },
    { name: 'a pool shrinking while above it', a: { ...create('sim.wheelhouse.dev', 'nodepools', named('gpu', { replicas: 2 })), operation: 'UPDATE' as const, oldObject: named('gpu', { replicas: 5 }) }, n: {}, want: undefined },
    { name: 'a new pool within it', a: create('sim.wheelhouse.dev', 'nodepools', named('small', { replicas: 0 })), n: {}, want: undefined },
    { name: 'a new pool past it', a: create('sim.wheelhouse.dev', 'nodepools', named('big', { replicas: 1 })), n: {}, want: '403 nodepools.sim.wheelhouse.dev "big" is forbidden: exceeded cluster limit: nodes=3' },
  ])('$name', ({ a, n, want }) => {
    expect(message(() => admitClusterLimits(a, limits, counts(n as Record<string, number>), pools))).toBe(want)
  })

  it('enforces nothing without limits', () => {
    expect(message(() => admitClusterLimits(create('', 'pods', named('p')), undefined, counts({ [PODS_PREFIX]: 1e6 })))).toBeUndefined()
  })
})

describe('ObjectCounts', () => {
  it('counts again only when count plus the revisions since could reach the limit', () => {
    let revision = 100
    let live = 5
    let queries = 0
    const c = new ObjectCounts({
      currentRevision: () => revision,
      list: () => {
        queries++
        return { kvs: [], revision, more: false, count: live }
      },
    } as any)
    expect(c.below(PODS_PREFIX, 10)).toBe(true)
    expect(queries).toBe(1)
    revision += 4 // 5 + 4 < 10: no need to count
    live += 4
    expect(c.below(PODS_PREFIX, 10)).toBe(true)
    expect(queries).toBe(1)
    revision += 1 // 5 + 5 reaches 10: count again
    live += 1
    expect(c.below(PODS_PREFIX, 10)).toBe(false)
    expect(queries).toBe(2)
  })
})

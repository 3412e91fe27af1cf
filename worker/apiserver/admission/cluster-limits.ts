// Per-cluster limits of a public deployment: no upstream counterpart, but
// refused as kube-apiserver's quota refuses ("exceeded cluster limit: pods=300")
// so kubectl and controllers treat it as any 403. This file checks the counts
// on create (pods, nodes, all objects) and NodePool sizes; body size, watches
// and request rate are enforced in front of the API server from the same
// settings key.
import { prefixRange } from '../../etcd/keys'
import type { Store } from '../../etcd/mvcc'
import type { Obj } from '../objects'
import { type Attributes, forbidden } from './attributes'

export interface ClusterLimits {
  maxNodes: number
  maxPods: number
  maxObjects: number
  maxWatches: number
  maxBodyBytes: number
  requestsPerSecond: number
  burst: number
}

export const DEFAULT_LIMITS: ClusterLimits = {
  maxNodes: 20,
  maxPods: 300,
  maxObjects: 5000,
  maxWatches: 100,
  maxBodyBytes: 3145728,
  requestsPerSecond: 20,
  burst: 60,
}

/** The cluster's Settings key holding its ClusterLimits (a cluster without it has no limits). */
export const LIMITS_SETTING = 'limits'

export const PODS_PREFIX = '/registry/core/pods/'
export const NODES_PREFIX = '/registry/core/nodes/'
const ALL_PREFIX = '/registry/'
/** Events are written by the system itself and expire within the hour: they do not count. */
const EVENTS_PREFIX = '/registry/core/events/'

/** How many stored objects lie under a key prefix, told exactly only when it matters (see ObjectCounts). */
export interface Counter {
  /** True when fewer than `max` objects lie under the prefix. */
  below(prefix: string, max: number, except?: string): boolean
}

const isCore = (a: Attributes, resource: string) => a.group === '' && a.resource === resource
const isNodePools = (a: Attributes) => a.group === 'sim.wheelhouse.dev' && a.resource === 'nodepools'

/**
 * Refuses a create that would take the cluster past a limit, and a NodePool
 * whose replicas would take the pools past maxNodes. `pools` are the stored
 * NodePools (read only for NodePool writes).
 */
export function admitClusterLimits(
  a: Attributes,
  limits: ClusterLimits | undefined,
  counter: Counter,
  pools: () => Obj[] = () => [],
): void {
  if (!limits || a.subresource === 'status') return
  const refuse = (what: string, max: number) => forbidden(a, `exceeded cluster limit: ${what}=${max}`)
  if (isNodePools(a) && (a.operation === 'CREATE' || a.operation === 'UPDATE')) {
    const others = pools()
      .filter((p) => p.metadata.name !== a.object.metadata.name)
      .reduce((n, p) => n + (Number(p.spec?.replicas) || 0), 0)
    const wanted = Number(a.object.spec?.replicas) || 0
    const before = Number(a.oldObject?.spec?.replicas) || 0
    // Shrinking, or staying as it is, is always allowed, even above the limit.
    if (wanted > before && others + wanted > limits.maxNodes) throw refuse('nodes', limits.maxNodes)
  }
  if (a.operation !== 'CREATE' || a.subresource) return
  if (isCore(a, 'events')) return
  if (isCore(a, 'pods') && !counter.below(PODS_PREFIX, limits.maxPods)) throw refuse('pods', limits.maxPods)
  if (isCore(a, 'nodes') && !counter.below(NODES_PREFIX, limits.maxNodes)) throw refuse('nodes', limits.maxNodes)
  if (!counter.below(ALL_PREFIX, limits.maxObjects, EVENTS_PREFIX)) throw refuse('objects', limits.maxObjects)
}

/**
 * Counts over the store without counting on every create: a count is kept with
 * the revision it was taken at, and since a revision adds at most one object,
 * count + (revisions since) bounds the live count from above. Only when that
 * bound reaches the limit is the count taken again (one SQL COUNT). Kept per
 * store, so across requests of the same isolate.
 */
export class ObjectCounts implements Counter {
  static readonly #byStore = new WeakMap<Store, ObjectCounts>()
  static of(store: Store): ObjectCounts {
    let c = ObjectCounts.#byStore.get(store)
    if (!c) ObjectCounts.#byStore.set(store, (c = new ObjectCounts(store)))
    return c
  }

  readonly #seen = new Map<string, { count: number; revision: number }>()
  constructor(readonly store: Pick<Store, 'list' | 'currentRevision'>) {}

  below(prefix: string, max: number, except?: string): boolean {
    const key = except ? `${prefix}\0${except}` : prefix
    const revision = this.store.currentRevision()
    const seen = this.#seen.get(key)
    if (seen && seen.count + (revision - seen.revision) < max) return true
    const count = this.count(prefix) - (except ? this.count(except) : 0)
    this.#seen.set(key, { count, revision })
    return count < max
  }

  count(prefix: string): number {
    return this.store.list(prefixRange(prefix), { limit: 1, keysOnly: true, count: true }).count ?? 0
  }
}

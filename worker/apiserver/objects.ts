// Kubernetes objects over the etcd store: the resourceVersion is the key's
// modification revision, metadata the API server owns is set here, and every
// store refusal becomes a Status. Handlers go through this, so does every
// controller, so one set of preconditions holds for all writers.
import type { Store } from '../etcd/mvcc'
import { encodeContinue, prefixRange } from '../etcd/keys'
import { StoreError, type KeyValue } from '../etcd/types'
import { conversionFor } from '../resources/conversion'
import { apiVersionOf, type KindInfo, storageKey, storagePrefix } from '../resources/kind'
import { ApiError, expiredContinue, fromStoreError, notFoundError } from './errors'
import { type FieldRequirement, type LabelRequirement, matchFields, matchLabels } from './selectors'
import { status } from './status'
import type { ClusterLimits } from './admission/cluster-limits'

export type Obj = Record<string, any> & { metadata: Record<string, any> }

/** The stored object as kind k presents it, with its resourceVersion. */
export function decodeObject(kv: KeyValue, k?: KindInfo): Obj {
  let o = JSON.parse(kv.value) as Obj
  const conv = k && conversionFor(k)
  if (conv) o = conv.fromStorage(o) as Obj
  o.metadata.resourceVersion = String(kv.modRevision)
  return o
}

function encodeObject(o: Obj, k: KindInfo): string {
  const conv = conversionFor(k)
  const stored = conv ? (conv.toStorage(o) as Obj) : o
  const { resourceVersion: _, ...metadata } = stored.metadata
  return JSON.stringify({ ...stored, metadata })
}

export interface ListQuery {
  namespace?: string
  labels?: LabelRequirement[]
  fields?: FieldRequirement[]
  limit?: number
  continue?: string
  /** Read at this revision (0 = latest). */
  revision?: number
}

export interface ListPage {
  items: Obj[]
  resourceVersion: string
  continue?: string
  remainingItemCount?: number
}

const SCAN_PAGE = 500

/** Called after every successful write, inside the same turn: how the control plane hears of API writes it acts on at once. */
export type WriteObserver = (k: KindInfo, o: Obj, deleted: boolean) => void

/** A write to make in the same transaction as another (admission's quota charges). */
export interface AttachedWrite {
  kind: KindInfo
  object: Obj
}

export class Objects {
  readonly #observers: WriteObserver[] = []
  /** Writes that must be stored with an object being written, keyed by that object (see attach). */
  readonly #attached = new WeakMap<Obj, AttachedWrite[]>()
  /** The cluster's limits (its Settings), for admission; none means unlimited. */
  limits?: () => ClusterLimits | undefined
  constructor(readonly store: Store) {}

  /**
   * Makes `writes` (updates, compare-and-swap on their resourceVersion) part of
   * the next create or update of `o` itself: ResourceQuota admission charges
   * status.used with the object in one transaction, so a write that fails
   * charges nothing and two creates can never both take the last unit.
   */
  attach(o: Obj, writes: AttachedWrite[]): void {
    if (writes.length) this.#attached.set(o, writes)
    else this.#attached.delete(o)
  }

  #withAttached(o: Obj, write: () => Obj): Obj {
    const writes = this.#attached.get(o)
    if (!writes) return write()
    this.#attached.delete(o)
    return this.store.batch(() => {
      const saved = write()
      for (const w of writes) this.update(w.kind, w.object, w.object.metadata.resourceVersion)
      return saved
    })
  }

  observe(fn: WriteObserver): void {
    this.#observers.push(fn)
  }

  #written(k: KindInfo, o: Obj, deleted = false): Obj {
    for (const fn of this.#observers) fn(k, o, deleted)
    return o
  }

  key(k: KindInfo, namespace: string | undefined, name: string): string {
    return storageKey(k, k.namespaced ? namespace : undefined, name)
  }

  get(k: KindInfo, namespace: string | undefined, name: string): Obj | undefined {
    const { kv } = this.store.get(this.key(k, namespace, name))
    return kv && decodeObject(kv, k)
  }

  mustGet(k: KindInfo, namespace: string | undefined, name: string): Obj {
    const o = this.get(k, namespace, name)
    if (!o) throw notFoundError(k, name)
    return o
  }

  /** Lists with selectors; with a limit, keeps scanning until `limit` objects match, as upstream does. */
  list(k: KindInfo, q: ListQuery = {}): ListPage {
    const range = prefixRange(storagePrefix(k, q.namespace))
    const items: Obj[] = []
    let token = q.continue
    let revision = q.revision
    try {
      for (;;) {
        const want = q.limit ? q.limit - items.length : 0
        const page = this.store.list(range, {
          limit: q.limit ? Math.max(want, SCAN_PAGE) : 0,
          continue: token,
          revision: token ? undefined : revision,
        })
        revision = page.revision
        let lastKey: string | undefined
        for (const kv of page.kvs) {
          lastKey = kv.key
          const o = decodeObject(kv, k)
          if (q.labels?.length && !matchLabels(q.labels, o.metadata.labels)) continue
          if (q.fields?.length && !matchFields(q.fields, o, k)) continue
          items.push(o)
          if (q.limit && items.length >= q.limit) break
        }
        const full = q.limit !== undefined && q.limit > 0 && items.length >= q.limit
        if (full) {
          const more = page.more || (lastKey !== undefined && lastKey !== page.kvs[page.kvs.length - 1]?.key)
          if (!more) return { items, resourceVersion: String(revision) }
          return { items, resourceVersion: String(revision), continue: this.#continueAfter(revision, lastKey!) }
        }
        if (!page.more) return { items, resourceVersion: String(revision) }
        token = page.continue
      }
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Compacted' && q.continue) throw expiredContinue()
      if (err instanceof StoreError && err.code === 'Compacted')
        throw new ApiError(status(410, 'Expired', `too old resource version: ${q.revision} (${this.store.compactRevision()})`))
      if (err instanceof StoreError && err.code === 'InvalidArgument') throw new ApiError(status(400, 'BadRequest', `invalid continue token: ${err.message}`))
      throw err
    }
  }

  /** The store's own token: the same revision, starting strictly after lastKey. */
  #continueAfter(revision: number, lastKey: string): string {
    return encodeContinue({ rv: revision, after: lastKey })
  }

  /** Stores a new object; the caller has set name, namespace, uid and timestamps. */
  create(k: KindInfo, o: Obj, lease?: number): Obj {
    if (this.#attached.has(o)) return this.#withAttached(o, () => this.create(k, o, lease))
    try {
      const kv = this.store.create(this.key(k, o.metadata.namespace, o.metadata.name), encodeObject(o, k), lease)
      return this.#written(k, decodeObject(kv, k))
    } catch (err) {
      if (err instanceof StoreError) throw fromStoreError(err, k, o.metadata.name)
      throw err
    }
  }

  /** Writes o over the object at o.metadata.resourceVersion (compare-and-swap). */
  update(k: KindInfo, o: Obj, expectedResourceVersion: string, lease?: number): Obj {
    if (this.#attached.has(o)) return this.#withAttached(o, () => this.update(k, o, expectedResourceVersion, lease))
    try {
      const kv = this.store.update(this.key(k, o.metadata.namespace, o.metadata.name), encodeObject(o, k), Number(expectedResourceVersion), lease)
      return this.#written(k, decodeObject(kv, k))
    } catch (err) {
      if (err instanceof StoreError) throw fromStoreError(err, k, o.metadata.name)
      throw err
    }
  }

  /** Removes the object, guarded by its resourceVersion; returns it as last seen. */
  remove(k: KindInfo, o: Obj): Obj {
    try {
      this.store.delete(this.key(k, o.metadata.namespace, o.metadata.name), Number(o.metadata.resourceVersion))
      return this.#written(k, o, true)
    } catch (err) {
      if (err instanceof StoreError) throw fromStoreError(err, k, o.metadata.name)
      throw err
    }
  }
}

export const typeMeta = (k: KindInfo) => ({ apiVersion: apiVersionOf(k), kind: k.kind })

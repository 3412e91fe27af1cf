// The MVCC layer: read the latest row, refuse when the expected revision is
// stale, append one row per write. Every write runs inside one synchronous
// SQLite transaction, so a batch commits whole or not at all, and its events
// reach watchers only after the commit.
import { type EventRow, type Row, SqliteLog } from './dialect'
import { bounds, decodeContinue, encodeContinue, validateKey, validateRangeKey, validateValue } from './keys'
import { WatchHub } from './watch-hub'
import {
  type Backend,
  type Compare,
  type KeyRange,
  type KeyValue,
  type Lease,
  type ListOptions,
  type ListResult,
  StoreError,
  type TxnOp,
  type TxnOpResult,
  type TxnRequest,
  type TxnResult,
  type WatchEvent,
  type WatchHandle,
  type WatchOptions,
  type WatchSink,
} from './types'

/** Timer kinds the store schedules; the object routes them back to `onTimer`. */
export const LEASE_TIMER = 'etcd.lease'
export const COMPACT_TIMER = 'etcd.compact'

export const MIN_RETAINED_REVISIONS = 1_000
export const DEFAULT_RETAINED_REVISIONS = 50_000
const COMPACT_BATCH = 2_000

export interface StoreDeps {
  /** Runs fn as one atomic SQLite transaction (ctx.storage.transactionSync). */
  transact<T>(fn: () => T): T
  /** Simulated now, in ms: lease expiry follows the cluster's clock. */
  now(): number
  schedule(kind: string, key: string, dueAt: number): void
  cancel(kind: string, key: string): void
  /** How many revisions of history to keep (default 50,000, at least 1,000). */
  retainedRevisions?: number
}

function toKeyValue(row: Row): KeyValue {
  return {
    key: row.name,
    value: row.value ?? '',
    createRevision: row.create_revision,
    modRevision: row.id,
    version: row.version,
    lease: row.lease,
  }
}

function toEvent(row: EventRow): WatchEvent {
  const kv = toKeyValue(row)
  const event: WatchEvent = { type: row.deleted ? 'DELETE' : 'PUT', kv }
  if (row.prev_id !== null && row.prev_deleted === 0) {
    event.prevKv = {
      key: row.name,
      value: row.prev_value ?? '',
      createRevision: row.prev_create_revision ?? 0,
      modRevision: row.prev_id,
      version: row.prev_version ?? 0,
      lease: row.prev_lease ?? 0,
    }
  }
  return event
}

export class Store implements Backend {
  readonly #log: SqliteLog
  readonly #deps: StoreDeps
  readonly #hub: WatchHub
  readonly #retain: number
  #rev: number
  #compactRev: number
  /** The row the last put wrote. */
  #lastPut: KeyValue | undefined
  /** Events of the transaction in progress; published once it commits. */
  #pending: WatchEvent[] | undefined

  constructor(sql: SqlStorage, deps: StoreDeps) {
    this.#log = new SqliteLog(sql)
    this.#deps = deps
    this.#retain = Math.max(MIN_RETAINED_REVISIONS, deps.retainedRevisions ?? DEFAULT_RETAINED_REVISIONS)
    this.#rev = this.#log.sequence()
    this.#compactRev = Number(this.#log.metaGet('compact_revision') ?? 0)
    this.#hub = new WatchHub({
      currentRevision: () => this.#rev,
      compactRevision: () => this.#compactRev,
      events: (start, end, from, to, limit) => this.#log.events(start, end, from, to, limit).map(toEvent),
    })
  }

  get watchers(): number {
    return this.#hub.size
  }

  get retainedRevisions(): number {
    return this.#retain
  }

  currentRevision(): number {
    return this.#rev
  }

  compactRevision(): number {
    return this.#compactRev
  }

  /** Rows in the log, live and historical (for the benchmarks and tests). */
  rowCount(): number {
    return this.#log.rowCount()
  }

  #readRevision(revision: number | undefined): number {
    if (!revision) return this.#rev
    if (revision > this.#rev)
      throw new StoreError('FutureRevision', `required revision ${revision} is a future revision (current ${this.#rev})`)
    if (revision < this.#compactRev)
      throw new StoreError(
        'Compacted',
        `required revision ${revision} has been compacted (compact revision ${this.#compactRev})`,
        undefined,
        this.#compactRev,
      )
    return revision
  }

  get(key: string, revision?: number): { kv: KeyValue | undefined; revision: number } {
    validateKey(key)
    const rev = this.#readRevision(revision)
    const row = this.#log.latest(key, revision ? rev : undefined)
    return { kv: row && !row.deleted ? toKeyValue(row) : undefined, revision: this.#rev }
  }

  list(range: KeyRange, opts: ListOptions = {}): ListResult {
    validateRangeKey(range.key)
    let { start, end } = bounds(range)
    let rev: number
    if (opts.continue) {
      const token = decodeContinue(opts.continue)
      rev = this.#readRevision(token.rv)
      // Strictly after the last key of the previous page.
      start = token.after + '\0'
    } else {
      rev = this.#readRevision(opts.revision)
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0
    const rows = this.#log.list(start, end, rev, limit ? limit + 1 : 0, opts.keysOnly)
    const more = limit > 0 && rows.length > limit
    if (more) rows.length = limit
    const result: ListResult = { kvs: rows.map(toKeyValue), revision: rev, more }
    if (more) result.continue = encodeContinue({ rv: rev, after: rows[rows.length - 1]!.name })
    if (opts.count) result.count = this.#log.count(bounds(range).start, end, rev)
    return result
  }

  create(key: string, value: string, lease = 0): KeyValue {
    const r = this.txn({
      compare: [{ key, target: 'mod', result: '=', value: 0 }],
      success: [{ put: { key, value, lease } }],
      failure: [{ get: { key } }],
    })
    if (!r.succeeded) {
      throw new StoreError('KeyExists', `key ${key} already exists`, r.results[0]!.kv)
    }
    return this.#written()
  }

  update(key: string, value: string, expectedModRevision: number, lease = 0): KeyValue {
    if (!(expectedModRevision > 0))
      throw new StoreError('InvalidArgument', 'update needs the expected modRevision of the key')
    const r = this.txn({
      compare: [{ key, target: 'mod', result: '=', value: expectedModRevision }],
      success: [{ put: { key, value, lease } }],
      failure: [{ get: { key } }],
    })
    if (!r.succeeded) {
      const current = r.results[0]!.kv
      if (!current) throw new StoreError('KeyNotFound', `key ${key} not found`)
      throw new StoreError(
        'Conflict',
        `key ${key} is at revision ${current.modRevision}, not ${expectedModRevision}`,
        current,
      )
    }
    return this.#written()
  }

  delete(key: string, expectedModRevision?: number): KeyValue {
    const compare: Compare[] = expectedModRevision
      ? [{ key, target: 'mod', result: '=', value: expectedModRevision }]
      : [{ key, target: 'mod', result: '>', value: 0 }]
    const r = this.txn({ compare, success: [{ delete: { key } }], failure: [{ get: { key } }] })
    if (!r.succeeded) {
      const current = r.results[0]!.kv
      if (!current) throw new StoreError('KeyNotFound', `key ${key} not found`)
      throw new StoreError(
        'Conflict',
        `key ${key} is at revision ${current.modRevision}, not ${expectedModRevision}`,
        current,
      )
    }
    // The removed value, as etcd's prev_kv gives it.
    return r.results[0]!.kv!
  }

  /** The value a successful single-put transaction wrote, kept by #apply: no second read. */
  #written(): KeyValue {
    return this.#lastPut!
  }

  txn(req: TxnRequest): TxnResult {
    for (const c of req.compare) validateKey(c.key)
    for (const op of [...req.success, ...(req.failure ?? [])]) validateOp(op)
    return this.#transact(() => {
      const succeeded = req.compare.every((c) => this.#compare(c))
      const ops = succeeded ? req.success : (req.failure ?? [])
      const results = ops.map((op) => this.#apply(op))
      return { succeeded, results, revision: this.#rev }
    })
  }

  /** Runs several writes as one transaction: all commit or none, and watchers see them together. */
  batch<T>(fn: () => T): T {
    return this.#transact(fn)
  }

  deleteRange(range: KeyRange): { deleted: KeyValue[]; revision: number } {
    validateRangeKey(range.key)
    const { start, end } = bounds(range)
    return this.#transact(() => {
      const live = this.#log.list(start, end, this.#rev, 0)
      const deleted = live.map((row) => this.#tombstone(row))
      return { deleted, revision: this.#rev }
    })
  }

  watch(range: KeyRange, opts: WatchOptions, sink: WatchSink): WatchHandle {
    validateRangeKey(range.key)
    return this.#hub.add(range, opts, sink)
  }

  /** Closes every watch, e.g. before the object goes away. */
  closeWatches(): void {
    this.#hub.closeAll()
  }

  // --- writes -------------------------------------------------------------

  #transact<T>(fn: () => T): T {
    if (this.#pending) return fn() // nested: part of the outer transaction
    const before = this.#rev
    this.#pending = []
    let events: WatchEvent[]
    let result: T
    try {
      result = this.#deps.transact(fn)
      events = this.#pending
    } catch (err) {
      this.#rev = before // the rows were rolled back, and so is our counter
      throw err
    } finally {
      this.#pending = undefined
    }
    if (events.length > 0) {
      this.#hub.publish(events)
      this.#maybeCompact()
    }
    return result
  }

  #compare(c: Compare): boolean {
    const row = this.#log.latest(c.key)
    const live = row && !row.deleted ? row : undefined
    let actual: number | string
    switch (c.target) {
      case 'mod':
        actual = live?.id ?? 0
        break
      case 'create':
        actual = live?.create_revision ?? 0
        break
      case 'version':
        actual = live?.version ?? 0
        break
      case 'value':
        if (!live) return false // etcd: a value compare on a missing key fails
        actual = live.value ?? ''
        break
    }
    switch (c.result) {
      case '=':
        return actual === c.value
      case '!=':
        return actual !== c.value
      case '<':
        return actual < c.value
      case '>':
        return actual > c.value
    }
  }

  #apply(op: TxnOp): TxnOpResult {
    if ('get' in op) {
      const row = this.#log.latest(op.get.key)
      return row && !row.deleted ? { kv: toKeyValue(row) } : {}
    }
    if ('delete' in op) {
      const row = this.#log.latest(op.delete.key)
      if (!row || row.deleted) return { revision: 0 }
      return { kv: this.#tombstone(row), revision: this.#rev }
    }
    const { key, value } = op.put
    const lease = op.put.lease ?? 0
    if (lease && !this.#log.leaseGet(lease)) throw new StoreError('LeaseNotFound', `lease ${lease} not found`)
    const prev = this.#log.latest(key)
    const live = prev && !prev.deleted ? prev : undefined
    const id = this.#rev + 1
    const row: Row = {
      id,
      name: key,
      created: live ? 0 : 1,
      deleted: 0,
      create_revision: live ? live.create_revision : id,
      prev_revision: prev?.id ?? 0,
      version: live ? live.version + 1 : 1,
      lease,
      value,
    }
    this.#log.insert(row)
    this.#rev = id
    this.#lastPut = toKeyValue(row)
    const event: WatchEvent = { type: 'PUT', kv: this.#lastPut }
    if (live) event.prevKv = toKeyValue(live)
    this.#pending!.push(event)
    return live ? { kv: toKeyValue(live), revision: id } : { revision: id }
  }

  /** Appends a tombstone for a live row; returns the removed value. */
  #tombstone(row: Row): KeyValue {
    const id = this.#rev + 1
    const stone: Row = {
      id,
      name: row.name,
      created: 0,
      deleted: 1,
      create_revision: row.create_revision,
      prev_revision: row.id,
      version: 0,
      lease: 0,
      value: null,
    }
    this.#log.insert(stone)
    this.#rev = id
    const removed = toKeyValue(row)
    this.#pending!.push({ type: 'DELETE', kv: toKeyValue(stone), prevKv: removed })
    return removed
  }

  // --- compaction ---------------------------------------------------------

  /** Refuses reads below `revision` from now on, and removes the history below it in slices. */
  compact(revision: number): void {
    if (revision > this.#rev)
      throw new StoreError('FutureRevision', `compaction revision ${revision} is a future revision (current ${this.#rev})`)
    if (revision <= this.#compactRev)
      throw new StoreError(
        'Compacted',
        `required revision ${revision} has been compacted (compact revision ${this.#compactRev})`,
        undefined,
        this.#compactRev,
      )
    this.#deps.transact(() => {
      this.#log.metaSet('compact_revision', String(revision))
    })
    this.#compactRev = revision
    this.#deps.schedule(COMPACT_TIMER, '', this.#deps.now())
  }

  /** One slice of compaction work. Returns true when the history below the compact revision is gone. */
  compactStep(batch = COMPACT_BATCH): boolean {
    const target = this.#compactRev
    return this.#deps.transact(() => {
      const cursor = Number(this.#log.metaGet('compact_cursor') ?? 0)
      if (cursor >= target) return true
      const { last } = this.#log.compactBatch(target, cursor, batch)
      this.#log.metaSet('compact_cursor', String(last))
      return last >= target
    })
  }

  /** Keeps `retainedRevisions` of history; compacts in steps of a tenth of that. */
  #maybeCompact(): void {
    const slack = Math.max(100, Math.floor(this.#retain / 10))
    if (this.#rev - this.#compactRev > this.#retain + slack) this.compact(this.#rev - this.#retain)
  }

  // --- leases -------------------------------------------------------------

  grantLease(ttlSeconds: number, id?: number): Lease {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
      throw new StoreError('InvalidArgument', `lease TTL must be a whole number of seconds >= 1, got ${ttlSeconds}`)
    if (id !== undefined && (!Number.isSafeInteger(id) || id < 0))
      throw new StoreError('InvalidArgument', `lease ID must be a non-negative integer, got ${id}`)
    return this.#deps.transact(() => {
      if (id && this.#log.leaseGet(id)) throw new StoreError('InvalidArgument', `lease ${id} already exists`)
      const leaseId = id || this.#log.leaseMaxId() + 1
      const lease = { id: leaseId, ttlSeconds, expiresAt: this.#deps.now() + ttlSeconds * 1000 }
      this.#log.leaseUpsert(lease.id, lease.ttlSeconds, lease.expiresAt)
      this.#deps.schedule(LEASE_TIMER, String(lease.id), lease.expiresAt)
      return lease
    })
  }

  keepAliveLease(id: number): Lease {
    return this.#deps.transact(() => {
      const row = this.#log.leaseGet(id)
      if (!row || row.expires_at <= this.#deps.now()) throw new StoreError('LeaseNotFound', `lease ${id} not found`)
      const lease = { id, ttlSeconds: row.ttl_seconds, expiresAt: this.#deps.now() + row.ttl_seconds * 1000 }
      this.#log.leaseUpsert(id, lease.ttlSeconds, lease.expiresAt)
      this.#deps.schedule(LEASE_TIMER, String(id), lease.expiresAt)
      return lease
    })
  }

  getLease(id: number): Lease | undefined {
    const row = this.#log.leaseGet(id)
    return row ? { id: row.id, ttlSeconds: row.ttl_seconds, expiresAt: row.expires_at } : undefined
  }

  /** Deletes the lease and every key attached to it, in one transaction. */
  revokeLease(id: number): void {
    this.#transact(() => {
      if (!this.#log.leaseGet(id)) throw new StoreError('LeaseNotFound', `lease ${id} not found`)
      for (const row of this.#log.liveWithLease(id)) this.#tombstone(row)
      this.#log.leaseDelete(id)
    })
    this.#deps.cancel(LEASE_TIMER, String(id))
  }

  /** The store's timers; idempotent, so a timer that runs twice does no harm. */
  onTimer(kind: string, key: string): void {
    if (kind === LEASE_TIMER) {
      const lease = this.getLease(Number(key))
      if (!lease) return
      if (lease.expiresAt > this.#deps.now()) this.#deps.schedule(LEASE_TIMER, key, lease.expiresAt)
      else this.revokeLease(lease.id)
    } else if (kind === COMPACT_TIMER) {
      if (!this.compactStep()) this.#deps.schedule(COMPACT_TIMER, '', this.#deps.now())
    }
  }
}

function validateOp(op: TxnOp): void {
  if ('put' in op) {
    validateKey(op.put.key)
    validateValue(op.put.value)
    const lease = op.put.lease ?? 0
    if (!Number.isSafeInteger(lease) || lease < 0)
      throw new StoreError('InvalidArgument', `lease must be a non-negative integer, got ${lease}`)
  } else if ('delete' in op) validateKey(op.delete.key)
  else if ('get' in op) validateKey(op.get.key)
  else throw new StoreError('InvalidArgument', 'transaction operation must be one of put, delete, get')
}

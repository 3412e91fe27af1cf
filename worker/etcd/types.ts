// The backend interface of our etcd: what the API server (and the etcd
// gateway) may ask of the store. Every answer carries the store's current
// revision, as etcd's response header does.

export interface KeyValue {
  key: string
  /** JSON text for Kubernetes objects; any UTF-8 text through the gateway. */
  value: string
  createRevision: number
  modRevision: number
  /** Number of writes since the key was (re)created; 1 after create. */
  version: number
  /** 0 when the key is not attached to a lease. */
  lease: number
}

export type EventType = 'PUT' | 'DELETE'

export interface WatchEvent {
  type: EventType
  /** For DELETE: the key, the tombstone's revision as modRevision, and no value. */
  kv: KeyValue
  /** The value before this event, when there was a live one. */
  prevKv?: KeyValue
}

export interface ListOptions {
  /** Read as of this revision (0 = latest). */
  revision?: number
  /** At most this many keys (0 = no limit). */
  limit?: number
  /** Opaque token from a previous page: pins the revision and the start key. */
  continue?: string
  /** Also count every live key in the range at that revision. */
  count?: boolean
  keysOnly?: boolean
}

export interface ListResult {
  kvs: KeyValue[]
  /** The revision the list was read at: later pages use it too. */
  revision: number
  more: boolean
  /** Token for the next page, when `more`. */
  continue?: string
  count?: number
}

/** [key, end): `end` undefined means the single key `key`. */
export interface KeyRange {
  key: string
  end?: string
}

export type CompareTarget = 'mod' | 'create' | 'version' | 'value'
export type CompareResult = '=' | '!=' | '<' | '>'

/** etcd's Compare, on a single key. A missing key has revisions 0. */
export interface Compare {
  key: string
  target: CompareTarget
  result: CompareResult
  value: number | string
}

export type TxnOp =
  | { put: { key: string; value: string; lease?: number } }
  | { delete: { key: string } }
  | { get: { key: string } }

export interface TxnRequest {
  compare: Compare[]
  success: TxnOp[]
  failure?: TxnOp[]
}

export interface TxnOpResult {
  /** put: the value it replaced; delete: the value it removed; get: the value read. */
  kv?: KeyValue
  /** For put/delete: the revision of the row written (0 when delete found nothing). */
  revision?: number
}

export interface TxnResult {
  succeeded: boolean
  results: TxnOpResult[]
  revision: number
}

export interface Lease {
  id: number
  ttlSeconds: number
  /** Simulated milliseconds. */
  expiresAt: number
}

export interface WatchOptions {
  /** Deliver events with revision >= startRevision; 0 = only future events. */
  startRevision: number
  prevKv?: boolean
}

/** Where a watch delivers. `desiredSize` is a stream's remaining room in events. */
export interface WatchSink {
  desiredSize(): number
  send(events: WatchEvent[], revision: number): void
  close(error?: StoreError): void
}

export interface WatchHandle {
  readonly id: number
  /** Called when the consumer has room again (a stream's pull). */
  pull(): void
  cancel(): void
}

/** The etcd-like store. Every call is synchronous: the Durable Object's SQLite never yields. */
export interface Backend {
  currentRevision(): number
  compactRevision(): number
  get(key: string, revision?: number): { kv: KeyValue | undefined; revision: number }
  list(range: KeyRange, opts?: ListOptions): ListResult
  create(key: string, value: string, lease?: number): KeyValue
  update(key: string, value: string, expectedModRevision: number, lease?: number): KeyValue
  delete(key: string, expectedModRevision?: number): KeyValue
  txn(req: TxnRequest): TxnResult
  /** Delete every live key in the range; returns the removed values. */
  deleteRange(range: KeyRange): { deleted: KeyValue[]; revision: number }
  watch(range: KeyRange, opts: WatchOptions, sink: WatchSink): WatchHandle
  compact(revision: number): void
  grantLease(ttlSeconds: number, id?: number): Lease
  keepAliveLease(id: number): Lease
  revokeLease(id: number): void
  getLease(id: number): Lease | undefined
}

export type StoreErrorCode =
  | 'KeyExists'
  | 'KeyNotFound'
  | 'Conflict'
  | 'Compacted'
  | 'FutureRevision'
  | 'InvalidKey'
  | 'ValueTooLarge'
  | 'InvalidArgument'
  | 'LeaseNotFound'
  | 'WatcherTooSlow'

/** A refusal from the store; nothing was written. */
export class StoreError extends Error {
  override readonly name = 'StoreError'
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** The key's current value, for KeyExists and Conflict (as etcd's failed txn returns it). */
    readonly current?: KeyValue,
    /** For Compacted: the compaction revision. */
    readonly compactRevision?: number,
  ) {
    super(message)
  }
}

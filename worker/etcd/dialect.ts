// The SQLite layer: the queries over the kv log and nothing else. Hot-path SQL is
// kept as constant strings so that SQLite's statement cache reuses the plans.
import { getTableName } from 'drizzle-orm'
import { etcdMeta, kv, leases } from './schema'

const KV = getTableName(kv)
const LEASES = getTableName(leases)
const META = getTableName(etcdMeta)

export interface Row {
  id: number
  name: string
  created: number
  deleted: number
  create_revision: number
  prev_revision: number
  version: number
  lease: number
  value: string | null
}

export interface EventRow extends Row {
  prev_id: number | null
  prev_deleted: number | null
  prev_create_revision: number | null
  prev_version: number | null
  prev_lease: number | null
  prev_value: string | null
}

const COLS = 'id, name, created, deleted, create_revision, prev_revision, version, lease, value'

const SQL = {
  latest: `SELECT ${COLS} FROM ${KV} WHERE name = ? ORDER BY id DESC LIMIT 1`,
  latestAt: `SELECT ${COLS} FROM ${KV} WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`,
  insert: `INSERT INTO ${KV} (id, name, created, deleted, create_revision, prev_revision, version, lease, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // The newest row of each key at the revision, then only the live ones, in key order.
  list: `SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.version, k.lease, k.value
    FROM (SELECT MAX(id) AS id FROM ${KV} WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m
    JOIN ${KV} k ON k.id = m.id WHERE k.deleted = 0 ORDER BY k.name LIMIT ?`,
  listKeys: `SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.version, k.lease, NULL AS value
    FROM (SELECT MAX(id) AS id FROM ${KV} WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m
    JOIN ${KV} k ON k.id = m.id WHERE k.deleted = 0 ORDER BY k.name LIMIT ?`,
  count: `SELECT COUNT(*) AS n FROM (SELECT MAX(id) AS id FROM ${KV} WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m
    JOIN ${KV} k ON k.id = m.id WHERE k.deleted = 0`,
  events: `SELECT c.id, c.name, c.created, c.deleted, c.create_revision, c.prev_revision, c.version, c.lease, c.value,
      p.id AS prev_id, p.deleted AS prev_deleted, p.create_revision AS prev_create_revision,
      p.version AS prev_version, p.lease AS prev_lease, p.value AS prev_value
    FROM ${KV} c LEFT JOIN ${KV} p ON p.id = c.prev_revision
    WHERE c.id >= ? AND c.id <= ? AND c.name >= ? AND c.name < ? ORDER BY c.id LIMIT ?`,
  // Superseded rows whose successor is also at or below the target, and tombstones at or
  // below it. A row superseded after the target stays: it is the value as of the target,
  // and the prevKv of a later event.
  compactVictims: `SELECT p.id FROM ${KV} p JOIN ${KV} c ON c.prev_revision = p.id
      WHERE c.id <= ? AND p.id > ? ORDER BY p.id LIMIT ?`,
  compactTombstones: `SELECT id FROM ${KV} WHERE deleted = 1 AND id <= ? AND id > ? ORDER BY id LIMIT ?`,
  deleteId: `DELETE FROM ${KV} WHERE id = ?`,
  liveWithLease: `SELECT k.${COLS.split(', ').join(', k.')} FROM ${KV} k
    WHERE k.lease = ? AND k.deleted = 0 AND k.id = (SELECT MAX(id) FROM ${KV} WHERE name = k.name)`,
  sequence: `SELECT seq FROM sqlite_sequence WHERE name = '${KV}'`,
  metaGet: `SELECT value FROM ${META} WHERE key = ?`,
  metaSet: `INSERT INTO ${META} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  leaseGet: `SELECT id, ttl_seconds, expires_at FROM ${LEASES} WHERE id = ?`,
  leaseUpsert: `INSERT INTO ${LEASES} (id, ttl_seconds, expires_at) VALUES (?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET ttl_seconds = excluded.ttl_seconds, expires_at = excluded.expires_at`,
  leaseDelete: `DELETE FROM ${LEASES} WHERE id = ?`,
  leaseMaxId: `SELECT MAX(id) AS id FROM ${LEASES}`,
  rowCount: `SELECT COUNT(*) AS n FROM ${KV}`,
} as const

/** The end of the half-open range [prefix, prefixEnd) that holds every key starting with prefix. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
}

export class SqliteLog {
  readonly #sql: SqlStorage
  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  latest(name: string, atRevision?: number): Row | undefined {
    const cursor = atRevision
      ? this.#sql.exec<Row & Record<string, SqlStorageValue>>(SQL.latestAt, name, atRevision)
      : this.#sql.exec<Row & Record<string, SqlStorageValue>>(SQL.latest, name)
    return cursor.toArray()[0]
  }

  insert(row: Row): void {
    this.#sql.exec(
      SQL.insert,
      row.id,
      row.name,
      row.created,
      row.deleted,
      row.create_revision,
      row.prev_revision,
      row.version,
      row.lease,
      row.value,
    )
  }

  list(start: string, end: string, revision: number, limit: number, keysOnly = false): Row[] {
    return this.#sql
      .exec<Row & Record<string, SqlStorageValue>>(
        keysOnly ? SQL.listKeys : SQL.list,
        start,
        end,
        revision,
        limit > 0 ? limit : -1,
      )
      .toArray()
  }

  count(start: string, end: string, revision: number): number {
    return Number(this.#sql.exec(SQL.count, start, end, revision).one().n)
  }

  events(start: string, end: string, fromRevision: number, toRevision: number, limit: number): EventRow[] {
    return this.#sql
      .exec<EventRow & Record<string, SqlStorageValue>>(SQL.events, fromRevision, toRevision, start, end, limit)
      .toArray()
  }

  /** Deletes up to `limit` rows that compaction at `target` makes unreachable, above `after`. */
  compactBatch(target: number, after: number, limit: number): { deleted: number; last: number } {
    const victims = this.#sql.exec<{ id: number }>(SQL.compactVictims, target, after, limit).toArray()
    const tombstones = this.#sql.exec<{ id: number }>(SQL.compactTombstones, target, after, limit).toArray()
    const ids = [...victims, ...tombstones].map((r) => r.id).sort((a, b) => a - b).slice(0, limit)
    for (const id of ids) this.#sql.exec(SQL.deleteId, id)
    return { deleted: ids.length, last: ids.length < limit ? target : ids[ids.length - 1]! }
  }

  liveWithLease(lease: number): Row[] {
    return this.#sql.exec<Row & Record<string, SqlStorageValue>>(SQL.liveWithLease, lease).toArray()
  }

  /** The highest revision ever written (AUTOINCREMENT's counter survives deletes). */
  sequence(): number {
    const row = this.#sql.exec<{ seq: number }>(SQL.sequence).toArray()[0]
    return row ? Number(row.seq) : 0
  }

  rowCount(): number {
    return Number(this.#sql.exec(SQL.rowCount).one().n)
  }

  metaGet(key: string): string | undefined {
    const row = this.#sql.exec<{ value: string }>(SQL.metaGet, key).toArray()[0]
    return row?.value
  }

  metaSet(key: string, value: string): void {
    this.#sql.exec(SQL.metaSet, key, value)
  }

  leaseGet(id: number): { id: number; ttl_seconds: number; expires_at: number } | undefined {
    return this.#sql
      .exec<{ id: number; ttl_seconds: number; expires_at: number }>(SQL.leaseGet, id)
      .toArray()[0]
  }

  leaseUpsert(id: number, ttlSeconds: number, expiresAt: number): void {
    this.#sql.exec(SQL.leaseUpsert, id, ttlSeconds, expiresAt)
  }

  leaseDelete(id: number): void {
    this.#sql.exec(SQL.leaseDelete, id)
  }

  leaseMaxId(): number {
    const row = this.#sql.exec<{ id: number | null }>(SQL.leaseMaxId).one()
    return Number(row.id ?? 0)
  }
}

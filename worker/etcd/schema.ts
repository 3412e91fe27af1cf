// kine's single-table log: every create, update and delete appends a row whose
// id is the new revision. UNIQUE(name, prev_revision) makes a lost race a
// constraint error rather than a silent overwrite.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const kv = sqliteTable(
  'kv',
  {
    // AUTOINCREMENT: a revision is never reused, even after compaction deletes the newest rows.
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    created: integer('created').notNull(),
    deleted: integer('deleted').notNull(),
    createRevision: integer('create_revision').notNull(),
    prevRevision: integer('prev_revision').notNull(),
    version: integer('version').notNull(),
    lease: integer('lease').notNull().default(0),
    // NULL on tombstones; a watcher finds the deleted value through prev_revision.
    value: text('value'),
  },
  (t) => [
    uniqueIndex('kv_name_prev_revision').on(t.name, t.prevRevision),
    index('kv_name_id').on(t.name, t.id),
    index('kv_prev_revision').on(t.prevRevision),
    index('kv_lease').on(t.lease).where(sql`lease <> 0`),
  ],
)

export const leases = sqliteTable('leases', {
  id: integer('id').primaryKey(),
  ttlSeconds: integer('ttl_seconds').notNull(),
  /** Simulated milliseconds since the epoch. */
  expiresAt: integer('expires_at').notNull(),
})

/** Small facts about the store: compact revision, retention. */
export const etcdMeta = sqliteTable('etcd_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
})

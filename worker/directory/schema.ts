// The directory of clusters made through POST /clusters: who made each, its
// shape and pace, and when it expires; and recent creations per client address
// (the open mode's creation rate). One row per cluster: the directory is read
// and written only when clusters are created or deleted, never per API request.
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const clusters = sqliteTable(
  'clusters',
  {
    name: text('name').primaryKey(),
    /** The client address that created it (CF-Connecting-IP; "local" for the local server). */
    creator: text('creator').notNull(),
    nodes: integer('nodes').notNull(),
    speed: real('speed'),
    mode: text('mode').notNull(),
    /** Wall-clock ms. */
    createdAt: integer('created_at').notNull(),
    /** Wall-clock ms; null: never. */
    expiresAt: integer('expires_at'),
  },
  (t) => [index('clusters_creator').on(t.creator), index('clusters_expires_at').on(t.expiresAt)],
)

/** Creations of the last hour, per address; pruned as they age. */
export const creations = sqliteTable(
  'creations',
  {
    name: text('name').notNull(),
    creator: text('creator').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('creations_creator_at').on(t.creator, t.at)],
)

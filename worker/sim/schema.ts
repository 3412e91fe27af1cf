// Timers and the clock's state, shared by the cluster object and node objects.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Many timers multiplexed onto one Durable Object alarm; (kind, key) makes scheduling idempotent. */
export const timers = sqliteTable(
  'timers',
  {
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    /** Simulated milliseconds since the epoch. */
    dueAt: integer('due_at').notNull(),
    payload: text('payload'),
    /** How many times the handler threw; drives the retry backoff. */
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by every schedule, so a run only retires the version it ran. */
    version: integer('version').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] }), index('timers_due_at').on(t.dueAt)],
)

/** What an object keeps about itself across restarts: its clock, its identity. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
})

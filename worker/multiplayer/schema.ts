// Who made each write (attribution), kept beside the etcd log so that a
// subscriber that lists or resumes still sees who last changed each object.
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** The writers' names, interned: an attribution row is then two integers. */
export const liveWriters = sqliteTable(
  'live_writers',
  {
    id: integer('id').primaryKey(),
    /** "kubernetes-admin", "replicaset-controller", "kubelet worker-2", a person's display name… */
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('live_writers_name').on(t.name)],
)

/** One row per attributed write: the store revision it made → its writer. Pruned after compaction. */
export const liveAttribution = sqliteTable('live_attribution', {
  revision: integer('revision').primaryKey(),
  writer: integer('writer').notNull(),
})

// A kubelet's own SQLite: the pods it runs and the images it has pulled.
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** One row per pod on the node; `record` is the kubelet's PodRecord as JSON. */
export const kubeletPods = sqliteTable(
  'kubelet_pods',
  {
    uid: text('uid').primaryKey(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    record: text('record').notNull(),
  },
  (t) => [uniqueIndex('kubelet_pods_name').on(t.namespace, t.name)],
)

/** The node's image cache: what IfNotPresent finds. */
export const kubeletImages = sqliteTable('kubelet_images', {
  digest: text('digest').primaryKey(),
  ref: text('ref').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
})

// The API server's own table: changes waiting to be pushed to the kubelets.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * One row per (node, pod) changed since the node last heard; name '' with
 * namespace '' stands for the Node object itself. `seq` orders the rows, so a
 * push retires only the rows it sent.
 */
export const nodeOutbox = sqliteTable(
  'node_outbox',
  {
    node: text('node').notNull(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.node, t.namespace, t.name] })],
)

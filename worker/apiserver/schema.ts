// The API server's own tables: changes waiting to be pushed to the kubelets and kube-proxies.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

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

/**
 * Services and EndpointSlices changed, for the nodes' kube-proxies: one row per
 * object, whose `seq` a later change moves forward, so the log never holds more
 * rows than objects.
 */
export const proxyChanges = sqliteTable(
  'proxy_changes',
  {
    resource: text('resource').notNull(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.resource, t.namespace, t.name] }),
    index('proxy_changes_seq').on(t.seq),
  ],
)

/** How far each node's kube-proxy has heard (a `seq` of proxy_changes); -1: it must list everything. */
export const proxyCursors = sqliteTable('proxy_cursors', {
  node: text('node').primaryKey(),
  seq: integer('seq').notNull(),
})

// A kubelet's own SQLite: the pods it runs and the images it has pulled.
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

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

// kube-proxy's informer caches, trimmed to what it reads. `stale` marks rows
// not yet seen again during a relist; the relist's last page deletes them.

export const proxyServices = sqliteTable(
  'proxy_services',
  {
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    object: text('object').notNull(),
    stale: integer('stale').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.name] })],
)

export const proxyEndpointSlices = sqliteTable(
  'proxy_endpoint_slices',
  {
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    object: text('object').notNull(),
    stale: integer('stale').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.name] })],
)

/** xt_recent's lists (session affinity): one per KUBE-SEP chain, client → last seen (simulated ms). */
export const proxyRecent = sqliteTable(
  'proxy_recent',
  {
    list: text('list').notNull(),
    client: text('client').notNull(),
    lastSeen: integer('last_seen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.list, t.client] })],
)

/** Packet and byte counters of the rules that counted any; `rule` '' is a built-in chain's policy. */
export const proxyCounters = sqliteTable(
  'proxy_counters',
  {
    tbl: text('tbl').notNull(),
    chain: text('chain').notNull(),
    rule: text('rule').notNull(),
    packets: integer('packets').notNull(),
    bytes: integer('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tbl, t.chain, t.rule] })],
)

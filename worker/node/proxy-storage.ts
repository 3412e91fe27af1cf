// kube-proxy's storage over the node object's SQLite: its Service and
// EndpointSlice caches (trimmed objects as JSON), xt_recent's affinity lists,
// and the rules' counters.
import { getTableName } from 'drizzle-orm'
import type { Settings } from '../sim/settings'
import type { CounterRow, ProxyKind, ProxyStorage } from './proxy/kube-proxy'
import { proxyCounters, proxyEndpointSlices, proxyRecent, proxyServices } from './schema'

type Obj = Record<string, any>

const TABLES: Record<ProxyKind, string> = {
  services: getTableName(proxyServices),
  endpointslices: getTableName(proxyEndpointSlices),
}
const RECENT = getTableName(proxyRecent)
const COUNTERS = getTableName(proxyCounters)
/** xt_recent's ip_list_tot: a list remembers at most this many clients, forgetting the oldest. */
export const RECENT_LIST_SIZE = 200

export class SqliteProxyStorage implements ProxyStorage {
  readonly #sql: SqlStorage
  readonly #settings: Settings

  constructor(sql: SqlStorage, settings: Settings) {
    this.#sql = sql
    this.#settings = settings
  }

  put(kind: ProxyKind, namespace: string, name: string, object: Obj | undefined): void {
    const t = TABLES[kind]
    if (!object)
      this.#sql.exec(`DELETE FROM ${t} WHERE namespace = ? AND name = ?`, namespace, name)
    else
      this.#sql.exec(
        `INSERT INTO ${t} (namespace, name, object, stale) VALUES (?, ?, ?, 0) ON CONFLICT(namespace, name) DO UPDATE SET object = excluded.object, stale = 0`,
        namespace,
        name,
        JSON.stringify(object),
      )
  }

  list(kind: ProxyKind): Obj[] {
    return this.#sql
      .exec<{ object: string }>(`SELECT object FROM ${TABLES[kind]}`)
      .toArray()
      .map((r) => JSON.parse(r.object) as Obj)
  }

  markStale(): void {
    for (const t of Object.values(TABLES)) this.#sql.exec(`UPDATE ${t} SET stale = 1`)
  }

  sweepStale(): void {
    for (const t of Object.values(TABLES)) this.#sql.exec(`DELETE FROM ${t} WHERE stale = 1`)
  }

  readonly recent = {
    lastSeen: (list: string, ip: string): number | undefined => {
      const row = this.#sql
        .exec<{
          last_seen: number
        }>(`SELECT last_seen FROM ${RECENT} WHERE list = ? AND client = ?`, list, ip)
        .toArray()[0]
      return row && Number(row.last_seen)
    },
    set: (list: string, ip: string, now: number): void => {
      this.#sql.exec(
        `INSERT INTO ${RECENT} (list, client, last_seen) VALUES (?, ?, ?) ON CONFLICT(list, client) DO UPDATE SET last_seen = excluded.last_seen`,
        list,
        ip,
        now,
      )
      const n = Number(
        this.#sql.exec(`SELECT COUNT(*) AS n FROM ${RECENT} WHERE list = ?`, list).one().n,
      )
      if (n > RECENT_LIST_SIZE)
        this.#sql.exec(
          `DELETE FROM ${RECENT} WHERE list = ? AND client IN (SELECT client FROM ${RECENT} WHERE list = ? ORDER BY last_seen LIMIT ?)`,
          list,
          list,
          n - RECENT_LIST_SIZE,
        )
    },
    remove: (list: string, ip: string): void => {
      this.#sql.exec(`DELETE FROM ${RECENT} WHERE list = ? AND client = ?`, list, ip)
    },
    lists: (): string[] =>
      this.#sql
        .exec<{ list: string }>(`SELECT DISTINCT list FROM ${RECENT}`)
        .toArray()
        .map((r) => r.list),
    dropList: (list: string): void => {
      this.#sql.exec(`DELETE FROM ${RECENT} WHERE list = ?`, list)
    },
  }

  counters(): CounterRow[] {
    return this.#sql
      .exec<{ tbl: string; chain: string; rule: string; packets: number; bytes: number }>(
        `SELECT tbl, chain, rule, packets, bytes FROM ${COUNTERS}`,
      )
      .toArray()
      .map((r) => ({
        table: r.tbl as CounterRow['table'],
        chain: r.chain,
        rule: r.rule,
        packets: Number(r.packets),
        bytes: Number(r.bytes),
      }))
  }

  addCounters(rows: CounterRow[]): void {
    for (const r of rows)
      this.#sql.exec(
        `INSERT INTO ${COUNTERS} (tbl, chain, rule, packets, bytes) VALUES (?, ?, ?, ?, ?) ON CONFLICT(tbl, chain, rule) DO UPDATE SET packets = packets + excluded.packets, bytes = bytes + excluded.bytes`,
        r.table,
        r.chain,
        r.rule,
        r.packets,
        r.bytes,
      )
  }

  dropCounters(rows: Pick<CounterRow, 'table' | 'chain' | 'rule'>[]): void {
    for (const r of rows)
      this.#sql.exec(
        `DELETE FROM ${COUNTERS} WHERE tbl = ? AND chain = ? AND rule = ?`,
        r.table,
        r.chain,
        r.rule,
      )
  }

  clear(): void {
    for (const t of [...Object.values(TABLES), RECENT, COUNTERS]) this.#sql.exec(`DELETE FROM ${t}`)
  }

  get<T>(key: string): T | undefined {
    return this.#settings.get<T>(key)
  }

  set(key: string, value: unknown): void {
    this.#settings.set(key, value)
  }
}

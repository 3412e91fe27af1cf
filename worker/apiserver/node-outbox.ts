// What each kubelet has yet to hear: pods bound to it that changed, and its
// own Node. Rows in SQLite, so a push that fails (or an object that restarts)
// loses nothing; a push retires only the rows it sent.
import { getTableName } from 'drizzle-orm'
import { nodeOutbox } from './schema'

const T = getTableName(nodeOutbox)

export interface OutboxEntry {
  node: string
  namespace: string
  name: string
  seq: number
}

/** The Node itself, rather than one of its pods. */
export const NODE_ENTRY = ''

export class NodeOutbox {
  readonly #sql: SqlStorage
  #seq: number

  constructor(sql: SqlStorage) {
    this.#sql = sql
    this.#seq = Number(
      sql.exec<{ s: number | null }>(`SELECT MAX(seq) AS s FROM ${T}`).one().s ?? 0,
    )
  }

  add(node: string, namespace: string, name: string): void {
    this.#sql.exec(
      `INSERT INTO ${T} (node, namespace, name, seq) VALUES (?, ?, ?, ?) ON CONFLICT(node, namespace, name) DO UPDATE SET seq = excluded.seq`,
      node,
      namespace,
      name,
      ++this.#seq,
    )
  }

  get size(): number {
    return Number(this.#sql.exec(`SELECT COUNT(*) AS n FROM ${T}`).one().n)
  }

  nodes(limit = 100): string[] {
    return this.#sql
      .exec<{ node: string }>(`SELECT DISTINCT node FROM ${T} LIMIT ?`, limit)
      .toArray()
      .map((r) => r.node)
  }

  entries(node: string, limit = 500): OutboxEntry[] {
    return this.#sql
      .exec<{ node: string; namespace: string; name: string; seq: number }>(
        `SELECT node, namespace, name, seq FROM ${T} WHERE node = ? ORDER BY seq LIMIT ?`,
        node,
        limit,
      )
      .toArray()
      .map((r) => ({ ...r, seq: Number(r.seq) }))
  }

  /** Retires what was sent, unless it changed again meanwhile (a newer seq). */
  done(sent: OutboxEntry[]): void {
    for (const e of sent)
      this.#sql.exec(
        `DELETE FROM ${T} WHERE node = ? AND namespace = ? AND name = ? AND seq = ?`,
        e.node,
        e.namespace,
        e.name,
        e.seq,
      )
  }

  drop(node: string): void {
    this.#sql.exec(`DELETE FROM ${T} WHERE node = ?`, node)
  }
}

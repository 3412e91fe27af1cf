// The participants table (schema.ts) in the cluster's SQLite: plain queries only.
import { getTableName } from 'drizzle-orm'
import { participants } from './schema'

const T = getTableName(participants)

export interface ParticipantRow {
  tokenHash: string
  username: string
  displayName: string
  namespace: string
  createdAt: number
  revokedAt: number | null
}

/** What a leader sees of a participant (never the token's digest). */
export interface ParticipantView {
  username: string
  displayName: string
  namespace: string
  createdAt: string
  revoked: boolean
  revokedAt?: string
}

type Row = { token_hash: string; username: string; display_name: string; namespace: string; created_at: number; revoked_at: number | null }
const fromRow = (r: Row): ParticipantRow => ({
  tokenHash: r.token_hash,
  username: r.username,
  displayName: r.display_name,
  namespace: r.namespace,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
})

export function viewOf(p: ParticipantRow): ParticipantView {
  const v: ParticipantView = { username: p.username, displayName: p.displayName, namespace: p.namespace, createdAt: new Date(p.createdAt).toISOString(), revoked: p.revokedAt !== null }
  if (p.revokedAt !== null) v.revokedAt = new Date(p.revokedAt).toISOString()
  return v
}

export class Participants {
  readonly #sql: SqlStorage
  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  /** The participant holding a token with this digest, unless revoked. */
  active(tokenHash: string): ParticipantRow | undefined {
    const r = this.#sql.exec<Row>(`SELECT * FROM ${T} WHERE token_hash = ? AND revoked_at IS NULL`, tokenHash).toArray()[0]
    return r ? fromRow(r) : undefined
  }

  byUsername(username: string): ParticipantRow | undefined {
    const r = this.#sql.exec<Row>(`SELECT * FROM ${T} WHERE username = ?`, username).toArray()[0]
    return r ? fromRow(r) : undefined
  }

  list(): ParticipantRow[] {
    return this.#sql.exec<Row>(`SELECT * FROM ${T} ORDER BY created_at, username`).toArray().map(fromRow)
  }

  count(): number {
    return this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${T}`).one().n
  }

  add(p: ParticipantRow): void {
    this.#sql.exec(
      `INSERT INTO ${T} (token_hash, username, display_name, namespace, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)`,
      p.tokenHash,
      p.username,
      p.displayName,
      p.namespace,
      p.createdAt,
      p.revokedAt,
    )
  }

  /** Marks the participant's token revoked; undefined if there is no such participant. */
  revoke(username: string, now: number): ParticipantRow | undefined {
    this.#sql.exec(`UPDATE ${T} SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL`, now, username)
    return this.byUsername(username)
  }
}

// A Durable Object's small facts about itself (its clock, its identity), as JSON rows.
import { getTableName } from 'drizzle-orm'
import { settings } from './schema'

const S = getTableName(settings)

export class Settings {
  readonly #sql: SqlStorage
  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  get<T>(key: string): T | undefined {
    const row = this.#sql.exec<{ value: string }>(`SELECT value FROM ${S} WHERE key = ?`, key).toArray()[0]
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  set(key: string, value: unknown): void {
    this.#sql.exec(
      `INSERT INTO ${S} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      key,
      JSON.stringify(value),
    )
  }
}

/** True once an object's tables exist: a name nobody created has none, and gets none. */
export function hasTables(sql: SqlStorage): boolean {
  return sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, S).toArray().length > 0
}

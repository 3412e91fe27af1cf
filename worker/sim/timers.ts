// Many timers on one Durable Object alarm. Timers are rows (kind, key, due_at)
// in SQLite, so they survive restarts; scheduling the same (kind, key) again
// moves it. The alarm is set to the earliest due timer, converted from
// simulated to wall time by the clock.
import { getTableName } from 'drizzle-orm'
import type { Clock } from './clock'
import { timers } from './schema'

const T = getTableName(timers)
const SQL = {
  upsert: `INSERT INTO ${T} (kind, key, due_at, payload, attempts, version) VALUES (?, ?, ?, ?, 0, 0)
    ON CONFLICT(kind, key) DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload,
      attempts = 0, version = version + 1`,
  cancel: `DELETE FROM ${T} WHERE kind = ? AND key = ?`,
  // Only the version that ran: a handler may have rescheduled its own timer.
  done: `DELETE FROM ${T} WHERE kind = ? AND key = ? AND version = ?`,
  retry: `UPDATE ${T} SET due_at = ?, attempts = attempts + 1, version = version + 1
    WHERE kind = ? AND key = ? AND version = ?`,
  due: `SELECT kind, key, due_at, payload, attempts, version FROM ${T} WHERE due_at <= ? ORDER BY due_at, kind, key LIMIT ?`,
  next: `SELECT MIN(due_at) AS due_at FROM ${T}`,
  count: `SELECT COUNT(*) AS n FROM ${T}`,
  get: `SELECT kind, key, due_at, payload, attempts, version FROM ${T} WHERE kind = ? AND key = ?`,
} as const

export interface Timer {
  kind: string
  key: string
  dueAt: number
  payload: string | null
  attempts: number
  version: number
}

export type TimerHandler = (timer: Timer) => void | Promise<void>

/** Retry delay (simulated ms) after a handler threw `attempts` times: 1 s doubling to 5 min. */
export function retryDelay(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 300_000)
}

export interface RunReport {
  ran: number
  failed: number
  /** True when due timers were left for the next alarm (the slice's budget ran out). */
  more: boolean
}

export class TimerQueue {
  readonly #sql: SqlStorage
  readonly #handlers = new Map<string, TimerHandler>()
  /** Set when the earliest timer may have moved: the alarm needs re-arming. */
  dirty = false

  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  on(kind: string, handler: TimerHandler): void {
    this.#handlers.set(kind, handler)
  }

  schedule(kind: string, key: string, dueAt: number, payload?: string): void {
    this.#sql.exec(SQL.upsert, kind, key, Math.floor(dueAt), payload ?? null)
    this.dirty = true
  }

  cancel(kind: string, key: string): void {
    this.#sql.exec(SQL.cancel, kind, key)
    this.dirty = true
  }

  get(kind: string, key: string): Timer | undefined {
    const r = this.#sql.exec<RawTimer>(SQL.get, kind, key).toArray()[0]
    return r && fromRaw(r)
  }

  nextDue(): number | undefined {
    const row = this.#sql.exec<{ due_at: number | null }>(SQL.next).one()
    return row.due_at ?? undefined
  }

  count(): number {
    return Number(this.#sql.exec(SQL.count).one().n)
  }

  /**
   * Runs the timers due at `now`, earliest first, within a budget of timers and
   * wall time. A handler that throws keeps its timer, retried later with backoff;
   * the others still run.
   */
  async runDue(now: number, opts: { maxTimers?: number; maxWallMs?: number; wall?: () => number } = {}): Promise<RunReport> {
    const maxTimers = opts.maxTimers ?? 500
    const maxWallMs = opts.maxWallMs ?? 5_000
    const wall = opts.wall ?? (() => Date.now())
    const started = wall()
    const report: RunReport = { ran: 0, failed: 0, more: false }
    const due = this.#sql.exec<RawTimer>(SQL.due, now, maxTimers + 1).toArray().map(fromRaw)
    if (due.length > maxTimers) {
      due.length = maxTimers
      report.more = true
    }
    for (const [i, t] of due.entries()) {
      if (wall() - started > maxWallMs) {
        report.more = i < due.length || report.more
        break
      }
      const handler = this.#handlers.get(t.kind)
      try {
        if (!handler) throw new Error(`no handler for timer kind ${t.kind}`)
        await handler(t)
        this.#sql.exec(SQL.done, t.kind, t.key, t.version)
        report.ran++
      } catch (err) {
        report.failed++
        console.error('timer failed', { kind: t.kind, key: t.key, attempts: t.attempts + 1, error: String(err) })
        this.#sql.exec(SQL.retry, now + retryDelay(t.attempts), t.kind, t.key, t.version)
      }
    }
    return report
  }
}

/** Sets the object's single alarm to the earliest timer, in wall time. */
export async function armAlarm(storage: DurableObjectStorage, queue: TimerQueue, clock: Clock): Promise<void> {
  queue.dirty = false
  const next = queue.nextDue()
  const delay = next === undefined ? Infinity : clock.wallDelayUntil(next)
  if (delay === Infinity) {
    await storage.deleteAlarm()
    return
  }
  const at = clock.wallNow() + delay
  const current = await storage.getAlarm()
  if (current !== at) await storage.setAlarm(at)
}

interface RawTimer extends Record<string, SqlStorageValue> {
  kind: string
  key: string
  due_at: number
  payload: string | null
  attempts: number
  version: number
}

function fromRaw(r: RawTimer): Timer {
  return { kind: r.kind, key: r.key, dueAt: Number(r.due_at), payload: r.payload, attempts: Number(r.attempts), version: Number(r.version) }
}

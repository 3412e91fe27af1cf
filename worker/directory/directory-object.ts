// The directory of clusters: one Durable Object for the whole deployment.
// Why an object and not D1: nothing to provision for `wrangler dev` or deploy,
// one strongly consistent writer (a name is taken once, a creator's count is
// exact), and an alarm to delete expired clusters. It is small and touched only
// when clusters are created or deleted, never per API request. Times are wall
// clock: a cluster's life is real hours, whatever its simulated pace.
import { DurableObject } from 'cloudflare:workers'
import { getTableName } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/directory/migrations.js'
import { alreadyExists, type Status } from '../apiserver/status'
import type { Env } from '../env'
import { systemWall, type WallSource } from '../sim/clock'
import { admitCreation, HOUR_MS } from './admit'
import { clusters, creations } from './schema'

const C = getTableName(clusters)
const N = getTableName(creations)
/** The one directory object's name. */
export const DIRECTORY_NAME = 'directory'
/** A failed expiry is tried again this much later. */
const RETRY_MS = 60_000

export interface Registration {
  name: string
  creator: string
  nodes: number
  speed?: number
  mode: string
  /** Wall ms; null: never. */
  expiresAt: number | null
  maxClusters: number
  /** Creations per hour per creator; 0: unlimited. */
  perHour: number
}

export type RegisterResult = { ok: true } | { ok: false; status: Status; retryAfterSeconds?: number }

export interface DirectoryEntry {
  name: string
  creator: string
  nodes: number
  speed: number | null
  mode: string
  createdAt: number
  expiresAt: number | null
}

type Row = { name: string; creator: string; nodes: number; speed: number | null; mode: string; created_at: number; expires_at: number | null }

export class DirectoryDO extends DurableObject<Env> {
  /** Wall time; tests replace it. */
  wall: WallSource = systemWall

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => migrate(drizzle(ctx.storage), migrations))
  }

  #sql() {
    return this.ctx.storage.sql
  }

  /** Takes the name for the creator, or says why not; nothing is written when refused. */
  async register(r: Registration): Promise<RegisterResult> {
    const sql = this.#sql()
    const now = this.wall()
    if (sql.exec(`SELECT 1 FROM ${C} WHERE name = ?`, r.name).toArray().length) return { ok: false, status: alreadyExists('clusters', r.name) }
    const theirs = sql.exec<{ expires_at: number | null }>(`SELECT expires_at FROM ${C} WHERE creator = ?`, r.creator).toArray()
    const recent = sql.exec<{ at: number }>(`SELECT at FROM ${N} WHERE creator = ? AND at > ?`, r.creator, now - HOUR_MS).toArray()
    const refused = admitCreation({
      creator: r.creator,
      clusters: theirs.map((t) => t.expires_at),
      recent: recent.map((t) => t.at),
      now,
      maxClusters: r.maxClusters,
      perHour: r.perHour,
    })
    if (refused) return { ok: false, ...refused }
    this.ctx.storage.transactionSync(() => {
      sql.exec(`DELETE FROM ${N} WHERE at <= ?`, now - HOUR_MS)
      sql.exec(
        `INSERT INTO ${C} (name, creator, nodes, speed, mode, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        r.name,
        r.creator,
        r.nodes,
        r.speed ?? null,
        r.mode,
        now,
        r.expiresAt,
      )
      sql.exec(`INSERT INTO ${N} (name, creator, at) VALUES (?, ?, ?)`, r.name, r.creator, now)
    })
    await this.#arm()
    return { ok: true }
  }

  /** Forgets a cluster: its creation failed (the name and the hour's count are given back) or it was deleted. */
  async release(name: string, failed = false): Promise<boolean> {
    const sql = this.#sql()
    const had = sql.exec(`SELECT 1 FROM ${C} WHERE name = ?`, name).toArray().length > 0
    sql.exec(`DELETE FROM ${C} WHERE name = ?`, name)
    if (failed) sql.exec(`DELETE FROM ${N} WHERE name = ?`, name)
    await this.#arm()
    return had
  }

  async get(name: string): Promise<DirectoryEntry | undefined> {
    const r = this.#sql().exec<Row>(`SELECT * FROM ${C} WHERE name = ?`, name).toArray()[0]
    return r && { name: r.name, creator: r.creator, nodes: r.nodes, speed: r.speed, mode: r.mode, createdAt: r.created_at, expiresAt: r.expires_at }
  }

  /** Deletes every expired cluster, then sleeps until the next expiry. */
  override async alarm(): Promise<void> {
    const now = this.wall()
    const due = this.#sql().exec<{ name: string }>(`SELECT name FROM ${C} WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at`, now).toArray()
    let failed = false
    for (const { name } of due) {
      try {
        await this.env.CLUSTER.getByName(name).destroy()
        this.#sql().exec(`DELETE FROM ${C} WHERE name = ?`, name)
      } catch (err) {
        console.error('directory: expiring cluster failed', { name, error: String(err) })
        failed = true
      }
    }
    await this.#arm(failed ? now + RETRY_MS : undefined)
  }

  /** The alarm at the earliest expiry (or sooner, to retry). */
  async #arm(retryAt?: number): Promise<void> {
    const next = this.#sql().exec<{ t: number | null }>(`SELECT min(expires_at) AS t FROM ${C} WHERE expires_at IS NOT NULL`).one().t
    const at = Math.min(next ?? Infinity, retryAt ?? Infinity)
    if (at === Infinity) await this.ctx.storage.deleteAlarm()
    else await this.ctx.storage.setAlarm(at)
  }
}

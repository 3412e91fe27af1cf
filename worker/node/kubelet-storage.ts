// The kubelet's storage over the node object's SQLite: one row per pod (its
// record as JSON), the image cache, and small settings.
import { getTableName } from 'drizzle-orm'
import type { Settings } from '../sim/settings'
import type { KubeletStorage } from './kubelet/kubelet'
import type { PodRecord } from './kubelet/pod-record'
import { kubeletImages, kubeletPods } from './schema'

const P = getTableName(kubeletPods)
const I = getTableName(kubeletImages)

export class SqliteKubeletStorage implements KubeletStorage {
  readonly #sql: SqlStorage
  readonly #settings: Settings

  constructor(sql: SqlStorage, settings: Settings) {
    this.#sql = sql
    this.#settings = settings
  }

  pod(uid: string): PodRecord | undefined {
    const row = this.#sql
      .exec<{ record: string }>(`SELECT record FROM ${P} WHERE uid = ?`, uid)
      .toArray()[0]
    return row && (JSON.parse(row.record) as PodRecord)
  }

  podByName(namespace: string, name: string): PodRecord | undefined {
    const row = this.#sql
      .exec<{
        record: string
      }>(`SELECT record FROM ${P} WHERE namespace = ? AND name = ?`, namespace, name)
      .toArray()[0]
    return row && (JSON.parse(row.record) as PodRecord)
  }

  pods(): PodRecord[] {
    return this.#sql
      .exec<{ record: string }>(`SELECT record FROM ${P}`)
      .toArray()
      .map((r) => JSON.parse(r.record) as PodRecord)
  }

  putPod(rec: PodRecord): void {
    // A namesake with another uid is a replaced pod: the new one takes the name.
    this.#sql.exec(
      `DELETE FROM ${P} WHERE namespace = ? AND name = ? AND uid != ?`,
      rec.namespace,
      rec.name,
      rec.uid,
    )
    this.#sql.exec(
      `INSERT INTO ${P} (uid, namespace, name, record) VALUES (?, ?, ?, ?) ON CONFLICT(uid) DO UPDATE SET record = excluded.record`,
      rec.uid,
      rec.namespace,
      rec.name,
      JSON.stringify(rec),
    )
  }

  deletePod(uid: string): void {
    this.#sql.exec(`DELETE FROM ${P} WHERE uid = ?`, uid)
  }

  readonly images = {
    has: (digest: string) =>
      this.#sql.exec(`SELECT 1 FROM ${I} WHERE digest = ?`, digest).toArray().length > 0,
    add: (image: { ref: string; digest: string; sizeBytes: number }) => {
      this.#sql.exec(
        `INSERT INTO ${I} (digest, ref, size_bytes) VALUES (?, ?, ?) ON CONFLICT(digest) DO UPDATE SET ref = excluded.ref`,
        image.digest,
        image.ref,
        image.sizeBytes,
      )
    },
    list: () =>
      this.#sql
        .exec<{ digest: string; ref: string; size_bytes: number }>(
          `SELECT digest, ref, size_bytes FROM ${I} ORDER BY size_bytes DESC`,
        )
        .toArray()
        .map((r) => ({ digest: r.digest, ref: r.ref, sizeBytes: Number(r.size_bytes) })),
  }

  get<T>(key: string): T | undefined {
    return this.#settings.get<T>(key)
  }

  set(key: string, value: unknown): void {
    this.#settings.set(key, value)
  }
}

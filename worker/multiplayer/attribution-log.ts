// The last writer of each object revision, in SQLite: revision → writer (an
// interned name). Live subscribers hear `by` as writes happen; this table is
// for those that list or resume later. A row is kept while a reader could
// still ask for its revision: while it is the latest of a live key, or newer
// than the compaction. Pruning is sliced, like the store's own compaction.

/** Attribution rows looked at per prune slice. */
export const PRUNE_BATCH = 2_000
/** SQLite's limit of bound parameters is 100 per statement on Durable Objects. */
const LOOKUP_BATCH = 90

const SQL = {
  writers: 'SELECT id, name FROM live_writers',
  addWriter: 'INSERT INTO live_writers (name) VALUES (?) RETURNING id',
  record: 'INSERT OR REPLACE INTO live_attribution (revision, writer) VALUES (?, ?)',
  lookup: (n: number) => `SELECT revision, writer FROM live_attribution WHERE revision IN (${Array(n).fill('?').join(',')})`,
  sliceEnd: 'SELECT revision FROM live_attribution WHERE revision > ? AND revision <= ? ORDER BY revision LIMIT 1 OFFSET ?',
  // Obsolete: no longer a live row of the log, or superseded by a write at or below the compaction.
  prune: `DELETE FROM live_attribution WHERE revision > ? AND revision <= ? AND NOT EXISTS (
    SELECT 1 FROM kv k WHERE k.id = live_attribution.revision AND k.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM kv n WHERE n.prev_revision = k.id AND n.id <= ?))`,
  count: 'SELECT count(*) AS n FROM live_attribution',
}

export class AttributionLog {
  readonly #sql: SqlStorage
  readonly #ids = new Map<string, number>()
  readonly #names = new Map<number, string>()
  /** The compaction revision a finished prune pass covered, and the pass in progress. */
  #prunedFor = 0
  #pass: { target: number; cursor: number } | undefined

  constructor(sql: SqlStorage) {
    this.#sql = sql
    for (const r of sql.exec<{ id: number; name: string }>(SQL.writers)) this.#remember(r.id, r.name)
  }

  #remember(id: number, name: string): void {
    this.#ids.set(name, id)
    this.#names.set(id, name)
  }

  #intern(name: string): number {
    const known = this.#ids.get(name)
    if (known !== undefined) return known
    const id = this.#sql.exec<{ id: number }>(SQL.addWriter, name).one().id
    this.#remember(id, name)
    return id
  }

  /** Remembers that the write at `revision` was made by `by`. */
  record(revision: number, by: string): void {
    this.#sql.exec(SQL.record, revision, this.#intern(by))
  }

  /** The writers of these revisions, where known. */
  writersOf(revisions: Iterable<number>): Map<number, string> {
    const wanted = [...new Set(revisions)]
    const out = new Map<number, string>()
    for (let i = 0; i < wanted.length; i += LOOKUP_BATCH) {
      const part = wanted.slice(i, i + LOOKUP_BATCH)
      for (const r of this.#sql.exec<{ revision: number; writer: number }>(SQL.lookup(part.length), ...part)) {
        const name = this.#names.get(r.writer)
        if (name !== undefined) out.set(r.revision, name)
      }
    }
    return out
  }

  /** Whether a prune pass is owed for this compaction revision. */
  needsPrune(compactRevision: number): boolean {
    return compactRevision > this.#prunedFor
  }

  /**
   * One slice of pruning for the store's compaction at `compactRevision`.
   * Returns true when the pass is complete. Each pass scans from the start, as
   * rows of objects still live stay below the compaction until superseded.
   */
  pruneStep(compactRevision: number, batch = PRUNE_BATCH): boolean {
    if (!this.needsPrune(compactRevision)) return true
    if (!this.#pass || this.#pass.target !== compactRevision) this.#pass = { target: compactRevision, cursor: 0 }
    const { cursor } = this.#pass
    const end = this.#sql.exec<{ revision: number }>(SQL.sliceEnd, cursor, compactRevision, batch - 1).toArray()[0]?.revision ?? compactRevision
    this.#sql.exec(SQL.prune, cursor, end, compactRevision)
    if (end >= compactRevision) {
      this.#prunedFor = compactRevision
      this.#pass = undefined
      return true
    }
    this.#pass.cursor = end
    return false
  }

  /** Rows kept (for tests and the benchmarks). */
  size(): number {
    return Number(this.#sql.exec<{ n: number }>(SQL.count).one().n)
  }
}

// kubectl's human-readable printer of server-side Tables (cli-runtime
// printers/tableprinter.go): upper-cased headers, priority-0 columns unless
// wide, NAMESPACE first with -A, LABELS or -L columns last, kind/name with
// several kinds, headers once per column set (so watch rows follow the list).
import type { Obj } from '../types'

export interface TableOptions {
  noHeaders?: boolean
  wide?: boolean
  withNamespace?: boolean
  showLabels?: boolean
  /** -L keys: one column each. */
  columnLabels?: string[]
  /** "deployment.apps": printed before each name (several kinds at once). */
  kindPrefix?: string
}

export const escapeTerminal = (s: string) => s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r')

/** labels.FormatLabels: sorted k=v pairs, or <none>. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort()
  if (!keys.length) return '<none>'
  return keys.map((k) => `${k}=${labels![k]}`).join(',')
}

/** fmt.Sprint of a decoded JSON value (nil as <nil>, maps as map[k:v]). */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map((x) => goSprint(x)).join(' ')}]`
  return `map[${Object.keys(v as Obj)
    .sort()
    .map((k) => `${k}:${goSprint((v as Obj)[k])}`)
    .join(' ')}]`
}

/** A Table cell as printTable writes it: strings cut at a line break (with ...), nil as nothing. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') {
    const cut = v.search(/[\f\n\r]/)
    return cut >= 0 ? escapeTerminal(v.slice(0, cut)) + '...' : escapeTerminal(v)
  }
  return escapeTerminal(goSprint(v))
}

const sameColumns = (a: Obj[] | undefined, b: Obj[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? [])

/** One printer per kind being printed; it remembers the columns it printed headers for. */
export class TablePrinter {
  #lastColumns: Obj[] | undefined
  #printedHeaders = false

  constructor(readonly opts: TableOptions) {}

  /** The tab-separated text of a Table (feed it to a TabWriter); eventType prefixes an EVENT column. */
  print(table: Obj, eventType?: string): string {
    const o = { ...this.opts }
    let columns: Obj[] = table.columnDefinitions ?? []
    if (this.#printedHeaders && (!columns.length || sameColumns(columns, this.#lastColumns))) o.noHeaders = true
    if (!columns.length) columns = this.#lastColumns ?? []
    else if (!sameColumns(columns, this.#lastColumns)) {
      this.#lastColumns = columns
      this.#printedHeaders = false
    }
    const rows: Obj[] = table.rows ?? []
    if (rows.length) this.#printedHeaders = true
    const shown = (c: Obj) => o.wide || !c.priority
    const headers: string[] = []
    if (eventType !== undefined) headers.push('EVENT')
    if (o.withNamespace) headers.push('NAMESPACE')
    for (const c of columns) if (shown(c)) headers.push(String(c.name).toUpperCase())
    for (const l of o.columnLabels ?? []) headers.push(l.split('/').pop()!.toUpperCase())
    if (o.showLabels) headers.push('LABELS')
    let out = ''
    if (!o.noHeaders) {
      if (!rows.length) return ''
      out += headers.join('\t') + '\n'
    }
    const nameColumn = o.kindPrefix ? columns.findIndex((c) => c.format === 'name' && c.type === 'string') : -1
    for (const row of rows) {
      const meta: Obj | undefined = row.object?.metadata
      const cells: string[] = []
      if (eventType !== undefined) cells.push(formatEventType(eventType))
      if (o.withNamespace) cells.push(meta?.namespace ?? '')
      const raw: unknown[] = row.cells ?? []
      raw.slice(0, columns.length).forEach((v, i) => {
        if (!shown(columns[i]!)) return
        cells.push(cellText(i === nameColumn ? `${o.kindPrefix}/${cellText(v)}` : v))
      })
      for (const l of o.columnLabels ?? []) cells.push(meta?.labels?.[l] ?? '')
      if (o.showLabels) cells.push(meta ? formatLabels(meta.labels) : '')
      out += cells.join('\t') + '\n'
    }
    return out
  }
}

const EVENT_TYPES: Record<string, string> = { ADDED: 'ADDED   ', MODIFIED: 'MODIFIED', DELETED: 'DELETED ', ERROR: 'ERROR   ' }
export const formatEventType = (t: string) => EVENT_TYPES[t] ?? t

// kubectl get (kubectl/pkg/cmd/get/get.go): the server's Tables printed with
// kubectl's table printer, or -o yaml|json|name|jsonpath|custom-columns over
// plain objects; several kinds at once, -A, selectors, --show-labels, -L,
// --sort-by, --ignore-not-found, and -w streaming (get-watch.ts).
import type { Flags, FlagSpec } from './args'
import { buildTargets, fetchObjects, type Target } from './builder'
import { kindName, TABLE_ACCEPT } from './client'
import type { Command, Ctx } from './context'
import { AggregateError, CmdError, isNotFound, usageError } from './errors'
import { watchTargets } from './get-watch'
import { JsonPath, relaxedJsonPath } from './printers/jsonpath'
import { genericPrinter } from './printers/output'
import { TablePrinter } from './printers/table'
import { GET_TABWRITER, TabWriter } from './printers/tabwriter'
import type { Obj } from './types'
import { cmp, tryQuantity } from './util/quantity'

export const PRINT_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string' },
  { name: 'show-labels', type: 'bool' },
  { name: 'label-columns', short: 'L', type: 'strings' },
  { name: 'no-headers', type: 'bool' },
  { name: 'show-kind', type: 'bool' },
  { name: 'sort-by', type: 'string' },
  { name: 'show-managed-fields', type: 'bool' },
  { name: 'allow-missing-template-keys', type: 'bool', default: true },
  { name: 'template', type: 'string' },
]

const GET_FLAGS: FlagSpec[] = [
  ...PRINT_FLAGS,
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'field-selector', type: 'string' },
  { name: 'watch', short: 'w', type: 'bool' },
  { name: 'watch-only', type: 'bool' },
  { name: 'output-watch-events', type: 'bool' },
  { name: 'ignore-not-found', type: 'bool' },
  { name: 'filename', short: 'f', type: 'stringArray' },
  { name: 'recursive', short: 'R', type: 'bool' },
  { name: 'kustomize', short: 'k', type: 'string' },
  { name: 'chunk-size', type: 'int', default: 500 },
  { name: 'server-print', type: 'bool', default: true },
  { name: 'raw', type: 'string' },
  { name: 'subresource', type: 'string' },
]

/** Managed fields are hidden unless asked for (printers/managedfields.go). */
export function stripManagedFields(o: Obj, keep: boolean): Obj {
  if (keep || !o.metadata?.managedFields) return o
  const { managedFields: _m, ...metadata } = o.metadata
  return { ...o, metadata }
}

export interface GetOptions {
  output: string
  wide: boolean
  allNamespaces: boolean
  showLabels: boolean
  labelColumns: string[]
  noHeaders: boolean
  showKind: boolean
  sortBy: string
  ignoreNotFound: boolean
  showManagedFields: boolean
}

export const getOptions = (flags: Flags): GetOptions => ({
  output: flags.string('output'),
  wide: flags.string('output') === 'wide',
  allNamespaces: flags.bool('all-namespaces'),
  showLabels: flags.bool('show-labels'),
  labelColumns: flags.strings('label-columns'),
  noHeaders: flags.bool('no-headers'),
  showKind: flags.bool('show-kind'),
  sortBy: flags.string('sort-by'),
  ignoreNotFound: flags.bool('ignore-not-found'),
  showManagedFields: flags.bool('show-managed-fields'),
})

/** Fetches a target's Table (lists follow continue tokens; rows merged). */
export async function fetchTable(ctx: Ctx, t: Target, includeObject?: string): Promise<Obj> {
  const accept = TABLE_ACCEPT
  if (t.name !== undefined) return ctx.client.get(ctx.client.path(t.r, t.namespace, t.name), { includeObject }, accept)
  let table: Obj | undefined
  let cont: string | undefined
  do {
    const page = await ctx.client.get(ctx.client.path(t.r, t.namespace), { labelSelector: t.labelSelector, fieldSelector: t.fieldSelector, limit: 500, continue: cont, includeObject }, accept)
    if (!table) table = page
    else table.rows = [...(table.rows ?? []), ...(page.rows ?? [])]
    cont = page.metadata?.continue || undefined
  } while (cont)
  return table!
}

/** kubectl's TableSorter: rows ordered by a JSONPath over each row's object. */
function sortRows(table: Obj, field: string): void {
  const jp = new JsonPath(relaxedJsonPath(field))
  const rows: Obj[] = table.rows ?? []
  const keyed = rows.map((row) => ({ row, v: jp.find(row.object ?? {})[0]?.[0] }))
  if (rows.length && keyed.every((k) => k.v === undefined)) throw new CmdError(`couldn't find any field with path "${relaxedJsonPath(field)}" in the list of objects`)
  const less = (a: unknown, b: unknown): boolean => {
    if (a === undefined) return true
    if (b === undefined) return false
    if (typeof a === 'number' && typeof b === 'number') return a < b
    if (typeof a === 'string' && typeof b === 'string') {
      const qa = tryQuantity(a)
      const qb = tryQuantity(b)
      return qa && qb ? cmp(qa, qb) < 0 : a < b
    }
    return false
  }
  keyed.sort((x, y) => (less(x.v, y.v) ? -1 : less(y.v, x.v) ? 1 : 0))
  table.rows = keyed.map((k) => k.row)
}

async function printTables(ctx: Ctx, targets: Target[], o: GetOptions): Promise<number> {
  const errors: unknown[] = []
  const infos: { t: Target; table: Obj }[] = []
  for (const t of targets) {
    try {
      infos.push({ t, table: await fetchTable(ctx, t, o.sortBy ? 'Object' : undefined) })
    } catch (err) {
      if (o.ignoreNotFound && isNotFound(err)) continue
      errors.push(err)
    }
  }
  const kinds = new Set(infos.map((i) => `${i.t.r.group}/${i.t.r.version}/${i.t.r.kind}`))
  const withKind = o.showKind || kinds.size > 1
  const w = new TabWriter(GET_TABWRITER)
  let out = ''
  let written = 0
  let separator = false
  let last: string | undefined
  let printer: TablePrinter | undefined
  let allNamespaced = !o.allNamespaces
  for (const { t, table } of infos) {
    allNamespaced = allNamespaced && t.r.namespaced
    const key = `${t.r.group}/${t.r.resource}`
    if (!printer || key !== last) {
      w.flush()
      const chunk = w.take()
      out += chunk
      written += chunk.length
      w.setRememberedWidths([])
      if (last !== undefined && !o.noHeaders && written > 0) separator = true
      printer = new TablePrinter({
        noHeaders: o.noHeaders,
        wide: o.wide,
        withNamespace: o.allNamespaces && t.r.namespaced,
        showLabels: o.showLabels,
        columnLabels: o.labelColumns,
        kindPrefix: withKind ? kindName(t.r) : undefined,
      })
      last = key
    }
    if (o.sortBy) sortRows(table, o.sortBy)
    const text = printer.print(table)
    if (text && separator) {
      out += '\n'
      written += 1
      separator = false
    }
    w.write(text)
  }
  w.flush()
  const tail = w.take()
  out += tail
  written += tail.length
  ctx.out(out)
  if (written === 0 && !o.ignoreNotFound && errors.length === 0)
    ctx.err(allNamespaced ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n')
  if (errors.length) throw new AggregateError(errors)
  return 0
}

async function printGeneric(ctx: Ctx, targets: Target[], singleItem: boolean, o: GetOptions): Promise<number> {
  const print = genericPrinter(o.output, o.noHeaders)!
  const errors: unknown[] = []
  const items: Obj[] = []
  for (const t of targets) {
    try {
      items.push(...(await fetchObjects(ctx, t)).map((i) => stripManagedFields(i, o.showManagedFields)))
    } catch (err) {
      if (singleItem) {
        if (o.ignoreNotFound && isNotFound(err)) return 0
        throw err
      }
      if (o.ignoreNotFound && isNotFound(err)) continue
      errors.push(err)
    }
  }
  if (!items.length && o.ignoreNotFound && !errors.length) return 0
  const obj = singleItem && items.length === 1 ? items[0]! : { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }
  ctx.out(print(obj))
  if (errors.length) throw new AggregateError(errors)
  return 0
}

export const getCommand: Command = {
  name: 'get',
  short: 'Display one or many resources',
  usage: 'kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]',
  flags: GET_FLAGS,
  async run(ctx, args, flags) {
    const o = getOptions(flags)
    const watch = flags.bool('watch') || flags.bool('watch-only')
    if (flags.string('raw')) return rawGet(ctx, args, flags.string('raw'))
    if (o.showLabels && o.output && o.output !== 'wide') throw new CmdError(`--show-labels option cannot be used with ${o.output} printer`)
    if (flags.bool('output-watch-events') && !watch) throw new CmdError('--output-watch-events option can only be used with --watch or --watch-only')
    const filenames = flags.strings('filename')
    if (!args.length && !filenames.length && !watch) {
      ctx.err('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n')
      throw usageError(ctx.commandPath, 'Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).')
    }
    if (o.output) genericPrinter(o.output, o.noHeaders) // reject an unknown format before any request
    const { targets, singleItem } = await buildTargets(ctx, args, {
      allNamespaces: o.allNamespaces,
      labelSelector: flags.changed('selector') ? flags.string('selector') : undefined,
      fieldSelector: flags.changed('field-selector') ? flags.string('field-selector') : undefined,
      filenames,
      allowEmptySelector: true,
    })
    if (watch) return watchTargets(ctx, targets, o, { watchOnly: flags.bool('watch-only'), events: flags.bool('output-watch-events') })
    if (!o.output || o.wide) return printTables(ctx, targets, o)
    return printGeneric(ctx, targets, singleItem, o)
  },
}

async function rawGet(ctx: Ctx, args: string[], raw: string): Promise<number> {
  if (args.length) throw new CmdError('arguments may not be passed when --raw is specified')
  const res = await ctx.client.request('GET', raw)
  ctx.out(await res.text())
  return 0
}

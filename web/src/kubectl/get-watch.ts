// kubectl get -w / --watch-only: print what is there, then one row per watch
// event (the server sends one-row Tables, column definitions only first), the
// header once, widths remembered across rows; until the stream ends or Ctrl-C.
import type { Target } from './builder'
import { fetchObjects } from './builder'
import { TABLE_ACCEPT } from './client'
import type { Ctx } from './context'
import { CmdError } from './errors'
import { fetchTable, type GetOptions, stripManagedFields } from './get'
import { genericPrinter } from './printers/output'
import { TablePrinter } from './printers/table'
import { GET_TABWRITER, TabWriter } from './printers/tabwriter'
import type { Obj } from './types'

export async function watchTargets(ctx: Ctx, targets: Target[], o: GetOptions, w: { watchOnly: boolean; events: boolean }): Promise<number> {
  const kinds = new Set(targets.map((t) => `${t.r.group}/${t.r.resource}`))
  if (kinds.size > 1) throw new CmdError('you may only specify a single resource type')
  if (targets.length !== 1) throw new CmdError('watch is only supported on individual resources and resource collections - more than 1 resource was found')
  const t = targets[0]!
  const human = !o.output || o.wide
  const isList = t.name === undefined
  // skipPrinter: the first print shows rows only for a list being listed; a named object's
  // first event replays what was just printed.
  let output = !w.watchOnly
  let rv = '0'

  const tw = new TabWriter(GET_TABWRITER)
  const table = new TablePrinter({ noHeaders: o.noHeaders, wide: o.wide, withNamespace: o.allNamespaces && t.r.namespaced, showLabels: o.showLabels, columnLabels: o.labelColumns })
  const generic = human ? undefined : genericPrinter(o.output, o.noHeaders)!
  const emit = (obj: Obj, type: string) => {
    if (human) {
      const shown = output ? obj : { ...obj, rows: [] }
      tw.write(table.print(shown, w.events ? type : undefined))
      tw.flush()
      ctx.out(tw.take())
    } else if (output) {
      const plain = stripManagedFields(obj, o.showManagedFields)
      ctx.out(generic!(w.events ? { type, object: plain } : plain))
    }
  }

  if (human) {
    const first = await fetchTable(ctx, t)
    if (isList) rv = first.metadata?.resourceVersion ?? '0'
    emit(first, 'ADDED')
  } else if (isList) {
    const list = await ctx.client.get(ctx.client.path(t.r, t.namespace), { labelSelector: t.labelSelector, fieldSelector: t.fieldSelector })
    rv = list.metadata?.resourceVersion ?? '0'
    for (const i of list.items ?? []) emit({ apiVersion: list.apiVersion, kind: t.r.kind, ...i }, 'ADDED')
  } else for (const obj of await fetchObjects(ctx, t)) emit(obj, 'ADDED')
  output = isList

  const fields = [t.fieldSelector, t.name !== undefined ? `metadata.name=${t.name}` : undefined].filter(Boolean).join(',')
  const query = { labelSelector: t.labelSelector, fieldSelector: fields || undefined, resourceVersion: rv }
  for await (const ev of ctx.client.watch(ctx.client.path(t.r, t.namespace), query, human ? TABLE_ACCEPT : 'application/json', ctx.signal)) {
    if (ev.type === 'BOOKMARK') continue
    if (ev.type === 'ERROR') {
      ctx.err(`Error from server (${ev.object?.reason ?? ''}): ${ev.object?.message ?? ''}\n`)
      continue
    }
    emit(ev.object, ev.type)
    output = true
  }
  return ctx.signal?.aborted ? 1 : 0
}

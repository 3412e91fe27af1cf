// What every describer shares (kubectl/pkg/describe/describe.go): the
// indenting writer over a tab writer (minwidth 0, padding 2), labels,
// annotations, taints and tolerations over several lines, and the Events table.
import type { Ctx } from '../context'
import { escapeTerminal } from '../printers/table'
import { DESCRIBE_TABWRITER, TabWriter } from '../printers/tabwriter'
import type { Obj } from '../types'
import { humanDuration, since } from '../util/time'

export class PrefixWriter {
  readonly tw = new TabWriter(DESCRIBE_TABWRITER)
  #out = ''
  /** raw: straight to the output with its tabs (rollout history's printTemplate writes to a plain buffer). */
  constructor(readonly raw = false) {}
  /** Writes text indented by `level` steps of two spaces. */
  write(level: number, text: string): void {
    this.#put(escapeTerminal('  '.repeat(level) + text))
  }
  /** Println: the values joined by spaces, then a newline. */
  writeLine(...a: unknown[]): void {
    this.#put(escapeTerminal(a.map(String).join(' ') + '\n'))
  }
  #put(s: string) {
    if (this.raw) this.#out += s
    else this.tw.write(s)
  }
  flush(): void {
    if (this.raw) return
    this.tw.flush()
    this.#out += this.tw.take()
  }
  toString(): string {
    this.flush()
    return this.#out
  }
}

/** A nested writer: every line `indent` levels deeper (NewNestedPrefixWriter). */
export class NestedWriter {
  constructor(
    readonly w: PrefixWriter | NestedWriter,
    readonly indent: number,
  ) {}
  write(level: number, text: string) {
    this.w.write(level + this.indent, text)
  }
  writeLine(...a: unknown[]) {
    this.w.write(this.indent, a.map(String).join(' ') + '\n')
  }
  flush() {
    this.w.flush()
  }
}

export type Writer = PrefixWriter | NestedWriter

export function printLabelsMultiline(w: Writer, title: string, labels: Record<string, string> | undefined, initialIndent = '', innerIndent = '\t', skip: string[] = []) {
  w.write(0, `${initialIndent}${title}:${innerIndent}`)
  const keys = Object.keys(labels ?? {})
    .filter((k) => !skip.includes(k))
    .sort()
  if (!keys.length) return w.writeLine('<none>')
  keys.forEach((k, i) => {
    if (i) w.write(0, `${initialIndent}${innerIndent}`)
    w.write(0, `${k}=${labels![k]}\n`)
  })
}

const MAX_ANNOTATION_LEN = 140
const shorten = (s: string, n: number) => (s.length > n ? s.slice(0, n) + '...' : s)

export function printAnnotationsMultiline(w: Writer, title: string, annotations: Record<string, string> | undefined) {
  w.write(0, `${title}:\t`)
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort()
  if (!keys.length) return w.writeLine('<none>')
  keys.forEach((k, i) => {
    if (i) w.write(0, '\t')
    const value = annotations![k]!.replace(/\n$/, '')
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`)
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`)
    } else w.write(0, `${k}: ${value}\n`)
  })
}

/** Taint.ToString: key[=value]:effect. */
export const taintString = (t: Obj) => `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`

export function printTaintsMultiline(w: Writer, title: string, taints: Obj[] | undefined, initialIndent = '', innerIndent = '\t') {
  w.write(0, `${initialIndent}${title}:${innerIndent}`)
  if (!taints?.length) return w.writeLine('<none>')
  const sorted = [...taints].sort((a, b) => cmpStr(`${a.effect},${a.key}`, `${b.effect},${b.key}`))
  sorted.forEach((t, i) => {
    if (i) w.write(0, `${initialIndent}${innerIndent}`)
    w.write(0, `${taintString(t)}\n`)
  })
}

export const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export function printTolerationsMultiline(w: Writer, title: string, tolerations: Obj[] | undefined, initialIndent = '', innerIndent = '\t') {
  w.write(0, `${initialIndent}${title}:${innerIndent}`)
  if (!tolerations?.length) return w.writeLine('<none>')
  const sorted = [...tolerations].sort((a, b) => cmpStr(a.key ?? '', b.key ?? ''))
  sorted.forEach((t, i) => {
    if (i) w.write(0, `${initialIndent}${innerIndent}`)
    let s = t.key ?? ''
    if (t.value) s += `=${t.value}`
    if (t.effect) s += `:${t.effect}`
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists'
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`
    w.write(0, s + '\n')
  })
}

/** The events about an object (searchEvents): by name, namespace, kind and uid of the reference. */
export async function searchEvents(ctx: Ctx, ref: { name: string; namespace?: string; kind?: string; uid?: string }): Promise<Obj[]> {
  const fields = [`involvedObject.name=${ref.name}`, `involvedObject.namespace=${ref.namespace ?? ''}`]
  if (ref.kind) fields.push(`involvedObject.kind=${ref.kind}`)
  if (ref.uid) fields.push(`involvedObject.uid=${ref.uid}`)
  fields.sort()
  const path = ref.namespace ? `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events` : '/api/v1/events'
  const items: Obj[] = []
  let cont: string | undefined
  do {
    const list = await ctx.client.get(path, { fieldSelector: fields.join(','), limit: 500, continue: cont })
    items.push(...(list.items ?? []))
    cont = list.metadata?.continue || undefined
  } while (cont)
  return items
}

/** Events, or undefined when they could not be read (describe then leaves the section out). */
export async function eventsFor(ctx: Ctx, ref: { name: string; namespace?: string; kind?: string; uid?: string }): Promise<Obj[] | undefined> {
  try {
    return await searchEvents(ctx, ref)
  } catch {
    return undefined
  }
}

const ts = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : NaN)

export function describeEvents(w: Writer, events: Obj[], now: number) {
  if (!events.length) return w.write(0, 'Events:\t<none>\n')
  w.flush()
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => {
      const x = ts(a.e.lastTimestamp) || 0
      const y = ts(b.e.lastTimestamp) || 0
      return x - y || a.i - b.i
    })
    .map((x) => x.e)
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n')
  w.write(1, '----\t------\t----\t----\t-------\n')
  for (const e of sorted) {
    let first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now)
    if (!e.eventTime && !e.firstTimestamp) first = '<unknown>'
    let interval = first
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`
    const source = e.source?.component || e.reportingComponent || ''
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`)
  }
}

/** metav1.FormatLabelSelector: requirements sorted by key, or <none>. */
export function formatLabelSelector(sel: Obj | undefined): string {
  const s = selectorString(sel)
  return s.length ? s : '<none>'
}

/** labels.Selector's String() of a LabelSelector. */
export function selectorString(sel: Obj | undefined): string {
  if (!sel) return ''
  const reqs: { key: string; text: string }[] = []
  for (const k of Object.keys(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${sel.matchLabels[k]}` })
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',')
    const text = e.operator === 'In' ? `${e.key} in (${vals})` : e.operator === 'NotIn' ? `${e.key} notin (${vals})` : e.operator === 'Exists' ? e.key : `!${e.key}`
    reqs.push({ key: e.key, text })
  }
  return reqs
    .sort((a, b) => cmpStr(a.key, b.key))
    .map((r) => r.text)
    .join(',')
}

/** The controller owner reference as Kind/name. */
export function controllerOf(o: Obj): string {
  const ref = (o.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller)
  return ref ? `${ref.kind}/${ref.name}` : ''
}

export { humanDuration, since }

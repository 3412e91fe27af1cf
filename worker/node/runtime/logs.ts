// Container logs: the lines one run printed, computed from its process plan
// rather than stored, and formatted as the kubelet serves pods/log.
import type { ProcessPlan } from './process'
import { memoryAt, readyAt } from './process'

export interface LogLine {
  /** epoch ms */
  time: number
  text: string
}

export interface LogOptions {
  tailLines?: number
  sinceTime?: number
  sinceSeconds?: number
  timestamps?: boolean
  limitBytes?: number
  now: number
}

export const DEFAULT_LOG_CAP = 10_000

/** Requests a run answered, kept compactly: one access-log line each when rendered. */
export interface ServedRecord {
  /** Simulated ms of the last request of the batch; the others precede it by 1 ms each. */
  at: number
  count: number
  client: string
  method: string
  path: string
  host: string
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const p2 = (n: number) => String(n).padStart(2, '0')
const p3 = (n: number) => String(n).padStart(3, '0')

/** The time formats that images' log lines use, by placeholder name. */
function formatTime(name: string, ms: number): string | undefined {
  const d = new Date(ms)
  const [Y, M, D, h, m, s, milli] = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  ]
  const hms = `${p2(h)}:${p2(m)}:${p2(s)}`
  const ymd = `${Y}-${p2(M + 1)}-${p2(D)}`
  switch (name) {
    case 'clf': // nginx/httpd access log
      return `${p2(D)}/${MONTHS[M]}/${Y}:${hms} +0000`
    case 'nginx': // nginx error log, Go's log package
      return `${Y}/${p2(M + 1)}/${p2(D)} ${hms}`
    case 'redis':
      return `${p2(D)} ${MONTHS[M]} ${Y} ${hms}.${p3(milli)}`
    case 'pg':
      return `${ymd} ${hms}.${p3(milli)} UTC`
    case 'apache':
      return `${DAYS[d.getUTCDay()]} ${MONTHS[M]} ${p2(D)} ${hms}.${p3(milli)}000 ${Y}`
    case 'mysql':
      return `${ymd}T${hms}.${p3(milli)}000Z`
    case 'mysqlentry':
      return `${ymd} ${hms}+00:00`
    case 'iso':
      return d.toISOString()
    case 'date': // busybox and coreutils `date` in the C locale
      return `${DAYS[d.getUTCDay()]} ${MONTHS[M]} ${String(D).padStart(2, ' ')} ${hms} UTC ${Y}`
  }
  return undefined
}

/** Makes literal text safe to pass through renderTemplate. */
export function escapeTemplate(text: string): string {
  return text.replaceAll('{', '{{')
}

/**
 * Fills a line template at epoch ms: {nginx}, {pg}, {date}, … become the time
 * in that format, other {name}s come from vars, '{{' is a literal brace, and
 * unknown placeholders stay as they are.
 */
export function renderTemplate(
  template: string,
  epochMs: number,
  vars: Record<string, string> = {},
): string {
  if (!template.includes('{')) return template
  return template.replace(/\{\{|\{([a-z]+)\}/g, (match, name: string | undefined) => {
    if (!name) return '{'
    return vars[name] ?? formatTime(name, epochMs) ?? match
  })
}

/**
 * All lines a run printed from its start up to `until` (epoch ms): the plan's
 * finite lines and its periodic ones, at most the last `cap`. Periodic lines
 * are generated only for the cycles that can be in the result, so a run of
 * thirty simulated days costs no more than a run of a minute.
 */
export function runLogs(
  plan: ProcessPlan,
  startedAt: number,
  until: number,
  cap: number = DEFAULT_LOG_CAP,
  served: ServedRecord[] = [],
): LogLine[] {
  const end = Math.min(until, plan.exit ? startedAt + plan.exit.afterMs : Infinity)
  const fixed: LogLine[] = []
  for (const l of plan.lines)
    if (startedAt + l.atMs <= end) fixed.push({ time: startedAt + l.atMs, text: l.text })
  const periodic: LogLine[] = []
  const p = plan.periodic
  if (p && p.templates.length > 0 && cap > 0 && startedAt + p.startMs <= end) {
    const every = Math.max(1, p.everyMs)
    const cycles = Math.floor((end - startedAt - p.startMs) / every) + 1
    // One extra cycle covers templates whose offset pushes them past `end`.
    const first = Math.max(0, cycles - Math.ceil(cap / p.templates.length) - 1)
    for (let c = first; c < cycles; c++) {
      p.templates.forEach((tpl, i) => {
        const at = p.startMs + c * every + (p.offsetsMs?.[i] ?? 0)
        if (startedAt + at > end) return
        const vars: Record<string, string> = { n: String(c + 1) }
        if (tpl.includes('{mem}')) vars.mem = String(Math.round(memoryAt(plan, at)))
        if (tpl.includes('{health}')) vars.health = readyAt(plan, at) ? '200' : '503'
        periodic.push({ time: startedAt + at, text: renderTemplate(tpl, startedAt + at, vars) })
      })
    }
  }
  let all = periodic.length === 0 ? fixed : merge(fixed, periodic)
  const access = accessLines(plan, served, startedAt, end, cap)
  if (access.length) all = merge(all, access)
  return all.length > cap ? all.slice(all.length - cap) : all
}

/** The access-log lines of served requests, newest `cap` at most, each 1 ms after the one before. */
function accessLines(plan: ProcessPlan, served: ServedRecord[], startedAt: number, end: number, cap: number): LogLine[] {
  const tpl = plan.http?.accessLog
  if (!tpl || served.length === 0) return []
  const out: LogLine[] = []
  for (let i = served.length - 1; i >= 0 && out.length < cap; i--) {
    const s = served[i]!
    const vars = { client: s.client, method: s.method, path: s.path, host: s.host }
    for (let k = 0; k < s.count && out.length < cap; k++) {
      const time = Math.max(startedAt, s.at - k)
      if (time <= end) out.push({ time, text: renderTemplate(tpl, time, vars) })
    }
  }
  return out.reverse().sort((a, b) => a.time - b.time)
}

/** Merges two time-ordered lists; on a tie the plan's own lines come first. */
function merge(a: LogLine[], b: LogLine[]): LogLine[] {
  const out: LogLine[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.time <= b[j]!.time)) out.push(a[i++]!)
    else out.push(b[j++]!)
  }
  return out
}

/** The kubelet's fixed-width RFC 3339 time with nanoseconds (kuberuntime/logs timeFormatOut). */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')
}

/**
 * The body of GET …/pods/{name}/log. Like the kubelet: tailLines is applied
 * first and then since, every line ends with a newline, and limitBytes cuts
 * the output at that many bytes, even mid-line.
 */
export function formatLogs(lines: LogLine[], opts: LogOptions): string {
  let kept = lines
  if (opts.tailLines !== undefined)
    kept = opts.tailLines <= 0 ? [] : kept.slice(Math.max(0, kept.length - opts.tailLines))
  const since = Math.max(
    opts.sinceTime ?? -Infinity,
    opts.sinceSeconds !== undefined ? opts.now - opts.sinceSeconds * 1000 : -Infinity,
  )
  if (since > -Infinity) kept = kept.filter((l) => l.time >= since)
  let out = kept
    .map((l) => (opts.timestamps ? `${logTimestamp(l.time)} ${l.text}\n` : `${l.text}\n`))
    .join('')
  if (opts.limitBytes !== undefined && opts.limitBytes >= 0) {
    const bytes = new TextEncoder().encode(out)
    if (bytes.length > opts.limitBytes)
      out = new TextDecoder().decode(bytes.slice(0, opts.limitBytes))
  }
  return out
}

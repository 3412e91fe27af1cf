// The live events stream: the cluster's Events (reason, object, message, who
// reported it) and the writes people made ("alice scaled deployment web to
// 5"), newest first, each with its attribution.
import { describeWrite } from '../activity'
import type { LiveFeed } from '../live'

type Obj = Record<string, any>

const SHOWN = 150

interface Row {
  key: string
  /**
   * Arrival (wall seconds; 0 for the first list), then event time: what came
   * in the same second (a kubelet's report, a controller's sync) reads in the
   * order it happened, a person's write above what it caused.
   */
  order: [number, string]
  time: string
  type: 'Normal' | 'Warning' | 'Person'
  reason: string
  object: string
  message: string
  by?: string
  color?: string
  count?: number
}

export function eventTime(e: Obj): string {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? ''
}

/** "12:04:05" of an RFC 3339 time, as the simulated clock had it. */
export function clockTime(t: string): string {
  const m = /T(\d\d:\d\d:\d\d)/.exec(t)
  return m ? m[1]! : ''
}

function reporter(e: Obj): string {
  const c = e.source?.component ?? e.reportingComponent ?? ''
  const host = e.source?.host
  return host && c === 'kubelet' ? `kubelet ${host}` : c
}

export function EventsView({ feed }: { feed: LiveFeed }) {
  const colorOf = new Map(feed.people.map((p) => [p.name, p.color]))
  const rows: Row[] = []
  for (const e of feed.stores.events.values()) {
    const uid = e.metadata.uid
    const by = feed.by.get(uid)
    const io = e.involvedObject ?? e.regarding ?? {}
    rows.push({
      key: uid,
      order: [Math.floor((feed.arrived.get(uid) ?? 0) / 1000), eventTime(e)],
      time: clockTime(eventTime(e)),
      type: e.type === 'Warning' ? 'Warning' : 'Normal',
      reason: e.reason ?? '',
      object: `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
      message: e.message ?? e.note ?? '',
      // A person's name when the server attributes the Event to one, else its reporter.
      by: feed.isPerson(by) ? by : reporter(e) || by,
      color: feed.isPerson(by) ? colorOf.get(by!) : undefined,
      count: e.count ?? e.series?.count,
    })
  }
  for (const [i, a] of feed.activity.entries()) {
    rows.push({
      key: `a${a.at}-${i}-${a.name}`,
      order: [Math.floor(a.at / 1000), '\uffff'],
      time: clockTime(new Date(a.at).toISOString()),
      type: 'Person',
      reason: '',
      object: '',
      message: describeWrite(a.type, a.object, a.previous),
      by: a.by,
      color: colorOf.get(a.by),
    })
  }
  rows.sort((a, b) => b.order[0] - a.order[0] || b.order[1].localeCompare(a.order[1]))
  const shown = rows.slice(0, SHOWN)
  return (
    <section class="panel events" aria-labelledby="events-h">
      <h2 id="events-h">
        Events <span class="count">{feed.stores.events.size}</span>
      </h2>
      <ol class="event-list" aria-live="off">
        {shown.map((r) => (
          <li key={r.key} class={`event ev-${r.type.toLowerCase()}`} data-by={r.by ?? ''}>
            {r.type === 'Person' ? (
              <>
                <span class="ev-by person" style={r.color ? `--who:${r.color}` : undefined}>
                  {r.by}
                </span>{' '}
                <span class="ev-message">{r.message}</span>
              </>
            ) : (
              <>
                <span class="ev-time">{r.time}</span>
                <span class="ev-head">
                  <span class={`ev-reason${r.type === 'Warning' ? ' warn' : ''}`}>{r.reason}</span> <span class="ev-object">{r.object}</span>
                </span>
                <span class={`ev-by${r.color ? ' person' : ''}`} style={r.color ? `--who:${r.color}` : undefined}>
                  {r.by}
                </span>
                <span class="ev-message">
                  {r.message}
                  {r.count && r.count > 1 ? <span class="muted"> (×{r.count})</span> : null}
                </span>
              </>
            )}
          </li>
        ))}
        {shown.length === 0 && <li class="muted">No events yet.</li>}
      </ol>
    </section>
  )
}

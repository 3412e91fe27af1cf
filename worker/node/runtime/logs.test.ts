import { describe, expect, it } from 'vitest'
import { formatLogs, logTimestamp, renderTemplate, runLogs, type LogLine } from './logs'
import type { ProcessPlan } from './process'

const T0 = Date.parse('2026-11-25T10:00:00Z')
const base: ProcessPlan = { lines: [], memory: { baseMiB: 1 }, ports: [] }

describe('renderTemplate', () => {
  it.each([
    { name: 'nginx access log', input: '[{clf}]', want: '[25/Nov/2026:10:00:00 +0000]' },
    { name: 'nginx error log', input: '{nginx} [notice]', want: '2026/11/25 10:00:00 [notice]' },
    { name: 'redis', input: '1:M {redis} *', want: '1:M 25 Nov 2026 10:00:00.000 *' },
    { name: 'postgres', input: '{pg} LOG', want: '2026-11-25 10:00:00.000 UTC LOG' },
    { name: 'busybox date', input: '{date}', want: 'Wed Nov 25 10:00:00 UTC 2026' },
    { name: 'escaped brace', input: '{{date}', want: '{date}' },
    { name: 'unknown placeholder stays', input: '{nope}', want: '{nope}' },
  ])('$name', ({ input, want }) => expect(renderTemplate(input, T0)).toBe(want))
})

describe('runLogs', () => {
  const ticking: ProcessPlan = {
    ...base,
    lines: [{ atMs: 0, text: 'start' }],
    periodic: { startMs: 5000, everyMs: 5000, templates: ['tick {n}'] },
  }
  it.each([
    {
      name: 'lines up to until',
      plan: {
        ...base,
        lines: [
          { atMs: 0, text: 'a' },
          { atMs: 2000, text: 'b' },
        ],
      },
      until: T0 + 1000,
      want: [[T0, 'a']],
    },
    {
      name: 'periodic merged in time order',
      plan: ticking,
      until: T0 + 12_000,
      want: [
        [T0, 'start'],
        [T0 + 5000, 'tick 1'],
        [T0 + 10_000, 'tick 2'],
      ],
    },
    {
      name: 'nothing after exit',
      plan: { ...ticking, exit: { afterMs: 6000, code: 0 } },
      until: T0 + 60_000,
      want: [
        [T0, 'start'],
        [T0 + 5000, 'tick 1'],
      ],
    },
    {
      name: 'offsets within a cycle',
      plan: {
        ...base,
        periodic: { startMs: 0, everyMs: 5000, templates: ['a', 'b'], offsetsMs: [0, 1000] },
      },
      until: T0 + 6000,
      want: [
        [T0, 'a'],
        [T0 + 1000, 'b'],
        [T0 + 5000, 'a'],
        [T0 + 6000, 'b'],
      ],
    },
  ])('$name', ({ plan, until, want }) =>
    expect(runLogs(plan, T0, until).map((l) => [l.time, l.text])).toEqual(want),
  )

  it('keeps the last `cap` lines of a long run, cheaply', () => {
    const thirtyDays = 30 * 86_400_000
    const started = performance.now()
    const lines = runLogs(ticking, T0, T0 + thirtyDays, 3)
    expect(performance.now() - started).toBeLessThan(50)
    const n = thirtyDays / 5000
    expect(lines.map((l) => l.text)).toEqual([`tick ${n - 2}`, `tick ${n - 1}`, `tick ${n}`])
  })

  it('fills {mem} and {health} from the plan', () => {
    const plan: ProcessPlan = {
      ...base,
      memory: { baseMiB: 20, growMiBPerSec: 10 },
      readiness: { afterMs: 0, flap: { upMs: 30_000, downMs: 20_000 } },
      periodic: { startMs: 10_000, everyMs: 25_000, templates: ['{mem} MiB {health}'] },
    }
    expect(runLogs(plan, T0, T0 + 40_000).map((l) => l.text)).toEqual([
      '120 MiB 200',
      '370 MiB 503',
    ])
  })
})

describe('formatLogs', () => {
  const lines: LogLine[] = [
    { time: T0, text: 'one' },
    { time: T0 + 1000, text: 'two' },
    { time: T0 + 2000, text: 'three' },
  ]
  const now = T0 + 3000
  it.each([
    { name: 'all, newline-terminated', opts: { now }, want: 'one\ntwo\nthree\n' },
    { name: 'tail', opts: { now, tailLines: 2 }, want: 'two\nthree\n' },
    { name: 'tail 0', opts: { now, tailLines: 0 }, want: '' },
    { name: 'sinceTime', opts: { now, sinceTime: T0 + 1000 }, want: 'two\nthree\n' },
    { name: 'sinceSeconds', opts: { now, sinceSeconds: 1 }, want: 'three\n' },
    { name: 'tail then since', opts: { now, tailLines: 1, sinceTime: T0 }, want: 'three\n' },
    {
      name: 'timestamps',
      opts: { now, tailLines: 1, timestamps: true },
      want: '2026-11-25T10:00:02.000000000Z three\n',
    },
    { name: 'limitBytes cuts mid-line', opts: { now, limitBytes: 6 }, want: 'one\ntw' },
  ])('$name', ({ opts, want }) => expect(formatLogs(lines, opts)).toBe(want))

  it('formats timestamps like the kubelet', () =>
    expect(logTimestamp(T0 + 123)).toBe('2026-11-25T10:00:00.123000000Z'))
})

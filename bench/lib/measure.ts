// Timing helpers shared by the benchmarks.

export interface Figures {
  ops: number
  seconds: number
  perSecond: number
  p50: number
  p99: number
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

/** Runs op(i) for i in [0, n) with `inFlight` at a time; latency of each in ms. */
export async function measure(n: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<Figures> {
  const lat: number[] = new Array(n)
  let next = 0
  const t0 = performance.now()
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now()
      await op(i)
      lat[i] = performance.now() - s
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker))
  const seconds = (performance.now() - t0) / 1000
  lat.sort((a, b) => a - b)
  return { ops: n, seconds, perSecond: n / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99) }
}

export function parseArgs(argv: string[]): { size: 'small' | 'full'; json?: string; rest: string[] } {
  let size: 'small' | 'full' = 'full'
  let json: string | undefined
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--size') size = argv[++i] === 'small' ? 'small' : 'full'
    else if (a === '--json') json = argv[++i]
    else rest.push(a)
  }
  return { size, json, rest }
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—')

export function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)))
  return rows.map((r) => r.map((cell, c) => String(cell).padEnd(widths[c]!)).join('  ')).join('\n')
}

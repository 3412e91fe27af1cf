// bench/api: the Kubernetes API through the same path kubectl takes (minus TLS):
// Worker → cluster object → API server → store. Creates, gets and lists of pods and
// watch latency, at 1 and 16 in flight, beside the no-op routes of the same run.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCluster, ROOT, startServer } from '../scripts/lib/server.mjs'
import { type Figures, fmt, measure, parseArgs, percentile, table } from './lib/measure'

const args = parseArgs(process.argv.slice(2))
const N = args.size === 'small' ? 200 : 2000
const LIST_PODS = 1000
const LIST_RUNS = args.size === 'small' ? 5 : 30
const WATCH_SAMPLES = args.size === 'small' ? 50 : 300

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
})

const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-api-'))
const server = await startServer({ stateDir })
try {
  const { adminToken } = await ensureCluster(server.url, stateDir, 'bench')
  const base = `${server.url}/clusters/bench`
  const h = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }
  const ok = async (r: Response, want = 200) => {
    if (r.status !== want) throw new Error(`HTTP ${r.status}: ${await r.text()}`)
    await r.arrayBuffer()
  }
  const post = (ns: string, name: string) => fetch(`${base}/api/v1/namespaces/${ns}/pods`, { method: 'POST', headers: h, body: JSON.stringify(pod(name)) }).then((r) => ok(r, 201))
  const get = (ns: string, name: string) => fetch(`${base}/api/v1/namespaces/${ns}/pods/${name}`, { headers: h }).then((r) => ok(r))
  for (const ns of ['b1', 'b16', 'list'])
    await fetch(`${base}/api/v1/namespaces`, { method: 'POST', headers: h, body: JSON.stringify({ metadata: { name: ns } }) }).then((r) => ok(r, 201))

  const rows: (string | number)[][] = [['metric', 'in flight', 'ops/s', 'p50 ms', 'p99 ms', '÷ object no-op']]
  const results: Record<string, Figures> = {}
  for (const inFlight of [1, 16]) {
    const noop = await measure(N, inFlight, () => fetch(`${base}/noop`, { headers: h }).then((r) => ok(r)))
    const worker = await measure(N, inFlight, () => fetch(`${server.url}/noop`).then((r) => ok(r)))
    const ns = `b${inFlight}`
    const creates = await measure(N, inFlight, (i) => post(ns, `p${i}`))
    const gets = await measure(N, inFlight, (i) => get(ns, `p${(i * 7919) % N}`))
    Object.assign(results, { [`noop${inFlight}`]: noop, [`worker${inFlight}`]: worker, [`creates${inFlight}`]: creates, [`gets${inFlight}`]: gets })
    const r = (f: Figures) => fmt(f.perSecond / noop.perSecond, 2)
    rows.push(['no-op, Worker only', inFlight, fmt(worker.perSecond, 0), fmt(worker.p50, 2), fmt(worker.p99, 2), r(worker)])
    rows.push(['no-op, Worker → object', inFlight, fmt(noop.perSecond, 0), fmt(noop.p50, 2), fmt(noop.p99, 2), '1.00'])
    rows.push(['create pod', inFlight, fmt(creates.perSecond, 0), fmt(creates.p50, 2), fmt(creates.p99, 2), r(creates)])
    rows.push(['get pod', inFlight, fmt(gets.perSecond, 0), fmt(gets.p50, 2), fmt(gets.p99, 2), r(gets)])
  }
  await measure(LIST_PODS, 16, (i) => post('list', `p${String(i).padStart(4, '0')}`))
  for (const inFlight of [1, 16]) {
    const runs = inFlight === 1 ? LIST_RUNS : LIST_RUNS * 2
    const f = await measure(runs, inFlight, async () => {
      const r = await fetch(`${base}/api/v1/namespaces/list/pods?limit=500`, { headers: h })
      const first = (await r.json()) as { items: unknown[]; metadata: { continue?: string } }
      const r2 = await fetch(`${base}/api/v1/namespaces/list/pods?limit=500&continue=${first.metadata.continue}`, { headers: h })
      const second = (await r2.json()) as { items: unknown[] }
      if (first.items.length + second.items.length !== LIST_PODS) throw new Error('short list')
    })
    results[`list${inFlight}`] = f
    rows.push([`list ${LIST_PODS} pods (2 pages of 500, as kubectl)`, inFlight, fmt(f.perSecond, 1), fmt(f.p50, 1), fmt(f.p99, 1), ''])
  }
  // Watch latency: create a pod, time until the watch stream shows it.
  const ctrl = new AbortController()
  const wr = await fetch(`${base}/api/v1/namespaces/b1/pods?watch=true&resourceVersion=0`, { headers: h, signal: ctrl.signal })
  const reader = wr.body!.getReader()
  const seen = new Map<string, () => void>()
  void (async () => {
    const dec = new TextDecoder()
    let buf = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buf += dec.decode(value, { stream: true })
        let nl
        while ((nl = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, nl))
          buf = buf.slice(nl + 1)
          seen.get(ev.object?.metadata?.name)?.()
        }
      }
    } catch {}
  })()
  const lat: number[] = []
  for (let s = 0; s < WATCH_SAMPLES; s++) {
    const name = `w${s}`
    const got = new Promise<void>((res) => seen.set(name, res))
    const t = performance.now()
    await post('b1', name)
    await got
    lat.push(performance.now() - t)
  }
  ctrl.abort()
  lat.sort((a, b) => a - b)
  rows.push(['watch: create → event', 1, '', fmt(percentile(lat, 50), 2), fmt(percentile(lat, 99), 2), ''])
  console.log(`bench/api — size ${args.size}: ${N} ops per figure; lists of ${LIST_PODS} pods ×${LIST_RUNS}; ${WATCH_SAMPLES} watch samples`)
  console.log('Through HTTP: Node fetch → wrangler dev (workerd) → Worker → cluster Durable Object → API server → SQLite.\n')
  console.log(table(rows))
  const file = args.json ?? join(ROOT, 'bench/results/api.json')
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, JSON.stringify({ bench: 'api', size: args.size, date: new Date().toISOString(), results, watchMs: { p50: percentile(lat, 50), p99: percentile(lat, 99) } }, null, 2) + '\n')
} finally {
  await server.stop()
  rmSync(stateDir, { recursive: true, force: true })
}

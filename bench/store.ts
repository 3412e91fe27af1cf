// bench/store: the cluster object's etcd, through the same HTTP path the API uses
// (Worker → cluster Durable Object), beside no-op routes measured in the same run,
// and beside a real etcd on loopback when one is installed.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCluster, ROOT, startServer } from '../scripts/lib/server.mjs'
import { GatewayClient } from './lib/etcd-client'
import { etcdBinary, startEtcd } from './lib/local-etcd'
import { type Figures, fmt, measure, parseArgs, percentile, table } from './lib/measure'

const args = parseArgs(process.argv.slice(2))
const N = args.size === 'small' ? 300 : 3000
const IN_FLIGHT = 16
const LIST_KEYS = 1000
const LIST_RUNS = args.size === 'small' ? 10 : 50
const WATCH_SAMPLES = args.size === 'small' ? 100 : 500
const VALUE = JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', namespace: 'bench' }, data: { k: 'v'.repeat(400) } })

interface StoreFigures {
  creates: Figures
  cas: Figures
  gets: Figures
  listMs: { p50: number; p99: number }
  watchMs: { p50: number; p99: number }
}

async function storeFigures(c: GatewayClient, tag: string): Promise<StoreFigures> {
  const phase = (p: string) => process.stderr.write(`  [${tag}] ${p}\n`)
  phase('creates')
  const key = (i: number) => `/registry/bench/${tag}/k${String(i).padStart(6, '0')}`
  const revs: number[] = new Array(N)
  const creates = await measure(N, IN_FLIGHT, async (i) => {
    if (!(await c.create(key(i), VALUE))) throw new Error(`create ${key(i)} refused`)
  })
  // Read each key's revision once, outside the timed part, for the CAS round.
  await measure(N, IN_FLIGHT, async (i) => {
    revs[i] = (await c.get(key(i)))!.modRevision
  })
  phase('CAS updates')
  const cas = await measure(N, IN_FLIGHT, async (i) => {
    if (!(await c.cas(key(i), VALUE + i, revs[i]!))) throw new Error(`cas ${key(i)} conflicted`)
  })
  phase('gets')
  const gets = await measure(N, IN_FLIGHT, async (i) => {
    if (!(await c.get(key((i * 7919) % N)))) throw new Error('missing key')
  })
  phase('lists')
  const listPrefix = `/registry/list/${tag}/`
  await measure(LIST_KEYS, IN_FLIGHT, (i) => c.create(`${listPrefix}k${String(i).padStart(5, '0')}`, VALUE))
  const listLat: number[] = []
  for (let r = 0; r < LIST_RUNS; r++) {
    const t = performance.now()
    const kvs = await c.list(listPrefix, LIST_KEYS)
    listLat.push(performance.now() - t)
    if (kvs.length !== LIST_KEYS) throw new Error(`list returned ${kvs.length}`)
  }
  listLat.sort((a, b) => a - b)
  phase('watch')
  const watchLat: number[] = []
  let waiting: { id: string; resolve: () => void } | undefined
  const w = await c.watch(`/registry/watch/${tag}/`, (_, value) => {
    if (waiting && value === waiting.id) waiting.resolve()
  })
  for (let s = 0; s < WATCH_SAMPLES; s++) {
    const id = `sample-${s}`
    const seen = new Promise<void>((resolve) => (waiting = { id, resolve }))
    const t = performance.now()
    await c.put(`/registry/watch/${tag}/k`, id)
    await seen
    watchLat.push(performance.now() - t)
  }
  w.close()
  watchLat.sort((a, b) => a - b)
  return {
    creates,
    cas,
    gets,
    listMs: { p50: percentile(listLat, 50), p99: percentile(listLat, 99) },
    watchMs: { p50: percentile(watchLat, 50), p99: percentile(watchLat, 99) },
  }
}

const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-'))
const server = await startServer({ stateDir })
let etcd: Awaited<ReturnType<typeof startEtcd>> | undefined
try {
  const { adminToken } = await ensureCluster(server.url, stateDir, 'bench')
  const auth = { authorization: `Bearer ${adminToken}` }
  const ours = new GatewayClient(`${server.url}/clusters/bench/etcd`, auth)

  // Baselines first, at the same concurrency, in the same run.
  const workerNoop = await measure(N, IN_FLIGHT, () => fetch(`${server.url}/noop`).then((r) => r.text()))
  const objectNoop = await measure(N, IN_FLIGHT, () => fetch(`${server.url}/clusters/bench/noop`, { headers: auth }).then((r) => r.text()))
  const w = await storeFigures(ours, 'wh')

  const bin = etcdBinary()
  let e: StoreFigures | undefined
  let etcdNote = 'etcd: skipped (no etcd binary; `apt-get install etcd-server` to compare side by side)'
  if (bin) {
    etcd = await startEtcd(bin)
    e = await storeFigures(new GatewayClient(etcd.url), 'etcd')
    etcdNote = `etcd ${etcd.version} on loopback, same client, same sizes`
  }

  const ratio = (f: Figures) => fmt(f.perSecond / objectNoop.perSecond, 2)
  const rows: (string | number)[][] = [
    ['metric', 'wheelhouse', 'p50 ms', 'p99 ms', '÷ object no-op', ...(e ? ['etcd', 'etcd p50', 'etcd p99'] : [])],
    ['no-op, Worker only (req/s)', fmt(workerNoop.perSecond, 0), fmt(workerNoop.p50, 2), fmt(workerNoop.p99, 2), fmt(workerNoop.perSecond / objectNoop.perSecond, 2), ...(e ? ['', '', ''] : [])],
    ['no-op, Worker → object (req/s)', fmt(objectNoop.perSecond, 0), fmt(objectNoop.p50, 2), fmt(objectNoop.p99, 2), '1.00', ...(e ? ['', '', ''] : [])],
    ['creates/s', fmt(w.creates.perSecond, 0), fmt(w.creates.p50, 2), fmt(w.creates.p99, 2), ratio(w.creates), ...(e ? [fmt(e.creates.perSecond, 0), fmt(e.creates.p50, 2), fmt(e.creates.p99, 2)] : [])],
    ['CAS updates/s', fmt(w.cas.perSecond, 0), fmt(w.cas.p50, 2), fmt(w.cas.p99, 2), ratio(w.cas), ...(e ? [fmt(e.cas.perSecond, 0), fmt(e.cas.p50, 2), fmt(e.cas.p99, 2)] : [])],
    ['gets/s', fmt(w.gets.perSecond, 0), fmt(w.gets.p50, 2), fmt(w.gets.p99, 2), ratio(w.gets), ...(e ? [fmt(e.gets.perSecond, 0), fmt(e.gets.p50, 2), fmt(e.gets.p99, 2)] : [])],
    [`list of ${LIST_KEYS} keys (ms)`, '', fmt(w.listMs.p50, 2), fmt(w.listMs.p99, 2), '', ...(e ? ['', fmt(e.listMs.p50, 2), fmt(e.listMs.p99, 2)] : [])],
    ['watch event latency (ms)', '', fmt(w.watchMs.p50, 2), fmt(w.watchMs.p99, 2), '', ...(e ? ['', fmt(e.watchMs.p50, 2), fmt(e.watchMs.p99, 2)] : [])],
  ]
  console.log(`bench/store — size ${args.size}: ${N} ops per figure at ${IN_FLIGHT} in flight, ${LIST_RUNS} lists, ${WATCH_SAMPLES} watch samples, ~${VALUE.length} B values`)
  console.log('Through HTTP: Node fetch → wrangler dev (workerd) → Worker → cluster Durable Object → SQLite.\n')
  console.log(table(rows))
  console.log(`\n${etcdNote}`)
  const out = { bench: 'store', size: args.size, date: new Date().toISOString(), inFlight: IN_FLIGHT, workerNoop, objectNoop, wheelhouse: w, etcd: e, etcdVersion: etcd?.version }
  const file = args.json ?? join(ROOT, 'bench/results/store.json')
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n')
} finally {
  await etcd?.stop()
  await server.stop()
  rmSync(stateDir, { recursive: true, force: true })
}

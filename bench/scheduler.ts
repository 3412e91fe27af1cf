// bench/scheduler: kube-scheduler's anchor is scheduler_perf's
// SchedulingBasic/5000Nodes_10000Pods at ≈1,150 pods/s. Two measurements:
// (1) the scheduling code the cluster object runs (cache, cycle, default
// plugins, assume) over 5,000 nodes and 10,000 pods, in this process, as
// scheduler_perf measures kube-scheduler alone; (2) the real thing through a
// local server: hollow nodes, pods created 16 at a time, time from each
// creation to its binding seen on a watch, and pods bound per second beside
// the rate the same object creates pods it does not schedule (the baseline).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCluster, ROOT, startServer } from '../scripts/lib/server.mjs'
import { SchedulerCache } from '../worker/scheduler/cache'
import { defaultProfile } from '../worker/scheduler/profile'
import { scheduleOne, seededRandom } from '../worker/scheduler/schedule-one'
import { fmt, measure, parseArgs, percentile, table } from './lib/measure'

const args = parseArgs(process.argv.slice(2))
const small = args.size === 'small'
const ALGO = small ? { nodes: 500, pods: 1000 } : { nodes: 5000, pods: 10000 }
const LIVE = small ? { nodes: 50, pods: 200 } : { nodes: 500, pods: 2000 }
const UPSTREAM = 1150

const node = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${'abc'[i % 3]}` }, annotations: { 'sim.wheelhouse.dev/kubelet': 'none' } },
  spec: {},
  status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, capacity: { cpu: '4', memory: '16Gi', pods: '110' }, images: [{ names: ['docker.io/library/nginx:1.27'], sizeBytes: 70_000_000 }] },
})
const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: name, labels: { app: 'bench' } },
  spec: { priority: 0, containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
})

const rows: (string | number)[][] = [['metric', 'nodes', 'pods', 'value', 'baseline', 'ratio']]
const results: Record<string, unknown> = {}

// (1) The cycle alone.
{
  const cache = new SchedulerCache()
  for (let i = 0; i < ALGO.nodes; i++) cache.setNode(node(i))
  const profile = defaultProfile()
  let start = 0
  const lat: number[] = []
  const t0 = performance.now()
  for (let i = 0; i < ALGO.pods; i++) {
    const p = pod(`p${i}`)
    const s = performance.now()
    const snapshot = cache.snapshot()
    const ex = scheduleOne(p, snapshot, profile, { startIndex: start, random: seededRandom(`bench/${i}`) })
    start = (start + ex.evaluated) % snapshot.nodes.length
    if (!ex.chosen) throw new Error(`pod ${i} did not fit: ${ex.message}`)
    cache.assume(p, ex.chosen)
    lat.push(performance.now() - s)
  }
  const secs = (performance.now() - t0) / 1000
  lat.sort((a, b) => a - b)
  const perSec = ALGO.pods / secs
  results.algorithm = { ...ALGO, perSecond: perSec, p50: percentile(lat, 50), p99: percentile(lat, 99) }
  rows.push(['scheduling cycles, in process (pods/s)', ALGO.nodes, ALGO.pods, fmt(perSec, 0), `${UPSTREAM} (scheduler_perf)`, fmt(perSec / UPSTREAM, 2)])
  rows.push(['  one cycle, p50 / p99 (ms)', ALGO.nodes, ALGO.pods, `${fmt(percentile(lat, 50), 2)} / ${fmt(percentile(lat, 99), 2)}`, '', ''])
}

// (2) Through a local server.
const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-scheduler-'))
const server = await startServer({ stateDir })
try {
  const { adminToken } = await ensureCluster(server.url, stateDir, 'sched', { nodes: 0 })
  const base = `${server.url}/clusters/sched`
  const h = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }
  const call = async (method: string, path: string, body?: unknown, want = 200) => {
    const r = await fetch(`${base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
    if (r.status !== want) throw new Error(`${method} ${path}: HTTP ${r.status}: ${await r.text()}`)
    return r.json() as Promise<any>
  }
  await measure(LIVE.nodes, 16, async (i) => {
    const n = node(i)
    const created = await call('POST', '/api/v1/nodes', n, 201)
    await call('PUT', `/api/v1/nodes/${n.metadata.name}/status`, { ...created, status: n.status })
  })
  await call('POST', '/api/v1/namespaces', { metadata: { name: 'baseline' } }, 201)
  // Baseline: pods the scheduler leaves alone (another schedulerName).
  const baseline = await measure(LIVE.pods, 16, (i) => call('POST', '/api/v1/namespaces/baseline/pods', { metadata: { name: `b${i}` }, spec: { ...pod('x').spec, schedulerName: 'nobody' } }, 201))
  const created = new Map<string, number>()
  const bound = new Map<string, number>()
  const ctrl = new AbortController()
  const wr = await fetch(`${base}/api/v1/namespaces/default/pods?watch=true&resourceVersion=0`, { headers: h, signal: ctrl.signal })
  const reader = wr.body!.getReader()
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
          const name = ev.object?.metadata?.name
          if (ev.object?.spec?.nodeName && !bound.has(name)) bound.set(name, performance.now())
        }
      }
    } catch {}
  })()
  const t0 = performance.now()
  await measure(LIVE.pods, 16, async (i) => {
    created.set(`p${i}`, performance.now())
    await call('POST', '/api/v1/namespaces/default/pods', pod(`p${i}`), 201)
  })
  for (const deadline = Date.now() + 300_000; bound.size < LIVE.pods; ) {
    if (Date.now() > deadline) throw new Error(`only ${bound.size}/${LIVE.pods} pods bound`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const secs = (Math.max(...bound.values()) - t0) / 1000
  ctrl.abort()
  const lat = [...bound].map(([name, t]) => t - created.get(name)!).sort((a, b) => a - b)
  const perSec = LIVE.pods / secs
  results.live = { ...LIVE, perSecond: perSec, baselineCreates: baseline.perSecond, p50: percentile(lat, 50), p99: percentile(lat, 99) }
  rows.push(['pods created and bound, through the server (pods/s)', LIVE.nodes, LIVE.pods, fmt(perSec, 1), `${fmt(baseline.perSecond, 1)} creates/s`, fmt(perSec / baseline.perSecond, 2)])
  rows.push(['  creation → binding on a watch, p50 / p99 (ms)', LIVE.nodes, LIVE.pods, `${fmt(percentile(lat, 50), 1)} / ${fmt(percentile(lat, 99), 1)}`, '', ''])
} finally {
  await server.stop()
  rmSync(stateDir, { recursive: true, force: true })
}
console.log(`bench/scheduler — size ${args.size}`)
console.log('(1) the cluster object\'s scheduling code in this process (cache, cycle, default plugins, assume), no store writes;')
console.log('(2) Node fetch → wrangler dev → Worker → cluster object: create, schedule on the alarm, bind, event, SchedulingDecision.\n')
console.log(table(rows))
const file = args.json ?? join(ROOT, 'bench/results/scheduler.json')
mkdirSync(join(file, '..'), { recursive: true })
writeFileSync(file, JSON.stringify({ bench: 'scheduler', size: args.size, date: new Date().toISOString(), results }, null, 2) + '\n')

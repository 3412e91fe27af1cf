// bench/nodes: the kubelets against a real local server. How fast pods bound to
// nodes reach Running on 1 and on 50 nodes (beside the rate the same run
// creates pods at, the baseline), how many cluster-object writes each idle node
// costs per simulated minute (beside upstream's 6 Lease renewals + 1/5 status
// post), and what a node object keeps per 100 pods.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCluster, ROOT, startServer } from '../scripts/lib/server.mjs'
import { fmt, measure, parseArgs, table } from './lib/measure'

const args = parseArgs(process.argv.slice(2))
const small = args.size === 'small'
const SHAPES = [
  { nodes: 1, pods: small ? 20 : 100 },
  { nodes: 50, pods: small ? 100 : 1000 },
]
const REST_WALL_MS = small ? 15_000 : 60_000
const SPEED = 10

const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-nodes-'))
const server = await startServer({ stateDir })
const rows: (string | number)[][] = [['metric', 'nodes', 'value', 'baseline', 'ratio']]
const results: Record<string, unknown> = {}
try {
  for (const shape of SHAPES) {
    const name = `nodes${shape.nodes}`
    const { adminToken } = await ensureCluster(server.url, stateDir, name, { nodes: shape.nodes })
    const base = `${server.url}/clusters/${name}`
    const h = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }
    const call = async (method: string, path: string, body?: unknown, want = 200) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: h,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (r.status !== want)
        throw new Error(`${method} ${path}: HTTP ${r.status}: ${await r.text()}`)
      return r.json() as Promise<any>
    }
    const clock = await call('GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')
    await call('PUT', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster', {
      ...clock,
      spec: { speed: SPEED, paused: false },
    })
    // Every kubelet up (its Node Ready) before measuring.
    for (const deadline = Date.now() + 60_000; ; ) {
      const nodes = await call('GET', '/api/v1/nodes')
      if (
        nodes.items.filter((n: any) =>
          n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
        ).length === shape.nodes
      )
        break
      if (Date.now() > deadline) throw new Error('nodes did not become Ready')
      await new Promise((r) => setTimeout(r, 200))
    }

    // At rest: store revisions per node per simulated minute.
    const rev0 = Number((await call('GET', '/api/v1/namespaces?limit=1')).metadata.resourceVersion)
    const sim0 = Date.parse(
      (await call('GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')).status.now,
    )
    await new Promise((r) => setTimeout(r, REST_WALL_MS))
    const rev1 = Number((await call('GET', '/api/v1/namespaces?limit=1')).metadata.resourceVersion)
    const sim1 = Date.parse(
      (await call('GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')).status.now,
    )
    const writesPerNodeMin = (rev1 - rev0) / shape.nodes / ((sim1 - sim0) / 60_000)
    rows.push([
      'cluster writes per node per simulated minute, at rest',
      shape.nodes,
      fmt(writesPerNodeMin, 2),
      '6.20 (upstream)',
      fmt(writesPerNodeMin / 6.2, 2),
    ])

    // Baseline: the same pods created without a node (nothing runs them).
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'baseline' } }, 201)
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'run' } }, 201)
    const podSpec = (node?: string) => ({
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      ],
      ...(node ? { nodeName: node } : {}),
    })
    const creates = await measure(shape.pods, 16, (i) =>
      call(
        'POST',
        '/api/v1/namespaces/baseline/pods',
        { metadata: { name: `b${i}` }, spec: podSpec() },
        201,
      ),
    )

    // Bound → Running: create pods already bound round-robin, then wait until every one is Running.
    const t0 = performance.now()
    await measure(shape.pods, 16, (i) =>
      call(
        'POST',
        '/api/v1/namespaces/run/pods',
        { metadata: { name: `p${i}` }, spec: podSpec(`worker-${(i % shape.nodes) + 1}`) },
        201,
      ),
    )
    let running = 0
    for (const deadline = Date.now() + 600_000; running < shape.pods; ) {
      const list = await call('GET', '/api/v1/namespaces/run/pods')
      running = list.items.filter((p: any) => p.status?.phase === 'Running').length
      if (Date.now() > deadline) throw new Error(`only ${running}/${shape.pods} pods Running`)
      if (running < shape.pods) await new Promise((r) => setTimeout(r, 250))
    }
    const seconds = (performance.now() - t0) / 1000
    const perSecond = shape.pods / seconds
    rows.push([
      `pods bound → Running per second (${shape.pods} pods, clock ${SPEED}×)`,
      shape.nodes,
      fmt(perSecond, 1),
      `${fmt(creates.perSecond, 1)} creates/s`,
      fmt(perSecond / creates.perSecond, 2),
    ])

    // What one node keeps, scaled to 100 pods.
    const stats = await call('GET', '/debug/nodes/worker-1')
    rows.push([
      `node object: pod records per 100 pods (KiB; ${stats.pods} pods on worker-1)`,
      shape.nodes,
      fmt(((stats.recordBytes / stats.pods) * 100) / 1024, 1),
      '',
      '',
    ])
    rows.push([
      'node object: SQLite database (KiB, whole node)',
      shape.nodes,
      fmt(stats.databaseBytes / 1024, 0),
      '',
      '',
    ])
    results[name] = {
      writesPerNodeMin,
      createsPerSecond: creates.perSecond,
      runningPerSecond: perSecond,
      seconds,
      stats,
    }
    // Leave the cluster idle for the next shape.
    const c2 = await call('GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')
    await call('PUT', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster', {
      ...c2,
      spec: { speed: SPEED, paused: true },
    })
  }
  console.log(
    `bench/nodes — size ${args.size}: ${SHAPES.map((s) => `${s.pods} pods on ${s.nodes} node(s)`).join(', ')}; at rest for ${REST_WALL_MS / 1000} s wall at ${SPEED}×`,
  )
  console.log(
    'Through HTTP: Node fetch → wrangler dev (workerd) → Worker → cluster object → NodeDOs (kubelets) → batched reports.\n',
  )
  console.log(table(rows))
  const file = args.json ?? join(ROOT, 'bench/results/nodes.json')
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(
    file,
    JSON.stringify(
      { bench: 'nodes', size: args.size, date: new Date().toISOString(), results },
      null,
      2,
    ) + '\n',
  )
} finally {
  await server.stop()
  rmSync(stateDir, { recursive: true, force: true })
}

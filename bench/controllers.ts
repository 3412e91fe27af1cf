// bench/controllers: the whole control loop at scale. A Deployment on N nodes
// with real kubelets, the clock at 1×, images already on the nodes (a warm-up
// replica set pulled them); then `scale --replicas=R` and the time until R pods
// are Running: deployment → replicaset → pods → scheduler → kubelets → status.
// Beside it, the baseline of the same run: how fast the API creates R pods
// that nothing acts on. And controller syncs per second during the scale-up.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCluster, ROOT, startServer } from '../scripts/lib/server.mjs'
import { fmt, measure, parseArgs, table } from './lib/measure'

const args = parseArgs(process.argv.slice(2))
const small = args.size === 'small'
const NODES = small ? 10 : 50
const REPLICAS = small ? 100 : 1000
const WARM = NODES * 2

const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-controllers-'))
const server = await startServer({ stateDir })
const rows: (string | number)[][] = [['metric', 'nodes', 'replicas', 'value', 'baseline', 'ratio']]
try {
  const { adminToken } = await ensureCluster(server.url, stateDir, 'ctrl', { nodes: NODES })
  const base = `${server.url}/clusters/ctrl`
  const h = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    want = 200,
    type = 'application/json',
  ) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { ...h, 'content-type': type },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (r.status !== want) throw new Error(`${method} ${path}: HTTP ${r.status}: ${await r.text()}`)
    return r.json() as Promise<any>
  }
  const waitFor = async (what: string, check: () => Promise<boolean>, ms = 900_000) => {
    for (const deadline = Date.now() + ms; !(await check()); ) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
      await new Promise((r) => setTimeout(r, 500))
    }
  }
  const running = async (selector: string) =>
    (await call('GET', `/api/v1/namespaces/default/pods?labelSelector=${selector}`)).items.filter(
      (p: any) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp,
    ).length
  await waitFor(
    'nodes Ready',
    async () =>
      (await call('GET', '/api/v1/nodes')).items.filter((n: any) =>
        n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      ).length === NODES,
  )
  const clock = await call('GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')
  await call('PUT', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster', {
    ...clock,
    spec: { speed: 1, paused: false },
  })

  // Warm-up: every node pulls the image (the scheduler spreads a ReplicaSet's pods).
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      ],
    },
  }
  await call(
    'POST',
    '/apis/apps/v1/namespaces/default/deployments',
    {
      metadata: { name: 'web' },
      spec: { replicas: WARM, selector: { matchLabels: { app: 'web' } }, template },
    },
    201,
  )
  await waitFor(
    'warm-up running',
    async () =>
      ((await call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).status
        ?.readyReplicas ?? 0) === WARM,
  )

  // Baseline: R pods through the API that nothing schedules.
  await call('POST', '/api/v1/namespaces', { metadata: { name: 'baseline' } }, 201)
  const creates = await measure(REPLICAS, 16, (i) =>
    call(
      'POST',
      '/api/v1/namespaces/baseline/pods',
      { metadata: { name: `b${i}` }, spec: { ...template.spec, schedulerName: 'nobody' } },
      201,
    ),
  )

  const before = await call('GET', '/debug/controllers')
  const t0 = performance.now()
  await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: REPLICAS },
  })
  // Poll the Deployment's status (one small object), not a list of every pod: a 1,000-pod list every
  // half second would itself keep the object busy. Readiness here is Running (nginx has no probe).
  await waitFor(
    `${REPLICAS} ready`,
    async () =>
      ((await call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).status
        ?.readyReplicas ?? 0) >= REPLICAS,
  )
  const seconds = (performance.now() - t0) / 1000
  const confirmed = await running('app=web')
  if (confirmed < REPLICAS)
    throw new Error(`deployment says ${REPLICAS} ready, but ${confirmed} pods are Running`)
  const after = await call('GET', '/debug/controllers')
  const syncs = Object.keys(after.syncs).reduce(
    (s, k) => s + after.syncs[k] - (before.syncs[k] ?? 0),
    0,
  )
  const perSec = REPLICAS / seconds
  rows.push([
    `scale ${WARM} → ${REPLICAS}: seconds until all Running (clock 1×)`,
    NODES,
    REPLICAS,
    fmt(seconds, 1),
    '',
    '',
  ])
  rows.push([
    '  pods to Running per second',
    NODES,
    REPLICAS,
    fmt(perSec, 1),
    `${fmt(creates.perSecond, 1)} bare creates/s`,
    fmt(perSec / creates.perSecond, 2),
  ])
  rows.push(['  controller syncs per second', NODES, REPLICAS, fmt(syncs / seconds, 1), '', ''])
  for (const [name, n] of Object.entries(after.syncs as Record<string, number>))
    rows.push([`    ${name} syncs`, NODES, REPLICAS, n - (before.syncs[name] ?? 0), '', ''])
  console.log(`bench/controllers — size ${args.size}`)
  console.log(
    'Node fetch → wrangler dev → Worker → cluster object (controllers, scheduler) ⇄ node objects (kubelets).\n',
  )
  console.log(table(rows))
  const file = args.json ?? join(ROOT, 'bench/results/controllers.json')
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(
    file,
    JSON.stringify(
      {
        bench: 'controllers',
        size: args.size,
        date: new Date().toISOString(),
        nodes: NODES,
        replicas: REPLICAS,
        seconds,
        perSecond: perSec,
        createsPerSecond: creates.perSecond,
        syncs,
      },
      null,
      2,
    ) + '\n',
  )
} finally {
  await server.stop()
  rmSync(stateDir, { recursive: true, force: true })
}

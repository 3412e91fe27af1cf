// bench/workshop: what a workshop costs and whether a flood hurts the room.
// 1. Joins (POST /clusters/{name}/join: a token, a namespace with its bindings,
//    quota and LimitRange) and RBAC's price per request: the same GET as the
//    leader (cluster-admin through a group binding), as a participant in their
//    own namespace (a RoleBinding) and elsewhere (view through a ClusterRoleBinding),
//    and a 403, beside the object's no-op route of the same run.
// 2. A flood: on a server with the deployment's limits (20 requests/s, burst 60
//    per token), one participant sends as fast as 16 connections allow while
//    another sends 10 requests/s; the other's latency against the same load with
//    no flood, and what the flooder got (200s, 429s, Retry-After).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureCluster, startServer } from '../scripts/lib/server.mjs'
import { type Figures, fmt, measure, parseArgs, percentile, table } from './lib/measure'

const args = parseArgs(process.argv.slice(2))
const small = args.size === 'small'
const JOINS = small ? 10 : 50
const GETS = small ? 200 : 2000
const FLOOD_SECONDS = small ? 3 : 10

interface Joined {
  token: string
  namespace: string
}

async function joinAll(url: string, cluster: string, code: string, n: number, prefix: string): Promise<{ people: Joined[]; figures: Figures }> {
  const people: Joined[] = []
  const figures = await measure(n, 1, async (i) => {
    const r = await fetch(`${url}/clusters/${cluster}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ joinCode: code, displayName: `${prefix} ${i}` }) })
    const body = (await r.json()) as Joined & { message?: string }
    if (r.status !== 200) throw new Error(`join: HTTP ${r.status}: ${body.message}`)
    people.push(body)
  })
  return { people, figures }
}

const get = (url: string, token: string, want = 200) =>
  fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }).then(async (r) => {
    await r.arrayBuffer()
    if (r.status !== want) throw new Error(`GET ${url}: HTTP ${r.status}, wanted ${want}`)
  })

async function rbacCost(): Promise<(string | number)[][]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-workshop-'))
  const server = await startServer({ stateDir })
  try {
    const { adminToken, joinCode } = await ensureCluster(server.url, stateDir, 'bench', { nodes: 0 })
    const base = `${server.url}/clusters/bench`
    const { people, figures: joins } = await joinAll(server.url, 'bench', joinCode!, JOINS, 'Person')
    const alice = people[0]!
    const cm = (ns: string) => `${base}/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`
    // Every namespace's root CA ConfigMap is published by a controller: wait for the first participant's.
    for (let i = 0; ; i++) {
      const r = await fetch(cm(alice.namespace), { headers: { authorization: `Bearer ${alice.token}` } })
      await r.arrayBuffer()
      if (r.status === 200) break
      if (i > 100) throw new Error(`kube-root-ca.crt never appeared in ${alice.namespace}`)
      await new Promise((res) => setTimeout(res, 100))
    }
    const noop = await measure(GETS, 16, () => get(`${base}/noop`, adminToken))
    const leader = await measure(GETS, 16, () => get(cm('default'), adminToken))
    const own = await measure(GETS, 16, () => get(cm(alice.namespace), alice.token))
    const elsewhere = await measure(GETS, 16, () => get(cm('default'), alice.token))
    const denied = await measure(GETS, 16, () => get(`${base}/api/v1/namespaces/default/secrets`, alice.token, 403))
    const rows: (string | number)[][] = [['request (16 in flight)', 'ops/s', 'p50 ms', 'p99 ms', '÷ leader get']]
    rows.push([`join (1 in flight, ${JOINS} people)`, fmt(joins.perSecond, 1), fmt(joins.p50, 2), fmt(joins.p99, 2), '—'])
    const row = (label: string, f: Figures) => rows.push([label, fmt(f.perSecond, 0), fmt(f.p50, 2), fmt(f.p99, 2), fmt(f.perSecond / leader.perSecond, 2)])
    row('no-op on the object (no RBAC)', noop)
    row('get as the leader (cluster-admin)', leader)
    row('get as a participant, own namespace', own)
    row('get as a participant, elsewhere (view)', elsewhere)
    row('list secrets elsewhere: 403', denied)
    return rows
  } finally {
    await server.stop()
    rmSync(stateDir, { recursive: true, force: true })
  }
}

/** Sends one request every `every` ms for `seconds`; latencies (ms) of the answered and a count of the rest. */
async function steady(url: string, token: string, seconds: number, every: number): Promise<{ lat: number[]; refused: number }> {
  const lat: number[] = []
  let refused = 0
  const end = performance.now() + seconds * 1000
  const pending: Promise<void>[] = []
  while (performance.now() < end) {
    const s = performance.now()
    pending.push(
      fetch(url, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
        await r.arrayBuffer()
        if (r.status === 200) lat.push(performance.now() - s)
        else refused++
      }),
    )
    await new Promise((res) => setTimeout(res, every))
  }
  await Promise.all(pending)
  return { lat: lat.sort((a, b) => a - b), refused }
}

async function flood(): Promise<(string | number)[][]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-flood-'))
  // The deployment's limits (wrangler.toml [vars]), not the local server's lifted ones.
  const server = await startServer({ stateDir, vars: {} })
  try {
    const { joinCode } = await ensureCluster(server.url, stateDir, 'flood', { nodes: 0 })
    const { people } = await joinAll(server.url, 'flood', joinCode!, 2, 'Flood')
    const [mallory, carol] = people as [Joined, Joined]
    const url = (p: Joined) => `${server.url}/clusters/flood/api/v1/namespaces/${p.namespace}/configmaps`
    const calm = await steady(url(carol), carol.token, FLOOD_SECONDS, 100)
    let ok = 0
    let limited = 0
    const retryAfter = new Set<string>()
    const stopAt = performance.now() + FLOOD_SECONDS * 1000
    const t0 = performance.now()
    const flooder = async () => {
      while (performance.now() < stopAt) {
        const r = await fetch(url(mallory), { headers: { authorization: `Bearer ${mallory.token}` } })
        await r.arrayBuffer()
        if (r.status === 200) ok++
        else if (r.status === 429) {
          limited++
          retryAfter.add(r.headers.get('retry-after') ?? '')
        } else throw new Error(`flood: HTTP ${r.status}`)
      }
    }
    const [during] = await Promise.all([steady(url(carol), carol.token, FLOOD_SECONDS, 100), ...Array.from({ length: 16 }, flooder)])
    const floodSeconds = (performance.now() - t0) / 1000
    const rows: (string | number)[][] = [['who', 'requests', 'answered 200', 'refused', 'p50 ms', 'p99 ms', '÷ calm p50']]
    rows.push(['Carol, 10/s, nobody flooding', calm.lat.length + calm.refused, calm.lat.length, calm.refused, fmt(percentile(calm.lat, 50), 2), fmt(percentile(calm.lat, 99), 2), '1.00'])
    rows.push(['Carol, 10/s, during the flood', during!.lat.length + during!.refused, during!.lat.length, during!.refused, fmt(percentile(during!.lat, 50), 2), fmt(percentile(during!.lat, 99), 2), fmt(percentile(during!.lat, 50) / percentile(calm.lat, 50), 2)])
    rows.push([`Mallory, 16 in flight (${fmt((ok + limited) / floodSeconds, 0)}/s)`, ok + limited, ok, `${limited} (429, Retry-After ${[...retryAfter].join('/')} s)`, '—', '—', '—'])
    if (during!.refused) throw new Error(`Carol was refused ${during!.refused} times during the flood`)
    if (!limited) throw new Error('the flood was never limited')
    return rows
  } finally {
    await server.stop()
    rmSync(stateDir, { recursive: true, force: true })
  }
}

console.log(`bench/workshop (${args.size}): joins and RBAC's price per request`)
console.log(table(await rbacCost()))
console.log(`\nbench/workshop: a ${FLOOD_SECONDS} s flood from one participant under the deployment's limits (20/s, burst 60 per token)`)
console.log(table(await flood()))

// bench/fanout: the live feed under a workshop's load. N WebSocket clients
// (Node's `ws`, as Node 20 has no WebSocket) subscribe to ConfigMaps of one
// namespace on one cluster; a burst of creates at 100 per second goes through
// the API; each client times every event from the write's acknowledgement
// (the API's response) to its arrival. Printed: delivery latency p50/p99,
// messages and events received, events missing per client. The same-run
// baselines: the API's own watch over HTTP (one kubectl-like client, no
// batching) watching the same burst, and the feed with a single client.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { ensureCluster, ROOT, startServer } from '../scripts/lib/server.mjs'
import { ACK_EVERY, BEARER_SUBPROTOCOL_PREFIX, LIVE_SUBPROTOCOL } from '../worker/multiplayer/protocol'
import { fmt, parseArgs, percentile, table } from './lib/measure'

const args = parseArgs(process.argv.slice(2))
const small = args.size === 'small'
const CLIENTS = Number(process.env.FANOUT_CLIENTS ?? (small ? 20 : 200))
const RATE = 100
const SECONDS = small ? 2 : 5
const WRITES = RATE * SECONDS
const MAX_IN_FLIGHT = 16

interface Run {
  label: string
  clients: number
  /** Writes acknowledged per second (100 unless the server could not keep the pace). */
  rate: number
  /** From the write's acknowledgement (its HTTP response) to arrival; negative when the event beat the response. */
  latencies: number[]
  /** From the write being sent to arrival. */
  fromSent: number[]
  messages: number
  events: number
  missing: number
  worstMissing: number
  connectSeconds: number
}

const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-bench-fanout-'))
const server = await startServer({ stateDir })
const rows: (string | number)[][] = [['feed', 'clients', 'writes', 'writes/s', 'p50 ms', 'p99 ms', 'max ms', 'from sent p50', 'p99', 'messages', 'events received', 'missing', 'connect s']]
const runs: Run[] = []
try {
  const { adminToken } = await ensureCluster(server.url, stateDir, 'fanout', { nodes: 0 })
  const base = `${server.url}/clusters/fanout`
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }
  const call = async (method: string, path: string, body?: unknown, retried = false): Promise<any> => {
    let r: Response
    try {
      r = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    } catch (err) {
      // A kept-alive connection the dev server's proxy had just closed: send again once (a create that
      // did land answers 409, which is as good).
      if (retried) throw err
      return call(method, path, body, true)
    }
    if (retried && r.status === 409) return r.json()
    if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status}: ${await r.text()}`)
    return r.json()
  }
  const protocols = [LIVE_SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${Buffer.from(adminToken).toString('base64url')}`]

  const isBurst = (e: { object?: { metadata?: { name?: string } } }) => e.object?.metadata?.name?.startsWith('cm-') === true

  /** One browser: subscribes, acks as the protocol asks, notes when each ConfigMap's ADDED arrives. */
  class Client {
    readonly ws: WebSocket
    readonly arrived = new Map<string, number>()
    messages = 0
    events = 0
    #received = 0
    #acked = 0
    constructor(namespace: string, onSynced: () => void, onError: (e: Error) => void) {
      this.ws = new WebSocket(`${base.replace(/^http/, 'ws')}/live`, protocols)
      this.ws.on('error', onError)
      this.ws.on('close', (code) => code !== 1000 && code !== 1005 && onError(new Error(`socket closed with ${code}`)))
      this.ws.on('open', () =>
        this.ws.send(JSON.stringify({ type: 'subscribe', sub: { id: 'cms', group: '', version: 'v1', resource: 'configmaps', namespace } })),
      )
      this.ws.on('message', (data) => {
        const now = performance.now()
        const text = data.toString()
        this.#received += text.length
        this.messages++
        const m = JSON.parse(text)
        if (m.type === 'events')
          for (const e of m.events) {
            // Only the burst's own ConfigMaps: the root CA publisher adds kube-root-ca.crt to each new namespace.
            if (!isBurst(e)) continue
            this.events++
            if (e.type === 'ADDED') this.arrived.set(e.object.metadata.name, now)
          }
        else if (m.type === 'synced') onSynced()
        else if (m.type === 'error' || m.type === 'expired') onError(new Error(text))
        if (this.#received - this.#acked >= ACK_EVERY) {
          this.#acked = this.#received
          this.ws.send(JSON.stringify({ type: 'ack', received: this.#received }))
        }
      })
    }
  }

  /** The API's own watch over HTTP, as kubectl get -w reads it. */
  async function httpWatch(namespace: string, rv: string) {
    const arrived = new Map<string, number>()
    const controller = new AbortController()
    const r = await fetch(`${base}/api/v1/namespaces/${namespace}/configmaps?watch=1&resourceVersion=${rv}`, { headers, signal: controller.signal })
    const reader = r.body!.getReader()
    const decoder = new TextDecoder()
    let events = 0
    let chunks = 0
    void (async () => {
      let buf = ''
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return
          chunks++
          const now = performance.now()
          buf += decoder.decode(value, { stream: true })
          let nl
          while ((nl = buf.indexOf('\n')) >= 0) {
            const e = JSON.parse(buf.slice(0, nl))
            buf = buf.slice(nl + 1)
            if (!isBurst(e)) continue
            events++
            if (e.type === 'ADDED') arrived.set(e.object.metadata.name, now)
          }
        }
      } catch {
        // aborted
      }
    })()
    return { arrived, stats: () => ({ events, messages: chunks }), close: () => controller.abort() }
  }

  async function run(clients: number, namespace: string): Promise<void> {
    await call('POST', '/api/v1/namespaces', { metadata: { name: namespace } })
    let failure: Error | undefined
    const fail = (e: Error) => (failure ??= e)
    const t0 = performance.now()
    let synced = 0
    const feed: Client[] = []
    // Connect in waves of 50, as a room of browsers would arrive (and to stay clear of accept backlogs).
    for (let i = 0; i < clients; i += 50) {
      const wave = Array.from({ length: Math.min(50, clients - i) }, () => new Client(namespace, () => synced++, fail))
      feed.push(...wave)
      while (synced < feed.length && !failure) await new Promise((r) => setTimeout(r, 20))
    }
    if (failure) throw failure
    const connectSeconds = (performance.now() - t0) / 1000
    const list = await call('GET', `/api/v1/namespaces/${namespace}/configmaps`)
    const watch = await httpWatch(namespace, list.metadata.resourceVersion)

    // The burst: one create every 10 ms, not waiting for the previous one, at most MAX_IN_FLIGHT
    // at a time (a server slower than the pace gets a lower rate, printed, rather than a pile-up).
    const acked = new Map<string, number>()
    const sent = new Map<string, number>()
    const start = performance.now()
    const writes: Promise<void>[] = []
    let inFlight = 0
    for (let i = 0; i < WRITES; i++) {
      const due = start + (i * 1000) / RATE
      while (performance.now() < due || inFlight >= MAX_IN_FLIGHT) await new Promise((r) => setTimeout(r, 1))
      const name = `cm-${String(i).padStart(4, '0')}`
      inFlight++
      sent.set(name, performance.now())
      writes.push(
        call('POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name }, data: { i: String(i), note: 'x'.repeat(200) } }).then(() => {
          inFlight--
          acked.set(name, performance.now())
        }),
      )
    }
    await Promise.all(writes)
    const rate = WRITES / ((Math.max(...acked.values()) - start) / 1000)
    const complete = () => feed.every((c) => c.arrived.size >= WRITES) && watch.arrived.size >= WRITES
    for (const deadline = performance.now() + 15_000; !complete() && performance.now() < deadline && !failure; ) await new Promise((r) => setTimeout(r, 50))
    watch.close()
    if (failure) throw failure

    const since = (from: Map<string, number>) => (arrived: Map<string, number>) =>
      [...arrived].flatMap(([name, t]) => (from.has(name) ? [t - from.get(name)!] : [])).sort((a, b) => a - b)
    const lat = since(acked)
    const fromSent = since(sent)
    const summarize = (label: string, n: number, arrivals: Map<string, number>[], messages: number, events: number, missingPer: number[]): Run => ({
      label,
      clients: n,
      rate,
      latencies: arrivals.flatMap(lat).sort((a, b) => a - b),
      fromSent: arrivals.flatMap(fromSent).sort((a, b) => a - b),
      messages,
      events,
      missing: missingPer.reduce((a, b) => a + b, 0),
      worstMissing: Math.max(0, ...missingPer),
      connectSeconds,
    })
    runs.push(
      summarize(
        'live feed (WebSocket, batched)',
        clients,
        feed.map((c) => c.arrived),
        feed.reduce((s, c) => s + c.messages, 0),
        feed.reduce((s, c) => s + c.events, 0),
        feed.map((c) => WRITES - c.arrived.size),
      ),
    )
    const ws = watch.stats()
    runs.push(summarize('  baseline: API watch over HTTP, same burst', 1, [watch.arrived], ws.messages, ws.events, [WRITES - watch.arrived.size]))
    for (const c of feed) c.ws.close(1000)
  }

  await run(1, 'one')
  await run(CLIENTS, 'many')

  for (const r of runs)
    rows.push([
      r.label,
      r.clients,
      WRITES,
      fmt(r.rate, 0),
      fmt(percentile(r.latencies, 50), 1),
      fmt(percentile(r.latencies, 99), 1),
      fmt(r.latencies.at(-1) ?? NaN, 1),
      fmt(percentile(r.fromSent, 50), 1),
      fmt(percentile(r.fromSent, 99), 1),
      r.messages,
      r.events,
      `${r.missing}${r.worstMissing ? ` (worst client ${r.worstMissing})` : ''}`,
      r.label.startsWith(' ') ? '' : fmt(r.connectSeconds, 1),
    ])
  console.log(`bench/fanout — size ${args.size}: ${WRITES} ConfigMap creates paced at ${RATE}/s (≤ ${MAX_IN_FLIGHT} in flight), latency from the API's response to arrival`)
  console.log('Node ws/fetch → wrangler dev → Worker → cluster object (one store watch → every subscription → batched per socket).\n')
  console.log(table(rows))
  const file = args.json ?? join(ROOT, 'bench/results/fanout.json')
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(
    file,
    JSON.stringify(
      {
        bench: 'fanout',
        size: args.size,
        date: new Date().toISOString(),
        writes: WRITES,
        rate: RATE,
        runs: runs.map(({ latencies, fromSent, ...r }) => ({
          ...r,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          max: latencies.at(-1),
          fromSentP50: percentile(fromSent, 50),
          fromSentP99: percentile(fromSent, 99),
        })),
      },
      null,
      2,
    ) + '\n',
  )
  const lost = runs.reduce((s, r) => s + r.missing, 0)
  if (lost) {
    console.error(`${lost} events never arrived`)
    process.exitCode = 1
  }
} catch (err) {
  console.error((server.child as { output?: () => string }).output?.().slice(-4000))
  throw err
} finally {
  await server.stop()
  rmSync(stateDir, { recursive: true, force: true })
}

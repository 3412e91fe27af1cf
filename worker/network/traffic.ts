// Simulated traffic: each request takes the path a packet would. The client's
// resolver (the cluster DNS for a pod), the cloud's load balancer for a
// LoadBalancer IP, the kube-proxy rules of the node it enters (each node's
// own, asked over RPC, so a node with stale rules routes stale), and finally
// the pod, whose container answers or refuses. Only this orchestration lives
// here; the rules are the node's and the answer is the kubelet's.
import { MAX_CLIENTS, MAX_REQUESTS } from '../apiserver/handlers/simulation'
import type { RouteReply, RouteRequest, ServeBatch, ServeResult } from '../resources/node-rpc'
import { type DnsView, resolve, searchList } from './dns'

type Obj = Record<string, any>

export interface TrafficSpec {
  url: string
  requests?: number
  clients?: number
  method?: string
  from?: { pod?: string; node?: string }
}

export interface Target {
  host: string
  port: number
  path: string
}

export interface NetworkView extends DnsView {
  pod(namespace: string, name: string): Obj | undefined
  /** Every Node (a cluster has tens of them, not thousands). */
  nodes(): Obj[]
  serviceByIngressIP(ip: string): Obj | undefined
  podByIP(ip: string): Obj | undefined
}

/** The nodes' data plane: kube-proxy's rules and the kubelets' containers. */
export interface Dataplane {
  route(node: string, req: RouteRequest): Promise<RouteReply>
  serve(node: string, batches: ServeBatch[]): Promise<ServeResult[]>
}

export interface TrafficStatus {
  address?: string
  port: number
  via?: 'ClusterIP' | 'LoadBalancer' | 'NodePort' | 'NodeIP' | 'PodIP'
  service?: string
  sent: number
  answered: number
  refused: number
  timedOut: number
  endpoints: { pod: string; node: string; ip: string; port: number; requests: number }[]
  nodes: { name: string; requests: number }[]
  response?: { code: number; pod: string; body: string }
  error?: string
}

/** A request the caller made wrong (no such pod, say): the API answers it with this Status. */
export class TrafficError extends Error {
  constructor(
    readonly code: number,
    readonly reason: 'NotFound' | 'BadRequest',
    message: string,
  ) {
    super(message)
  }
}

/** http://host[:port][/path] or host:port; undefined when it is neither. */
export function parseTarget(url: string): Target | undefined {
  const m = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/[^\s]*)?$/.exec(url.trim())
  if (!m) return undefined
  const port = m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80
  if (port < 1 || port > 65535) return undefined
  return { host: m[2]!.toLowerCase(), port, path: m[4] ?? '/' }
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/

/** The i-th outside client: addresses from 198.18.0.0/15, the range kept for benchmark traffic (RFC 2544). */
export const outsideClient = (i: number) => `198.18.${Math.floor(i / 254)}.${(i % 254) + 1}`

export const nodeIP = (n: Obj): string | undefined =>
  (n.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address

const isReady = (n: Obj) => (n.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True')

interface Source {
  node?: Obj
  search?: string[]
  clients: { ip: string; count: number }[]
}

function source(spec: TrafficSpec, namespace: string, view: NetworkView, requests: number): Source {
  if (spec.from?.pod) {
    const pod = view.pod(namespace, spec.from.pod)
    if (!pod) throw new TrafficError(404, 'NotFound', `pods "${spec.from.pod}" not found`)
    const node = pod.spec?.nodeName && view.nodes().find((n) => n.metadata.name === pod.spec.nodeName)
    if (pod.status?.phase !== 'Running' || !pod.status?.podIP || !node)
      throw new TrafficError(400, 'BadRequest', `pod ${spec.from.pod} is not running`)
    return { node, search: searchList(namespace), clients: [{ ip: pod.status.podIP, count: requests }] }
  }
  if (spec.from?.node) {
    const node = view.nodes().find((n) => n.metadata.name === spec.from!.node)
    if (!node) throw new TrafficError(404, 'NotFound', `nodes "${spec.from.node}" not found`)
    return { node, clients: [{ ip: nodeIP(node) ?? '0.0.0.0', count: requests }] }
  }
  const n = Math.min(Math.max(1, spec.clients ?? 1), requests, MAX_CLIENTS)
  return {
    clients: Array.from({ length: n }, (_, i) => ({
      ip: outsideClient(i),
      count: Math.floor(requests / n) + (i < requests % n ? 1 : 0),
    })),
  }
}

/** Packets waiting to be routed by one node, by destination address. */
type RouteKey = string
interface PendingRoute {
  node: Obj
  req: RouteRequest
}

export async function sendTraffic(
  spec: TrafficSpec,
  namespace: string,
  view: NetworkView,
  plane: Dataplane,
  random: () => number,
): Promise<TrafficStatus> {
  const target = parseTarget(spec.url)
  if (!target) throw new TrafficError(400, 'BadRequest', `spec.url: Invalid value: "${spec.url}"`)
  const requests = Math.min(Math.max(1, spec.requests ?? 1), MAX_REQUESTS)
  const method = spec.method ?? 'GET'
  const src = source(spec, namespace, view, requests)
  const st: TrafficStatus = { port: target.port, sent: requests, answered: 0, refused: 0, timedOut: 0, endpoints: [], nodes: [] }

  // The resolver: a pod asks the cluster DNS; a node or an outside client cannot resolve cluster names.
  let addresses: string[]
  if (IPV4.test(target.host)) addresses = [target.host]
  else {
    const a = src.search ? resolve(view, target.host, 'A', src.search) : undefined
    const cname = a?.answers.find((r) => r.type === 'CNAME')
    // The simulation has no Internet: an ExternalName's target resolves nowhere.
    if (!a || cname || a.answers.length === 0) return { ...st, sent: 0, error: `curl: (6) Could not resolve host: ${cname?.data ?? target.host}` }
    addresses = a.answers.map((r) => r.data)
  }
  st.address = addresses[0]

  // Where each client's packets enter, and whether from outside that node.
  const routes = new Map<RouteKey, PendingRoute>()
  const direct: { pod: Obj; clients: Map<string, number> }[] = []
  const nodes = view.nodes()
  const enter = (node: Obj, ip: string, external: boolean, client: string, count: number) => {
    const key = `${node.metadata.name}|${ip}|${external}`
    let r = routes.get(key)
    if (!r) routes.set(key, (r = { node, req: { ip, port: target.port, protocol: 'TCP', external, clients: [] } }))
    const c = r.req.clients.find((x) => x.ip === client)
    if (c) c.count += count
    else r.req.clients.push({ ip: client, count })
  }
  let unreachable = 0
  for (const client of src.clients) {
    // Headless names answer several A records, shuffled (CoreDNS's loadbalance): each request picks one.
    const per = new Map<string, number>()
    if (addresses.length === 1) per.set(addresses[0]!, client.count)
    else for (let i = 0; i < client.count; i++) { const a = addresses[Math.floor(random() * addresses.length)]!; per.set(a, (per.get(a) ?? 0) + 1) }
    for (const [address, count] of per) {
      const svcByCluster = view.serviceByIP(address)
      const svcByIngress = svcByCluster ? undefined : view.serviceByIngressIP(address)
      const node = nodes.find((n) => nodeIP(n) === address)
      const pod = svcByCluster || svcByIngress || node ? undefined : view.podByIP(address)
      if (svcByCluster) {
        st.via = 'ClusterIP'
        // Service IPs exist only in nodes' rules: nothing outside routes to them.
        if (!src.node) unreachable += count
        else enter(src.node, address, false, client.ip, count)
      } else if (svcByIngress) {
        st.via = 'LoadBalancer'
        if (src.node) enter(src.node, address, false, client.ip, count)
        else {
          const pool = lbTargets(svcByIngress, nodes, view)
          if (pool.length === 0) unreachable += count
          else spread(count, pool.length, random).forEach((k, i) => k && enter(pool[i]!, address, true, client.ip, k))
        }
      } else if (node) {
        st.via = 'NodePort'
        enter(node, address, src.node?.metadata.name !== node.metadata.name, client.ip, count)
      } else if (pod && src.node) {
        st.via = 'PodIP'
        let d = direct.find((x) => x.pod === pod)
        if (!d) direct.push((d = { pod, clients: new Map() }))
        d.clients.set(client.ip, (d.clients.get(client.ip) ?? 0) + count)
      } else unreachable += count
    }
  }

  // Each entry node's kube-proxy routes its packets; then each endpoint's kubelet serves them.
  const deliveries = new Map<string, { node: string; batch: ServeBatch; pod: Obj }>()
  const deliver = (pod: Obj, ip: string, port: number, client: string, count: number) => {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}|${port}`
    let d = deliveries.get(key)
    if (!d)
      deliveries.set(
        key,
        (d = {
          node: pod.spec.nodeName,
          pod,
          batch: { namespace: pod.metadata.namespace, name: pod.metadata.name, ip, port, method, path: target.path, host: target.host, clients: [] },
        }),
      )
    const c = d.batch.clients.find((x) => x.ip === client)
    if (c) c.count += count
    else d.batch.clients.push({ ip: client, count })
  }
  for (const d of direct) for (const [client, count] of d.clients) deliver(d.pod, d.pod.status.podIP, target.port, client, count)
  const perNode = new Map<string, number>()
  await Promise.all(
    [...routes.values()].map(async ({ node, req }) => {
      const name = node.metadata.name
      const total = req.clients.reduce((n, c) => n + c.count, 0)
      perNode.set(name, (perNode.get(name) ?? 0) + total)
      let reply: RouteReply
      try {
        reply = await plane.route(name, req)
      } catch {
        reply = { ok: false, code: 503, reason: 'ServiceUnavailable', message: 'unreachable' }
      }
      if (!reply.ok) return void (unreachable += total)
      st.refused += reply.refused
      unreachable += reply.dropped ?? 0
      // Nothing matched: a ClusterIP or LB IP this node has not heard of leads nowhere; a node port nobody uses is closed.
      if (reply.unmatched) {
        if (st.via === 'NodePort') st.refused += reply.unmatched
        else unreachable += reply.unmatched
      }
      for (const e of reply.endpoints) {
        st.service ??= e.service
        const pod = view.podByIP(e.ip)
        if (!pod?.spec?.nodeName) {
          unreachable += e.count
          continue
        }
        // Masqueraded packets reach the pod from the node they entered.
        deliver(pod, e.ip, e.port, e.masquerade ? (nodeIP(node) ?? e.client) : e.client, e.count)
      }
    }),
  )
  st.nodes = [...perNode].map(([name, requests]) => ({ name, requests })).sort((a, b) => (a.name < b.name ? -1 : 1))

  const byNode = new Map<string, { batch: ServeBatch; pod: Obj }[]>()
  for (const d of deliveries.values()) byNode.set(d.node, [...(byNode.get(d.node) ?? []), d])
  await Promise.all(
    [...byNode].map(async ([node, list]) => {
      let results: ServeResult[]
      try {
        results = await plane.serve(node, list.map((d) => d.batch))
      } catch {
        results = list.map((d) => ({ answered: 0, refused: 0, timedOut: d.batch.clients.reduce((n, c) => n + c.count, 0) }))
      }
      list.forEach((d, i) => {
        const r = results[i]!
        st.answered += r.answered
        st.refused += r.refused
        unreachable += r.timedOut
        const name = d.pod.metadata.name
        st.endpoints.push({ pod: name, node, ip: d.batch.ip, port: d.batch.port, requests: d.batch.clients.reduce((n, c) => n + c.count, 0) })
        if (r.response) st.response = { code: r.response.code, pod: name, body: r.response.body }
      })
    }),
  )
  st.endpoints.sort((a, b) => (a.pod < b.pod ? -1 : 1))
  st.timedOut = unreachable
  if (st.answered === 0) {
    const where = `${target.host} port ${target.port}`
    st.error =
      st.refused > 0
        ? `curl: (7) Failed to connect to ${where} after 0 ms: Couldn't connect to server`
        : `curl: (28) Failed to connect to ${where} after 130000 ms: Connection timed out`
  }
  return st
}

/**
 * The nodes a cloud load balancer sends to, as the service controller picks
 * them: Ready, not excluded by label, not being removed by the autoscaler;
 * with externalTrafficPolicy Local, only those whose health check passes
 * (a ready endpoint on the node), as the healthCheckNodePort reports.
 */
function lbTargets(svc: Obj, nodes: Obj[], view: NetworkView): Obj[] {
  const ready = nodes.filter(
    (n) =>
      isReady(n) &&
      n.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] === undefined &&
      !(n.spec?.taints ?? []).some((t: Obj) => t.key === 'ToBeDeletedByClusterAutoscaler'),
  )
  if (svc.spec?.externalTrafficPolicy !== 'Local') return ready
  const local = new Set<string>()
  for (const s of view.endpointSlices(svc.metadata.namespace, svc.metadata.name))
    for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false && e.nodeName) local.add(e.nodeName)
  return ready.filter((n) => local.has(n.metadata.name))
}

/** Splits count requests over n targets, each request to a uniformly random one. */
function spread(count: number, n: number, random: () => number): number[] {
  const out = new Array<number>(n).fill(0)
  for (let i = 0; i < count; i++) out[Math.floor(random() * n)]!++
  return out
}

// kube-proxy on a node: keeps the Services and EndpointSlices its informers
// would (pushed by the cluster, relisted after a fault), syncs the rules
// lazily when something changed, routes batches of new connections through
// them and answers what it programmed. Faults: a powered-off node loses its
// rules, counters and affinity lists (they live in the kernel) and answers
// nothing; a partitioned one keeps routing with its stale rules. Storage comes
// through the small interface below; the node object supplies it.
import {
  FAULT_ANNOTATION,
  type Fault,
  type ProxyChainView,
  type ProxyPush,
  type ProxyRulesReply,
  type RouteReply,
  type RouteRequest,
} from '../../resources/node-rpc'
import { defaultProxyConfig } from './base-chains'
import { endpointsMapOf } from './endpoints'
import { iptablesSave, savedRule } from './iptables-save'
import { seededRandom, seedOf } from './random'
import { PACKET_BYTES, type RecentLists, route } from './route'
import { type Chain, type Proto, type Rule, ruleArgs, type Ruleset, type TableName } from './rules'
import { cidrContains, isIPv4, servicePortsOf } from './service-port'
import { type ServiceView, syncProxyRules } from './sync-rules'

type Obj = Record<string, any>

export type ProxyKind = 'services' | 'endpointslices'

export interface CounterRow {
  table: TableName
  chain: string
  /** The rule as kube-proxy writes it ("#2" for a second identical one); '' for the chain's policy. */
  rule: string
  packets: number
  bytes: number
}

export interface ProxyStorage {
  put(kind: ProxyKind, namespace: string, name: string, object: Obj | undefined): void
  list(kind: ProxyKind): Obj[]
  /** A relist begins: every row is stale until listed again. */
  markStale(): void
  /** A relist ends: what was not listed is gone. */
  sweepStale(): void
  recent: RecentLists & { lists(): string[]; dropList(list: string): void }
  counters(): CounterRow[]
  /** Adds to the counters (creating rows). */
  addCounters(rows: CounterRow[]): void
  dropCounters(rows: Pick<CounterRow, 'table' | 'chain' | 'rule'>[]): void
  /** Power loss: rules, counters and affinity lists are gone with the kernel's memory. */
  clear(): void
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
}

interface ProxyState {
  node: string
  nodeIP: string
  zone: string
  podCIDR: string
  fault?: Fault
}

interface Model {
  ruleset: Ruleset
  services: ServiceView[]
  keys: Map<Rule | Chain, Omit<CounterRow, 'packets' | 'bytes'>>
}

const STATE = 'proxy'

function faultOf(node: Obj): Fault {
  const f = node.metadata?.annotations?.[FAULT_ANNOTATION]
  return f === 'poweroff' || f === 'partition' ? f : undefined
}

const unavailable = (message: string) => ({
  ok: false as const,
  code: 503,
  reason: 'ServiceUnavailable',
  message,
})

export class KubeProxy {
  #model: Model | undefined
  #calls = 0

  constructor(
    readonly store: ProxyStorage,
    readonly now: () => number,
  ) {}

  get state(): ProxyState | undefined {
    return this.store.get<ProxyState>(STATE)
  }

  /** The cluster created or changed our Node (its IP, zone label, faults). */
  configure(node: Obj, nodeIP: string): void {
    const prev = this.state
    const st: ProxyState = {
      node: node.metadata.name,
      nodeIP,
      zone: node.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '',
      podCIDR: node.spec?.podCIDR ?? '',
      fault: faultOf(node),
    }
    if (st.fault === 'poweroff' && prev?.fault !== 'poweroff') this.store.clear()
    this.store.set(STATE, st)
    if (JSON.stringify(st) !== JSON.stringify(prev)) this.#model = undefined
  }

  /** Services or EndpointSlices changed (the cluster's push). False while the node cannot hear: it relists later. */
  changed(push: ProxyPush): boolean {
    if (this.state?.fault) return false
    if (push.relist?.first) this.store.markStale()
    for (const s of push.services) this.store.put('services', s.namespace, s.name, s.object)
    for (const s of push.endpointSlices)
      this.store.put('endpointslices', s.namespace, s.name, s.object)
    if (push.relist?.last) this.store.sweepStale()
    this.#model = undefined
    return true
  }

  #sync(st: ProxyState): Model {
    if (this.#model) return this.#model
    const cfg = defaultProxyConfig(st.node, st.nodeIP, st.zone)
    const services = this.store.list('services').flatMap(servicePortsOf)
    const endpoints = endpointsMapOf(this.store.list('endpointslices'), st.node)
    const { ruleset, services: views } = syncProxyRules(cfg, services, endpoints)
    const keys = new Map<Rule | Chain, Omit<CounterRow, 'packets' | 'bytes'>>()
    const byKey = new Map<string, Rule | Chain>()
    const sepChains = new Set<string>()
    for (const t of ruleset.tables)
      for (const c of t.chains) {
        if (c.name.startsWith('KUBE-SEP-')) sepChains.add(c.name)
        const seen = new Map<string, number>()
        const add = (x: Rule | Chain, rule: string) => {
          keys.set(x, { table: t.name, chain: c.name, rule })
          byKey.set(`${t.name} ${c.name} ${rule}`, x)
        }
        if (c.policy) add(c, '')
        for (const r of c.rules) {
          const args = ruleArgs(r).join(' ')
          const n = (seen.get(args) ?? 0) + 1
          seen.set(args, n)
          add(r, n > 1 ? `${args} #${n}` : args)
        }
      }
    // Counters of rules that survive a sync carry on; the rest go with their rules.
    const gone: CounterRow[] = []
    for (const row of this.store.counters()) {
      const x = byKey.get(`${row.table} ${row.chain} ${row.rule}`)
      if (!x) gone.push(row)
      else {
        x.packets = row.packets
        x.bytes = row.bytes
      }
    }
    if (gone.length) this.store.dropCounters(gone)
    for (const list of this.store.recent.lists())
      if (!sepChains.has(list)) this.store.recent.dropList(list)
    return (this.#model = { ruleset, services: views, keys })
  }

  route(req: RouteRequest): RouteReply {
    const st = this.state
    if (!st) return unavailable('kube-proxy has not started')
    if (st.fault === 'poweroff')
      return unavailable(`dial tcp ${st.nodeIP}: connect: no route to host`)
    const bad = badRequest(req)
    if (bad) return { ok: false, code: 400, reason: 'BadRequest', message: bad }
    const model = this.#sync(st)
    const now = this.now()
    const gateway = st.podCIDR.replace(/\.0\/\d+$/, '.1')
    const r = route(
      {
        ruleset: model.ruleset,
        isLocal: (ip) => ip === st.nodeIP || ip === gateway || cidrContains('127.0.0.0/8', ip),
        nodeIP: st.nodeIP,
        podCIDR: st.podCIDR || '0.0.0.0/32',
        podGateway: gateway,
        now,
        random: seededRandom(seedOf(`${st.node}/${now}/${++this.#calls}`)),
        recent: this.store.recent,
      },
      {
        ip: req.ip,
        port: req.port,
        protocol: req.protocol.toLowerCase() as Proto,
        clients: req.clients.filter((c) => c.count > 0),
      },
    )
    const rows: CounterRow[] = []
    for (const [x, packets] of r.hits) {
      const key = model.keys.get(x)
      if (key) rows.push({ ...key, packets, bytes: packets * PACKET_BYTES })
    }
    if (rows.length) this.store.addCounters(rows)
    return {
      ok: true,
      endpoints: [...r.deliveries.values()].map((d) => ({
        client: d.client,
        ip: d.ip,
        port: d.port,
        count: d.count,
        service: d.service,
        ...(d.masquerade ? { masquerade: true } : {}),
      })),
      refused: r.refused,
      dropped: r.dropped,
      unmatched: r.unmatched,
    }
  }

  /** What this node programs. Reached through the node's kubelet port, so a node that cannot be reached answers nothing. */
  rules(opts: { counters?: boolean } = {}): ProxyRulesReply {
    const st = this.state
    if (!st) return unavailable('kube-proxy has not started')
    if (st.fault === 'poweroff')
      return unavailable(`dial tcp ${st.nodeIP}:10250: connect: no route to host`)
    if (st.fault === 'partition') return unavailable(`dial tcp ${st.nodeIP}:10250: i/o timeout`)
    const model = this.#sync(st)
    return {
      ok: true,
      node: st.node,
      nodeIP: st.nodeIP,
      tables: model.ruleset.tables.map((t) => ({ name: t.name, chains: t.chains.map(chainView) })),
      services: model.services,
      iptablesSave: iptablesSave(model.ruleset, { now: this.now(), counters: !!opts.counters }),
    }
  }
}

function chainView(c: Chain): ProxyChainView {
  return {
    name: c.name,
    ...(c.policy ? { policy: c.policy } : {}),
    packets: c.packets,
    bytes: c.bytes,
    ...(c.service ? { service: c.service } : {}),
    rules: c.rules.map((r) => ({
      args: ruleArgs(r).join(' '),
      text: savedRule(r),
      ...(r.target ? { target: r.target.j } : {}),
      packets: r.packets,
      bytes: r.bytes,
    })),
  }
}

function badRequest(req: RouteRequest): string | undefined {
  if (!isIPv4(req.ip))
    return `ip: Invalid value: ${JSON.stringify(req.ip)}: must be a valid IPv4 address`
  if (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535)
    return `port: Invalid value: ${req.port}: must be between 1 and 65535, inclusive`
  if (!['TCP', 'UDP', 'SCTP'].includes(req.protocol))
    return `protocol: Unsupported value: ${JSON.stringify(req.protocol)}: supported values: "SCTP", "TCP", "UDP"`
  for (const [i, c] of req.clients.entries()) {
    if (!isIPv4(c.ip))
      return `clients[${i}].ip: Invalid value: ${JSON.stringify(c.ip)}: must be a valid IPv4 address`
    if (!Number.isInteger(c.count) || c.count < 0)
      return `clients[${i}].count: Invalid value: ${c.count}: must be greater than or equal to 0`
  }
  return undefined
}

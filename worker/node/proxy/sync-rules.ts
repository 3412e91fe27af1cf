// syncProxyRules: the whole rule set this node's kube-proxy programs for the
// current service and endpoints maps, rule for rule as upstream's iptables
// proxier writes it (pkg/proxy/iptables/proxier.go, syncProxyRules and
// writeServiceToEndpointRules), plus a per-service view for clients to draw.
import type { ProxyServiceView } from '../../resources/node-rpc'
import { BUILTIN, baseChains, type ProxyConfig } from './base-chains'
import * as C from './chain-names'
import type { Endpoint, EndpointsMap } from './endpoints'
import {
  chain,
  type Chain,
  type Match,
  type Proto,
  rule,
  type Ruleset,
  type TableName,
  type Target,
} from './rules'
import {
  cidrContains,
  externallyAccessible,
  type ServicePort,
  servicePortKey,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from './service-port'
import { categorizeEndpoints } from './topology'

/** Past this many endpoints kube-proxy drops the per-endpoint comments to keep the rules small. */
export const LARGE_CLUSTER_ENDPOINTS = 1000

export type ServiceView = ProxyServiceView

export interface SyncResult {
  ruleset: Ruleset
  services: ServiceView[]
}

class Chains {
  readonly #byName = new Map<string, Chain>()
  constructor(
    readonly table: TableName,
    base: Chain[],
  ) {
    for (const c of base) this.#byName.set(c.name, c)
  }
  get(name: string, service?: string): Chain {
    let c = this.#byName.get(name)
    if (!c) this.#byName.set(name, (c = chain(name, [], service ? { service } : {})))
    return c
  }
  add(name: string, matches: Match[], target?: Target): void {
    this.get(name).rules.push(rule(matches, target))
  }
  /** Built-ins first, then the rest by name, as iptables-save lists them. */
  list(): Chain[] {
    const builtin = BUILTIN[this.table]
    return [...this.#byName.values()].sort((a, b) => {
      const ia = builtin.indexOf(a.name)
      const ib = builtin.indexOf(b.name)
      if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib)
      return a.name < b.name ? -1 : 1
    })
  }
}

const note = (text: string): Match => ({ m: 'comment', text })
const proto = (p: Proto): Match => ({ m: 'proto', proto: p })
const dst = (cidr: string): Match => ({ m: 'dst', cidr })
const dport = (port: number): Match => ({ m: 'dport', port })
const j = (name: string): Target => ({ j: name })
export const probability = (n: number) => (1 / n).toFixed(10)

export function syncProxyRules(
  cfg: ProxyConfig,
  services: ServicePort[],
  endpoints: EndpointsMap,
): SyncResult {
  const mark = 1 << cfg.masqueradeBit
  const base = baseChains()
  const filter = new Chains('filter', base.filter)
  const nat = new Chains('nat', base.nat)
  for (const n of [
    C.KUBE_SERVICES,
    C.KUBE_EXTERNAL_SERVICES,
    C.KUBE_FORWARD,
    C.KUBE_NODEPORTS,
    C.KUBE_PROXY_FIREWALL,
  ])
    filter.get(n)
  for (const n of [C.KUBE_SERVICES, C.KUBE_NODEPORTS, C.KUBE_POSTROUTING, C.KUBE_MARK_MASQ])
    nat.get(n)

  nat.add(C.KUBE_POSTROUTING, [{ m: 'mark', value: mark, mask: mark, not: true }], j('RETURN'))
  // Clear the mark so a packet that goes round the stack again is not masqueraded twice.
  nat.add(C.KUBE_POSTROUTING, [], { j: 'MARK', op: 'xor', value: mark })
  nat.add(C.KUBE_POSTROUTING, [note('kubernetes service traffic requiring SNAT')], {
    j: 'MASQUERADE',
    randomFully: cfg.randomFully,
  })
  nat.add(C.KUBE_MARK_MASQ, [], { j: 'MARK', op: 'or', value: mark })
  if (cfg.localhostNodePorts)
    // route_localnet opens 127/8 to NodePorts; this closes it to anything but local connections.
    filter.add(
      C.KUBE_FIREWALL,
      [
        note('block incoming localnet connections'),
        dst('127.0.0.0/8'),
        { m: 'src', cidr: '127.0.0.0/8', not: true },
        { m: 'conntrack', states: ['RELATED', 'ESTABLISHED', 'DNAT'], not: true },
      ],
      j('DROP'),
    )

  const sorted = [...services].sort((a, b) =>
    a.name === b.name ? (a.protocol < b.protocol ? -1 : 1) : a.name < b.name ? -1 : 1,
  )
  let total = 0
  for (const sp of sorted) total += endpoints.get(servicePortKey(sp.name, sp.protocol))?.length ?? 0
  const large = total > LARGE_CLUSTER_ENDPOINTS
  const svcNote = (text: string): Match[] => (large ? [] : [note(text)])
  const views: ServiceView[] = []

  for (const sp of sorted) {
    const p = sp.protocol.toLowerCase() as Proto
    const name = sp.name
    const all = endpoints.get(servicePortKey(name, sp.protocol)) ?? []
    const { cluster, local, reachable, hasAny } = categorizeEndpoints(all, sp, cfg.zone)
    const svcChain = C.clusterPolicyChain(name, p)
    const svlChain = C.localPolicyChain(name, p)
    const extChain = C.externalChain(name, p)
    const fwChain = C.firewallChain(name, p)
    const usesSvc = cluster.length > 0 && usesClusterEndpoints(sp)
    const usesSvl = local.length > 0 && usesLocalEndpoints(sp)
    const internalChain = sp.internalPolicyLocal ? svlChain : svcChain
    const hasInternal = hasAny && (!sp.internalPolicyLocal || local.length > 0)
    const externalPolicyChain = sp.externalPolicyLocal ? svlChain : svcChain
    const hasExternal = hasAny && (!sp.externalPolicyLocal || local.length > 0)
    // Built even without externally usable endpoints: pods and the host still short-circuit to the service.
    const usesExt = hasAny && externallyAccessible(sp)
    const usesFW =
      hasAny && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0
    const lbChain = usesFW ? fwChain : extChain
    // No endpoints at all: REJECT; none on this node under Local policy: DROP.
    const filterTarget = j(hasAny ? 'DROP' : 'REJECT')
    const filterNote = note(hasAny ? `${name} has no local endpoints` : `${name} has no endpoints`)

    // Capture the cluster IP.
    if (hasInternal)
      nat.add(
        C.KUBE_SERVICES,
        [note(`${name} cluster IP`), proto(p), dst(sp.clusterIP), dport(sp.port)],
        j(internalChain),
      )
    else
      filter.add(
        C.KUBE_SERVICES,
        [filterNote, proto(p), dst(sp.clusterIP), dport(sp.port)],
        filterTarget,
      )

    for (const ip of sp.externalIPs) {
      if (hasAny)
        nat.add(
          C.KUBE_SERVICES,
          [note(`${name} external IP`), proto(p), dst(ip), dport(sp.port)],
          j(extChain),
        )
      if (!hasExternal)
        filter.add(
          C.KUBE_EXTERNAL_SERVICES,
          [filterNote, proto(p), dst(ip), dport(sp.port)],
          filterTarget,
        )
    }
    for (const ip of sp.loadBalancerVIPs) {
      if (hasAny)
        nat.add(
          C.KUBE_SERVICES,
          [note(`${name} loadbalancer IP`), proto(p), dst(ip), dport(sp.port)],
          j(lbChain),
        )
      if (usesFW)
        filter.add(
          C.KUBE_PROXY_FIREWALL,
          [note(`${name} traffic not accepted by ${fwChain}`), proto(p), dst(ip), dport(sp.port)],
          j('DROP'),
        )
    }
    if (!hasExternal)
      for (const ip of sp.loadBalancerVIPs)
        filter.add(
          C.KUBE_EXTERNAL_SERVICES,
          [filterNote, proto(p), dst(ip), dport(sp.port)],
          filterTarget,
        )

    if (sp.nodePort) {
      if (hasAny) {
        if (cfg.localhostNodePorts && cfg.nfacct)
          nat.add(
            C.KUBE_NODEPORTS,
            [
              note(name),
              proto(p),
              dst('127.0.0.0/8'),
              dport(sp.nodePort),
              { m: 'nfacct', name: 'localhost_nps_accepted_pkts' },
            ],
            j(extChain),
          )
        nat.add(C.KUBE_NODEPORTS, [note(name), proto(p), dport(sp.nodePort)], j(extChain))
      }
      if (!hasExternal)
        filter.add(
          C.KUBE_EXTERNAL_SERVICES,
          [filterNote, { m: 'addrtype', dir: 'dst', type: 'LOCAL' }, proto(p), dport(sp.nodePort)],
          filterTarget,
        )
    }
    if (sp.healthCheckNodePort)
      filter.add(
        C.KUBE_NODEPORTS,
        [note(`${name} health check node port`), proto('tcp'), dport(sp.healthCheckNodePort)],
        j('ACCEPT'),
      )

    // Off-cluster sources reaching the cluster IP are masqueraded: the reply must come back through this node.
    if (hasInternal)
      nat
        .get(internalChain, name)
        .rules.push(
          rule(
            [
              note(`${name} cluster IP`),
              proto(p),
              dst(sp.clusterIP),
              dport(sp.port),
              { m: 'src', cidr: cfg.clusterCIDR, not: true },
            ],
            j(C.KUBE_MARK_MASQ),
          ),
        )

    if (usesExt) {
      const ext = nat.get(extChain, name)
      if (!sp.externalPolicyLocal) {
        // Endpoints may be on other nodes: masquerade so replies come back here.
        ext.rules.push(
          rule([note(`masquerade traffic for ${name} external destinations`)], j(C.KUBE_MARK_MASQ)),
        )
      } else {
        // Pods reaching an external IP behave as if they went out to the load balancer and came back.
        ext.rules.push(
          rule(
            [
              note(`pod traffic for ${name} external destinations`),
              { m: 'src', cidr: cfg.clusterCIDR },
            ],
            j(svcChain),
          ),
        )
        ext.rules.push(
          rule(
            [
              note(`masquerade LOCAL traffic for ${name} external destinations`),
              { m: 'addrtype', dir: 'src', type: 'LOCAL' },
            ],
            j(C.KUBE_MARK_MASQ),
          ),
        )
        ext.rules.push(
          rule(
            [
              note(`route LOCAL traffic for ${name} external destinations`),
              { m: 'addrtype', dir: 'src', type: 'LOCAL' },
            ],
            j(svcChain),
          ),
        )
      }
      if (hasExternal) ext.rules.push(rule([], j(externalPolicyChain)))
    }

    if (usesFW) {
      const fw = nat.get(fwChain, name)
      let fromNode = false
      for (const cidr of sp.loadBalancerSourceRanges) {
        fw.rules.push(rule([note(`${name} loadbalancer IP`), { m: 'src', cidr }], j(extChain)))
        if (cidrContains(cidr, cfg.nodeIP)) fromNode = true
      }
      // A VIP-like balancer's address may be local: the node's own requests loop back from the VIP.
      if (fromNode)
        for (const ip of sp.loadBalancerVIPs)
          fw.rules.push(
            rule([note(`${name} loadbalancer IP`), { m: 'src', cidr: ip }], j(extChain)),
          )
      fw.rules.push(rule([note(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`)]))
    }

    if (usesSvc) serviceToEndpoints(nat.get(svcChain, name), name, sp, cluster, p, large)
    if (usesSvl) serviceToEndpoints(nat.get(svlChain, name), name, sp, local, p, large)

    for (const ep of reachable) {
      const sep = nat.get(C.endpointChain(name, p, ep.endpoint), name)
      // A pod reaching itself through the service: SNAT, or its reply would bypass the DNAT.
      sep.rules.push(rule([...svcNote(name), { m: 'src', cidr: ep.ip }], j(C.KUBE_MARK_MASQ)))
      sep.rules.push(
        rule(
          [
            ...svcNote(name),
            ...(sp.stickyMaxAgeSeconds
              ? [{ m: 'recent', name: sep.name, set: true } as Match]
              : []),
            proto(p),
          ],
          { j: 'DNAT', to: ep.endpoint },
        ),
      )
    }

    views.push(
      view(sp, all, cluster, local, reachable, hasAny, { usesSvc, usesSvl, usesExt, usesFW }),
    )
  }

  // After every service: anything else addressed to this node may be a NodePort.
  const nodePortDst: Match[] = [{ m: 'addrtype', dir: 'dst', type: 'LOCAL' }]
  if (!cfg.localhostNodePorts) nodePortDst.push({ m: 'dst', cidr: '127.0.0.0/8', not: true })
  nat.add(
    C.KUBE_SERVICES,
    [
      note('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
      ...nodePortDst,
    ],
    j(C.KUBE_NODEPORTS),
  )
  filter.add(
    C.KUBE_FORWARD,
    [
      { m: 'conntrack', states: ['INVALID'] },
      ...(cfg.nfacct ? [{ m: 'nfacct', name: 'ct_state_invalid_dropped_pkts' } as Match] : []),
    ],
    j('DROP'),
  )
  filter.add(
    C.KUBE_FORWARD,
    [note('kubernetes forwarding rules'), { m: 'mark', value: mark, mask: mark }],
    j('ACCEPT'),
  )
  filter.add(
    C.KUBE_FORWARD,
    [
      note('kubernetes forwarding conntrack rule'),
      { m: 'conntrack', states: ['RELATED', 'ESTABLISHED'] },
    ],
    j('ACCEPT'),
  )

  const ruleset: Ruleset = {
    tables: [
      { name: 'mangle', chains: base.mangle },
      { name: 'filter', chains: filter.list() },
      { name: 'nat', chains: nat.list() },
    ],
  }
  return { ruleset, services: views }
}

/** Affinity checks first, then the random split: endpoint i of n is taken with probability 1/(n-i). */
function serviceToEndpoints(
  c: Chain,
  name: string,
  sp: ServicePort,
  eps: Endpoint[],
  p: Proto,
  large: boolean,
): void {
  const noteFor = (ep: Endpoint): Match[] => (large ? [] : [note(`${name} -> ${ep.endpoint}`)])
  if (sp.stickyMaxAgeSeconds)
    for (const ep of eps) {
      const sep = C.endpointChain(name, p, ep.endpoint)
      c.rules.push(
        rule(
          [
            ...noteFor(ep),
            { m: 'recent', name: sep, rcheck: true, seconds: sp.stickyMaxAgeSeconds, reap: true },
          ],
          j(sep),
        ),
      )
    }
  eps.forEach((ep, i) => {
    const matches: Match[] = [...noteFor(ep)]
    if (i < eps.length - 1)
      matches.push({ m: 'statistic', probability: probability(eps.length - i) })
    c.rules.push(rule(matches, j(C.endpointChain(name, p, ep.endpoint))))
  })
}

function view(
  sp: ServicePort,
  all: Endpoint[],
  cluster: Endpoint[],
  local: Endpoint[],
  reachable: Endpoint[],
  hasAny: boolean,
  uses: { usesSvc: boolean; usesSvl: boolean; usesExt: boolean; usesFW: boolean },
): ServiceView {
  const p = sp.protocol.toLowerCase()
  const inSet = (set: Endpoint[], ep: Endpoint) => set.some((e) => e.endpoint === ep.endpoint)
  return {
    service: sp.name,
    protocol: sp.protocol,
    clusterIP: sp.clusterIP,
    port: sp.port,
    ...(sp.nodePort ? { nodePort: sp.nodePort } : {}),
    externalIPs: sp.externalIPs,
    loadBalancerIPs: sp.loadBalancerVIPs,
    ...(sp.stickyMaxAgeSeconds ? { sessionAffinitySeconds: sp.stickyMaxAgeSeconds } : {}),
    internalTrafficPolicy: sp.internalPolicyLocal ? 'Local' : 'Cluster',
    externalTrafficPolicy: sp.externalPolicyLocal ? 'Local' : 'Cluster',
    chains: {
      ...(uses.usesSvc ? { cluster: C.clusterPolicyChain(sp.name, p) } : {}),
      ...(uses.usesSvl ? { local: C.localPolicyChain(sp.name, p) } : {}),
      ...(uses.usesExt ? { external: C.externalChain(sp.name, p) } : {}),
      ...(uses.usesFW ? { firewall: C.firewallChain(sp.name, p) } : {}),
    },
    rejected: !hasAny,
    endpoints: all.map((ep) => ({
      endpoint: ep.endpoint,
      ip: ep.ip,
      port: ep.port,
      ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
      ...(ep.zone ? { zone: ep.zone } : {}),
      ready: ep.ready,
      serving: ep.serving,
      terminating: ep.terminating,
      local: ep.isLocal,
      ...(inSet(reachable, ep) ? { chain: C.endpointChain(sp.name, p, ep.endpoint) } : {}),
      cluster: inSet(cluster, ep),
      localPolicy: inSet(local, ep),
    })),
  }
}

// The chains that exist before any Service: the tables' built-in chains with
// the kubelet's jumps (appended when it started) and kube-proxy's (prepended,
// pkg/proxy/iptables/proxier.go iptablesJumpChains, so the last listed ends up
// first), the canaries both watch for a flush, and kube-proxy's fixed rules.
import * as C from './chain-names'
import { chain, type Chain, type Match, rule, type Rule, type TableName } from './rules'

export interface ProxyConfig {
  nodeName: string
  /** The node's InternalIP. */
  nodeIP: string
  /** The node's topology.kubernetes.io/zone label. */
  zone: string
  /** --cluster-cidr: the local-traffic detector (pod sources are "local"). */
  clusterCIDR: string
  /** --iptables-masquerade-bit (default 14: mark 0x4000). */
  masqueradeBit: number
  /** --iptables-localhost-nodeports (default true). */
  localhostNodePorts: boolean
  /** Whether the nfacct counters could be created (they can on our nodes). */
  nfacct: boolean
  /** Whether iptables supports MASQUERADE --random-fully. */
  randomFully: boolean
}

export const CLUSTER_CIDR = '10.244.0.0/16'

export function defaultProxyConfig(nodeName: string, nodeIP: string, zone: string): ProxyConfig {
  return {
    nodeName,
    nodeIP,
    zone,
    clusterCIDR: CLUSTER_CIDR,
    masqueradeBit: 14,
    localhostNodePorts: true,
    nfacct: true,
    randomFully: true,
  }
}

export const BUILTIN: Record<TableName, string[]> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
}

const NEW: Match = { m: 'conntrack', states: ['NEW'] }
const note = (text: string): Match => ({ m: 'comment', text })

/** kube-proxy's jumps in its order (each is prepended, so a chain shows them reversed). */
const JUMPS: [TableName, string, string, Match[]][] = [
  [
    'filter',
    'INPUT',
    C.KUBE_EXTERNAL_SERVICES,
    [NEW, note('kubernetes externally-visible service portals')],
  ],
  [
    'filter',
    'FORWARD',
    C.KUBE_EXTERNAL_SERVICES,
    [NEW, note('kubernetes externally-visible service portals')],
  ],
  ['filter', 'INPUT', C.KUBE_NODEPORTS, [note('kubernetes health check service ports')]],
  ['filter', 'FORWARD', C.KUBE_SERVICES, [NEW, note('kubernetes service portals')]],
  ['filter', 'OUTPUT', C.KUBE_SERVICES, [NEW, note('kubernetes service portals')]],
  ['filter', 'FORWARD', C.KUBE_FORWARD, [note('kubernetes forwarding rules')]],
  ['filter', 'INPUT', C.KUBE_PROXY_FIREWALL, [NEW, note('kubernetes load balancer firewall')]],
  ['filter', 'OUTPUT', C.KUBE_PROXY_FIREWALL, [NEW, note('kubernetes load balancer firewall')]],
  ['filter', 'FORWARD', C.KUBE_PROXY_FIREWALL, [NEW, note('kubernetes load balancer firewall')]],
  ['nat', 'OUTPUT', C.KUBE_SERVICES, [note('kubernetes service portals')]],
  ['nat', 'PREROUTING', C.KUBE_SERVICES, [note('kubernetes service portals')]],
  ['nat', 'POSTROUTING', C.KUBE_POSTROUTING, [note('kubernetes postrouting rules')]],
]

/** The kubelet's own jumps, there first (it starts before kube-proxy). */
const KUBELET_JUMPS: [TableName, string, string][] = [
  ['filter', 'INPUT', C.KUBE_FIREWALL],
  ['filter', 'OUTPUT', C.KUBE_FIREWALL],
]

/** Built-in chains with their jumps, and the empty canaries and hint. */
export function baseChains(): Record<TableName, Chain[]> {
  const tables = {} as Record<TableName, Chain[]>
  for (const [t, names] of Object.entries(BUILTIN) as [TableName, string[]][]) {
    tables[t] = names.map((n) => {
      const rules: Rule[] = []
      for (const [table, src, dst] of KUBELET_JUMPS)
        if (table === t && src === n) rules.push(rule([], { j: dst }))
      for (const [table, src, dst, matches] of JUMPS)
        if (table === t && src === n) rules.unshift(rule(matches, { j: dst }))
      return chain(n, rules, { policy: 'ACCEPT' })
    })
    tables[t].push(chain(C.KUBE_KUBELET_CANARY), chain(C.KUBE_PROXY_CANARY))
  }
  // The kubelet's mark that this node's rules are written with iptables (not nftables); names sort as iptables-save lists them.
  tables.mangle.splice(BUILTIN.mangle.length, 0, chain('KUBE-IPTABLES-HINT'))
  return tables
}

/** Chains whose rules kube-proxy writes on every sync (its iptables-restore input). */
export const KUBE_PROXY_CHAINS: Record<'filter' | 'nat', string[]> = {
  filter: [
    C.KUBE_SERVICES,
    C.KUBE_EXTERNAL_SERVICES,
    C.KUBE_FORWARD,
    C.KUBE_NODEPORTS,
    C.KUBE_PROXY_FIREWALL,
    C.KUBE_FIREWALL,
  ],
  nat: [C.KUBE_SERVICES, C.KUBE_NODEPORTS, C.KUBE_POSTROUTING, C.KUBE_MARK_MASQ],
}

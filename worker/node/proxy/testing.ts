// Fixtures shared by the kube-proxy tests: Services and EndpointSlices as the
// API would hold them, upstream's test node, and upstream's way of sorting
// iptables-restore input before comparing (proxier_test.go sortIPTablesRules).
import { defaultProxyConfig, KUBE_PROXY_CHAINS, type ProxyConfig } from './base-chains'
import { isServiceChainName } from './chain-names'
import { endpointsMapOf } from './endpoints'
import { restoreInput, type Ruleset } from './rules'
import { servicePortsOf } from './service-port'
import { type SyncResult, syncProxyRules } from './sync-rules'

type Obj = Record<string, any>

export const TEST_NODE = 'test-node'

/** Upstream's fake proxier: node 192.168.0.2, local traffic from 10.0.0.0/8, no --random-fully. */
export function upstreamConfig(over: Partial<ProxyConfig> = {}): ProxyConfig {
  return {
    ...defaultProxyConfig(TEST_NODE, '192.168.0.2', ''),
    clusterCIDR: '10.0.0.0/8',
    randomFully: false,
    ...over,
  }
}

export function svc(ns: string, name: string, spec: Obj, status: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: ns, name },
    spec: { type: 'ClusterIP', ...spec },
    status,
  }
}

export interface EpSpec {
  ip: string
  node?: string
  zone?: string
  ready?: boolean
  serving?: boolean
  terminating?: boolean
  zoneHints?: string[]
}

export function slice(
  ns: string,
  service: string,
  eps: EpSpec[],
  ports: Obj[] = [{ name: 'p80', port: 80 }],
  suffix = '1',
): Obj {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: ns,
      name: `${service}-${suffix}`,
      labels: { 'kubernetes.io/service-name': service },
    },
    addressType: 'IPv4',
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: {
        ...(e.ready !== undefined ? { ready: e.ready } : {}),
        ...(e.serving !== undefined ? { serving: e.serving } : {}),
        ...(e.terminating !== undefined ? { terminating: e.terminating } : {}),
      },
      ...(e.node ? { nodeName: e.node } : {}),
      ...(e.zone ? { zone: e.zone } : {}),
      ...(e.zoneHints ? { hints: { forZones: e.zoneHints.map((name) => ({ name })) } } : {}),
    })),
    ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
  }
}

export function sync(cfg: ProxyConfig, services: Obj[], slices: Obj[]): SyncResult {
  return syncProxyRules(cfg, services.flatMap(servicePortsOf), endpointsMapOf(slices, cfg.nodeName))
}

/** kube-proxy's own iptables-restore input for the rule set. */
export function restoreText(rs: Ruleset): string {
  return restoreInput(
    rs,
    (t, c) =>
      (KUBE_PROXY_CHAINS as Record<string, string[]>)[t]!.includes(c.name) ||
      isServiceChainName(c.name),
  )
}

interface Parsed {
  name: string
  chains: string[]
  rules: Map<string, string[]>
}

const commentOf = (line: string) => /--comment ("[^"]*"|\S+)/.exec(line)?.[1]?.replace(/"/g, '')
const serviceOf = (line: string) => commentOf(line)?.split(/[ :]/)[0]

/** Upstream's sortIPTablesRules: tables by name; KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-*, then by name; those two chains' rules by service. */
export function sortRules(text: string): string {
  const tables: Parsed[] = []
  let cur: Parsed | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line === 'COMMIT' || line.startsWith('#')) continue
    if (line.startsWith('*'))
      tables.push((cur = { name: line.slice(1), chains: [], rules: new Map() }))
    else if (line.startsWith(':')) cur!.chains.push(line.split(' ')[0]!.slice(1))
    else if (line.startsWith('-A ')) {
      const chain = line.split(' ')[1]!
      if (!cur!.rules.has(chain)) cur!.rules.set(chain, [])
      cur!.rules.get(chain)!.push(line)
    }
  }
  const rank = (c: string) =>
    c === 'KUBE-NODEPORTS' ? 0 : c === 'KUBE-SERVICES' ? 1 : c.startsWith('KUBE-') ? 2 : 3
  const out: string[] = []
  for (const t of tables.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    t.chains.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    for (const c of ['KUBE-NODEPORTS', 'KUBE-SERVICES']) {
      const rules = t.rules.get(c)
      if (!rules) continue
      const last = rules.filter((r) => r.includes('must be the last rule'))
      const rest = rules.filter((r) => !r.includes('must be the last rule'))
      rest.sort((a, b) => {
        const x = serviceOf(a)
        const y = serviceOf(b)
        return x === undefined || y === undefined ? 0 : x < y ? -1 : x > y ? 1 : 0
      })
      t.rules.set(c, [...rest, ...last])
    }
    out.push(`*${t.name}`, ...t.chains.map((c) => `:${c} - [0:0]`))
    for (const c of t.chains) out.push(...(t.rules.get(c) ?? []))
    out.push('COMMIT')
  }
  return out.join('\n') + '\n'
}

/** Strips a template literal's common indentation, as Go's dedent does. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n')
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length))
  return (
    lines
      .map((l) => l.slice(indent))
      .join('\n')
      .replace(/\s+$/, '') + '\n'
  )
}

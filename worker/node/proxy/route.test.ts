// Packets through the rule set: upstream's packet-flow expectations
// (proxier_test.go runPacketFlowTests) and what a batch of connections does
// (the random split, session affinity, refusals).
import { describe, expect, it } from 'vitest'
import type { ProxyConfig } from './base-chains'
import { seededRandom } from './random'
import { type RecentLists, route, type RouteContext } from './route'
import type { Proto, Ruleset } from './rules'
import { cidrContains } from './service-port'
import { type EpSpec, slice, svc, sync, TEST_NODE, upstreamConfig } from './testing'

type Obj = Record<string, any>

const NODE_IP = '192.168.0.2'
const NODE_IP_ALT = '192.168.1.2'
const EXTERNAL = '203.0.113.2'
const EXTERNAL_BLOCKED = '203.0.113.130'

export class MemoryRecent implements RecentLists {
  readonly lists = new Map<string, Map<string, number>>()
  lastSeen(list: string, ip: string) {
    return this.lists.get(list)?.get(ip)
  }
  set(list: string, ip: string, now: number) {
    if (!this.lists.has(list)) this.lists.set(list, new Map())
    this.lists.get(list)!.set(ip, now)
  }
  remove(list: string, ip: string) {
    this.lists.get(list)?.delete(ip)
  }
}

function context(ruleset: Ruleset, over: Partial<RouteContext> = {}): RouteContext {
  return {
    ruleset,
    isLocal: (ip) => ip === NODE_IP || ip === NODE_IP_ALT || cidrContains('127.0.0.0/8', ip),
    nodeIP: NODE_IP,
    podCIDR: '10.0.0.0/24',
    podGateway: '10.0.0.1',
    now: 0,
    random: seededRandom(1),
    recent: new MemoryRecent(),
    ...over,
  }
}

interface FlowCase {
  name: string
  src: string
  dst: string
  port: number
  proto?: Proto
  output: string
  masq?: boolean
}

/** upstream's tracePacket answer: every endpoint a packet may reach, or REJECT/DROP, or "" when nothing matched. */
function trace(ruleset: Ruleset, c: FlowCase): { output: string; masq: boolean } {
  // Distinct clients in one /16 (all "external" or all "pod" alike), enough that every branch is taken.
  const clients = Array.from({ length: 64 }, () => ({ ip: c.src, count: 1 }))
  const r = route(context(ruleset), {
    ip: c.dst,
    port: c.port,
    protocol: c.proto ?? 'tcp',
    clients,
  })
  if (r.refused) return { output: 'REJECT', masq: false }
  if (r.dropped) return { output: 'DROP', masq: false }
  const eps = [...r.deliveries.values()]
  const output = [...new Set(eps.map((e) => `${e.ip}:${e.port}`))].sort().join(', ')
  const masq = eps.some((e) => e.masquerade)
  return { output, masq }
}

function flows(cfg: ProxyConfig, services: Obj[], slices: Obj[], cases: FlowCase[]) {
  const { ruleset } = sync(cfg, services, slices)
  for (const c of cases)
    expect({ name: c.name, ...trace(ruleset, c) }).toEqual({
      name: c.name,
      output: c.output,
      masq: c.masq ?? false,
    })
}

describe('packet flows (upstream proxier_test.go)', () => {
  it('TestNoEndpointsReject', () => {
    flows(
      upstreamConfig(),
      [
        svc(
          'ns1',
          'svc1',
          {
            type: 'LoadBalancer',
            clusterIP: '172.30.0.41',
            externalIPs: ['192.168.99.11'],
            ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
          },
          { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
        ),
      ],
      [],
      [
        {
          name: 'pod to cluster IP with no endpoints',
          src: '10.0.0.2',
          dst: '172.30.0.41',
          port: 80,
          output: 'REJECT',
        },
        {
          name: 'external to external IP with no endpoints',
          src: EXTERNAL,
          dst: '192.168.99.11',
          port: 80,
          output: 'REJECT',
        },
        {
          name: 'pod to NodePort with no endpoints',
          src: '10.0.0.2',
          dst: NODE_IP,
          port: 3001,
          output: 'REJECT',
        },
        {
          name: 'external to NodePort with no endpoints',
          src: EXTERNAL,
          dst: NODE_IP,
          port: 3001,
          output: 'REJECT',
        },
        {
          name: 'pod to LoadBalancer IP with no endpoints',
          src: '10.0.0.2',
          dst: '1.2.3.4',
          port: 80,
          output: 'REJECT',
        },
        {
          name: 'external to LoadBalancer IP with no endpoints',
          src: EXTERNAL,
          dst: '1.2.3.4',
          port: 80,
          output: 'REJECT',
        },
      ],
    )
  })

  it('TestClusterIPGeneral', () => {
    const ports = [
      { name: 'http', port: 80 },
      { name: 'https', port: 8443 },
      { name: 'dns-udp', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 5353 },
      { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
    ]
    flows(
      upstreamConfig(),
      [
        svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [{ name: 'http', port: 80 }] }),
        svc('ns2', 'svc2', {
          clusterIP: '172.30.0.42',
          ports: [
            { name: 'http', port: 80 },
            { name: 'https', port: 443, targetPort: 8443 },
            { name: 'dns-udp', port: 53, protocol: 'UDP' },
            { name: 'dns-tcp', port: 53, targetPort: 5353 },
            { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
          ],
        }),
      ],
      [
        slice('ns1', 'svc1', [{ ip: '10.180.0.1', node: TEST_NODE }], [{ name: 'http', port: 80 }]),
        slice(
          'ns2',
          'svc2',
          [
            { ip: '10.180.0.1', node: TEST_NODE },
            { ip: '10.180.2.1', node: 'node2' },
          ],
          ports,
        ),
      ],
      [
        {
          name: 'simple clusterIP',
          src: '10.180.0.2',
          dst: '172.30.0.41',
          port: 80,
          output: '10.180.0.1:80',
        },
        {
          name: 'hairpin to cluster IP',
          src: '10.180.0.1',
          dst: '172.30.0.41',
          port: 80,
          output: '10.180.0.1:80',
          masq: true,
        },
        {
          name: 'clusterIP with multiple endpoints',
          src: '10.180.0.2',
          dst: '172.30.0.42',
          port: 80,
          output: '10.180.0.1:80, 10.180.2.1:80',
        },
        {
          name: 'clusterIP with TargetPort',
          src: '10.180.0.2',
          dst: '172.30.0.42',
          port: 443,
          output: '10.180.0.1:8443, 10.180.2.1:8443',
        },
        {
          name: 'TCP on a port shared with UDP and SCTP',
          src: '10.180.0.2',
          dst: '172.30.0.42',
          port: 53,
          output: '10.180.0.1:5353, 10.180.2.1:5353',
        },
        {
          name: 'UDP on it',
          src: '10.180.0.2',
          proto: 'udp',
          dst: '172.30.0.42',
          port: 53,
          output: '10.180.0.1:53, 10.180.2.1:53',
        },
        {
          name: 'SCTP on it',
          src: '10.180.0.2',
          proto: 'sctp',
          dst: '172.30.0.42',
          port: 53,
          output: '10.180.0.1:53, 10.180.2.1:53',
        },
        {
          name: 'TCP-only port does not match UDP traffic',
          src: '10.180.0.2',
          proto: 'udp',
          dst: '172.30.0.42',
          port: 80,
          output: '',
        },
        {
          name: "svc1 does not accept svc2's ports",
          src: '10.180.0.2',
          dst: '172.30.0.41',
          port: 443,
          output: '',
        },
      ],
    )
  })

  it('TestLoadBalancer', () => {
    const ep = '10.180.0.1:80'
    flows(
      upstreamConfig(),
      [
        svc(
          'ns1',
          'svc1',
          {
            type: 'LoadBalancer',
            clusterIP: '172.30.0.41',
            ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
            loadBalancerSourceRanges: ['192.168.0.0/24', ' 203.0.113.0/25'],
          },
          { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }] } },
        ),
      ],
      [slice('ns1', 'svc1', [{ ip: '10.180.0.1' }])],
      [
        { name: 'pod to cluster IP', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: ep },
        {
          name: 'external to nodePort',
          src: EXTERNAL,
          dst: NODE_IP,
          port: 3001,
          output: ep,
          masq: true,
        },
        {
          name: 'nodePort bypasses LoadBalancerSourceRanges',
          src: EXTERNAL_BLOCKED,
          dst: NODE_IP,
          port: 3001,
          output: ep,
          masq: true,
        },
        {
          name: 'accepted external to LB1',
          src: EXTERNAL,
          dst: '1.2.3.4',
          port: 80,
          output: ep,
          masq: true,
        },
        {
          name: 'accepted external to LB2',
          src: EXTERNAL,
          dst: '5.6.7.8',
          port: 80,
          output: ep,
          masq: true,
        },
        {
          name: 'blocked external to LB1',
          src: EXTERNAL_BLOCKED,
          dst: '1.2.3.4',
          port: 80,
          output: 'DROP',
        },
        {
          name: 'blocked external to LB2',
          src: EXTERNAL_BLOCKED,
          dst: '5.6.7.8',
          port: 80,
          output: 'DROP',
        },
        {
          name: 'pod to LB1 (blocked by LoadBalancerSourceRanges)',
          src: '10.0.0.2',
          dst: '1.2.3.4',
          port: 80,
          output: 'DROP',
        },
        {
          name: 'node to LB1 (allowed by LoadBalancerSourceRanges)',
          src: NODE_IP,
          dst: '1.2.3.4',
          port: 80,
          output: ep,
          masq: true,
        },
        {
          name: 'same node to LB1, SNATted to LB1 (implicitly allowed)',
          src: '1.2.3.4',
          dst: '1.2.3.4',
          port: 80,
          output: ep,
          masq: true,
        },
      ],
    )
  })

  it('TestNodePorts (IPv4, localhost NodePorts on, and off)', () => {
    const services = [
      svc('ns1', 'svc1', {
        type: 'NodePort',
        clusterIP: '172.30.0.41',
        ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
      }),
    ]
    const slices = [
      slice('ns1', 'svc1', [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: TEST_NODE }]),
    ]
    const both = '10.180.0.1:80, 10.180.2.1:80'
    const basic: FlowCase[] = [
      { name: 'pod to cluster IP', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: both },
      {
        name: 'external to nodePort',
        src: EXTERNAL,
        dst: NODE_IP,
        port: 3001,
        output: both,
        masq: true,
      },
      {
        name: 'node to nodePort',
        src: NODE_IP,
        dst: NODE_IP,
        port: 3001,
        output: both,
        masq: true,
      },
      {
        name: 'external to nodePort on secondary IP',
        src: EXTERNAL,
        dst: NODE_IP_ALT,
        port: 3001,
        output: both,
        masq: true,
      },
    ]
    flows(upstreamConfig(), services, slices, [
      ...basic,
      {
        name: 'localhost to nodePort gets masqueraded',
        src: '127.0.0.1',
        dst: '127.0.0.1',
        port: 3001,
        output: both,
        masq: true,
      },
    ])
    flows(upstreamConfig({ localhostNodePorts: false }), services, slices, [
      ...basic,
      {
        name: 'localhost to nodePort is ignored',
        src: '127.0.0.1',
        dst: '127.0.0.1',
        port: 3001,
        output: '',
      },
    ])
  })

  it('external traffic policy Local: only local endpoints for outside clients, the short circuit for pods', () => {
    flows(
      upstreamConfig(),
      [
        svc(
          'ns1',
          'svc1',
          {
            type: 'LoadBalancer',
            externalTrafficPolicy: 'Local',
            clusterIP: '172.30.0.41',
            healthCheckNodePort: 30000,
            ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
          },
          { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
        ),
      ],
      [
        slice('ns1', 'svc1', [
          { ip: '10.180.0.1', node: TEST_NODE },
          { ip: '10.180.2.1', node: 'node2' },
        ]),
      ],
      [
        {
          name: 'pod to cluster IP',
          src: '10.0.0.2',
          dst: '172.30.0.41',
          port: 80,
          output: '10.180.0.1:80, 10.180.2.1:80',
        },
        {
          name: 'external to LB keeps its source, local endpoint only',
          src: EXTERNAL,
          dst: '1.2.3.4',
          port: 80,
          output: '10.180.0.1:80',
        },
        {
          name: 'external to nodePort, local endpoint only',
          src: EXTERNAL,
          dst: NODE_IP,
          port: 3001,
          output: '10.180.0.1:80',
        },
        {
          name: 'pod to LB is short-circuited to the cluster chain',
          src: '10.0.0.2',
          dst: '1.2.3.4',
          port: 80,
          output: '10.180.0.1:80, 10.180.2.1:80',
        },
        {
          name: 'node to nodePort is masqueraded to every endpoint',
          src: NODE_IP,
          dst: NODE_IP,
          port: 3001,
          output: '10.180.0.1:80, 10.180.2.1:80',
          masq: true,
        },
      ],
    )
  })

  it('external traffic policy Local with no local endpoint: outside clients dropped, pods still served', () => {
    flows(
      upstreamConfig(),
      [
        svc('ns1', 'svc1', {
          type: 'NodePort',
          externalTrafficPolicy: 'Local',
          clusterIP: '172.30.0.41',
          ports: [{ name: 'p80', port: 80, nodePort: 3001 }],
        }),
      ],
      [slice('ns1', 'svc1', [{ ip: '10.180.2.1', node: 'node2' }])],
      [
        { name: 'external to nodePort', src: EXTERNAL, dst: NODE_IP, port: 3001, output: 'DROP' },
        {
          name: 'pod to nodePort',
          src: '10.0.0.2',
          dst: NODE_IP,
          port: 3001,
          output: '10.180.2.1:80',
        },
        {
          name: 'pod to cluster IP',
          src: '10.0.0.2',
          dst: '172.30.0.41',
          port: 80,
          output: '10.180.2.1:80',
        },
      ],
    )
  })

  it('internal traffic policy Local: the cluster IP reaches this node’s endpoints only, or drops', () => {
    const services = [
      svc('ns1', 'svc1', {
        internalTrafficPolicy: 'Local',
        clusterIP: '172.30.0.41',
        ports: [{ name: 'p80', port: 80 }],
      }),
    ]
    flows(
      upstreamConfig(),
      services,
      [
        slice('ns1', 'svc1', [
          { ip: '10.180.0.1', node: TEST_NODE },
          { ip: '10.180.2.1', node: 'node2' },
        ]),
      ],
      [
        {
          name: 'local endpoint only',
          src: '10.0.0.2',
          dst: '172.30.0.41',
          port: 80,
          output: '10.180.0.1:80',
        },
      ],
    )
    flows(
      upstreamConfig(),
      services,
      [slice('ns1', 'svc1', [{ ip: '10.180.2.1', node: 'node2' }])],
      [{ name: 'none here', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: 'DROP' }],
    )
  })
})

/** Connections per endpoint, whoever sent them. */
function perEndpoint(r: ReturnType<typeof route>): number[] {
  const m = new Map<string, number>()
  for (const d of r.deliveries.values())
    m.set(`${d.ip}:${d.port}`, (m.get(`${d.ip}:${d.port}`) ?? 0) + d.count)
  return [...m.values()]
}

/** "ip:port service" of every endpoint reached. */
const endpointsOf = (r: ReturnType<typeof route>) =>
  [...new Set([...r.deliveries.values()].map((d) => `${d.ip}:${d.port} ${d.service}`))].sort()

describe('route', () => {
  const cfg = upstreamConfig()
  const three = (
    eps: EpSpec[] = [{ ip: '10.180.0.1' }, { ip: '10.180.0.2' }, { ip: '10.180.0.3' }],
    spec: Obj = {},
  ) =>
    sync(
      cfg,
      [
        svc('ns1', 'svc1', {
          clusterIP: '172.30.0.41',
          ports: [{ name: 'p80', port: 80 }],
          ...spec,
        }),
      ],
      [slice('ns1', 'svc1', eps)],
    ).ruleset
  const podClients = (n: number, per = 1) =>
    Array.from({ length: n }, (_, i) => ({
      ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`,
      count: per,
    }))

  it('spreads 3,000 connections over 3 endpoints within a few percent of a third each', () => {
    for (const [clients, label] of [
      [podClients(3000), '3,000 clients'],
      [podClients(3, 1000), '3 clients of 1,000'],
    ] as const) {
      const r = route(context(three(), { random: seededRandom(42) }), {
        ip: '172.30.0.41',
        port: 80,
        protocol: 'tcp',
        clients: [...clients],
      })
      const counts = perEndpoint(r)
      expect(counts.length, label).toBe(3)
      expect(
        counts.reduce((a, b) => a + b),
        label,
      ).toBe(3000)
      for (const n of counts) expect(Math.abs(n - 1000), `${label}: ${counts}`).toBeLessThan(75)
    }
  })

  it('counts packets and bytes on every rule passed, and the same seed gives the same split', () => {
    const rs = three()
    const go = (seed: number) =>
      perEndpoint(
        route(context(rs, { random: seededRandom(seed) }), {
          ip: '172.30.0.41',
          port: 80,
          protocol: 'tcp',
          clients: podClients(300),
        }),
      )
    expect(go(7)).toEqual(go(7))
    const svcChain = rs.tables
      .find((t) => t.name === 'nat')!
      .chains.find((c) => c.name === 'KUBE-SVC-XPGD46QRK7WJZT7O')!
    // Twice 300 packets: the masquerade check (no match) is not counted, the three jumps share them.
    expect(svcChain.rules[0]!.packets).toBe(0)
    expect(svcChain.rules.slice(1).reduce((a, r) => a + r.packets, 0)).toBe(600)
    expect(svcChain.rules[1]!.bytes).toBe(svcChain.rules[1]!.packets * 60)
    const prerouting = rs.tables
      .find((t) => t.name === 'nat')!
      .chains.find((c) => c.name === 'PREROUTING')!
    expect(prerouting.rules[0]!.packets).toBe(600)
  })

  it('excludes unready endpoints, and falls back to serving terminating ones when none is ready', () => {
    const rs = three([
      { ip: '10.180.0.1', ready: false },
      { ip: '10.180.0.2' },
      { ip: '10.180.0.3', ready: false, serving: true, terminating: true },
    ])
    const r = route(context(rs), {
      ip: '172.30.0.41',
      port: 80,
      protocol: 'tcp',
      clients: podClients(100),
    })
    expect(endpointsOf(r)).toEqual(['10.180.0.2:80 ns1/svc1:p80'])
    const draining = three([
      { ip: '10.180.0.1', ready: false },
      { ip: '10.180.0.3', ready: false, serving: true, terminating: true },
    ])
    const d = route(context(draining), {
      ip: '172.30.0.41',
      port: 80,
      protocol: 'tcp',
      clients: podClients(100),
    })
    expect(endpointsOf(d)).toEqual(['10.180.0.3:80 ns1/svc1:p80'])
    const none = three([
      { ip: '10.180.0.1', ready: false },
      { ip: '10.180.0.3', ready: false, serving: false, terminating: true },
    ])
    const n = route(context(none), {
      ip: '172.30.0.41',
      port: 80,
      protocol: 'tcp',
      clients: podClients(100),
    })
    expect(n).toMatchObject({ refused: 100, dropped: 0, unmatched: 0 })
  })

  it('refuses a service with no endpoints; leaves other addresses to plain routing', () => {
    const rs = three([])
    const r = route(context(rs), {
      ip: '172.30.0.41',
      port: 80,
      protocol: 'tcp',
      clients: podClients(5, 2),
    })
    expect(r).toMatchObject({ refused: 10, unmatched: 0 })
    const other = route(context(three()), {
      ip: '10.180.0.7',
      port: 8080,
      protocol: 'tcp',
      clients: podClients(4),
    })
    expect(other).toMatchObject({ refused: 0, dropped: 0, unmatched: 4 })
    expect(other.deliveries.size).toBe(0)
  })

  it('keeps each client on one endpoint under ClientIP affinity, until the timeout passes', () => {
    const rs = three(undefined, {
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    })
    const recent = new MemoryRecent()
    const random = seededRandom(3)
    const at = (now: number, clients: { ip: string; count: number }[]) =>
      route(context(rs, { recent, random, now }), {
        ip: '172.30.0.41',
        port: 80,
        protocol: 'tcp',
        clients,
      })
    const clients = podClients(30, 20)
    const first = at(0, clients)
    const endpointOf = (r: ReturnType<typeof at>) => {
      const m = new Map<string, string>()
      for (const e of r.deliveries.values()) {
        expect(m.has(e.client), `${e.client} reached two endpoints`).toBe(false)
        m.set(e.client, e.ip)
      }
      return m
    }
    const chosen = endpointOf(first)
    expect(chosen.size).toBe(30)
    // Different clients still spread.
    expect(new Set(chosen.values()).size).toBe(3)
    // 50 s later (each visit refreshes the entry): the same endpoints.
    expect(endpointOf(at(50_000, clients))).toEqual(chosen)
    expect(endpointOf(at(100_000, clients))).toEqual(chosen)
    // After more than 60 s of silence the affinity is gone: each client is balanced afresh.
    const later = endpointOf(at(200_000, clients))
    expect([...later].filter(([ip, ep]) => chosen.get(ip) !== ep).length).toBeGreaterThan(5)
  })
})

// Whole rule sets against upstream's expectations (pkg/proxy/iptables/proxier_test.go):
// the same Services and EndpointSlices give the same iptables-restore input,
// compared after upstream's own sorting.
import { describe, expect, it } from 'vitest'
import { LARGE_CLUSTER_ENDPOINTS } from './sync-rules'
import {
  dedent,
  restoreText,
  slice,
  sortRules,
  svc,
  sync,
  TEST_NODE,
  upstreamConfig,
} from './testing'

type Obj = Record<string, any>

/** The restore lines of one service: its own chains' rules, and the rules in shared chains that name it. */
function linesOf(services: Obj[], slices: Obj[], service: string): string {
  const lines = restoreText(sync(upstreamConfig(), services, slices).ruleset)
    .split('\n')
    .filter((l) => l.startsWith('-A ') && l.includes(service))
  const own = new Set(
    lines.map((l) => l.split(' ')[1]!).filter((c) => /^KUBE-(SVC|SVL|EXT|FW|SEP)-/.test(c)),
  )
  return (
    restoreText(sync(upstreamConfig(), services, slices).ruleset)
      .split('\n')
      .filter((l) => l.startsWith('-A ') && (own.has(l.split(' ')[1]!) || l.includes(service)))
      .join('\n') + '\n'
  )
}

const p80 = (extra: Record<string, unknown> = {}) => [
  { name: 'p80', port: 80, protocol: 'TCP', ...extra },
]

describe('syncProxyRules', () => {
  it('writes upstream TestOverallIPTablesRules exactly', () => {
    const services = [
      svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80() }),
      svc(
        'ns2',
        'svc2',
        {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Local',
          clusterIP: '172.30.0.42',
          ports: p80({ nodePort: 3001 }),
          externalIPs: ['192.168.99.22'],
          healthCheckNodePort: 30000,
        },
        { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
      ),
      svc('ns3', 'svc3', {
        type: 'NodePort',
        clusterIP: '172.30.0.43',
        ports: p80({ nodePort: 3003 }),
      }),
      svc('ns4', 'svc4', {
        type: 'NodePort',
        clusterIP: '172.30.0.44',
        externalIPs: ['192.168.99.33'],
        ports: p80(),
      }),
      svc(
        'ns5',
        'svc5',
        {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Cluster',
          clusterIP: '172.30.0.45',
          ports: p80({ nodePort: 3002 }),
          healthCheckNodePort: 30000,
          // Extra whitespace, as upstream's test: it must be tolerated.
          loadBalancerSourceRanges: [' 203.0.113.0/25'],
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        },
        { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
      ),
      svc('ns6', 'svc6', { clusterIP: '172.30.0.46', ports: p80() }),
    ]
    const slices = [
      slice('ns1', 'svc1', [{ ip: '10.180.0.1' }]),
      // No nodeName: not local, so the Local service has no local endpoints.
      slice('ns2', 'svc2', [{ ip: '10.180.0.2' }]),
      slice('ns3', 'svc3', [{ ip: '10.180.0.3' }]),
      slice('ns4', 'svc4', [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', node: TEST_NODE }]),
      slice('ns5', 'svc5', [{ ip: '10.180.0.3' }]),
    ]
    const { ruleset } = sync(upstreamConfig(), services, slices)
    expect(sortRules(restoreText(ruleset))).toBe(
      sortRules(
        dedent(`
          *filter
          :KUBE-NODEPORTS - [0:0]
          :KUBE-SERVICES - [0:0]
          :KUBE-EXTERNAL-SERVICES - [0:0]
          :KUBE-FIREWALL - [0:0]
          :KUBE-FORWARD - [0:0]
          :KUBE-PROXY-FIREWALL - [0:0]
          -A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
          -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
          -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
          -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
          -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
          -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
          -A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
          -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
          -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
          -A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
          COMMIT
          *nat
          :KUBE-NODEPORTS - [0:0]
          :KUBE-SERVICES - [0:0]
          :KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
          :KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
          :KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
          :KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
          :KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
          :KUBE-MARK-MASQ - [0:0]
          :KUBE-POSTROUTING - [0:0]
          :KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
          :KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
          :KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
          :KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
          :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
          :KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
          :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
          :KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
          :KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
          :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
          :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
          -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
          -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
          -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
          -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
          -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
          -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
          -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
          -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
          -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
          -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
          -A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
          -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
          -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
          -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
          -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
          -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
          -A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
          -A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
          -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
          -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
          -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
          -A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
          -A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
          -A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
          -A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
          -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
          -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
          -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
          -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
          -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
          -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
          -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
          -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
          -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
          -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
          -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
          -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
          -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
          -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
          -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
          -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
          -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
          -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
          -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
          -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
          -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
          -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
          -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
          -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
          -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
          -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
          -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
          -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
          -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
          -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
          COMMIT
        `),
      ),
    )
  })

  it('splits a cluster IP over three endpoints: 1/3, then 1/2, then the rest', () => {
    const services = [svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80() })]
    const slices = [
      slice('ns1', 'svc1', [{ ip: '10.180.0.1' }, { ip: '10.180.0.2' }, { ip: '10.180.0.3' }]),
    ]
    expect(linesOf(services, slices, 'ns1/svc1')).toBe(
      dedent(`
        -A KUBE-SEP-ICDUIKC33SFI6ZPR -m comment --comment ns1/svc1:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
        -A KUBE-SEP-ICDUIKC33SFI6ZPR -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
        -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
        -A KUBE-SEP-LXVODXWDISEETFEF -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
        -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
        -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
        -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-SXIVWICOYRO3J4NJ
        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LXVODXWDISEETFEF
        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.3:80" -j KUBE-SEP-ICDUIKC33SFI6ZPR
      `),
    )
  })

  it('gives external traffic policy Local a KUBE-SVL chain of the local endpoints behind KUBE-EXT', () => {
    const services = [
      svc(
        'ns2',
        'svc2',
        {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Local',
          clusterIP: '172.30.0.42',
          healthCheckNodePort: 30000,
          ports: p80({ nodePort: 3001 }),
        },
        { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
      ),
    ]
    const slices = [
      slice('ns2', 'svc2', [
        { ip: '10.180.0.2', node: TEST_NODE },
        { ip: '10.180.1.2', node: 'node2' },
      ]),
    ]
    const text = linesOf(services, slices, 'ns2/svc2')
    expect(text).toContain(
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT\n',
    )
    expect(text).toContain('-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -j KUBE-SVL-GNZBNJ2PO5MGZ6GT\n')
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT\n',
    )
    expect(text).toContain(
      '-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT\n',
    )
    // The local chain balances over this node's endpoint only, and masquerades nothing.
    expect(text.split('\n').filter((l) => l.startsWith('-A KUBE-SVL-'))).toEqual([
      '-A KUBE-SVL-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ',
    ])
    // The cluster chain still has both, for pods and the node.
    expect(
      text.split('\n').filter((l) => l.startsWith('-A KUBE-SVC-') && l.includes(' -> ')),
    ).toHaveLength(2)
    expect(text).not.toContain('KUBE-EXTERNAL-SERVICES')
  })

  it('drops cluster-IP traffic under internal traffic policy Local when this node has no endpoint', () => {
    const services = [
      svc('ns1', 'svc1', {
        internalTrafficPolicy: 'Local',
        clusterIP: '172.30.0.41',
        ports: p80(),
      }),
    ]
    const slices = [slice('ns1', 'svc1', [{ ip: '10.180.1.1', node: 'node2' }])]
    expect(linesOf(services, slices, 'ns1/svc1')).toBe(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP\n',
    )
  })

  it('falls back to serving terminating endpoints when none is ready, and rejects when none serves', () => {
    const services = [svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80() })]
    const draining = [
      slice('ns1', 'svc1', [
        { ip: '10.180.0.1', ready: false, serving: true, terminating: true },
        { ip: '10.180.0.2', ready: false, serving: false, terminating: true },
        { ip: '10.180.0.3', ready: false },
      ]),
    ]
    expect(
      linesOf(services, draining, 'ns1/svc1')
        .split('\n')
        .filter((l) => l.startsWith('-A KUBE-SVC-')),
    ).toEqual([
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    ])
    // A ready endpoint anywhere wins over draining ones.
    const mixed = [
      slice('ns1', 'svc1', [
        { ip: '10.180.0.1', ready: false, serving: true, terminating: true },
        { ip: '10.180.0.3' },
      ]),
    ]
    expect(linesOf(services, mixed, 'ns1/svc1')).toContain(
      '"ns1/svc1:p80 -> 10.180.0.3:80" -j KUBE-SEP-',
    )
    expect(linesOf(services, mixed, 'ns1/svc1')).not.toContain('10.180.0.1:80')
    const gone = [
      slice('ns1', 'svc1', [{ ip: '10.180.0.2', ready: false, serving: false, terminating: true }]),
    ]
    expect(linesOf(services, gone, 'ns1/svc1')).toBe(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT\n',
    )
  })

  it('narrows to this zone when every ready endpoint has a zone hint and one names it', () => {
    const cfg = upstreamConfig({ zone: 'zone-a' })
    const services = [svc('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80() })]
    const hinted = (b: string[]) => [
      slice('ns1', 'svc1', [
        { ip: '10.180.0.1', zoneHints: ['zone-a'] },
        { ip: '10.180.0.2', zoneHints: [b[0]!] },
        { ip: '10.180.0.3', ...(b[1] ? { zoneHints: [b[1]] } : {}) },
      ]),
    ]
    const jumps = (slices: Obj[]) =>
      restoreText(sync(cfg, services, slices).ruleset)
        .split('\n')
        .filter((l) => l.startsWith('-A KUBE-SVC-') && l.includes(' -> '))
        .map((l) => /-> ([\d.:]+)/.exec(l)![1])
    expect(jumps(hinted(['zone-b', 'zone-a']))).toEqual(['10.180.0.1:80', '10.180.0.3:80'])
    // One endpoint without a hint: hints are ignored.
    expect(jumps(hinted(['zone-b']))).toEqual(['10.180.0.1:80', '10.180.0.2:80', '10.180.0.3:80'])
  })

  it('gives headless and ExternalName services no rules', () => {
    const services = [
      svc('ns1', 'headless', { clusterIP: 'None', ports: p80() }),
      svc('ns1', 'ext', { type: 'ExternalName', externalName: 'example.com', ports: p80() }),
    ]
    const slices = [slice('ns1', 'headless', [{ ip: '10.180.0.1' }])]
    const { ruleset, services: views } = sync(upstreamConfig(), services, slices)
    expect(restoreText(ruleset)).not.toContain('ns1/')
    expect(views).toEqual([])
  })

  it('drops per-endpoint comments past 1,000 endpoints, as upstream does for large clusters', () => {
    const n = LARGE_CLUSTER_ENDPOINTS + 1
    const services = [svc('ns1', 'big', { clusterIP: '172.30.0.41', ports: p80() })]
    const eps = Array.from({ length: n }, (_, i) => ({
      ip: `10.180.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    }))
    const text = restoreText(sync(upstreamConfig(), services, [slice('ns1', 'big', eps)]).ruleset)
    expect(text).toContain('-A KUBE-SERVICES -m comment --comment "ns1/big:p80 cluster IP"')
    expect(text).toMatch(/\n-A KUBE-SEP-\w+ -s 10\.180\.0\.1 -j KUBE-MARK-MASQ\n/)
    expect(text).toMatch(
      /\n-A KUBE-SVC-\w+ -m statistic --mode random --probability 0\.0009990010 -j KUBE-SEP-/,
    )
  })

  it('describes each service port for clients: endpoints, the chains used, which endpoints each policy takes', () => {
    const services = [
      svc('ns1', 'svc1', {
        type: 'NodePort',
        externalTrafficPolicy: 'Local',
        clusterIP: '172.30.0.41',
        ports: p80({ nodePort: 3001 }),
      }),
    ]
    const slices = [
      slice('ns1', 'svc1', [
        { ip: '10.180.0.1', node: TEST_NODE, zone: 'z1' },
        { ip: '10.180.1.1', node: 'node2', ready: false },
      ]),
    ]
    expect(sync(upstreamConfig(), services, slices).services).toEqual([
      {
        service: 'ns1/svc1:p80',
        protocol: 'TCP',
        clusterIP: '172.30.0.41',
        port: 80,
        nodePort: 3001,
        externalIPs: [],
        loadBalancerIPs: [],
        internalTrafficPolicy: 'Cluster',
        externalTrafficPolicy: 'Local',
        chains: {
          cluster: 'KUBE-SVC-XPGD46QRK7WJZT7O',
          local: 'KUBE-SVL-XPGD46QRK7WJZT7O',
          external: 'KUBE-EXT-XPGD46QRK7WJZT7O',
        },
        rejected: false,
        endpoints: [
          {
            endpoint: '10.180.0.1:80',
            ip: '10.180.0.1',
            port: 80,
            nodeName: TEST_NODE,
            zone: 'z1',
            ready: true,
            serving: true,
            terminating: false,
            local: true,
            chain: 'KUBE-SEP-SXIVWICOYRO3J4NJ',
            cluster: true,
            localPolicy: true,
          },
          {
            endpoint: '10.180.1.1:80',
            ip: '10.180.1.1',
            port: 80,
            nodeName: 'node2',
            ready: false,
            serving: true,
            terminating: false,
            local: false,
            cluster: false,
            localPolicy: false,
          },
        ],
      },
    ])
  })
})

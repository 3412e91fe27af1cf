import { describe, expect, it } from 'vitest'
import { servicePrinter } from './core'

const NOW = Date.parse('2026-11-23T12:00:00Z')
const svc = (spec: Record<string, any>, status: Record<string, any> = { loadBalancer: {} }) => ({
  metadata: { name: 'web', creationTimestamp: '2026-11-23T11:59:00Z' },
  spec,
  status,
})

describe('kubectl get svc (printService)', () => {
  it('has upstream columns, SELECTOR only with -o wide', () => {
    expect(servicePrinter.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Type', 0],
      ['Cluster-IP', 0],
      ['External-IP', 0],
      ['Port(s)', 0],
      ['Age', 0],
      ['Selector', 1],
    ])
  })

  it.each([
    {
      name: 'ClusterIP',
      o: svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }),
      want: ['web', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '60s', '<none>'],
    },
    {
      name: 'kube-dns: several ports, UDP',
      o: svc({ type: 'ClusterIP', clusterIPs: ['10.96.0.10'], selector: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 9153, protocol: 'TCP' }] }),
      want: ['web', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '60s', 'k8s-app=kube-dns'],
    },
    {
      name: 'NodePort with external IPs, selector keys sorted',
      o: svc({ type: 'NodePort', clusterIPs: ['10.100.2.3'], externalIPs: ['198.51.100.7'], selector: { tier: 'web', app: 'shop' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }),
      want: ['web', 'NodePort', '10.100.2.3', '198.51.100.7', '80:30080/TCP', '60s', 'app=shop,tier=web'],
    },
    {
      name: 'LoadBalancer still pending',
      o: svc({ type: 'LoadBalancer', clusterIPs: ['10.100.2.4'], ports: [{ port: 80, nodePort: 31234, protocol: 'TCP' }] }),
      want: ['web', 'LoadBalancer', '10.100.2.4', '<pending>', '80:31234/TCP', '60s', '<none>'],
    },
    {
      name: 'LoadBalancer with ingress (sorted, deduplicated, never cut) and an external IP',
      o: svc(
        { type: 'LoadBalancer', clusterIPs: ['10.100.2.4'], externalIPs: ['198.51.100.9'], ports: [{ port: 80, protocol: 'TCP' }] },
        { loadBalancer: { ingress: [{ ip: '203.0.113.20' }, { hostname: 'a-very-long-load-balancer.example.com' }, { ip: '203.0.113.20' }] } },
      ),
      want: ['web', 'LoadBalancer', '10.100.2.4', '203.0.113.20,a-very-long-load-balancer.example.com,198.51.100.9', '80/TCP', '60s', '<none>'],
    },
    {
      name: 'ExternalName',
      o: svc({ type: 'ExternalName', externalName: 'db.example.com' }),
      want: ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '60s', '<none>'],
    },
    {
      name: 'headless',
      o: svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' }, ports: [{ port: 5432, protocol: 'TCP' }] }),
      want: ['web', 'ClusterIP', 'None', '<none>', '5432/TCP', '60s', 'app=db'],
    },
  ])('$name', ({ o, want }) => {
    expect(servicePrinter.row(o as any, NOW)).toEqual(want)
  })
})

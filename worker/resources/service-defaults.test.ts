import { describe, expect, it } from 'vitest'
import { defaultService } from './service-defaults'

type O = Record<string, any>
const defaulted = (spec: O, status?: O) => {
  const o: O = { metadata: { name: 's' }, spec: structuredClone(spec), ...(status ? { status } : {}) }
  defaultService(o)
  return o
}

describe('defaultService (SetDefaults_Service)', () => {
  it.each<{ name: string; spec: O; want: O }>([
    {
      name: 'a bare ClusterIP service',
      spec: { ports: [{ port: 80 }] },
      want: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', type: 'ClusterIP', internalTrafficPolicy: 'Cluster' },
    },
    {
      name: 'NodePort: externalTrafficPolicy Cluster',
      spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http', protocol: 'UDP' }] },
      want: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http', protocol: 'UDP' }], sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' },
    },
    {
      name: 'LoadBalancer: allocateLoadBalancerNodePorts true',
      spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 0 }] },
      want: { type: 'LoadBalancer', ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }], sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true },
    },
    {
      name: 'ClusterIP with external IPs is externally accessible',
      spec: { ports: [{ port: 80 }], externalIPs: ['198.51.100.9'] },
      want: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], externalIPs: ['198.51.100.9'], sessionAffinity: 'None', type: 'ClusterIP', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' },
    },
    {
      name: 'ExternalName: no traffic policies',
      spec: { type: 'ExternalName', externalName: 'example.com' },
      want: { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' },
    },
    {
      name: 'ClientIP affinity: a 10800 s timeout',
      spec: { ports: [{ port: 80 }], sessionAffinity: 'ClientIP' },
      want: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }, type: 'ClusterIP', internalTrafficPolicy: 'Cluster' },
    },
    {
      name: 'ClientIP affinity keeps a given timeout',
      spec: { ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
      want: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, type: 'ClusterIP', internalTrafficPolicy: 'Cluster' },
    },
    {
      name: 'None affinity drops a config',
      spec: { ports: [{ port: 80 }], sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
      want: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', type: 'ClusterIP', internalTrafficPolicy: 'Cluster' },
    },
  ])('$name', ({ spec, want }) => {
    const o = defaulted(spec)
    expect(o.spec).toEqual(want)
    expect(o.status).toEqual({ loadBalancer: {} })
  })

  it('marks load balancer ingress IPs as VIPs', () => {
    expect(defaulted({ type: 'LoadBalancer', ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: '203.0.113.4' }, { hostname: 'lb.example.com' }] } }).status).toEqual({
      loadBalancer: { ingress: [{ ip: '203.0.113.4', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] },
    })
  })
})

import { describe, expect, it } from 'vitest'
import { defaultService } from '../../resources/service-defaults'
import { validateServiceUpdate } from '../../resources/service-validation'
import { ApiError } from '../errors'
import type { Obj } from '../objects'
import type { AllocDeps } from './allocate'
import { NodePortRange, ServiceIPRange } from './ranges'
import { beginServiceCreate, beginServiceUpdate, normalizeClusterIPs, patchAllocatedValues } from './strategy'

function deps(ips: string[] = [], ports: number[] = []): AllocDeps {
  return { inUse: { ip: (ip) => ips.includes(ip), port: (p) => ports.includes(p) }, dryRun: false, rand: () => 0, ips: new ServiceIPRange(), ports: new NodePortRange() }
}

const svc = (spec: Record<string, any>): Obj => {
  const o: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: structuredClone(spec) }
  defaultService(o)
  return o
}
/** What the API server stores for spec. */
const created = (spec: Record<string, any>, d = deps()) => {
  const o = svc(spec)
  beginServiceCreate(o, d)
  return o
}
/** An update of old to spec (as sent), defaulted, then through the strategy. */
const updated = (old: Obj, spec: Record<string, any>, d = deps()) => {
  const o = svc(spec)
  o.status = old.status
  beginServiceUpdate(o, old, d)
  return o
}

const NP = { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }

describe('create', () => {
  it('stores a complete ClusterIP service with status.loadBalancer {}', () => {
    const o = created({ selector: { app: 'web' }, ports: [{ port: 80 }] })
    expect(o.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      clusterIPs: ['10.96.1.1'],
      clusterIP: '10.96.1.1',
    })
    expect(o.status).toEqual({ loadBalancer: {} })
  })

  it('a status sent on create is dropped', () => {
    const o = svc({ type: 'LoadBalancer', ports: [{ port: 80 }] })
    o.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }
    beginServiceCreate(o, deps())
    expect(o.status).toEqual({ loadBalancer: {} })
  })
})

describe('normalizeClusterIPs and patchAllocatedValues', () => {
  it('create: clusterIP alone fills clusterIPs', () => {
    const o: Obj = { metadata: {}, spec: { clusterIP: '10.96.0.20' } }
    normalizeClusterIPs(o)
    expect(o.spec.clusterIPs).toEqual(['10.96.0.20'])
  })

  it('update: a clusterIP changed with clusterIPs untouched moves clusterIPs too (validation then refuses it)', () => {
    const old = created({ clusterIP: '10.96.0.20', ports: [{ port: 80 }] })
    const o = svc({ clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.20'], ports: [{ port: 80 }] })
    normalizeClusterIPs(o, old)
    expect(o.spec.clusterIPs).toEqual(['10.96.0.21'])
  })

  it('node ports come back by port name, unless the new spec uses the old value elsewhere', () => {
    const old = created({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30001 }, { name: 'b', port: 81, nodePort: 30002 }] })
    const o = svc({ type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }, { name: 'c', port: 82, nodePort: 30001 }] })
    patchAllocatedValues(o, old)
    expect(o.spec.ports.map((p: Obj) => p.nodePort)).toEqual([undefined, 30002, 30001])
  })
})

describe('update', () => {
  it('resubmitting what was created (no clusterIP, no nodePort) keeps every allocated value', () => {
    const old = created({ ...NP, type: 'LoadBalancer', externalTrafficPolicy: 'Local' })
    const o = updated(old, { ...NP, type: 'LoadBalancer', externalTrafficPolicy: 'Local' })
    expect(o.spec).toEqual(old.spec)
  })

  it('changing the cluster IP is refused by validation, in upstream words', () => {
    const old = created(NP)
    const o = updated(old, { ...NP, clusterIP: '10.96.5.5' })
    expect(validateServiceUpdate(o, old).map((c) => `${c.field}: ${c.message}`)).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.5.5"}: may not change once set'])
  })

  it('NodePort → ClusterIP drops the node ports and externalTrafficPolicy', () => {
    const old = created(NP)
    expect(old.spec.ports[0].nodePort).toBe(30086)
    const o = updated(old, { ...old.spec, type: 'ClusterIP' })
    expect(o.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }])
    expect(o.spec.externalTrafficPolicy).toBeUndefined()
    expect(o.spec.clusterIP).toBe(old.spec.clusterIP)
    expect(validateServiceUpdate(o, old)).toEqual([])
  })

  it('NodePort → ClusterIP with a node port the client changed keeps it, and validation refuses it', () => {
    const old = created(NP)
    const o = updated(old, { ...old.spec, type: 'ClusterIP', ports: [{ name: 'http', port: 80, nodePort: 30500 }] })
    expect(validateServiceUpdate(o, old).map((c) => c.field)).toContain('spec.ports[0].nodePort')
  })

  it('ClusterIP → NodePort allocates node ports, keeping the requested one', () => {
    const old = created({ selector: { app: 'web' }, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] })
    const o = updated(old, { ...old.spec, type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81 }] })
    expect(o.spec.ports.map((p: Obj) => p.nodePort)).toEqual([30080, 30086])
    expect(o.spec.externalTrafficPolicy).toBe('Cluster')
  })

  it('an update asking for a node port another Service holds is refused', () => {
    const old = created(NP)
    const attempt = () => updated(old, { ...NP, ports: [{ name: 'http', port: 80, nodePort: 30080 }] }, deps([], [30080, 30086]))
    expect(attempt).toThrow(ApiError)
    expect(attempt).toThrow('Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated')
  })

  it('ClusterIP → ExternalName releases the IP (fields cleared); ExternalName → ClusterIP allocates one', () => {
    const old = created({ selector: { app: 'web' }, ports: [{ port: 80 }] })
    const ext = updated(old, { ...old.spec, type: 'ExternalName', externalName: 'db.example.com' })
    expect(ext.spec).toEqual({ selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', type: 'ExternalName', externalName: 'db.example.com' })
    expect(validateServiceUpdate(ext, old)).toEqual([])
    const back = updated(ext, { ...ext.spec, type: 'ClusterIP', externalName: undefined }, deps([], []))
    expect(back.spec).toMatchObject({ type: 'ClusterIP', clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })
  })

  it('LoadBalancer → ClusterIP clears the load balancer status and LB-only fields', () => {
    const old = created({ ...NP, type: 'LoadBalancer' })
    old.status = { loadBalancer: { ingress: [{ ip: '203.0.113.7', ipMode: 'VIP' }] } }
    const o = updated(old, { ...old.spec, type: 'ClusterIP' })
    expect(o.status).toEqual({ loadBalancer: {} })
    expect(o.spec.allocateLoadBalancerNodePorts).toBeUndefined()
    expect(validateServiceUpdate(o, old)).toEqual([])
  })

  it('Cluster → Local on a LoadBalancer allocates the health-check port; Local → Cluster drops it', () => {
    const old = created({ ...NP, type: 'LoadBalancer' })
    const local = updated(old, { ...old.spec, externalTrafficPolicy: 'Local' })
    expect(local.spec.healthCheckNodePort).toBe(30086)
    const back = updated(local, { ...local.spec, externalTrafficPolicy: 'Cluster' })
    expect(back.spec.healthCheckNodePort).toBeUndefined()
  })

  it('the health-check port is immutable while it is needed', () => {
    const old = created({ ...NP, type: 'LoadBalancer', externalTrafficPolicy: 'Local' })
    const o = updated(old, { ...old.spec, healthCheckNodePort: 31999 })
    expect(validateServiceUpdate(o, old).map((c) => `${c.field}: ${c.message}`)).toEqual(['spec.healthCheckNodePort: Forbidden: field is immutable'])
  })
})

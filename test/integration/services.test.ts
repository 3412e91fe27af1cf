// Services through the HTTP API inside workerd: the Services every cluster
// starts with, cluster IP and node port allocation with upstream's Status
// bodies, type changes, release on delete, and that a refused write stores
// nothing.
import { describe, expect, it } from 'vitest'
import { api, inPlane, newCluster, type TestCluster, until } from './helpers'

const NS = '/api/v1/namespaces/default'

const service = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec })
const create = (c: TestCluster, name: string, spec: Record<string, unknown>) => api(c, 'POST', `${NS}/services`, service(name, spec))

/** The store's revision once background work (controllers, scheduler) has stopped writing. */
async function settled(c: TestCluster): Promise<number> {
  let last = -1
  for (let still = 0; still < 4; ) {
    await new Promise((r) => setTimeout(r, 40))
    const rev = await inPlane(c, ({ store }) => store.currentRevision())
    still = rev === last ? still + 1 : 0
    last = rev
  }
  return last
}

/** The 422 upstream answers for one field error of a Service. */
const invalid = (name: string, field: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `Service "${name}" is invalid: ${field}: ${message}`,
  reason: 'Invalid',
  details: { name, kind: 'Service', causes: [{ reason: 'FieldValueInvalid', message, field }] },
  code: 422,
})

describe('the Services a cluster starts with', () => {
  it('has kubernetes at 10.96.0.1 with its Endpoints and EndpointSlice, and kube-dns at 10.96.0.10', async () => {
    const c = await newCluster()
    const k = (await api(c, 'GET', `${NS}/services/kubernetes`)).json
    expect(k.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' })
    expect(k.metadata.generation).toBeUndefined()
    expect(k.spec).toEqual({
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    })
    expect(k.status).toEqual({ loadBalancer: {} })
    const ep = (await api(c, 'GET', `${NS}/endpoints/kubernetes`)).json
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }])
    expect(ep.metadata.labels).toEqual({ 'endpointslice.kubernetes.io/skip-mirror': 'true' })
    const slice = (await api(c, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).json
    expect(slice).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] })
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' })
    const dns = (await api(c, 'GET', '/api/v1/namespaces/kube-system/services/kube-dns')).json
    expect(dns.metadata.labels).toEqual({ 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' })
    expect(dns.spec).toMatchObject({
      clusterIP: '10.96.0.10',
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    })
  })

  it('the endpoint controllers leave the selectorless kubernetes Service alone', async () => {
    const c = await newCluster()
    await settled(c)
    const ep = (await api(c, 'GET', `${NS}/endpoints/kubernetes`)).json
    // The endpoints controller would have stamped last-change-trigger-time and copied the Service's labels.
    expect(ep.metadata.annotations).toBeUndefined()
    expect(ep.metadata.labels).toEqual({ 'endpointslice.kubernetes.io/skip-mirror': 'true' })
    expect(ep.metadata.managedFields.map((m: any) => m.manager)).toEqual(['kube-apiserver'])
    const slices = (await api(c, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkubernetes')).json
    expect(slices.items.map((s: any) => s.metadata.name)).toEqual(['kubernetes'])
    expect(slices.items[0].metadata.managedFields.map((m: any) => m.manager)).toEqual(['kube-apiserver'])
  })

  it('kubectl delete svc kubernetes: the API server puts it back at 10.96.0.1, and its endpoints', async () => {
    const c = await newCluster()
    expect((await api(c, 'DELETE', `${NS}/services/kubernetes`)).status).toBe(200)
    expect((await api(c, 'DELETE', `${NS}/endpoints/kubernetes`)).status).toBe(200)
    const back = await until(async () => {
      const svc = await api(c, 'GET', `${NS}/services/kubernetes`)
      const ep = await api(c, 'GET', `${NS}/endpoints/kubernetes`)
      return svc.status === 200 && ep.status === 200 && { svc: svc.json, ep: ep.json }
    }, 'kubernetes recreated')
    expect(back.svc.spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] })
    expect(back.ep.subsets).toEqual([{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }])
  })

  it('kubectl get svc -A shows them as upstream prints them', async () => {
    const c = await newCluster()
    const t = (await api(c, 'GET', '/api/v1/services', undefined, 'application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io')).json
    expect(t.columnDefinitions.map((d: any) => d.name)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'])
    expect(t.rows.map((r: any) => [r.cells[0], ...r.cells.slice(1, 5), r.cells[6]])).toEqual([
      ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '<none>'],
      ['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', 'k8s-app=kube-dns'],
    ])
  })
})

describe('cluster IPs', () => {
  it('allocates a random IP in the upper band, never the same twice even for concurrent creates', async () => {
    const c = await newCluster()
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => create(c, `s${i}`, { selector: { app: `a${i}` }, ports: [{ port: 80 }] })))
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201))
    const ips = results.map((r) => r.json.spec.clusterIP as string)
    expect(new Set(ips).size).toBe(30)
    for (const ip of ips) {
      const [a, b, c3] = ip.split('.').map(Number)
      expect(a).toBe(10)
      // 10.96.0.1 - 10.96.1.0 is the static band: dynamic picks start above it.
      expect(b! > 96 || c3! >= 1).toBe(true)
      expect(b! <= 111).toBe(true)
    }
    expect(results[0]!.json.spec).toMatchObject({ clusterIPs: [ips[0]], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', type: 'ClusterIP', internalTrafficPolicy: 'Cluster' })
  })

  it('refuses a taken IP and one outside the range with upstream Status bodies, and stores nothing', async () => {
    const c = await newCluster()
    const before = await settled(c)
    const taken = await create(c, 'x', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })
    expect(taken.status).toBe(422)
    expect(taken.json).toEqual(invalid('x', 'spec.clusterIPs', 'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated'))
    const outside = await create(c, 'y', { clusterIP: '10.200.0.1', ports: [{ port: 80 }] })
    expect(outside.json).toEqual(
      invalid('y', 'spec.clusterIPs', 'Invalid value: []string{"10.200.0.1"}: failed to allocate IP 10.200.0.1: the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12'),
    )
    const ports = await create(c, 'z', { ports: [{ name: 'a', port: 80 }, { port: 81 }] })
    expect(ports.json).toEqual({ ...invalid('z', 'spec.ports[1].name', 'Required value'), details: { name: 'z', kind: 'Service', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' }] } })
    expect(await inPlane(c, ({ store }) => store.currentRevision())).toBe(before)
    expect((await api(c, 'GET', `${NS}/services/x`)).status).toBe(404)
  })

  it('honours a requested IP in the static band; deleting the Service frees it', async () => {
    const c = await newCluster()
    expect((await create(c, 'a', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] })).json.spec.clusterIP).toBe('10.96.0.50')
    expect((await create(c, 'b', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] })).status).toBe(422)
    expect((await api(c, 'DELETE', `${NS}/services/a`)).status).toBe(200)
    const again = await create(c, 'b', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] })
    expect([again.status, again.json.spec.clusterIP]).toEqual([201, '10.96.0.50'])
  })

  it('refuses to change a cluster IP; a PUT without clusterIP keeps the allocated one', async () => {
    const c = await newCluster()
    const made = (await create(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] })).json
    const put = await api(c, 'PUT', `${NS}/services/web`, service('web', { selector: { app: 'web', tier: 'front' }, ports: [{ port: 80 }] }))
    expect(put.status).toBe(200)
    expect(put.json.spec).toMatchObject({ clusterIP: made.spec.clusterIP, clusterIPs: made.spec.clusterIPs, selector: { app: 'web', tier: 'front' } })
    const moved = await api(c, 'PATCH', `${NS}/services/web`, { spec: { clusterIP: '10.96.0.77' } }, 'application/merge-patch+json')
    expect(moved.json).toEqual(invalid('web', 'spec.clusterIPs[0]', 'Invalid value: []string{"10.96.0.77"}: may not change once set'))
  })

  it('headless and ExternalName Services get no IP; ExternalName needs its name', async () => {
    const c = await newCluster()
    // kubectl create service clusterip db --clusterip=None
    const headless = await api(c, 'POST', `${NS}/services`, { kind: 'Service', apiVersion: 'v1', metadata: { name: 'db', labels: { app: 'db' } }, spec: { ports: [], selector: { app: 'db' }, clusterIP: 'None', type: 'ClusterIP' }, status: { loadBalancer: {} } })
    expect(headless.status).toBe(201)
    expect(headless.json.spec).toEqual({ clusterIP: 'None', clusterIPs: ['None'], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', selector: { app: 'db' }, sessionAffinity: 'None', type: 'ClusterIP' })
    const ext = await create(c, 'ext', { type: 'ExternalName', externalName: 'db.example.com' })
    expect(ext.json.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' })
    const noName = await create(c, 'ext2', { type: 'ExternalName' })
    expect(noName.json).toEqual({ ...invalid('ext2', 'spec.externalName', 'Required value'), details: { name: 'ext2', kind: 'Service', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.externalName' }] } })
  })
})

describe('node ports', () => {
  it('kubectl create service nodeport --node-port=30080 (protobuf body); a second claim gets upstream 422', async () => {
    const c = await newCluster()
    const body = protobufNodePortService('x', 30080)
    const r = await api(c, 'POST', `${NS}/services`, body, 'application/vnd.kubernetes.protobuf')
    expect(r.status).toBe(201)
    expect(r.json.spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] })
    const before = await settled(c)
    const clash = await create(c, 'y', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })
    expect(clash.json).toEqual(invalid('y', 'spec.ports[0].nodePort', 'Invalid value: 30080: provided port is already allocated'))
    const outside = await create(c, 'z', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })
    expect(outside.json).toEqual(invalid('z', 'spec.ports[0].nodePort', 'Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'))
    expect(await inPlane(c, ({ store }) => store.currentRevision())).toBe(before)
  })

  it('kubectl expose --type LoadBalancer: a random node port, allocateLoadBalancerNodePorts and externalTrafficPolicy defaulted', async () => {
    const c = await newCluster()
    const r = await api(c, 'POST', `${NS}/services`, {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
      spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], selector: { app: 'web' }, type: 'LoadBalancer' },
      status: { loadBalancer: {} },
    })
    expect(r.status).toBe(201)
    const np = r.json.spec.ports[0].nodePort
    expect(np >= 30086 && np <= 32767).toBe(true)
    expect(r.json.spec).toMatchObject({ allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None' })
    // Local traffic policy: a health-check node port joins.
    const local = await api(c, 'PATCH', `${NS}/services/web`, { spec: { externalTrafficPolicy: 'Local' } }, 'application/merge-patch+json')
    expect(local.json.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000)
    expect(local.json.spec.ports[0].nodePort).toBe(np)
  })

  it('NodePort → ClusterIP drops the node ports and frees them; ClusterIP → ExternalName frees the IP; back allocates a new one', async () => {
    const c = await newCluster()
    const made = (await create(c, 'web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] })).json
    const ip = made.spec.clusterIP
    const cip = await api(c, 'PATCH', `${NS}/services/web`, { spec: { type: 'ClusterIP' } }, 'application/merge-patch+json')
    expect(cip.status).toBe(200)
    expect(cip.json.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }])
    expect(cip.json.spec.externalTrafficPolicy).toBeUndefined()
    expect((await create(c, 'other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })).status).toBe(201)
    const ext = await api(c, 'PATCH', `${NS}/services/web`, { spec: { type: 'ExternalName', externalName: 'web.example.com' } }, 'application/merge-patch+json')
    expect(ext.status).toBe(200)
    expect(ext.json.spec).toEqual({ type: 'ExternalName', externalName: 'web.example.com', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' }, sessionAffinity: 'None' })
    expect((await create(c, 'takes-ip', { clusterIP: ip, ports: [{ port: 80 }] })).status).toBe(201)
    const back = await api(c, 'PATCH', `${NS}/services/web`, { spec: { type: 'ClusterIP', externalName: null } }, 'application/merge-patch+json')
    expect(back.status).toBe(200)
    expect(back.json.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./)
    expect(back.json.spec.clusterIP).not.toBe(ip)
    expect(back.json.spec).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' })
  })

  it('deleting a NodePort Service frees its port', async () => {
    const c = await newCluster()
    expect((await create(c, 'a', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] })).status).toBe(201)
    expect((await api(c, 'DELETE', `${NS}/services/a`)).status).toBe(200)
    expect((await create(c, 'b', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] })).status).toBe(201)
  })
})

describe('status and dry run', () => {
  it('a load balancer status gets ipMode VIP; ingress on a NodePort Service is refused', async () => {
    const c = await newCluster()
    const lb = (await create(c, 'lb', { type: 'LoadBalancer', ports: [{ port: 80 }] })).json
    // No resourceVersion: the cloud's service controller may be writing this Service too.
    const put = await api(c, 'PUT', `${NS}/services/lb/status`, { ...lb, metadata: { name: 'lb' }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } } })
    expect(put.status).toBe(200)
    expect(put.json.status).toEqual({ loadBalancer: { ingress: [{ ip: '203.0.113.9', ipMode: 'VIP' }] } })
    const np = (await create(c, 'np', { type: 'NodePort', ports: [{ port: 80 }] })).json
    const refused = await api(c, 'PUT', `${NS}/services/np/status`, { ...np, metadata: { name: 'np' }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.9', ipMode: 'VIP' }] } } })
    expect(refused.status).toBe(422)
    expect(refused.json.message).toBe("Service \"np\" is invalid: status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'")
  })

  it('dryRun=All answers as upstream does (network address, node ports past the range) and stores nothing', async () => {
    const c = await newCluster()
    const before = await settled(c)
    const r = await api(c, 'POST', `${NS}/services?dryRun=All`, service('web', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }))
    expect(r.status).toBe(201)
    expect(r.json.spec).toMatchObject({ clusterIP: '10.96.0.0', ports: [{ nodePort: 32769 }, { nodePort: 32770 }] })
    expect(await inPlane(c, ({ store }) => store.currentRevision())).toBe(before)
  })
})

// kubectl create service nodeport x --tcp=80:8080 --node-port=<port>, as kubectl 1.32 encodes it.
function protobufNodePortService(name: string, nodePort: number): Uint8Array {
  const varint = (n: number): number[] => {
    const out: number[] = []
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80)
      n = Math.floor(n / 0x80)
    }
    out.push(n)
    return out
  }
  const enc = new TextEncoder()
  const ld = (no: number, bytes: number[]) => [...varint(no * 8 + 2), ...varint(bytes.length), ...bytes]
  const str = (no: number, s: string) => ld(no, [...enc.encode(s)])
  const int = (no: number, n: number) => [...varint(no * 8), ...varint(n)]
  const meta = [...str(1, name), ...str(2, ''), ...str(3, ''), ...int(7, 0), ...ld(8, []), ...ld(11, [...str(1, 'app'), ...str(2, name)])]
  const port = [...str(1, '80-8080'), ...str(2, 'TCP'), ...int(3, 80), ...ld(4, [...int(1, 0), ...int(2, 8080)]), ...int(5, nodePort)]
  const spec = [...ld(1, port), ...ld(2, [...str(1, 'app'), ...str(2, name)]), ...str(3, ''), ...str(4, 'NodePort'), ...str(7, ''), ...str(8, ''), ...str(10, ''), ...str(11, ''), ...int(12, 0), ...int(13, 0)]
  const raw = [...ld(1, meta), ...ld(2, spec), ...ld(3, ld(1, []))]
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...ld(1, [...str(1, 'v1'), ...str(2, 'Service')]), ...ld(2, raw), ...str(3, ''), ...str(4, '')])
}

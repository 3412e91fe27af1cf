// Simulated traffic and DNS inside workerd: real cluster and node objects, the
// Service allocator, the EndpointSlice controller, each node's kube-proxy and
// kubelet, on a paused clock the tests step.
import { describe, expect, it } from 'vitest'
import { api, newCluster, type TestCluster, until } from './helpers'

const MERGE = 'application/merge-patch+json'
const step = (c: TestCluster, ms: number) => c.stub.setClock({ stepMs: ms })
const traffic = async (c: TestCluster, spec: Record<string, unknown>, ns = 'default') =>
  api(c, 'POST', `/apis/sim.wheelhouse.dev/v1alpha1/namespaces/${ns}/trafficruns`, { apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind: 'TrafficRun', metadata: { name: 't' }, spec })
const lookup = async (c: TestCluster, spec: Record<string, unknown>, ns = 'default') =>
  api(c, 'POST', `/apis/sim.wheelhouse.dev/v1alpha1/namespaces/${ns}/dnslookups`, { apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind: 'DNSLookup', metadata: { name: 'q' }, spec })

function pod(name: string, node: string, image = 'nginx:1.27', labels: Record<string, string> = { app: 'web' }) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: node, containers: [{ name: 'c', image, ...(image.startsWith('busybox') ? { command: ['sleep', '3600'] } : {}) }] } }
}

/** Three nginx pods (one per node), a client pod on worker-1, a Service `web`; returns once every endpoint is ready. */
async function webCluster(type = 'ClusterIP'): Promise<{ c: TestCluster; svc: any; pods: any[] }> {
  const c = await newCluster({ nodes: 3 })
  await until(async () => (await api(c, 'GET', '/api/v1/nodes/worker-3')).json?.spec?.podCIDR, 'node CIDRs')
  for (const [i, n] of ['worker-1', 'worker-2', 'worker-3'].entries()) expect((await api(c, 'POST', '/api/v1/namespaces/default/pods', pod(`web-${i + 1}`, n))).status).toBe(201)
  expect((await api(c, 'POST', '/api/v1/namespaces/default/pods', pod('client', 'worker-1', 'busybox:1.36', { app: 'client' }))).status).toBe(201)
  const svc = (await api(c, 'POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } })).json
  expect(svc.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./)
  const pods = await until(async () => {
    await step(c, 2_000)
    const list = (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items
    return list.length === 4 && list.every((p: any) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')) ? list : undefined
  }, 'pods ready')
  await until(async () => {
    const slices = (await api(c, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name=web')).json.items
    return slices.flatMap((s: any) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready).length === 3
  }, 'three ready endpoints')
  // The API having three ready endpoints is not every kube-proxy having them: the feed to the nodes is asynchronous.
  for (const node of ['worker-1', 'worker-2', 'worker-3'])
    await until(async () => {
      const rules = (await api(c, 'GET', `/api/v1/nodes/${node}/proxy/kube-proxy/rules`)).json
      return rules?.services?.find((s: any) => /^default\/web(:|$)/.test(s.service))?.endpoints?.length === 3
    }, `${node}'s kube-proxy programming three endpoints`)
  return { c, svc, pods }
}

const within10 = (n: number, of: number) => Math.abs(n - of) <= of * 0.1

describe('cluster DNS', () => {
  it('answers a Service name through the pod resolver, its SRV record, and NXDOMAIN as nslookup prints it', async () => {
    const { c, svc } = await webCluster()
    const a = await lookup(c, { name: 'web' })
    expect(a.status).toBe(201)
    expect(a.json.status).toMatchObject({ rcode: 'NOERROR', name: 'web.default.svc.cluster.local', answers: [{ type: 'A', data: svc.spec.clusterIP, ttl: 30 }] })
    expect(a.json.status.output).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${svc.spec.clusterIP}`)
    const k = await lookup(c, { name: 'kubernetes.default' })
    expect(k.json.status.answers[0].data).toBe('10.96.0.1')
    const nx = await lookup(c, { name: 'nope' })
    expect(nx.json.status.output).toContain("** server can't find nope: NXDOMAIN")
  })

  it('refuses a bad question with a Status naming the field', async () => {
    const c = await newCluster({ nodes: 0 })
    const r = await lookup(c, { name: 'web', type: 'MX' })
    expect(r.status).toBe(422)
    expect(r.json.message).toBe('DNSLookup.sim.wheelhouse.dev "q" is invalid: spec.type: Unsupported value: "MX": supported values: "A", "CNAME", "PTR", "SRV"')
    const t = await traffic(c, { url: 'http://web/', requests: 0 })
    expect(t.json.message).toBe('TrafficRun.sim.wheelhouse.dev "t" is invalid: spec.requests: Invalid value: 0: must be between 1 and 100000, inclusive')
    const missing = await traffic(c, { url: 'http://web/', from: { pod: 'ghost' } })
    expect([missing.status, missing.json.message]).toEqual([404, 'pods "ghost" not found'])
    const ns = await traffic(c, { url: 'http://web/' }, 'nowhere')
    expect([ns.status, ns.json.message]).toEqual([404, 'namespaces "nowhere" not found'])
    // A generateName gets a suffix, as on any create.
    const named = await api(c, 'POST', '/apis/sim.wheelhouse.dev/v1alpha1/namespaces/default/dnslookups', { apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind: 'DNSLookup', metadata: { generateName: 'q-' }, spec: { name: 'kubernetes' } })
    expect(named.json.metadata.name).toMatch(/^q-[a-z0-9]{5}$/)
  })
})

describe('simulated traffic', () => {
  it('spreads 3,000 requests from a pod over the three endpoints, each logged by nginx; an unready pod gets none', async () => {
    const { c, pods } = await webCluster()
    const clientIP = pods.find((p: any) => p.metadata.name === 'client').status.podIP
    const r = await traffic(c, { url: 'http://web/', requests: 3000, from: { pod: 'client' } })
    expect(r.status).toBe(201)
    const st = r.json.status
    expect(st).toMatchObject({ via: 'ClusterIP', service: 'default/web', sent: 3000, answered: 3000, refused: 0, timedOut: 0, response: { code: 200 } })
    expect(st.endpoints.map((e: any) => e.pod)).toEqual(['web-1', 'web-2', 'web-3'])
    for (const e of st.endpoints) expect(within10(e.requests, 1000), `${e.pod}: ${e.requests}`).toBe(true)
    // Each request is one nginx access line, from the client pod's own address (no masquerade inside the cluster).
    const logs = (await api(c, 'GET', '/api/v1/namespaces/default/pods/web-2/log')).text
    expect(logs.split('\n').filter((l) => l.startsWith(`${clientIP} - - [`) && l.includes('"GET / HTTP/1.1" 200 615')).length).toBe(st.endpoints[1].requests)

    // worker-3 loses power: its pod turns NotReady, the EndpointSlice says so, worker-1's rules drop it.
    await api(c, 'PATCH', '/api/v1/nodes/worker-3', { metadata: { annotations: { 'sim.wheelhouse.dev/fault': 'poweroff' } } }, MERGE)
    await until(async () => {
      await step(c, 10_000)
      const slices = (await api(c, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name=web')).json.items
      return slices.flatMap((s: any) => s.endpoints ?? []).some((e: any) => e.targetRef?.name === 'web-3' && e.conditions?.ready === false)
    }, 'web-3 unready in the EndpointSlice')
    const after = await until(async () => {
      const s = (await traffic(c, { url: 'http://web/', requests: 300, from: { pod: 'client' } })).json.status
      return s.endpoints.length === 2 ? s : undefined
    }, 'worker-1 routing to two endpoints')
    expect(after).toMatchObject({ answered: 300, timedOut: 0 })
    expect(after.endpoints.map((e: any) => e.pod)).toEqual(['web-1', 'web-2'])
  })

  it('answers on the NodePort of every node, and from outside through the LoadBalancer IP', async () => {
    const { c } = await webCluster('LoadBalancer')
    const svc = await until(async () => {
      await step(c, 5_000)
      const s = (await api(c, 'GET', '/api/v1/namespaces/default/services/web')).json
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined
    }, 'a load balancer IP')
    const nodePort = svc.spec.ports[0].nodePort
    expect(nodePort).toBeGreaterThanOrEqual(30000)
    for (const n of (await api(c, 'GET', '/api/v1/nodes')).json.items) {
      const ip = n.status.addresses.find((a: any) => a.type === 'InternalIP').address
      const st = (await traffic(c, { url: `http://${ip}:${nodePort}/`, requests: 30 })).json.status
      expect(st, n.metadata.name).toMatchObject({ via: 'NodePort', answered: 30, nodes: [{ name: n.metadata.name, requests: 30 }] })
    }
    const lb = (await traffic(c, { url: `http://${svc.status.loadBalancer.ingress[0].ip}/`, requests: 3000, clients: 50 })).json.status
    expect(lb).toMatchObject({ via: 'LoadBalancer', answered: 3000 })
    expect(lb.nodes).toHaveLength(3)
    for (const e of lb.endpoints) expect(within10(e.requests, 1000), `${e.pod}: ${e.requests}`).toBe(true)
    // From outside, a ClusterIP leads nowhere; a port no Service uses is closed.
    expect((await traffic(c, { url: `http://${svc.spec.clusterIP}/` })).json.status.error).toMatch(/^curl: \(28\) Failed to connect/)
    const closed = (await traffic(c, { url: `http://172.18.0.3:31999/` })).json.status
    expect(closed).toMatchObject({ refused: 1, answered: 0 })
  })

  it('keeps a client on one endpoint with sessionAffinity ClientIP', async () => {
    const { c } = await webCluster()
    await api(c, 'PATCH', '/api/v1/namespaces/default/services/web', { spec: { sessionAffinity: 'ClientIP' } }, MERGE)
    const st = await until(async () => {
      const s = (await traffic(c, { url: 'http://web/', requests: 200, from: { pod: 'client' } })).json.status
      return s.endpoints.length === 1 ? s : undefined
    }, 'affinity rules on worker-1')
    expect(st.answered).toBe(200)
  })
})

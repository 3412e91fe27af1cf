// Services, kube-proxy and the cloud through real kubectl: a LoadBalancer gets
// an external IP and spreads simulated traffic over its pods, an unready pod
// stops receiving it, a NodePort answers on every node, a claim is provisioned
// and its pod lands in the volume's zone, a node pool grows and shrinks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Kubectl, kubectl, kubectlVersions, type LocalCluster, startLocalCluster } from '../support/local-cluster'

let cluster: LocalCluster
let k: Kubectl
beforeAll(async () => {
  cluster = await startLocalCluster('net')
  k = kubectl(kubectlVersions().at(-1)!.bin, cluster.kubeconfigFile)
  await k('patch', 'clock', 'cluster', '--type=merge', '-p', '{"spec":{"speed":20}}')
})
afterAll(async () => {
  await cluster?.stop()
})

const until = (args: string[], check: (out: string) => boolean, ms = 120_000) => k.poll(args, check, ms)

/** Creates a TrafficRun with kubectl and returns its status. */
async function send(spec: Record<string, unknown>): Promise<any> {
  const manifest = JSON.stringify({ apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind: 'TrafficRun', metadata: { generateName: 'run-' }, spec })
  return JSON.parse(await k.stdin(manifest, 'create', '-f', '-', '-o', 'json')).status
}

const within10 = (n: number, of: number) => Math.abs(n - of) <= of * 0.1

describe('networking and cloud with real kubectl', () => {
  let externalIP = ''

  it('expose --type LoadBalancer gets an EXTERNAL-IP; 3,000 requests spread over 3 pods and show in their logs', async () => {
    await until(['get', 'nodes'], (o) => (o.match(/ Ready /g) ?? []).length === 3)
    await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3')
    await k('rollout', 'status', 'deployment/web', '--timeout=120s')
    expect(await k('expose', 'deployment', 'web', '--port', '80', '--type', 'LoadBalancer')).toContain('service/web exposed')
    const out = await until(['get', 'svc', 'web'], (o) => /web\s+LoadBalancer\s+10\.\S+\s+\d+\.\d+\.\d+\.\d+\s+80:3\d{4}\/TCP/.test(o))
    externalIP = /LoadBalancer\s+\S+\s+(\S+)/.exec(out)![1]!
    expect(await k('get', 'events', '--field-selector', 'involvedObject.name=web,involvedObject.kind=Service')).toMatch(/EnsuredLoadBalancer/)
    // Every node's kube-proxy has heard of the endpoints before traffic is sent.
    await until(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={.items[*].endpoints[*].conditions.ready}'], (o) => o.split(' ').filter((x) => x === 'true').length === 3)
    const pods = (await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}')).trim().split(' ')
    // One nginx access line per request answered (the kubelet's probe lines say kube-probe instead).
    const served = async () => new Map(await Promise.all(pods.map(async (p) => [p, (await k('logs', p)).split('\n').filter((l) => l.includes('"GET / HTTP/1.1" 200 615 "-" "curl/8.11.0"')).length] as const)))
    let before = await served()
    const st = await (async () => {
      for (let i = 0; i < 40; i++) {
        const s = await send({ url: `http://${externalIP}/`, requests: 3000, clients: 100 })
        if (s.endpoints?.length === 3 && s.answered === 3000) return s
        before = await served()
        await new Promise((r) => setTimeout(r, 500))
      }
      throw new Error('traffic never reached three endpoints')
    })()
    expect(st).toMatchObject({ via: 'LoadBalancer', sent: 3000, answered: 3000, refused: 0, timedOut: 0 })
    const after = await served()
    expect(st.endpoints.map((e: any) => e.pod).sort()).toEqual([...pods].sort())
    console.log(`3,000 requests through ${externalIP}: ${st.endpoints.map((e: any) => `${e.pod} ${e.requests}`).join(', ')}; entry nodes ${st.nodes.map((n: any) => `${n.name} ${n.requests}`).join(', ')}`)
    for (const e of st.endpoints) {
      expect(within10(e.requests, 1000), `${e.pod}: ${e.requests}`).toBe(true)
      expect(after.get(e.pod)! - before.get(e.pod)!, `${e.pod}'s access lines`).toBe(e.requests)
    }
  })

  it('a NodePort answers on every node', async () => {
    const nodePort = await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}')
    const ips = (await k('get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}')).trim().split(' ')
    expect(ips).toHaveLength(3)
    for (const ip of ips) expect(await send({ url: `http://${ip}:${nodePort}/`, requests: 20 }), ip).toMatchObject({ via: 'NodePort', answered: 20 })
  })

  it('kubectl get --raw shows a node\'s iptables-save rules for the service', async () => {
    // kubectl before 1.34 drops the server URL's path from --raw (kubernetes#131165): name the cluster's path in full.
    const rules = await k('get', '--raw', '/clusters/net/api/v1/nodes/worker-1/proxy/iptables-save')
    expect(rules).toMatch(/-A KUBE-SERVICES .*-m comment --comment "default\/web cluster IP" .* -j KUBE-SVC-[A-Z2-7]{16}/)
    // The first of three endpoints: 1/3 as the kernel keeps it (a 31-bit fraction), then 1/2, then the rest.
    expect(rules).toMatch(/-m statistic --mode random --probability 0\.33333333349 -j KUBE-SEP-[A-Z2-7]{16}\n.*--probability 0\.50000000000 -j KUBE-SEP-[A-Z2-7]{16}\n.* -j KUBE-SEP-[A-Z2-7]{16}\n/)
    expect(rules).toContain('-A KUBE-NODEPORTS')
  })

  it('a pod that turns unready stops receiving traffic', async () => {
    const pods = (await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}')).trim().split('\n').map((l) => l.split(' '))
    const [victim, node] = pods[0]!
    // Its node loses power: the node controller marks the pod NotReady and the EndpointSlice follows.
    await k('annotate', 'node', node!, 'sim.wheelhouse.dev/fault=poweroff')
    let st: any
    try {
      await until(['get', 'pod', victim!, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], (o) => o === 'False')
      for (let i = 0; i < 40; i++) {
        st = await send({ url: `http://${externalIP}/`, requests: 300, clients: 20 })
        if (st.answered === 300 && !st.endpoints.some((e: any) => e.pod === victim)) break
        await new Promise((r) => setTimeout(r, 500))
      }
    } finally {
      await k('annotate', 'node', node!, 'sim.wheelhouse.dev/fault-')
    }
    expect(st).toMatchObject({ answered: 300, timedOut: 0 })
    expect(st.endpoints.map((e: any) => e.pod)).not.toContain(victim)
  })

  it('a claim is bound and its pod is scheduled in the volume\'s zone', async () => {
    await k.stdin(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'db' },
            spec: { containers: [{ name: 'db', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
          },
        ],
      }),
      'apply',
      '-f',
      '-',
    )
    await until(['get', 'pvc', 'data'], (o) => /data\s+Bound\s+pvc-\S+\s+1Gi\s+RWO\s+standard/.test(o))
    const pv = await k('get', 'pvc', 'data', '-o', 'jsonpath={.spec.volumeName}')
    const zone = await k('get', 'pv', pv, '-o', 'jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}')
    expect(zone).toMatch(/^zone-[abc]$/)
    await until(['get', 'pod', 'db', '-o', 'jsonpath={.status.phase}'], (o) => o === 'Running')
    const node = await k('get', 'pod', 'db', '-o', 'jsonpath={.spec.nodeName}')
    expect(await k('get', 'node', node, '-o', 'jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}')).toBe(zone)
    expect(await k('get', 'volumeattachments')).toContain(pv)
  })

  it('scaling a node pool from 3 to 5 adds two Ready nodes; back to 3 drains and removes two', async () => {
    // The node powered off above is back (its fault removed) before the pool grows.
    await until(['get', 'nodepool', 'default'], (o) => /default\s+\S+\s+.*3\s+3\s+3/.test(o))
    await k('scale', 'nodepool', 'default', '--replicas=5')
    await until(['get', 'nodes'], (o) => (o.match(/ Ready /g) ?? []).length >= 5, 180_000)
    await until(['get', 'nodepool', 'default'], (o) => /default\s+\S+\s+.*5\s+5\s+5/.test(o))
    await k('scale', 'nodepool', 'default', '--replicas=3')
    await until(['get', 'nodes', '--no-headers'], (o) => o.trim().split('\n').length === 3, 180_000)
    await until(['get', 'instances', '--no-headers'], (o) => o.trim().split('\n').length === 3)
    // Both went the way of a drain: cordoned and tainted, their pods evicted, then the VM deleted.
    const events = await k('get', 'events', '--field-selector', 'involvedObject.kind=NodePool', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}')
    expect(events).toMatch(/ScaledUpGroup: /)
    expect(events.match(/ScaleDown(Empty)?: Scale-down: (empty )?node worker-\d+ removed/g)).toHaveLength(2)
    // The Deployment is whole again on the nodes that stay.
    await k('rollout', 'status', 'deployment/web', '--timeout=120s')
  })
})

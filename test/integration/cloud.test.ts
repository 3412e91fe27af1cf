// The simulated cloud inside the cluster object, with real kubelets: the
// default node pool scales up through its scale subresource (new VMs boot,
// their kubelets register, the cloud node controller initializes the nodes)
// and down (nodes cordoned and drained, a Deployment's pods move, the VMs and
// then the Nodes go); a VM deleted in the "console" takes its Node with it;
// LoadBalancer Services get addresses of their own and give them back.
import { describe, expect, it } from 'vitest'
import { api, newCluster, type TestCluster, until } from './helpers'

const POOL = '/apis/sim.wheelhouse.dev/v1alpha1/nodepools/default'
const INSTANCES = '/apis/sim.wheelhouse.dev/v1alpha1/instances'

/** Steps the simulated clock until check holds (kubelets run pods, controllers react). */
async function stepUntil<T>(
  c: TestCluster,
  check: () => Promise<T | undefined | false>,
  what: string,
  maxSteps = 200,
  stepMs = 1_000,
): Promise<T> {
  for (let i = 0; i < maxSteps; i++) {
    const v = await check()
    if (v) return v
    await c.stub.setClock({ stepMs })
    await new Promise((r) => setTimeout(r, 30))
  }
  throw new Error(`never: ${what}`)
}

const isReady = (n: any) =>
  n?.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')
const events = async (c: TestCluster, name: string) =>
  (
    await api(
      c,
      'GET',
      `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${name}`,
    )
  ).json.items
    .sort((a: any, b: any) =>
      a.firstTimestamp < b.firstTimestamp ? -1 : a.firstTimestamp > b.firstTimestamp ? 1 : 0,
    )
    .map((e: any) => `${e.reason}: ${e.message}`)
const scale = (c: TestCluster, replicas: number) =>
  api(c, 'PATCH', `${POOL}/scale`, { spec: { replicas } }, 'application/merge-patch+json')

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    },
  },
})

describe('cloud', () => {
  it('scales the default pool 3 → 5 → 3: VMs boot and register, then nodes drain and go', async () => {
    const c = await newCluster({ nodes: 3 })
    const pool = await stepUntil(
      c,
      async () => {
        const p = (await api(c, 'GET', POOL)).json
        return p.status?.readyReplicas === 3 && p
      },
      'the seeded pool ready',
    )
    expect(pool.spec).toEqual({
      machineType: 'standard-4',
      zones: ['zone-a', 'zone-b', 'zone-c'],
      replicas: 3,
    })
    const seeded = (await api(c, 'GET', '/api/v1/nodes/worker-1')).json
    expect(seeded.spec.providerID).toBe(`wheelhouse://${c.name}/zone-a/worker-1`)
    expect(seeded.metadata.labels).toMatchObject({
      'topology.kubernetes.io/region': 'region-1',
      'node.kubernetes.io/instance-type': 'standard-4',
    })

    // Up, through autoscaling/v1 Scale as kubectl scale sends it.
    const up = await scale(c, 5)
    expect(up.status).toBe(200)
    expect(up.json).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 5 },
    })
    // The node pool controller runs on the cluster's alarm: the VMs appear without a step of the clock.
    const vms = await until(async () => {
      const items = (await api(c, 'GET', INSTANCES)).json.items
      return items.length === 5 && items.every((i: any) => i.status?.phase) && items
    }, 'five VMs')
    expect(vms.map((i: any) => [i.metadata.name, i.spec.zone, i.status?.phase])).toEqual([
      ['worker-1', 'zone-a', 'Running'],
      ['worker-2', 'zone-b', 'Running'],
      ['worker-3', 'zone-c', 'Running'],
      ['worker-4', 'zone-a', 'Provisioning'],
      ['worker-5', 'zone-b', 'Provisioning'],
    ])
    expect((await api(c, 'GET', '/api/v1/nodes/worker-4')).status).toBe(404) // still booting
    const fresh = await stepUntil(
      c,
      async () => {
        const ns = await Promise.all(
          ['worker-4', 'worker-5'].map(
            async (n) => (await api(c, 'GET', `/api/v1/nodes/${n}`)).json,
          ),
        )
        // Ready comes from the kubelet, the taint's removal from the cloud node controller: either may be first.
        return ns.every((n) => isReady(n) && n.spec.providerID) && ns
      },
      'two new nodes Ready and initialized',
    )
    for (const n of fresh) {
      expect(n.spec.taints ?? []).toEqual([]) // the uninitialized taint is gone
      expect(n.spec.providerID).toMatch(
        new RegExp(`^wheelhouse://${c.name}/zone-[ab]/worker-[45]$`),
      )
      expect(n.metadata.labels['sim.wheelhouse.dev/nodepool']).toBe('default')
    }
    expect(await events(c, 'worker-4')).toContain('Synced: Node synced successfully')
    expect(await events(c, 'default')).toContain(
      'ScaledUpGroup: Scale-up: setting group default size to 5 instead of 3 (max: 100)',
    )
    await stepUntil(
      c,
      async () => (await api(c, 'GET', POOL)).json.status?.readyReplicas === 5,
      'pool of 5 ready',
    )

    // A Deployment over all five nodes.
    await api(c, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 10))
    const podsOf = async () =>
      (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items.filter(
        (p: any) => !p.metadata.deletionTimestamp,
      )
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).json.status
          ?.availableReplicas === 10,
      '10 available',
    )
    const before = (await podsOf()).map((p: any) => p.spec.nodeName)
    expect(
      before.filter((n: string) => n === 'worker-4' || n === 'worker-5').length,
    ).toBeGreaterThan(0)

    // Down: the two newest (zone-a and zone-b hold two each) are cordoned and drained, then removed.
    expect((await scale(c, 3)).status).toBe(200)
    await stepUntil(
      c,
      async () => {
        const ns = await Promise.all(
          ['worker-4', 'worker-5'].map(
            async (n) => (await api(c, 'GET', `/api/v1/nodes/${n}`)).json,
          ),
        )
        return ns.every(
          (n) =>
            n.spec?.unschedulable &&
            n.spec.taints?.some((t: any) => t.key === 'ToBeDeletedByClusterAutoscaler'),
        )
      },
      'both cordoned',
      5,
    )
    await stepUntil(
      c,
      async () => {
        const names = (await api(c, 'GET', INSTANCES)).json.items.map((i: any) => i.metadata.name)
        return names.join() === 'worker-1,worker-2,worker-3'
      },
      'their VMs deleted once drained',
    )
    await stepUntil(
      c,
      async () => {
        const nodes = (await api(c, 'GET', '/api/v1/nodes')).json.items.map(
          (n: any) => n.metadata.name,
        )
        return nodes.join() === 'worker-1,worker-2,worker-3'
      },
      'their Nodes removed by the cloud node lifecycle controller',
    )
    const d = await stepUntil(
      c,
      async () => {
        const d = (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).json
        return d.status?.availableReplicas === 10 && d
      },
      'the Deployment whole again',
    )
    expect(d.status.replicas).toBe(10)
    expect(new Set((await podsOf()).map((p: any) => p.spec.nodeName))).toEqual(
      new Set(['worker-1', 'worker-2', 'worker-3']),
    )
    const poolEvents = await events(c, 'default')
    expect(
      poolEvents.some((e: string) =>
        /^ScaleDown: Scale-down: removing node worker-[45], utilization: \{.*\}, pods to reschedule: web-/.test(
          e,
        ),
      ),
    ).toBe(true)
    expect(poolEvents).toContain('ScaleDown: Scale-down: node worker-5 removed with drain')
    expect(await events(c, 'worker-4')).toContain(
      'DeletingNode: Deleting node worker-4 because it does not exist in the cloud provider',
    )
    const final = (await api(c, 'GET', POOL)).json.status
    expect(final).toMatchObject({ replicas: 3, readyReplicas: 3 })
  })

  it('a VM deleted in the console takes its Node; the pool replaces it', async () => {
    const c = await newCluster({ nodes: 3 })
    await stepUntil(
      c,
      async () => (await api(c, 'GET', POOL)).json.status?.readyReplicas === 3,
      'ready',
    )
    expect((await api(c, 'DELETE', `${INSTANCES}/worker-2`)).status).toBe(200)
    await stepUntil(
      c,
      async () => (await api(c, 'GET', '/api/v1/nodes/worker-2')).status === 404,
      'worker-2 gone',
      120,
      2_000,
    )
    expect(await events(c, 'worker-2')).toContain(
      'DeletingNode: Deleting node worker-2 because it does not exist in the cloud provider',
    )
    // The managed instance group keeps its size: a new VM, named past the node that was still there.
    const vms = (await api(c, 'GET', INSTANCES)).json.items
    expect(vms.map((i: any) => i.metadata.name)).toEqual(['worker-1', 'worker-3', 'worker-4'])
    expect(vms[2].spec.zone).toBe('zone-b')
    await stepUntil(
      c,
      async () => isReady((await api(c, 'GET', '/api/v1/nodes/worker-4')).json),
      'its replacement Ready',
    )
  })

  it('a stopped VM leaves its Node NotReady and tainted shutdown; started again, the taint goes', async () => {
    const c = await newCluster({ nodes: 2 })
    await stepUntil(
      c,
      async () => (await api(c, 'GET', POOL)).json.status?.readyReplicas === 2,
      'ready',
    )
    const run = (running: boolean) =>
      api(
        c,
        'PATCH',
        `${INSTANCES}/worker-2`,
        { spec: { running } },
        'application/merge-patch+json',
      )
    expect((await run(false)).status).toBe(200)
    const shutdown = (n: any) =>
      n.spec?.taints?.some(
        (t: any) =>
          t.key === 'node.cloudprovider.kubernetes.io/shutdown' && t.effect === 'NoSchedule',
      )
    await stepUntil(
      c,
      async () => {
        const [vm, node] = [
          (await api(c, 'GET', `${INSTANCES}/worker-2`)).json,
          (await api(c, 'GET', '/api/v1/nodes/worker-2')).json,
        ]
        return vm.status.phase === 'Terminated' && !isReady(node) && shutdown(node)
      },
      'stopped and tainted',
      120,
      2_000,
    )
    expect((await run(true)).status).toBe(200)
    await stepUntil(
      c,
      async () => {
        const [vm, node] = [
          (await api(c, 'GET', `${INSTANCES}/worker-2`)).json,
          (await api(c, 'GET', '/api/v1/nodes/worker-2')).json,
        ]
        return vm.status.phase === 'Running' && isReady(node) && !shutdown(node)
      },
      'running again, untainted',
      120,
      2_000,
    )
    expect((await api(c, 'GET', INSTANCES)).json.items).toHaveLength(2) // a stopped VM is no reason to replace it
  })

  it('LoadBalancer Services get their own address after the build, and give it back', async () => {
    const c = await newCluster({ nodes: 1 })
    const svc = (name: string, extra: Record<string, unknown> = {}) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }], ...extra },
    })
    const get = async (name: string) =>
      (await api(c, 'GET', `/api/v1/namespaces/default/services/${name}`)).json
    expect((await api(c, 'POST', '/api/v1/namespaces/default/services', svc('web'))).status).toBe(
      201,
    )
    expect((await api(c, 'POST', '/api/v1/namespaces/default/services', svc('db'))).status).toBe(
      201,
    )
    await stepUntil(
      c,
      async () =>
        (await get('web')).metadata.finalizers?.includes(
          'service.kubernetes.io/load-balancer-cleanup',
        ),
      'finalizer',
      3,
    )
    expect((await get('web')).status.loadBalancer ?? {}).toEqual({}) // still being built
    const ips = await stepUntil(
      c,
      async () => {
        const [a, b] = [await get('web'), await get('db')]
        return (
          a.status.loadBalancer?.ingress &&
          b.status.loadBalancer?.ingress && [
            a.status.loadBalancer.ingress,
            b.status.loadBalancer.ingress,
          ]
        )
      },
      'both addressed',
      40,
    )
    expect(ips[0]).toHaveLength(1)
    expect(ips[0][0].ipMode).toBe('VIP')
    expect(ips[0][0].ip).toMatch(/^198\.51\.100\.\d+$/)
    expect(ips[0][0].ip).not.toBe(ips[1][0].ip)
    expect(await events(c, 'web')).toEqual([
      'EnsuringLoadBalancer: Ensuring load balancer',
      'EnsuredLoadBalancer: Ensured load balancer',
    ])

    // Asking for an address another Service holds fails, in upstream's words.
    await api(
      c,
      'POST',
      '/api/v1/namespaces/default/services',
      svc('copy', { loadBalancerIP: ips[0][0].ip }),
    )
    await stepUntil(
      c,
      async () =>
        (await events(c, 'copy')).some((e: string) => e.startsWith('SyncLoadBalancerFailed')),
      'refused',
      40,
    )
    expect(await events(c, 'copy')).toContain(
      `SyncLoadBalancerFailed: Error syncing load balancer: failed to ensure load balancer: requested ip "${ips[0][0].ip}" is already in use by another load balancer`,
    )

    // Deleting web releases its address: the waiting copy gets it on its next try.
    expect((await api(c, 'DELETE', '/api/v1/namespaces/default/services/web')).status).toBe(200)
    await stepUntil(
      c,
      async () => (await api(c, 'GET', '/api/v1/namespaces/default/services/web')).status === 404,
      'web gone',
      5,
    )
    expect(await events(c, 'web')).toEqual(
      expect.arrayContaining([
        'DeletingLoadBalancer: Deleting load balancer',
        'DeletedLoadBalancer: Deleted load balancer',
      ]),
    )
    const copy = await stepUntil(
      c,
      async () => (await get('copy')).status.loadBalancer?.ingress?.[0]?.ip,
      'copy addressed',
      60,
    )
    expect(copy).toBe(ips[0][0].ip)

    // A type change away from LoadBalancer gives the address back and clears the status.
    await api(
      c,
      'PATCH',
      '/api/v1/namespaces/default/services/db',
      { spec: { type: 'ClusterIP' } },
      'application/merge-patch+json',
    )
    const db = await stepUntil(
      c,
      async () => {
        const s = await get('db')
        return !s.metadata.finalizers && s
      },
      'db released',
      5,
    )
    expect(db.status.loadBalancer ?? {}).toEqual({})
  })

  it("pods/eviction honours PodDisruptionBudgets, as the pool's drain does", async () => {
    const c = await newCluster({ nodes: 1 })
    await api(c, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 2))
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).json.status
          ?.availableReplicas === 2,
      '2 available',
    )
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    }
    expect(
      (await api(c, 'POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', pdb)).status,
    ).toBe(201)
    const [victim] = (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items
    const evict = () =>
      api(c, 'POST', `/api/v1/namespaces/default/pods/${victim.metadata.name}/eviction`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: victim.metadata.name, namespace: 'default' },
      })
    const refused = await evict()
    expect(refused.status).toBe(429)
    expect(refused.json).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget web needs 2 healthy pods and has 2 currently',
          },
        ],
      },
    })
    expect(
      (await api(c, 'GET', `/api/v1/namespaces/default/pods/${victim.metadata.name}`)).json.metadata
        .deletionTimestamp,
    ).toBeUndefined()
    await api(
      c,
      'PATCH',
      '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web',
      { spec: { minAvailable: 1 } },
      'application/merge-patch+json',
    )
    const done = await evict()
    expect(done.status).toBe(201)
    const gone = (await api(c, 'GET', `/api/v1/namespaces/default/pods/${victim.metadata.name}`))
      .json
    expect(gone.metadata.deletionTimestamp).toBeDefined()
    expect(gone.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'EvictionByEvictionAPI',
      }),
    )
  })

  it('refuses bad pools and instances with a Status naming the field, and stores nothing', async () => {
    const c = await newCluster({ nodes: 1 })
    const bad = await api(c, 'POST', '/apis/sim.wheelhouse.dev/v1alpha1/nodepools', {
      apiVersion: 'sim.wheelhouse.dev/v1alpha1',
      kind: 'NodePool',
      metadata: { name: 'gpu' },
      spec: { machineType: 'huge-64', zones: ['zone-z'] },
    })
    expect(bad.status).toBe(422)
    expect(bad.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      details: { name: 'gpu', kind: 'NodePool' },
    })
    expect(bad.json.message).toContain('spec.machineType: Unsupported value: "huge-64"')
    expect(bad.json.message).toContain('spec.zones[0]: Unsupported value: "zone-z"')
    expect((await api(c, 'GET', '/apis/sim.wheelhouse.dev/v1alpha1/nodepools/gpu')).status).toBe(
      404,
    )
    const negative = await scale(c, -1)
    expect(negative.status).toBe(422)
    expect(negative.json.message).toContain(
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    )
    const moved = await api(
      c,
      'PATCH',
      `${INSTANCES}/worker-1`,
      { spec: { zone: 'zone-b' } },
      'application/merge-patch+json',
    )
    expect(moved.status).toBe(422)
    expect(moved.json.message).toContain('spec.zone: Invalid value: "zone-b": field is immutable')
    expect((await api(c, 'GET', POOL)).json.spec.replicas).toBe(1)
  })
})

// The controller manager inside the cluster object, with the scheduler and
// real kubelets: Deployments make ReplicaSets make pods, which get placed and
// run; a rollout moves them to a new template within its surge and
// unavailability bounds; a dead node's pods are evicted and replaced.
import { describe, expect, it } from 'vitest'
import { newCluster, type TestCluster, until } from './helpers'

async function api(
  c: TestCluster,
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
) {
  const r = await c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${path}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': type },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  )
  return { status: r.status, json: (await r.json()) as any }
}

const deployment = (name: string, replicas: number, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image }] },
    },
  },
})

/** Steps the clock a second at a time until check holds (kubelets start pods, controllers react). */
async function stepUntil<T>(
  c: TestCluster,
  check: () => Promise<T | undefined | false>,
  what: string,
  maxSteps = 120,
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

describe('controllers', () => {
  it('runs a Deployment: ReplicaSet, pods, scheduling, Running, available', async () => {
    const c = await newCluster({ nodes: 3 })
    expect(
      (
        await api(
          c,
          'POST',
          '/apis/apps/v1/namespaces/default/deployments',
          deployment('web', 3, 'nginx:1.25'),
        )
      ).status,
    ).toBe(201)
    const d = await stepUntil(
      c,
      async () => {
        const d = (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).json
        return d.status?.availableReplicas === 3 ? d : undefined
      },
      '3 available replicas',
    )
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      observedGeneration: 1,
    })
    const rs = (await api(c, 'GET', '/apis/apps/v1/namespaces/default/replicasets')).json.items
    expect(rs).toHaveLength(1)
    expect(rs[0].metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/)
    const pods = (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items
    expect(pods.map((p: any) => p.status.phase)).toEqual(['Running', 'Running', 'Running'])
    expect(pods.every((p: any) => p.metadata.ownerReferences[0].name === rs[0].metadata.name)).toBe(
      true,
    )
  })

  it('rolls 10 replicas from nginx:1.25 to nginx:1.26 within maxSurge and maxUnavailable, and deletes cascade', async () => {
    const c = await newCluster({ nodes: 3 })
    await api(
      c,
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment('web', 10, 'nginx:1.25'),
    )
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).json.status
          ?.availableReplicas === 10,
      'available',
    )
    await api(
      c,
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web',
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } },
      'application/strategic-merge-patch+json',
    )
    let maxPods = 0
    let minAvailable = Infinity
    await stepUntil(
      c,
      async () => {
        const pods = (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items.filter(
          (p: any) => !p.metadata.deletionTimestamp,
        )
        maxPods = Math.max(maxPods, pods.length)
        const available = pods.filter((p: any) =>
          p.status.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'),
        ).length
        minAvailable = Math.min(minAvailable, available)
        const d = (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).json
        return (
          d.status?.updatedReplicas === 10 &&
          d.status?.availableReplicas === 10 &&
          d.status?.replicas === 10
        )
      },
      'rolled out',
    )
    // 25% of 10: surge 3 (rounded up), unavailable 2 (rounded down).
    expect(maxPods).toBeLessThanOrEqual(13)
    expect(minAvailable).toBeGreaterThanOrEqual(8)
    expect(
      (await api(c, 'GET', '/apis/apps/v1/namespaces/default/replicasets')).json.items,
    ).toHaveLength(2)
    // Background cascade: the ReplicaSets and then their pods go with the Deployment.
    expect(
      (await api(c, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/web')).status,
    ).toBe(200)
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/apps/v1/namespaces/default/replicasets')).json.items.length ===
          0 && (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items.length === 0,
      'ReplicaSets and pods gone',
    )
  })

  it('cascades in the foreground and orphans on request', async () => {
    const c = await newCluster({ nodes: 1 })
    for (const name of ['fg', 'orphan'])
      await api(
        c,
        'POST',
        '/apis/apps/v1/namespaces/default/deployments',
        deployment(name, 1, 'nginx:1.25'),
      )
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items.filter(
          (p: any) => p.status.phase === 'Running',
        ).length === 2,
      'both running',
    )
    await api(c, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/fg', {
      propagationPolicy: 'Foreground',
    })
    // Foreground: the owner stays, marked, until its dependents are gone.
    const marked = (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/fg')).json
    expect(marked.metadata.finalizers).toContain('foregroundDeletion')
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/fg')).status === 404,
      'foreground owner gone',
    )
    expect(
      (await api(c, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app=fg')).json.items,
    ).toHaveLength(0)
    await api(c, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/orphan', {
      propagationPolicy: 'Orphan',
    })
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/orphan')).status === 404,
      'orphaning owner gone',
    )
    const rs = (
      await api(c, 'GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app=orphan')
    ).json.items
    expect(rs).toHaveLength(1)
    expect(rs[0].metadata.ownerReferences ?? []).toEqual([])
  })

  it("evicts a powered-off node's pods 50 s + 300 s after its last heartbeat, and replaces them on healthy nodes", async () => {
    const c = await newCluster({ nodes: 3 })
    await api(
      c,
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment('web', 3, 'nginx:1.25'),
    )
    const pods = await stepUntil(
      c,
      async () => {
        const items = (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items
        return items.filter((p: any) => p.status.phase === 'Running').length === 3
          ? items
          : undefined
      },
      'three running',
    )
    const victim = pods.find((p: any) => p.spec.nodeName === 'worker-1') ?? pods[0]
    const node = victim.spec.nodeName
    await c.stub.fetch(
      new Request(`http://x/clusters/${c.name}/api/v1/nodes/${node}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${c.token}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({
          metadata: { annotations: { 'sim.wheelhouse.dev/fault': 'poweroff' } },
        }),
      }),
    )
    const lease = (
      await api(c, 'GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`)
    ).json
    const readyOf = async () =>
      (await api(c, 'GET', `/api/v1/nodes/${node}`)).json.status.conditions.find(
        (x: any) => x.type === 'Ready',
      )
    // The last heartbeat: the later of the Lease renewal and the last status post.
    const lastBeat = Math.max(
      Date.parse(lease.spec.renewTime),
      Date.parse((await readyOf()).lastHeartbeatTime),
    )
    /** Moves simulated time to `ms` after the last heartbeat in steps of 5 s (a longer jump restarts the node controller's grace), letting the alarms run. */
    const at = async (ms: number) => {
      for (;;) {
        const now = (await c.stub.clock()).now
        if (now >= lastBeat + ms) break
        await c.stub.setClock({ stepMs: Math.min(5_000, lastBeat + ms - now) })
        await new Promise((r) => setTimeout(r, 40))
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    await at(45_000)
    expect((await readyOf()).status).toBe('True')
    await at(51_000)
    await until(async () => (await readyOf()).status === 'Unknown', 'Ready=Unknown at 50 s')
    expect(await readyOf()).toMatchObject({
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    })
    const taints = (await api(c, 'GET', `/api/v1/nodes/${node}`)).json.spec.taints
    expect(taints.map((t: any) => `${t.key}:${t.effect}`)).toEqual(
      expect.arrayContaining(['node.kubernetes.io/unreachable:NoExecute']),
    )
    // 300 s of tolerated unreachability (DefaultTolerationSeconds) after the taint, then eviction.
    const podNow = async () =>
      (await api(c, 'GET', `/api/v1/namespaces/default/pods/${victim.metadata.name}`)).json
    await at(340_000)
    expect((await podNow()).metadata.deletionTimestamp).toBeUndefined()
    await at(352_000)
    await until(async () => {
      const p = await podNow()
      return p.metadata?.deletionTimestamp || p.code === 404
    }, 'evicted 350 s after the last heartbeat')
    const ev = (
      await api(
        c,
        'GET',
        '/api/v1/namespaces/default/events?fieldSelector=reason=TaintManagerEviction',
      )
    ).json.items
    expect(ev[0].message).toBe(`Marking for deletion Pod default/${victim.metadata.name}`)
    await stepUntil(
      c,
      async () => {
        const items = (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items.filter(
          (p: any) => p.spec.nodeName !== node,
        )
        return items.filter((p: any) => p.status.phase === 'Running').length === 3
      },
      'replacement running elsewhere',
      60,
      2_000,
    )
  })

  it('marks a rollout stuck on a bad image ProgressDeadlineExceeded once its deadline passes', async () => {
    const c = await newCluster({ nodes: 1 })
    const d = deployment('stuck', 1, 'nginx:does-not-exist')
    ;(d.spec as any).progressDeadlineSeconds = 30
    await api(c, 'POST', '/apis/apps/v1/namespaces/default/deployments', d)
    const progressing = async () =>
      (
        await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/stuck')
      ).json.status?.conditions?.find((x: any) => x.type === 'Progressing')
    const stuck = await stepUntil(
      c,
      async () =>
        (await progressing())?.reason === 'ProgressDeadlineExceeded'
          ? await progressing()
          : undefined,
      'deadline exceeded',
      90,
      1_000,
    )
    expect(stuck).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' })
    expect(stuck.message).toMatch(/^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/)
    const pod = (await api(c, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app=stuck'))
      .json.items[0]
    expect(pod.status.containerStatuses[0].state.waiting.reason).toMatch(
      /^(ErrImagePull|ImagePullBackOff)$/,
    )
  })
})

// The scheduler inside the cluster object: pods without a node are placed
// from the alarm, bound through the binding path, and explained; pods that fit
// nowhere stay Pending with upstream's condition and event.
import { describe, expect, it } from 'vitest'
import { newCluster, type TestCluster, until } from './helpers'

async function api(c: TestCluster, method: string, path: string, body?: unknown) {
  const r = await c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${path}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  )
  return { status: r.status, json: (await r.json()) as any }
}

const readyNodes = (c: TestCluster, n: number) =>
  until(async () => {
    const list = (await api(c, 'GET', '/api/v1/nodes')).json.items
    return list.filter((x: any) => x.status?.allocatable).length === n
  }, 'nodes with status')

const pod = (name: string, spec: Record<string, any> = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...spec.container }], ...spec.pod },
})

describe('scheduler', () => {
  it('places a pending pod, with a Scheduled event and a SchedulingDecision', async () => {
    const c = await newCluster({ nodes: 3 })
    await readyNodes(c, 3)
    expect((await api(c, 'POST', '/api/v1/namespaces/default/pods', pod('web'))).status).toBe(201)
    const bound = await until(
      async () => (await api(c, 'GET', '/api/v1/namespaces/default/pods/web')).json.spec.nodeName,
      'binding',
    )
    expect(bound).toMatch(/^worker-[123]$/)
    const p = (await api(c, 'GET', '/api/v1/namespaces/default/pods/web')).json
    expect(p.status.conditions.find((x: any) => x.type === 'PodScheduled')).toMatchObject({
      status: 'True',
    })
    const events = (
      await api(c, 'GET', '/api/v1/namespaces/default/events?fieldSelector=reason=Scheduled')
    ).json.items
    expect(events.map((e: any) => [e.message, e.source.component])).toEqual([
      [`Successfully assigned default/web to ${bound}`, 'default-scheduler'],
    ])
    const d = (
      await api(
        c,
        'GET',
        '/apis/sim.wheelhouse.dev/v1alpha1/namespaces/default/schedulingdecisions/web',
      )
    ).json
    expect(d.status.attempts).toHaveLength(1)
    expect(d.status.attempts[0]).toMatchObject({
      result: 'Scheduled',
      node: bound,
      nodes: 3,
      evaluated: 3,
      feasible: 3,
    })
    expect(Object.keys(d.status.attempts[0].scored[0].scores)).toEqual(
      expect.arrayContaining(['TaintToleration', 'NodeResourcesFit', 'ImageLocality']),
    )
  })

  it('leaves a pod that fits nowhere Pending with PodScheduled=False and a FailedScheduling event', async () => {
    const c = await newCluster({ nodes: 3 })
    await readyNodes(c, 3)
    await api(
      c,
      'POST',
      '/api/v1/namespaces/default/pods',
      pod('huge', { container: { resources: { requests: { cpu: '64' } } } }),
    )
    const cond = await until(
      async () =>
        (await api(c, 'GET', '/api/v1/namespaces/default/pods/huge')).json.status.conditions?.find(
          (x: any) => x.type === 'PodScheduled',
        ),
      'PodScheduled condition',
    )
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' })
    expect(cond.message).toMatch(/^0\/3 nodes are available: 3 Insufficient cpu\./)
    const ev = (
      await api(c, 'GET', '/api/v1/namespaces/default/events?fieldSelector=reason=FailedScheduling')
    ).json.items[0]
    expect(ev).toMatchObject({ type: 'Warning', message: cond.message })
  })

  it('sends pods only to nodes whose taints they tolerate', async () => {
    const c = await newCluster({ nodes: 3 })
    await readyNodes(c, 3)
    for (const n of ['worker-1', 'worker-2'])
      await c.stub.fetch(
        new Request(`http://x/clusters/${c.name}/api/v1/nodes/${n}`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${c.token}`,
            'content-type': 'application/merge-patch+json',
          },
          body: JSON.stringify({
            spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
          }),
        }),
      )
    for (let i = 0; i < 4; i++)
      await api(c, 'POST', '/api/v1/namespaces/default/pods', pod(`plain-${i}`))
    await api(
      c,
      'POST',
      '/api/v1/namespaces/default/pods',
      pod('gpu', {
        pod: {
          tolerations: [
            { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/hostname': 'worker-1' },
        },
      }),
    )
    const nodes = await until(async () => {
      const items = (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items
      return items.every((p: any) => p.spec.nodeName)
        ? Object.fromEntries(items.map((p: any) => [p.metadata.name, p.spec.nodeName]))
        : undefined
    }, 'every pod bound')
    expect(nodes).toEqual({
      gpu: 'worker-1',
      'plain-0': 'worker-3',
      'plain-1': 'worker-3',
      'plain-2': 'worker-3',
      'plain-3': 'worker-3',
    })
  })

  it('preempts a lower-priority pod for a pod of a higher PriorityClass, then binds it where it made room', async () => {
    const c = await newCluster({ nodes: 1 })
    await readyNodes(c, 1)
    await api(
      c,
      'POST',
      '/api/v1/namespaces/default/pods',
      pod('low', {
        container: { resources: { requests: { cpu: '3' } } },
        pod: { terminationGracePeriodSeconds: 5 },
      }),
    )
    await until(
      async () =>
        (await api(c, 'GET', '/api/v1/namespaces/default/pods/low')).json.status.startTime,
      'low on its node',
    )
    // Running, so that its eviction takes its grace period (a pod with nothing running goes at once).
    await c.stub.setClock({ stepMs: 5_000 })
    await until(
      async () =>
        (await api(c, 'GET', '/api/v1/namespaces/default/pods/low')).json.status.phase ===
        'Running',
      'low running',
    )
    expect(
      (
        await api(c, 'POST', '/apis/scheduling.k8s.io/v1/priorityclasses', {
          metadata: { name: 'high' },
          value: 1000,
        })
      ).status,
    ).toBe(201)
    const missing = await api(
      c,
      'POST',
      '/api/v1/namespaces/default/pods',
      pod('nope', { pod: { priorityClassName: 'nope' } }),
    )
    expect(missing).toMatchObject({
      status: 403,
      json: { message: 'pods "nope" is forbidden: no PriorityClass with name nope was found' },
    })
    const created = await api(
      c,
      'POST',
      '/api/v1/namespaces/default/pods',
      pod('vip', {
        container: { resources: { requests: { cpu: '3' } } },
        pod: { priorityClassName: 'high' },
      }),
    )
    expect(created.json.spec).toMatchObject({
      priority: 1000,
      preemptionPolicy: 'PreemptLowerPriority',
    })
    const victim = await until(async () => {
      const p = (await api(c, 'GET', '/api/v1/namespaces/default/pods/low')).json
      return p.metadata.deletionTimestamp ? p : undefined
    }, 'victim evicted')
    expect(victim.status.conditions.find((x: any) => x.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
    })
    expect(
      (await api(c, 'GET', '/api/v1/namespaces/default/pods/vip')).json.status.nominatedNodeName,
    ).toBe('worker-1')
    // The kubelet stops the victim within its 5 s grace period; then the preemptor fits.
    await c.stub.setClock({ stepMs: 6_000 })
    await until(
      async () =>
        (await api(c, 'GET', '/api/v1/namespaces/default/pods/vip')).json.spec.nodeName ===
        'worker-1',
      'preemptor bound',
    )
    const preempted = (
      await api(c, 'GET', '/api/v1/namespaces/default/events?fieldSelector=reason=Preempted')
    ).json.items[0]
    expect(preempted.message).toBe(`Preempted by pod ${created.json.metadata.uid} on node worker-1`)
  })

  it('keeps scheduling past one batch: 250 pending pods all get bound once a node appears', async () => {
    // A running clock (back-offs must expire), and the pods first: the node's arrival releases all 250 at once.
    const c = await newCluster({ nodes: 0, paused: false, speed: 10 })
    for (let i = 0; i < 250; i++)
      await api(c, 'POST', '/api/v1/namespaces/default/pods', pod(`p${i}`))
    // A hollow node: no kubelet, its status written here.
    const node = (
      await api(c, 'POST', '/api/v1/nodes', {
        metadata: { name: 'big', annotations: { 'sim.wheelhouse.dev/kubelet': 'none' } },
      })
    ).json
    await api(c, 'PUT', '/api/v1/nodes/big/status', {
      ...node,
      status: {
        allocatable: { cpu: '64', memory: '256Gi', pods: '300' },
        capacity: { cpu: '64', memory: '256Gi', pods: '300' },
      },
    })
    await until(
      async () =>
        (await api(c, 'GET', '/api/v1/namespaces/default/pods')).json.items.every(
          (p: any) => p.spec.nodeName === 'big',
        ),
      'all 250 bound',
      20_000,
    )
  })
})

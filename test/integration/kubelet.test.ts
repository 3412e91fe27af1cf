// Nodes inside workerd: real cluster and node objects, their SQLite and
// alarms, the push of pods to kubelets and the kubelets' batched reports, on a
// paused clock that the tests step.
import { runInDurableObject, env } from 'cloudflare:test'
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
  const text = await r.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: r.status, json, text }
}

const step = (c: TestCluster, ms: number) => c.stub.setClock({ stepMs: ms })
const getPod = async (c: TestCluster, name: string, ns = 'default') =>
  (await api(c, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`)).json
const podWith = async (c: TestCluster, name: string, pred: (p: any) => boolean, what: string) => {
  let last: any
  try {
    return await until(async () => {
      const p = (last = await getPod(c, name))
      return p?.status && pred(p) ? p : undefined
    }, `${name}: ${what}`)
  } catch (err) {
    throw new Error(`${String(err)}; last seen: ${JSON.stringify(last?.status)}`)
  }
}

/** Creates a pod bound to worker-1 and waits until its kubelet has it, before the test moves time. */
async function run(c: TestCluster, body: Record<string, any>) {
  const r = await api(c, 'POST', '/api/v1/namespaces/default/pods', body)
  expect(r.status).toBe(201)
  await podWith(c, body.metadata.name, (p) => !!p.status.startTime, 'seen by its kubelet')
}

function pod(name: string, spec: Record<string, any>, node = 'worker-1') {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, ...spec } }
}

describe('kubelet', () => {
  it('completes its Node, gets a pod CIDR, and renews its Lease every 10 s of simulated time', async () => {
    const c = await newCluster({ nodes: 1 })
    const node = await until(async () => {
      const n = (await api(c, 'GET', '/api/v1/nodes/worker-1')).json
      return n.status?.nodeInfo ? n : undefined
    }, 'node status')
    expect(node.spec.podCIDR).toBe('10.244.1.0/24')
    expect(node.status.capacity).toMatchObject({ cpu: '4', memory: '16Gi', pods: '110' })
    expect(node.status.conditions.find((x: any) => x.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
    })
    expect(node.status.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.32.0',
      containerRuntimeVersion: 'containerd://1.7.24',
    })
    expect(node.status.addresses).toEqual([
      { type: 'InternalIP', address: '172.18.0.3' },
      { type: 'Hostname', address: 'worker-1' },
    ])
    const lease = await until(
      async () =>
        (
          await api(
            c,
            'GET',
            '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1',
          )
        ).json?.spec?.renewTime,
      'lease',
    )
    await step(c, 10_000)
    const renewed = await until(async () => {
      const t = (
        await api(
          c,
          'GET',
          '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1',
        )
      ).json.spec.renewTime
      return t !== lease ? t : undefined
    }, 'lease renewal')
    expect(Date.parse(renewed) - Date.parse(lease)).toBe(10_000)
  })

  it('runs nginx to Running and Ready, with upstream events, an IP from the node CIDR, and logs', async () => {
    const c = await newCluster({ nodes: 1 })
    expect(
      (
        await api(
          c,
          'POST',
          '/api/v1/namespaces/default/pods',
          pod('web', {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.27',
                readinessProbe: { httpGet: { path: '/', port: 80 } },
              },
            ],
          }),
        )
      ).status,
    ).toBe(201)
    const pending = await podWith(
      c,
      'web',
      (p) => p.status.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating',
      'ContainerCreating',
    )
    expect(pending.status.phase).toBe('Pending')
    await step(c, 5_000)
    const running = await podWith(c, 'web', (p) => p.status.phase === 'Running', 'Running')
    expect(running.status.podIP).toMatch(/^10\.244\.1\.\d+$/)
    expect(running.status.hostIP).toBe('172.18.0.3')
    await step(c, 15_000)
    const ready = await podWith(
      c,
      'web',
      (p) => p.status.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'),
      'Ready',
    )
    expect(ready.status.containerStatuses[0]).toMatchObject({
      ready: true,
      restartCount: 0,
      started: true,
      image: 'docker.io/library/nginx:1.27',
    })
    expect(ready.status.containerStatuses[0].imageID).toMatch(
      /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/,
    )
    expect(ready.status.conditions.map((x: any) => x.type)).toEqual(
      [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].filter((t) => ready.status.conditions.some((x: any) => x.type === t)),
    )
    const events = await until(async () => {
      const list = (
        await api(
          c,
          'GET',
          '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web',
        )
      ).json.items
      return list.length >= 4 ? list : undefined
    }, 'events')
    expect(events.map((e: any) => e.reason)).toEqual(
      expect.arrayContaining(['Pulling', 'Pulled', 'Created', 'Started']),
    )
    // Events expire an hour (simulated) after they were last written, as with kube-apiserver's --event-ttl.
    await step(c, 62 * 60_000)
    // (A jump of an hour makes the node look silent to the node controller for a moment, which may add events of its own.)
    const kubeletEvents = async () =>
      (
        await api(
          c,
          'GET',
          '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web',
        )
      ).json.items.filter((e: any) => e.source.component === 'kubelet')
    await until(async () => (await kubeletEvents()).length === 0, 'events expired')
    const logs = await api(c, 'GET', '/api/v1/namespaces/default/pods/web/log')
    expect(logs.status).toBe(200)
    expect(logs.text).toContain('nginx')
  })

  it('ends a busybox pod with restartPolicy Never in Error with its exit code, and keeps its output', async () => {
    const c = await newCluster({ nodes: 1 })
    await run(
      c,
      pod('once', {
        restartPolicy: 'Never',
        containers: [
          { name: 'sh', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello; exit 3'] },
        ],
      }),
    )
    await step(c, 10_000)
    const done = await podWith(c, 'once', (p) => p.status.phase === 'Failed', 'Failed')
    expect(done.status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    })
    expect((await api(c, 'GET', '/api/v1/namespaces/default/pods/once/log')).text).toBe('hello\n')
  })

  it('shows CreateContainerConfigError for a missing ConfigMap, and starts once it exists', async () => {
    const c = await newCluster({ nodes: 1 })
    await run(
      c,
      pod('cfg', {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            env: [
              { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
            ],
          },
        ],
      }),
    )
    await step(c, 5_000)
    const stuck = await podWith(
      c,
      'cfg',
      (p) =>
        p.status.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError',
      'CreateContainerConfigError',
    )
    expect(stuck.status.containerStatuses[0].state.waiting.message).toBe(
      'configmap "settings" not found',
    )
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'settings' },
      data: { mode: 'fast' },
    })
    await step(c, 10_000)
    await podWith(c, 'cfg', (p) => p.status.containerStatuses?.[0]?.state?.running, 'running')
  })

  it('deletes a pod gracefully: the kubelet stops its containers, then removes it', async () => {
    const c = await newCluster({ nodes: 1 })
    await run(
      c,
      pod('sleeper', {
        containers: [{ name: 'sh', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      }),
    )
    await step(c, 5_000)
    await podWith(c, 'sleeper', (p) => p.status.phase === 'Running', 'Running')
    expect((await api(c, 'DELETE', '/api/v1/namespaces/default/pods/sleeper')).status).toBe(200)
    // sleep as PID 1 ignores SIGTERM: it is killed when the 30 s grace period ends.
    await step(c, 20_000)
    await new Promise((r) => setTimeout(r, 300))
    expect((await getPod(c, 'sleeper')).metadata.deletionTimestamp).toBeTruthy()
    await step(c, 11_000)
    await until(
      async () => (await api(c, 'GET', '/api/v1/namespaces/default/pods/sleeper')).status === 404,
      'pod removed',
    )
  })

  it('stops renewing the Lease while powered off, and resumes when the fault is removed', async () => {
    const c = await newCluster({ nodes: 1 })
    const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1'
    await until(async () => (await api(c, 'GET', leasePath)).json?.spec?.renewTime, 'lease')
    const patch = (annotations: Record<string, string | null>) =>
      c.stub.fetch(
        new Request(`http://x/clusters/${c.name}/api/v1/nodes/worker-1`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${c.token}`,
            'content-type': 'application/merge-patch+json',
          },
          body: JSON.stringify({ metadata: { annotations } }),
        }),
      )
    expect((await patch({ 'sim.wheelhouse.dev/fault': 'poweroff' })).status).toBe(200)
    await new Promise((r) => setTimeout(r, 200))
    const before = (await api(c, 'GET', leasePath)).json.spec.renewTime
    await step(c, 60_000)
    await new Promise((r) => setTimeout(r, 500))
    expect((await api(c, 'GET', leasePath)).json.spec.renewTime).toBe(before)
    await patch({ 'sim.wheelhouse.dev/fault': null })
    await until(
      async () => (await api(c, 'GET', leasePath)).json.spec.renewTime !== before,
      'renewal after power-on',
    )
  })

  it('recovers its pods from its own storage after a restart', async () => {
    const c = await newCluster({ nodes: 1 })
    await run(c, pod('survivor', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }))
    await step(c, 5_000)
    const before = await podWith(c, 'survivor', (p) => p.status.phase === 'Running', 'Running')
    const node = env.NODE.getByName(`${c.name}/worker-1`)
    await runInDurableObject(node, (_, state) => {
      try {
        state.abort('restart')
      } catch {}
    }).catch(() => undefined)
    await step(c, 60_000)
    await new Promise((r) => setTimeout(r, 300))
    const after = await getPod(c, 'survivor')
    expect(after.status.containerStatuses[0]).toMatchObject({
      restartCount: 0,
      containerID: before.status.containerStatuses[0].containerID,
    })
    expect(after.status.podIP).toBe(before.status.podIP)
  })

  it("keeps a partitioned node's pods running while nothing reaches the cluster, then catches up", async () => {
    const c = await newCluster({ nodes: 1 })
    await run(
      c,
      pod('cut', {
        containers: [
          { name: 'sh', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 30; exit 1'] },
        ],
      }),
    )
    await step(c, 5_000)
    await podWith(c, 'cut', (p) => p.status.phase === 'Running', 'Running')
    const patch = (fault: string | null) =>
      c.stub.fetch(
        new Request(`http://x/clusters/${c.name}/api/v1/nodes/worker-1`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${c.token}`,
            'content-type': 'application/merge-patch+json',
          },
          body: JSON.stringify({
            metadata: { annotations: { 'sim.wheelhouse.dev/fault': fault } },
          }),
        }),
      )
    await patch('partition')
    await new Promise((r) => setTimeout(r, 200))
    const lease = (
      await api(c, 'GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1')
    ).json.spec.renewTime
    // The container exits at 30 s and restarts 10 s later, unseen by the cluster.
    await step(c, 40_000)
    await new Promise((r) => setTimeout(r, 500))
    expect((await getPod(c, 'cut')).status.containerStatuses[0].restartCount).toBe(0)
    expect(
      (
        await api(
          c,
          'GET',
          '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1',
        )
      ).json.spec.renewTime,
    ).toBe(lease)
    await patch(null)
    const healed = await podWith(
      c,
      'cut',
      (p) => p.status.containerStatuses[0].restartCount === 1,
      'restart reported after the partition heals',
    )
    expect(healed.status.containerStatuses[0].lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    })
  })

  it('stops the kubelet when its Node is deleted', async () => {
    const c = await newCluster({ nodes: 1 })
    await run(c, pod('orphan', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }))
    expect((await api(c, 'DELETE', '/api/v1/nodes/worker-1')).status).toBe(200)
    const node = env.NODE.getByName(`${c.name}/worker-1`)
    await until(async () => (await node.stats()).pods === 0, 'node object emptied')
    expect(await runInDurableObject(node, async (_, state) => state.storage.getAlarm())).toBeNull()
  })
})

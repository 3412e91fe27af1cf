// The API server's own semantics inside workerd: the Clock object, pagination,
// namespace lifecycle, graceful pod deletion, watch from a resourceVersion.
import { describe, expect, it } from 'vitest'
import { inPlane, newCluster, type TestCluster } from './helpers'

async function api(c: TestCluster, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${path}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  )
  return { status: r.status, json: (await r.json()) as any }
}

describe('API server', () => {
  it('serves the Clock as an object whose writes drive the cluster clock', async () => {
    const c = await newCluster()
    const got = await api(c, 'GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')
    expect(got.json).toMatchObject({ kind: 'Clock', spec: { speed: 1, paused: true }, status: { speed: 1, paused: true } })
    expect(Date.parse(got.json.status.now)).toBeGreaterThan(0)
    const put = await api(c, 'PUT', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster', { ...got.json, spec: { speed: 60, paused: false } })
    expect(put.status).toBe(200)
    const view = await c.stub.clock()
    expect(view).toMatchObject({ speed: 60, paused: false })
    const bad = await api(c, 'PUT', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster', { ...put.json, spec: { speed: 5000 } })
    expect(bad.status).toBe(422)
    expect(bad.json.message).toContain('spec.speed: Invalid value: 5000')
    expect((await c.stub.clock()).speed).toBe(60)
    // The RPC used by tests and the web client goes through the same object.
    await c.stub.setClock({ speed: 10 })
    expect((await api(c, 'GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')).json.spec.speed).toBe(10)
  })

  it('paginates with limit/continue at one resourceVersion, with selectors', async () => {
    const c = await newCluster()
    for (let i = 0; i < 25; i++)
      await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `cm-${String(i).padStart(2, '0')}`, labels: { even: String(i % 2 === 0) } } })
    const names: string[] = []
    let cont = ''
    let rv = ''
    do {
      const page = await api(c, 'GET', `/api/v1/namespaces/default/configmaps?labelSelector=even%3Dtrue&limit=4${cont ? `&continue=${cont}` : ''}`)
      expect(page.json.kind).toBe('ConfigMapList')
      rv ||= page.json.metadata.resourceVersion
      expect(page.json.metadata.resourceVersion).toBe(rv)
      names.push(...page.json.items.map((o: any) => o.metadata.name))
      cont = page.json.metadata.continue ?? ''
      if (cont) await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `late-${names.length}`, labels: { even: 'true' } } })
    } while (cont)
    expect(names).toEqual(Array.from({ length: 13 }, (_, i) => `cm-${String(i * 2).padStart(2, '0')}`))
  })

  it('keeps a deleted namespace Terminating until its contents are gone, and refuses new content meanwhile', async () => {
    const c = await newCluster()
    await api(c, 'POST', '/api/v1/namespaces', { metadata: { name: 'team' } })
    // A finalizer holds one object, so the namespace cannot finish before the test looks.
    await api(c, 'POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'held', finalizers: ['example.com/hold'] } })
    await api(c, 'POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'x' } })
    const del = await api(c, 'DELETE', '/api/v1/namespaces/team')
    expect(del.json.status.phase).toBe('Terminating')
    const refused = await api(c, 'POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'y' } })
    expect(refused.status).toBe(403)
    expect(refused.json.message).toContain('unable to create new content in namespace team because it is being terminated')
    await inPlane(c, ({ timers, clock }) => timers.runDue(clock.now()))
    expect((await api(c, 'GET', '/api/v1/namespaces/team/configmaps/x')).status).toBe(404)
    const held = await api(c, 'GET', '/api/v1/namespaces/team/configmaps/held')
    expect(held.json.metadata.deletionTimestamp).toBeDefined()
    expect((await api(c, 'GET', '/api/v1/namespaces/team')).status).toBe(200)
    // Removing the last finalizer deletes the object; the namespace then goes.
    await api(c, 'PUT', '/api/v1/namespaces/team/configmaps/held', { ...held.json, metadata: { ...held.json.metadata, finalizers: [] } })
    expect((await api(c, 'GET', '/api/v1/namespaces/team/configmaps/held')).status).toBe(404)
    await c.stub.setClock({ stepMs: 2_000 })
    await inPlane(c, ({ timers, clock }) => timers.runDue(clock.now()))
    expect((await api(c, 'GET', '/api/v1/namespaces/team')).status).toBe(404)
  })

  it('keeps a pod bound to a node Terminating for its grace period, and deletes an unbound one at once', async () => {
    const c = await newCluster()
    const spec = { containers: [{ name: 'c', image: 'nginx:1.25' }] }
    const created = await api(c, 'POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec })
    expect(created.json.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', serviceAccountName: 'default' })
    expect(created.json.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' })
    expect(created.json.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ])
    expect(created.json.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' })
    const bind = await api(c, 'POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'worker-1' } })
    expect(bind.status).toBe(201)
    const del = await api(c, 'DELETE', '/api/v1/namespaces/default/pods/p')
    expect(del.json.metadata.deletionGracePeriodSeconds).toBe(30)
    expect((await api(c, 'GET', '/api/v1/namespaces/default/pods/p')).status).toBe(200)
    await api(c, 'POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'q' }, spec })
    await api(c, 'DELETE', '/api/v1/namespaces/default/pods/q')
    expect((await api(c, 'GET', '/api/v1/namespaces/default/pods/q')).status).toBe(404)
  })

  it('bumps generation on spec changes only, and answers a stale update with 409', async () => {
    const c = await newCluster()
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
    }
    const created = (await api(c, 'POST', '/apis/apps/v1/namespaces/default/deployments', d)).json
    expect(created.metadata.generation).toBe(1)
    expect(created.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } })
    // The deployment controller writes it too (annotations, status), so these changes go as patches, without a resourceVersion.
    const patch = async (body: unknown) => {
      const r = await c.stub.fetch(
        new Request(`http://x/clusters/${c.name}/apis/apps/v1/namespaces/default/deployments/web`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify(body),
        }),
      )
      return (await r.json()) as any
    }
    const labelled = await patch({ metadata: { labels: { a: 'b' } } })
    expect(labelled.metadata.generation).toBe(1)
    const scaled = await patch({ spec: { replicas: 3 } })
    expect(scaled.metadata.generation).toBe(2)
    const stale = await api(c, 'PUT', '/apis/apps/v1/namespaces/default/deployments/web', { ...created, spec: { ...created.spec, replicas: 5 } })
    expect(stale.status).toBe(409)
    expect(stale.json.message).toBe('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again')
    const scale = await api(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web/scale')
    expect(scale.json).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { selector: 'app=web' } })
  })

  it('serves core/v1 and events.k8s.io/v1 Events from one storage, converted', async () => {
    const c = await newCluster()
    const core = await api(c, 'POST', '/api/v1/namespaces/default/events', {
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-1 to worker-2',
      type: 'Normal',
      count: 1,
      source: { component: 'default-scheduler' },
      reportingComponent: 'default-scheduler',
    })
    expect(core.status).toBe(201)
    const v1 = await api(c, 'GET', '/apis/events.k8s.io/v1/namespaces/default/events/e1')
    expect(v1.json).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      regarding: { kind: 'Pod', name: 'web-1' },
      note: 'Successfully assigned default/web-1 to worker-2',
      reason: 'Scheduled',
      reportingController: 'default-scheduler',
      deprecatedCount: 1,
      deprecatedSource: { component: 'default-scheduler' },
    })
    await api(c, 'POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
      metadata: { name: 'e2' },
      eventTime: '2026-11-23T10:00:00.000000Z',
      reportingController: 'wheelhouse/kubelet',
      reportingInstance: 'worker-1',
      action: 'Pulling',
      reason: 'Pulling',
      regarding: { kind: 'Pod', name: 'web-1', namespace: 'default' },
      note: 'Pulling image "nginx:1.25"',
      type: 'Normal',
    })
    const list = await api(c, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb-1')
    expect(list.json.items.map((e: any) => [e.metadata.name, e.message])).toEqual([
      ['e1', 'Successfully assigned default/web-1 to worker-2'],
      ['e2', 'Pulling image "nginx:1.25"'],
    ])
  })
})

// Admission on the API server's write path, inside workerd: NamespaceLifecycle,
// ResourceQuota (charged with the object, recomputed by its controller),
// LimitRanger, ServiceAccount (with the service account and root CA
// controllers) and the cluster's own limits, as a client and a controller meet them.
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, LIMITS_SETTING } from '../../worker/apiserver/admission/cluster-limits'
import { api, inPlane, newCluster, type TestCluster, until } from './helpers'

const NS = '/api/v1/namespaces'
const pod = (name: string, extra: Record<string, any> = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...extra },
})

/** A namespace with what its controllers give it: the default ServiceAccount and kube-root-ca.crt. */
async function namespace(c: TestCluster, name: string): Promise<void> {
  expect((await api(c, 'POST', NS, { metadata: { name } })).status).toBe(201)
  await until(async () => (await api(c, 'GET', `${NS}/${name}/serviceaccounts/default`)).status === 200, `default SA in ${name}`)
  await until(async () => (await api(c, 'GET', `${NS}/${name}/configmaps/kube-root-ca.crt`)).status === 200, `root CA in ${name}`)
}

/** A quota, once its controller has given it a status. */
async function quota(c: TestCluster, ns: string, name: string, hard: Record<string, string>) {
  expect((await api(c, 'POST', `${NS}/${ns}/resourcequotas`, { metadata: { name }, spec: { hard } })).status).toBe(201)
  return until(async () => {
    const q = (await api(c, 'GET', `${NS}/${ns}/resourcequotas/${name}`)).json
    return q.status?.used && q
  }, `status of quota ${name}`)
}

describe('ResourceQuota', () => {
  it('refuses what exceeds it with upstream message, stores nothing, charges and releases status.used', async () => {
    const c = await newCluster()
    await namespace(c, 'team')
    const q = await quota(c, 'team', 'compute', { pods: '2', 'count/configmaps': '5' })
    expect(q.status).toEqual({ hard: { pods: '2', 'count/configmaps': '5' }, used: { pods: '0', 'count/configmaps': '1' } })
    for (const n of ['a', 'b']) expect((await api(c, 'POST', `${NS}/team/pods`, pod(n))).status).toBe(201)
    const used = (await api(c, 'GET', `${NS}/team/resourcequotas/compute`)).json.status.used
    expect(used.pods).toBe('2')
    const refused = await api(c, 'POST', `${NS}/team/pods`, pod('c'))
    expect(refused.status).toBe(403)
    expect(refused.json).toMatchObject({
      reason: 'Forbidden',
      message: 'pods "c" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2',
      details: { name: 'c', kind: 'pods' },
    })
    expect((await api(c, 'GET', `${NS}/team/pods/c`)).status).toBe(404)
    // A deletion is given back by the quota controller.
    expect((await api(c, 'DELETE', `${NS}/team/pods/a`)).status).toBe(200)
    await until(async () => (await api(c, 'GET', `${NS}/team/resourcequotas/compute`)).json.status.used.pods === '1', 'pods released')
    expect((await api(c, 'POST', `${NS}/team/pods`, pod('c'))).status).toBe(201)
    // kubectl get quota's columns.
    const table = await api(c, 'GET', `${NS}/team/resourcequotas`, undefined, 'application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io')
    expect(table.json.columnDefinitions.map((d: any) => d.name)).toEqual(['Name', 'Age', 'Request', 'Limit'])
    expect(table.json.rows[0].cells[2]).toBe('count/configmaps: 1/5, pods: 2/2')
  })

  it('never lets concurrent creates past the quota', async () => {
    const c = await newCluster()
    await namespace(c, 'race')
    await quota(c, 'race', 'few', { pods: '3' })
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api(c, 'POST', `${NS}/race/pods`, pod(`p${i}`))),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(3)
    expect(results.filter((r) => r.status === 403)).toHaveLength(5)
    expect((await api(c, 'GET', `${NS}/race/pods`)).json.items).toHaveLength(3)
    expect((await api(c, 'GET', `${NS}/race/resourcequotas/few`)).json.status.used).toEqual({ pods: '3' })
  })

  it('counts a Service turned into a NodePort on update, and a ReplicaSet reports FailedCreate', async () => {
    const c = await newCluster()
    await namespace(c, 'svc')
    await quota(c, 'svc', 'ports', { 'services.nodeports': '0', pods: '1' })
    const svc = { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } }
    expect((await api(c, 'POST', `${NS}/svc/services`, svc)).status).toBe(201)
    const patched = await api(c, 'PATCH', `${NS}/svc/services/web`, { spec: { type: 'NodePort' } }, 'application/merge-patch+json')
    expect(patched.status).toBe(403)
    expect(patched.json.message).toBe('services "web" is forbidden: exceeded quota: ports, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0')
    const rs = {
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    }
    expect((await api(c, 'POST', '/apis/apps/v1/namespaces/svc/replicasets', rs)).status).toBe(201)
    const event = await until(async () => {
      const events = (await api(c, 'GET', `${NS}/svc/events`)).json.items as any[]
      return events.find((e) => e.reason === 'FailedCreate')
    }, 'FailedCreate event')
    expect(event.message).toMatch(/^Error creating: pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: ports, requested: pods=1, used: pods=1, limited: pods=1$/)
    expect((await api(c, 'GET', `${NS}/svc/pods`)).json.items).toHaveLength(1)
  })

  it('validates quotas as upstream does', async () => {
    const c = await newCluster()
    const bad = await api(c, 'POST', `${NS}/default/resourcequotas`, { metadata: { name: 'q' }, spec: { hard: { pods: '1.5', bogus: '1' }, scopes: ['BestEffort', 'NotBestEffort'] } })
    expect(bad.status).toBe(422)
    expect(bad.json.message).toBe(
      'ResourceQuota "q" is invalid: [spec.hard[bogus]: Invalid value: "bogus": must be a standard resource type or fully qualified, ' +
        'spec.hard[bogus]: Invalid value: "bogus": must be a standard resource for quota, ' +
        'spec.hard[pods]: Invalid value: "1500m": must be an integer, ' +
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes]',
    )
  })
})

describe('LimitRanger', () => {
  it('defaults requests and limits with the annotation, and refuses beyond max', async () => {
    const c = await newCluster()
    await namespace(c, 'lim')
    const lr = { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m' }, max: { cpu: '1' } }] } }
    const stored = await api(c, 'POST', `${NS}/lim/limitranges`, lr)
    expect(stored.status).toBe(201)
    // SetDefaults_LimitRangeItem: the request of memory defaults to its default limit.
    expect(stored.json.spec.limits[0].defaultRequest).toEqual({ cpu: '100m', memory: '512Mi' })
    const created = await api(c, 'POST', `${NS}/lim/pods`, pod('plain'))
    expect(created.status).toBe(201)
    expect(created.json.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '512Mi' } })
    expect(created.json.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c')
    expect(created.json.status.qosClass).toBe('Burstable')
    const big = await api(c, 'POST', `${NS}/lim/pods`, pod('big', { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '2' } } }] }))
    expect(big.status).toBe(403)
    expect(big.json.message).toBe('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2')
    const invalid = await api(c, 'POST', `${NS}/lim/limitranges`, { metadata: { name: 'bad' }, spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } })
    expect(invalid.status).toBe(422)
    expect(invalid.json.message).toContain('spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1')
  })
})

describe('ServiceAccount and NamespaceLifecycle', () => {
  it('gives a new namespace its default account and kube-root-ca.crt, mounts the token volume, refuses unknown accounts', async () => {
    const c = await newCluster()
    await namespace(c, 'apps')
    const ca = await until(async () => {
      const r = await api(c, 'GET', `${NS}/apps/configmaps/kube-root-ca.crt`)
      return r.status === 200 && r.json
    }, 'kube-root-ca.crt')
    expect(ca.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgII/)
    expect(ca.metadata.annotations['kubernetes.io/description']).toContain('verify the kube-apiserver')
    // The same cluster CA in every namespace.
    const other = await until(async () => (await api(c, 'GET', `${NS}/default/configmaps/kube-root-ca.crt`)).json?.data, 'default CA')
    expect(other['ca.crt']).toBe(ca.data['ca.crt'])
    const p = (await api(c, 'POST', `${NS}/apps/pods`, pod('web'))).json
    expect(p.spec.serviceAccountName).toBe('default')
    const volume = p.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'))
    expect(volume.projected.sources.map((s: any) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI'])
    expect(p.spec.containers[0].volumeMounts).toEqual([{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }])
    const ghost = await api(c, 'POST', `${NS}/apps/pods`, pod('ghost', { serviceAccountName: 'ghost' }))
    expect(ghost.status).toBe(403)
    expect(ghost.json.message).toBe('pods "ghost" is forbidden: error looking up service account apps/ghost: serviceaccount "ghost" not found')
    // Deleted, the default account comes back.
    expect((await api(c, 'DELETE', `${NS}/apps/serviceaccounts/default`)).status).toBe(200)
    await until(async () => (await api(c, 'GET', `${NS}/apps/serviceaccounts/default`)).status === 200, 'default SA again')
  })

  it('refuses creates in missing and terminating namespaces, and deleting the immortal ones', async () => {
    const c = await newCluster()
    const missing = await api(c, 'POST', `${NS}/nowhere/configmaps`, { metadata: { name: 'x' } })
    expect(missing.status).toBe(404)
    expect(missing.json).toMatchObject({ reason: 'NotFound', message: 'namespaces "nowhere" not found' })
    await namespace(c, 'going')
    // A finalizer keeps the namespace Terminating while we try.
    await api(c, 'POST', `${NS}/going/configmaps`, { metadata: { name: 'held', finalizers: ['example.com/hold'] } })
    expect((await api(c, 'DELETE', `${NS}/going`)).status).toBe(200)
    const late = await api(c, 'POST', `${NS}/going/configmaps`, { metadata: { name: 'late' } })
    expect(late.status).toBe(403)
    expect(late.json.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace going because it is being terminated')
    expect(late.json.details.causes).toEqual([{ reason: 'NamespaceTerminating', message: 'namespace going is being terminated', field: 'metadata.namespace' }])
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const r = await api(c, 'DELETE', `${NS}/${name}`)
      expect(r.status).toBe(403)
      expect(r.json.message).toBe(`namespaces "${name}" is forbidden: this namespace may not be deleted`)
    }
  })
})

describe('cluster limits', () => {
  it('refuses pods, nodes and objects past the cluster settings, and pools scaled past maxNodes', async () => {
    const c = await newCluster()
    await inPlane(c, (p) => p.settings.set(LIMITS_SETTING, { ...DEFAULT_LIMITS, maxPods: 2, maxNodes: 2 }))
    for (const n of ['a', 'b']) expect((await api(c, 'POST', `${NS}/default/pods`, pod(n))).status).toBe(201)
    const third = await api(c, 'POST', `${NS}/default/pods`, pod('c'))
    expect(third.status).toBe(403)
    expect(third.json.message).toBe('pods "c" is forbidden: exceeded cluster limit: pods=2')
    const scaled = await api(c, 'PATCH', '/apis/sim.wheelhouse.dev/v1alpha1/nodepools/default', { spec: { replicas: 3 } }, 'application/merge-patch+json')
    expect(scaled.status).toBe(403)
    expect(scaled.json.message).toBe('nodepools.sim.wheelhouse.dev "default" is forbidden: exceeded cluster limit: nodes=2')
    expect((await api(c, 'PATCH', '/apis/sim.wheelhouse.dev/v1alpha1/nodepools/default', { spec: { replicas: 2 } }, 'application/merge-patch+json')).status).toBe(200)
    // Events do not count (the system writes them, and they expire): the scheduler's FailedScheduling for a and b is one.
    await until(async () => (await api(c, 'GET', `${NS}/default/events`)).json.items.length > 0, 'an event')
    const count = (p: any, key: string, end: string) => p.store.list({ key, end }, { count: true, limit: 1 }).count as number
    const objects = await inPlane(c, (p) => count(p, '/registry/', '/registry0') - count(p, '/registry/core/events/', '/registry/core/events0'))
    await inPlane(c, (p) => p.settings.set(LIMITS_SETTING, { ...DEFAULT_LIMITS, maxObjects: objects }))
    const full = await api(c, 'POST', `${NS}/default/configmaps`, { metadata: { name: 'one-too-many' } })
    expect(full.status).toBe(403)
    expect(full.json.message).toBe(`configmaps "one-too-many" is forbidden: exceeded cluster limit: objects=${objects}`)
  })
})

import { describe, expect, it } from 'vitest'
import {
  calculateUsage,
  podQuotaReleaseAt,
  requiresQuotaRecalculation,
  syncResourceQuota,
  trackedKinds,
  type NamespaceLister,
} from './quota-controller'
import { format } from './resource-list'

type O = any
const NOW = Date.parse('2025-06-01T12:00:00Z')

const quota = (hard: O, status?: O, spec: O = {}): O => ({
  metadata: { name: 'q', namespace: 'team', resourceVersion: '4' },
  spec: { hard, ...spec },
  ...(status ? { status } : {}),
})
const pod = (name: string, cpu?: string, extra: O = {}, phase = 'Running'): O => ({
  metadata: { name, namespace: 'team' },
  spec: {
    containers: [{ name: 'app', resources: cpu ? { requests: { cpu }, limits: { cpu } } : {} }],
    ...extra,
  },
  status: { phase },
})

function lister(objects: Record<string, O[]>): NamespaceLister {
  return (group, resource, namespace) => {
    const key = group ? `${resource}.${group}` : resource
    if (!(key in objects)) return undefined
    return objects[key]!.filter((o) => o.metadata.namespace === namespace)
  }
}

const world = lister({
  pods: [
    pod('a', '100m'),
    pod('b', '250m'),
    pod('done', '1', {}, 'Succeeded'),
    pod('besteffort'),
    pod('elsewhere', '1', {}, 'Running'),
  ].map((p, i) => (i === 4 ? { ...p, metadata: { ...p.metadata, namespace: 'other' } } : p)),
  services: [
    {
      metadata: { name: 'lb', namespace: 'team' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    },
    {
      metadata: { name: 'web', namespace: 'team' },
      spec: { type: 'ClusterIP', ports: [{ port: 80 }] },
    },
  ],
  persistentvolumeclaims: [],
  configmaps: [
    { metadata: { name: 'c1', namespace: 'team' } },
    { metadata: { name: 'c2', namespace: 'team' } },
  ],
  'deployments.apps': [{ metadata: { name: 'd', namespace: 'team' } }],
})

describe('quota controller: measured usage', () => {
  const cases: { name: string; quota: O; want: Record<string, string> }[] = [
    {
      name: 'compute of running pods; finished pods and other namespaces do not count',
      quota: quota({ pods: '10', 'requests.cpu': '2', 'limits.cpu': '4', 'count/pods': '20' }),
      want: { 'count/pods': '4', 'limits.cpu': '350m', pods: '3', 'requests.cpu': '350m' },
    },
    {
      name: 'services, load balancers and node ports',
      quota: quota({ services: '10', 'services.loadbalancers': '2', 'services.nodeports': '5' }),
      want: { services: '2', 'services.loadbalancers': '1', 'services.nodeports': '1' },
    },
    {
      name: 'an empty kind reads zero',
      quota: quota({ persistentvolumeclaims: '5', 'requests.storage': '20Gi' }),
      want: { persistentvolumeclaims: '0', 'requests.storage': '0' },
    },
    {
      name: 'object counts, legacy and generic',
      quota: quota({ configmaps: '10', 'count/configmaps': '10', 'count/deployments.apps': '5' }),
      want: { configmaps: '2', 'count/configmaps': '2', 'count/deployments.apps': '1' },
    },
    {
      name: 'a scoped quota counts only pods in scope',
      quota: quota({ pods: '10' }, undefined, { scopes: ['BestEffort'] }),
      want: { pods: '1' },
    },
    {
      name: 'a kind not served is left unmeasured',
      quota: quota({ 'count/widgets.example.com': '3', pods: '10' }),
      want: { pods: '3' },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const used = calculateUsage(c.quota, world, NOW)
      expect(Object.fromEntries(Object.entries(used).map(([k, v]) => [k, format(v)]))).toEqual(
        c.want,
      )
    })

  it('names the kinds a quota needs listed', () => {
    expect(
      trackedKinds(
        quota({
          pods: '1',
          'requests.storage': '1Gi',
          'count/deployments.apps': '1',
          secrets: '1',
        }),
      ),
    ).toEqual([
      { group: '', resource: 'pods' },
      { group: '', resource: 'persistentvolumeclaims' },
      { group: '', resource: 'secrets' },
      { group: 'apps', resource: 'deployments' },
    ])
  })
})

describe('quota controller: status', () => {
  it('a new quota gets status.hard from spec.hard and its usage', () => {
    const next = syncResourceQuota(quota({ pods: '10', 'requests.cpu': '2' }), world, NOW)
    expect(next!.status).toEqual({
      hard: { pods: '10', 'requests.cpu': '2' },
      used: { pods: '3', 'requests.cpu': '350m' },
    })
    expect(next!.metadata.resourceVersion).toBe('4')
  })
  it('nothing to write when status is current (whatever the spelling)', () => {
    const q = quota({ pods: '10' }, { hard: { pods: '10' }, used: { pods: '3' } })
    expect(syncResourceQuota(q, world, NOW)).toBeUndefined()
    const same = quota(
      { 'requests.memory': '1Gi' },
      { hard: { 'requests.memory': '1024Mi' }, used: { 'requests.memory': '0' } },
    )
    expect(syncResourceQuota(same, world, NOW)).toBeUndefined()
  })
  it('corrects what admission over-charged', () => {
    const q = quota({ pods: '10' }, { hard: { pods: '10' }, used: { pods: '7' } })
    expect(syncResourceQuota(q, world, NOW)!.status.used).toEqual({ pods: '3' })
  })
  it('follows a changed spec.hard, dropping usage no longer tracked', () => {
    const q = quota(
      { services: '5' },
      { hard: { pods: '10', services: '5' }, used: { pods: '3', services: '2' } },
    )
    expect(syncResourceQuota(q, world, NOW)!.status).toEqual({
      hard: { services: '5' },
      used: { services: '2' },
    })
  })
  it('keeps the last observation of a kind it cannot list', () => {
    const q = quota(
      { 'count/widgets.example.com': '3' },
      { hard: { 'count/widgets.example.com': '3' }, used: { 'count/widgets.example.com': '2' } },
    )
    expect(syncResourceQuota(q, world, NOW)).toBeUndefined()
  })
})

describe('quota controller: when to recalculate', () => {
  const running = pod('a', '1')
  const cases: { name: string; resource: string; old: O; obj: O; want: boolean }[] = [
    {
      name: 'a pod that finishes',
      resource: 'pods',
      old: running,
      obj: { ...running, status: { phase: 'Succeeded' } },
      want: true,
    },
    {
      name: 'a pod that changes status only',
      resource: 'pods',
      old: running,
      obj: { ...running, status: { phase: 'Running', podIP: '10.0.0.1' } },
      want: false,
    },
    {
      name: 'a service that becomes a LoadBalancer',
      resource: 'services',
      old: { metadata: {}, spec: { type: 'ClusterIP' } },
      obj: { metadata: {}, spec: { type: 'LoadBalancer' } },
      want: true,
    },
    {
      name: 'a claim whose allocation grows',
      resource: 'persistentvolumeclaims',
      old: { metadata: {}, status: {} },
      obj: { metadata: {}, status: { allocatedResources: { storage: '2Gi' } } },
      want: true,
    },
    {
      name: 'any other update',
      resource: 'configmaps',
      old: { metadata: {} },
      obj: { metadata: {}, data: { a: 'b' } },
      want: false,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(requiresQuotaRecalculation('', c.resource, c.old, c.obj, NOW)).toBe(c.want)
    })
  it('a deleted pod stops charging when its grace period ends', () => {
    const deleted = pod('a', '1', {}, 'Running')
    deleted.metadata.deletionTimestamp = '2025-06-01T12:00:00Z'
    deleted.metadata.deletionGracePeriodSeconds = 30
    expect(podQuotaReleaseAt(deleted)).toBe(NOW + 30_000)
    expect(podQuotaReleaseAt(running)).toBeUndefined()
  })
})

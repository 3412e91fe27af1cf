import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors'
import { admitResourceQuota, type QuotaAdmission } from './resource-quota'

type O = any
const NOW = Date.parse('2025-06-01T12:00:00Z')

const quota = (name: string, hard: O, used: O, spec: O = {}): O => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace: 'team', resourceVersion: '7' },
  spec: { hard, ...spec },
  status: { hard, used },
})
const podWith = (containers: O[], extra: O = {}): O => ({
  metadata: { name: 'web-1', namespace: 'team' },
  spec: { containers, ...extra },
  status: { phase: 'Pending' },
})
const c = (name: string, requests?: O, limits?: O): O => ({
  name,
  image: 'nginx',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
})
const create = (
  resource: string,
  object: O,
  extra: Partial<QuotaAdmission> = {},
): QuotaAdmission => ({
  operation: 'CREATE',
  group: '',
  resource,
  namespace: 'team',
  object,
  now: NOW,
  ...extra,
})

function refusal(fn: () => unknown): O {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApiError) return e.status
    throw e
  }
  throw new Error('admitted')
}

describe('ResourceQuota admission: refusals', () => {
  const cases: { name: string; attrs: QuotaAdmission; quotas: O[]; want: string }[] = [
    {
      name: 'one pod too many',
      attrs: create('pods', podWith([c('app')])),
      quotas: [quota('pod-count', { pods: '5' }, { pods: '5' })],
      want: 'pods "web-1" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=5, limited: pods=5',
    },
    {
      name: 'only the exceeded resources are named',
      attrs: create('pods', podWith([c('app', { cpu: '500m', memory: '256Mi' })])),
      quotas: [
        quota(
          'compute',
          { pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi' },
          { pods: '3', 'requests.cpu': '1800m', 'requests.memory': '512Mi' },
        ),
      ],
      want: 'pods "web-1" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1800m, limited: requests.cpu=2',
    },
    {
      name: 'several exceeded resources, sorted',
      attrs: create('pods', podWith([c('app', { cpu: '1', memory: '1Gi' })])),
      quotas: [
        quota(
          'compute',
          { 'requests.cpu': '1', 'requests.memory': '1Gi' },
          { 'requests.cpu': '500m', 'requests.memory': '512Mi' },
        ),
      ],
      want: 'pods "web-1" is forbidden: exceeded quota: compute, requested: requests.cpu=1,requests.memory=1Gi, used: requests.cpu=500m,requests.memory=512Mi, limited: requests.cpu=1,requests.memory=1Gi',
    },
    {
      name: 'a tracked resource the pod does not set',
      attrs: create(
        'pods',
        podWith([c('web', { cpu: '100m' }), c('sidecar', { cpu: '100m' }, { cpu: '200m' })]),
      ),
      quotas: [
        quota(
          'compute',
          { 'limits.cpu': '4', 'requests.cpu': '2' },
          { 'limits.cpu': '0', 'requests.cpu': '0' },
        ),
      ],
      want: 'pods "web-1" is forbidden: failed quota: compute: must specify limits.cpu for: web',
    },
    {
      name: 'a quota the controller has not measured',
      attrs: create('pods', podWith([c('app')])),
      quotas: [quota('fresh', { pods: '5', 'count/pods': '5' }, { pods: '0' })],
      want: 'pods "web-1" is forbidden: status unknown for quota: fresh, resources: count/pods,pods',
    },
    {
      name: 'load balancers',
      attrs: create('services', {
        metadata: { name: 'lb', namespace: 'team' },
        spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      }),
      quotas: [
        quota(
          'svc',
          { services: '10', 'services.loadbalancers': '2' },
          { services: '4', 'services.loadbalancers': '2' },
        ),
      ],
      want: 'services "lb" is forbidden: exceeded quota: svc, requested: services.loadbalancers=1, used: services.loadbalancers=2, limited: services.loadbalancers=2',
    },
    {
      name: 'storage',
      attrs: create('persistentvolumeclaims', {
        metadata: { name: 'data', namespace: 'team' },
        spec: { storageClassName: 'standard', resources: { requests: { storage: '15Gi' } } },
      }),
      quotas: [
        quota(
          'storage',
          { 'requests.storage': '20Gi', persistentvolumeclaims: '5' },
          { 'requests.storage': '10Gi', persistentvolumeclaims: '1' },
        ),
      ],
      want: 'persistentvolumeclaims "data" is forbidden: exceeded quota: storage, requested: requests.storage=15Gi, used: requests.storage=10Gi, limited: requests.storage=20Gi',
    },
    {
      name: 'an object count of another group',
      attrs: create(
        'deployments',
        { metadata: { name: 'web', namespace: 'team' }, spec: {} },
        { group: 'apps' },
      ),
      quotas: [
        quota('objects', { 'count/deployments.apps': '2' }, { 'count/deployments.apps': '2' }),
      ],
      want: 'deployments.apps "web" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=2, limited: count/deployments.apps=2',
    },
    {
      name: 'the legacy configmaps name',
      attrs: create('configmaps', { metadata: { name: 'cfg', namespace: 'team' } }),
      quotas: [quota('objects', { configmaps: '1' }, { configmaps: '1' })],
      want: 'configmaps "cfg" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
    },
    {
      name: 'a service becoming a NodePort on update',
      attrs: {
        ...create('services', {
          metadata: { name: 'web', namespace: 'team' },
          spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] },
        }),
        operation: 'UPDATE',
        oldObject: {
          metadata: { name: 'web', namespace: 'team', resourceVersion: '3' },
          spec: { type: 'ClusterIP', ports: [{ port: 80 }, { port: 81 }] },
        },
      },
      quotas: [
        quota(
          'svc',
          { services: '10', 'services.nodeports': '3' },
          { services: '2', 'services.nodeports': '2' },
        ),
      ],
      want: 'services "web" is forbidden: exceeded quota: svc, requested: services.nodeports=2, used: services.nodeports=2, limited: services.nodeports=3',
    },
  ]
  for (const t of cases)
    it(t.name, () => {
      const s = refusal(() => admitResourceQuota(t.attrs, t.quotas))
      expect(s).toMatchObject({ code: 403, reason: 'Forbidden', message: t.want })
    })

  it('names the generated name, group and resource in the details', () => {
    const s = refusal(() =>
      admitResourceQuota(
        create(
          'deployments',
          { metadata: { name: 'web-x7k2p', namespace: 'team' } },
          { group: 'apps' },
        ),
        [quota('objects', { 'count/deployments.apps': '0' }, { 'count/deployments.apps': '0' })],
      ),
    )
    expect(s.details).toEqual({ name: 'web-x7k2p', group: 'apps', kind: 'deployments' })
  })
})

describe('ResourceQuota admission: admitted writes charge the quotas', () => {
  it('returns every matching quota with its new usage', () => {
    const compute = quota(
      'compute',
      { pods: '10', 'requests.cpu': '2', 'limits.cpu': '4' },
      { pods: '2', 'requests.cpu': '200m', 'limits.cpu': '1' },
    )
    const objects = quota('objects', { 'count/configmaps': '5' }, { 'count/configmaps': '1' })
    const updates = admitResourceQuota(
      create('pods', podWith([c('app', { cpu: '100m' }, { cpu: '500m' })])),
      [objects, compute],
    )
    expect(updates.map((q) => [q.metadata.name, q.status])).toEqual([
      [
        'compute',
        {
          hard: { pods: '10', 'requests.cpu': '2', 'limits.cpu': '4' },
          used: { 'limits.cpu': '1500m', pods: '3', 'requests.cpu': '300m' },
        },
      ],
    ])
    // The returned quota is a copy that keeps the resourceVersion to write against.
    expect(updates[0]!.metadata.resourceVersion).toBe('7')
    expect(compute.status.used.pods).toBe('2')
  })

  it('fills a quota exactly to its limit', () => {
    const q = quota('pod-count', { pods: '5' }, { pods: '4' })
    expect(admitResourceQuota(create('pods', podWith([c('app')])), [q])[0]!.status.used).toEqual({
      pods: '5',
    })
  })

  it('charges nothing on a dry run, but still refuses', () => {
    const q = quota('pod-count', { pods: '5' }, { pods: '4' })
    expect(admitResourceQuota(create('pods', podWith([c('app')]), { dryRun: true }), [q])).toEqual(
      [],
    )
    const full = quota('pod-count', { pods: '5' }, { pods: '5' })
    expect(
      refusal(() =>
        admitResourceQuota(create('pods', podWith([c('app')]), { dryRun: true }), [full]),
      ).code,
    ).toBe(403)
  })

  it('charges only the growth of an update, to quotas that counted the old object', () => {
    const old = {
      metadata: { name: 'data', namespace: 'team', resourceVersion: '5' },
      spec: { resources: { requests: { storage: '5Gi' } } },
    }
    const grown = { ...old, spec: { resources: { requests: { storage: '8Gi' } } } }
    const q = quota('storage', { 'requests.storage': '20Gi' }, { 'requests.storage': '15Gi' })
    const updates = admitResourceQuota(
      { ...create('persistentvolumeclaims', grown), operation: 'UPDATE', oldObject: old },
      [q],
    )
    expect(updates[0]!.status.used).toEqual({ 'requests.storage': '18Gi' })
  })

  it('charges nothing for an update that does not grow', () => {
    const old = {
      metadata: { name: 's', namespace: 'team', resourceVersion: '5' },
      spec: { type: 'NodePort', ports: [{ port: 80 }] },
    }
    const q = quota('svc', { 'services.nodeports': '1' }, { 'services.nodeports': '1' })
    expect(
      admitResourceQuota(
        {
          ...create('services', { ...old, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } }),
          operation: 'UPDATE',
          oldObject: old,
        },
        [q],
      ),
    ).toEqual([])
  })

  it('a scoped quota charges only the pods in its scope', () => {
    const bestEffort = quota(
      'best-effort',
      { pods: '1' },
      { pods: '1' },
      { scopes: ['BestEffort'] },
    )
    expect(
      admitResourceQuota(create('pods', podWith([c('app', { cpu: '100m' })])), [bestEffort]),
    ).toEqual([])
    expect(
      refusal(() => admitResourceQuota(create('pods', podWith([c('app')])), [bestEffort])).message,
    ).toContain('exceeded quota: best-effort')
  })

  it('a quota by priority class', () => {
    const high = quota(
      'high',
      { pods: '1' },
      { pods: '1' },
      {
        scopeSelector: {
          matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }],
        },
      },
    )
    expect(admitResourceQuota(create('pods', podWith([c('app')])), [high])).toEqual([])
    expect(
      refusal(() =>
        admitResourceQuota(create('pods', podWith([c('app')], { priorityClassName: 'high' })), [
          high,
        ]),
      ).code,
    ).toBe(403)
  })

  it('a quota tracking none of the kind, events, subresources and pod updates are not charged', () => {
    const q = quota('pod-count', { pods: '0' }, { pods: '0' })
    expect(
      admitResourceQuota(create('services', { metadata: { name: 's' }, spec: {} }), [q]),
    ).toEqual([])
    expect(
      admitResourceQuota(create('events', { metadata: { name: 'e' } }), [
        quota('all', { 'count/events': '0' }, { 'count/events': '0' }),
      ]),
    ).toEqual([])
    expect(
      admitResourceQuota(create('pods', podWith([c('a')]), { subresource: 'binding' }), [q]),
    ).toEqual([])
    expect(
      admitResourceQuota(
        { ...create('pods', podWith([c('a')])), operation: 'UPDATE', oldObject: podWith([c('a')]) },
        [q],
      ),
    ).toEqual([])
  })

  it('a pod finished on arrival charges only count/pods', () => {
    const q = quota('both', { pods: '0', 'count/pods': '5' }, { pods: '0', 'count/pods': '0' })
    const done = { ...podWith([c('a')]), status: { phase: 'Succeeded' } }
    expect(admitResourceQuota(create('pods', done), [q])[0]!.status.used).toEqual({
      'count/pods': '1',
      pods: '0',
    })
  })
})

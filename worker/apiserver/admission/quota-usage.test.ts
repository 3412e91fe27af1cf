import { describe, expect, it } from 'vitest'
import {
  evaluatorFor,
  isBestEffort,
  objectCountName,
  parseObjectCountName,
  persistentVolumeClaimEvaluator,
  podEvaluator,
  quotaMatches,
  serviceEvaluator,
  type ScopeSelectorRequirement,
} from './quota-usage'
import { toWire } from './resource-list'

type O = any
const NOW = Date.parse('2025-06-01T12:00:00Z')

const container = (name: string, requests?: O, limits?: O, extra: O = {}): O => ({
  name,
  image: 'nginx',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...extra,
})
const pod = (spec: O, metadata: O = {}, status: O = { phase: 'Pending' }): O => ({
  metadata: { name: 'p', namespace: 'team', ...metadata },
  spec,
  status,
})

describe('pod usage (PodUsageFunc)', () => {
  const cases: { name: string; pod: O; want: Record<string, string> }[] = [
    {
      name: 'requests and limits under every name quota knows',
      pod: pod({
        containers: [
          container('app', { cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' }),
        ],
      }),
      want: {
        'count/pods': '1',
        pods: '1',
        cpu: '250m',
        'requests.cpu': '250m',
        memory: '64Mi',
        'requests.memory': '64Mi',
        'limits.cpu': '500m',
        'limits.memory': '128Mi',
      },
    },
    {
      name: 'a best-effort pod still counts as a pod',
      pod: pod({ containers: [container('app')] }),
      want: { 'count/pods': '1', pods: '1' },
    },
    {
      name: 'containers add up; an init container counts when it is larger',
      pod: pod({
        containers: [container('a', { cpu: '100m' }), container('b', { cpu: '200m' })],
        initContainers: [container('init', { cpu: '1', memory: '1Gi' })],
      }),
      want: {
        'count/pods': '1',
        pods: '1',
        cpu: '1',
        'requests.cpu': '1',
        memory: '1Gi',
        'requests.memory': '1Gi',
      },
    },
    {
      name: 'sidecars add to the containers',
      pod: pod({
        containers: [container('app', { cpu: '100m' })],
        initContainers: [
          container('proxy', { cpu: '50m' }, undefined, { restartPolicy: 'Always' }),
        ],
      }),
      want: { 'count/pods': '1', pods: '1', cpu: '150m', 'requests.cpu': '150m' },
    },
    {
      name: 'the overhead is charged',
      pod: pod({
        containers: [container('app', { cpu: '100m' }, { cpu: '200m' })],
        overhead: { cpu: '10m' },
      }),
      want: {
        'count/pods': '1',
        pods: '1',
        cpu: '110m',
        'requests.cpu': '110m',
        'limits.cpu': '210m',
      },
    },
    {
      name: 'ephemeral storage, hugepages and extended resources',
      pod: pod({
        containers: [
          container(
            'app',
            { 'ephemeral-storage': '1Gi', 'hugepages-2Mi': '4Mi', 'example.com/gpu': '1' },
            { 'ephemeral-storage': '2Gi', 'hugepages-2Mi': '4Mi', 'example.com/gpu': '1' },
          ),
        ],
      }),
      want: {
        'count/pods': '1',
        pods: '1',
        'ephemeral-storage': '1Gi',
        'requests.ephemeral-storage': '1Gi',
        'limits.ephemeral-storage': '2Gi',
        'hugepages-2Mi': '4Mi',
        'requests.hugepages-2Mi': '4Mi',
        'requests.example.com/gpu': '1',
      },
    },
    {
      name: 'a finished pod charges only its object',
      pod: pod({ containers: [container('app', { cpu: '1' })] }, {}, { phase: 'Succeeded' }),
      want: { 'count/pods': '1' },
    },
    {
      name: 'a failed pod likewise',
      pod: pod({ containers: [container('app', { cpu: '1' })] }, {}, { phase: 'Failed' }),
      want: { 'count/pods': '1' },
    },
    {
      name: 'a deleted pod past its grace period is no longer charged',
      pod: pod(
        { containers: [container('app', { cpu: '1' })] },
        { deletionTimestamp: '2025-06-01T11:59:00Z', deletionGracePeriodSeconds: 30 },
      ),
      want: { 'count/pods': '1' },
    },
    {
      name: 'a deleted pod within its grace period still is',
      pod: pod(
        { containers: [container('app', { cpu: '1' })] },
        { deletionTimestamp: '2025-06-01T11:59:50Z', deletionGracePeriodSeconds: 30 },
      ),
      want: { 'count/pods': '1', pods: '1', cpu: '1', 'requests.cpu': '1' },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(toWire(podEvaluator.usage(c.pod, NOW))).toEqual(c.want)
    })
})

describe('pod constraints: tracked cpu/memory must be on every container', () => {
  const p = pod({
    containers: [
      container('web', { cpu: '100m' }, { cpu: '1' }),
      container('log', { memory: '10Mi' }),
    ],
    initContainers: [container('setup')],
  })
  it('names each missing resource with its containers, sorted', () => {
    expect(podEvaluator.constraints(['limits.cpu', 'requests.memory', 'pods'], p)).toBe(
      'must specify limits.cpu for: log,setup; requests.memory for: setup,web',
    )
  })
  it('ignores resources outside the validation set', () => {
    expect(podEvaluator.constraints(['requests.ephemeral-storage', 'pods'], p)).toBeUndefined()
  })
  it('is satisfied when every container sets them', () => {
    expect(
      podEvaluator.constraints(
        ['requests.cpu'],
        pod({ containers: [container('a', { cpu: '0' })] }),
      ),
    ).toBeUndefined()
  })
})

describe('service usage', () => {
  const svc = (spec: O): O => ({ metadata: { name: 's', namespace: 'team' }, spec })
  const ports = [{ port: 80 }, { port: 443, nodePort: 30443 }]
  const cases: { name: string; spec: O; want: Record<string, string> }[] = [
    {
      name: 'ClusterIP',
      spec: { type: 'ClusterIP', ports },
      want: {
        'count/services': '1',
        services: '1',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    },
    {
      name: 'NodePort counts each port',
      spec: { type: 'NodePort', ports },
      want: {
        'count/services': '1',
        services: '1',
        'services.loadbalancers': '0',
        'services.nodeports': '2',
      },
    },
    {
      name: 'LoadBalancer counts a balancer and its node ports',
      spec: { type: 'LoadBalancer', ports },
      want: {
        'count/services': '1',
        services: '1',
        'services.loadbalancers': '1',
        'services.nodeports': '2',
      },
    },
    {
      name: 'LoadBalancer without allocated node ports counts only those asked for',
      spec: { type: 'LoadBalancer', ports, allocateLoadBalancerNodePorts: false },
      want: {
        'count/services': '1',
        services: '1',
        'services.loadbalancers': '1',
        'services.nodeports': '1',
      },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(toWire(serviceEvaluator.usage(svc(c.spec), NOW))).toEqual(c.want)
    })
})

describe('persistent volume claim usage', () => {
  const claim = (spec: O, annotations?: O, status: O = {}): O => ({
    metadata: { name: 'data', namespace: 'team', ...(annotations ? { annotations } : {}) },
    spec,
    status,
  })
  const cases: { name: string; claim: O; want: Record<string, string> }[] = [
    {
      name: 'storage, also under its class',
      claim: claim({ storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } }),
      want: {
        'count/persistentvolumeclaims': '1',
        persistentvolumeclaims: '1',
        'requests.storage': '5Gi',
        'standard.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
        'standard.storageclass.storage.k8s.io/requests.storage': '5Gi',
      },
    },
    {
      name: 'the beta annotation names the class',
      claim: claim(
        { storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } },
        { 'volume.beta.kubernetes.io/storage-class': 'fast' },
      ),
      want: {
        'count/persistentvolumeclaims': '1',
        persistentvolumeclaims: '1',
        'requests.storage': '1Gi',
        'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
        'fast.storageclass.storage.k8s.io/requests.storage': '1Gi',
      },
    },
    {
      name: 'a larger allocation counts; fractions round up to whole bytes',
      claim: claim(
        { storageClassName: '', resources: { requests: { storage: '1.5' } } },
        undefined,
        {
          allocatedResources: { storage: '1' },
        },
      ),
      want: {
        'count/persistentvolumeclaims': '1',
        persistentvolumeclaims: '1',
        'requests.storage': '2',
      },
    },
    {
      name: 'an allocation above the request',
      claim: claim({ resources: { requests: { storage: '1Gi' } } }, undefined, {
        allocatedResources: { storage: '2Gi' },
      }),
      want: {
        'count/persistentvolumeclaims': '1',
        persistentvolumeclaims: '1',
        'requests.storage': '2Gi',
      },
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(toWire(persistentVolumeClaimEvaluator.usage(c.claim, NOW))).toEqual(c.want)
    })
  it('tracks names scoped by class', () => {
    expect(
      persistentVolumeClaimEvaluator.matchingResources([
        'gold.storageclass.storage.k8s.io/requests.storage',
        'requests.storage',
        'pods',
        'count/persistentvolumeclaims',
      ]),
    ).toEqual([
      'gold.storageclass.storage.k8s.io/requests.storage',
      'requests.storage',
      'count/persistentvolumeclaims',
    ])
  })
})

describe('object counts and the evaluator registry', () => {
  it('names counts as upstream', () => {
    expect(objectCountName('', 'configmaps')).toBe('count/configmaps')
    expect(objectCountName('apps', 'deployments')).toBe('count/deployments.apps')
    expect(parseObjectCountName('count/deployments.apps')).toEqual({
      group: 'apps',
      resource: 'deployments',
    })
    expect(parseObjectCountName('count/widgets.example.com')).toEqual({
      group: 'example.com',
      resource: 'widgets',
    })
    expect(parseObjectCountName('pods')).toBeUndefined()
  })
  it('counts legacy kinds under both names, and creates only', () => {
    const e = evaluatorFor('', 'configmaps')!
    expect(toWire(e.usage({ metadata: {} }, NOW))).toEqual({
      'count/configmaps': '1',
      configmaps: '1',
    })
    expect(e.handles('CREATE')).toBe(true)
    expect(e.handles('UPDATE')).toBe(false)
  })
  it('counts any other kind generically', () => {
    const e = evaluatorFor('apps', 'deployments')!
    expect(toWire(e.usage({ metadata: {} }, NOW))).toEqual({ 'count/deployments.apps': '1' })
    expect(e.matchingResources(['count/deployments.apps', 'pods'])).toEqual([
      'count/deployments.apps',
    ])
  })
  it('ignores events and virtual kinds', () => {
    expect(evaluatorFor('', 'events')).toBeUndefined()
    expect(evaluatorFor('events.k8s.io', 'events')).toBeUndefined()
    expect(evaluatorFor('authorization.k8s.io', 'subjectaccessreviews')).toBeUndefined()
  })
  it('measures pods on create only, services and claims on updates too', () => {
    expect([podEvaluator.handles('CREATE'), podEvaluator.handles('UPDATE')]).toEqual([true, false])
    expect(serviceEvaluator.handles('UPDATE')).toBe(true)
    expect(persistentVolumeClaimEvaluator.handles('UPDATE')).toBe(true)
  })
})

describe('scopes', () => {
  const burstable = pod({ containers: [container('a', { cpu: '100m' })] })
  const bestEffort = pod({ containers: [container('a', { 'ephemeral-storage': '1Gi' })] })
  const withDeadline = pod({ containers: [container('a')], activeDeadlineSeconds: 60 })
  const highPriority = pod({ containers: [container('a')], priorityClassName: 'high' })
  const crossNs = pod({
    containers: [container('a')],
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { namespaces: ['other'], topologyKey: 'x' },
        ],
      },
    },
  })
  const s = (
    scopeName: string,
    operator = 'Exists',
    values?: string[],
  ): ScopeSelectorRequirement => ({
    scopeName,
    operator,
    values,
  })
  const cases: { name: string; req: ScopeSelectorRequirement; pod: O; want: boolean }[] = [
    {
      name: 'Terminating: an active deadline',
      req: s('Terminating'),
      pod: withDeadline,
      want: true,
    },
    { name: 'Terminating: none', req: s('Terminating'), pod: burstable, want: false },
    { name: 'NotTerminating', req: s('NotTerminating'), pod: burstable, want: true },
    {
      name: 'BestEffort: only cpu and memory count',
      req: s('BestEffort'),
      pod: bestEffort,
      want: true,
    },
    { name: 'BestEffort: a cpu request is not', req: s('BestEffort'), pod: burstable, want: false },
    { name: 'NotBestEffort', req: s('NotBestEffort'), pod: burstable, want: true },
    {
      name: 'PriorityClass In',
      req: s('PriorityClass', 'In', ['high', 'medium']),
      pod: highPriority,
      want: true,
    },
    {
      name: 'PriorityClass In, other class',
      req: s('PriorityClass', 'In', ['low']),
      pod: highPriority,
      want: false,
    },
    {
      name: 'PriorityClass NotIn matches a pod without class',
      req: s('PriorityClass', 'NotIn', ['high']),
      pod: burstable,
      want: true,
    },
    { name: 'PriorityClass Exists', req: s('PriorityClass'), pod: highPriority, want: true },
    {
      name: 'PriorityClass DoesNotExist',
      req: s('PriorityClass', 'DoesNotExist'),
      pod: highPriority,
      want: false,
    },
    {
      name: 'CrossNamespacePodAffinity',
      req: s('CrossNamespacePodAffinity'),
      pod: crossNs,
      want: true,
    },
    {
      name: 'CrossNamespacePodAffinity, none',
      req: s('CrossNamespacePodAffinity'),
      pod: burstable,
      want: false,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(podEvaluator.matchesScope(c.req, c.pod)).toBe(c.want)
    })

  it('BestEffort from requests and limits of cpu and memory only', () => {
    expect(isBestEffort(pod({ containers: [container('a', undefined, { memory: '1Gi' })] }))).toBe(
      false,
    )
  })

  const quota = (spec: O, hard: O = { pods: '10' }): O => ({
    metadata: { name: 'q' },
    spec,
    status: { hard, used: {} },
  })
  it('a quota matches when it tracks a resource of the kind and every scope matches', () => {
    expect(quotaMatches(quota({ scopes: ['BestEffort'] }), podEvaluator, bestEffort)).toBe(true)
    expect(
      quotaMatches(quota({ scopes: ['BestEffort', 'Terminating'] }), podEvaluator, bestEffort),
    ).toBe(false)
    expect(
      quotaMatches(
        quota({
          scopeSelector: {
            matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }],
          },
        }),
        podEvaluator,
        highPriority,
      ),
    ).toBe(true)
  })
  it('a scoped quota never matches kinds without scopes', () => {
    expect(
      quotaMatches(quota({ scopes: ['NotTerminating'] }, { services: '1' }), serviceEvaluator, {
        metadata: {},
        spec: {},
      }),
    ).toBe(false)
  })
  it('a quota whose status has no hard limits yet matches nothing', () => {
    expect(
      quotaMatches(
        { metadata: { name: 'q' }, spec: { hard: { pods: '1' } } },
        podEvaluator,
        burstable,
      ),
    ).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors'
import type { Attributes } from './attributes'
import {
  admitLimitRangerDefaults,
  admitLimitRangerValidate,
  defaultLimitRange,
  LIMIT_RANGER_ANNOTATION,
} from './limit-ranger'

type O = any

const range = (limits: O[], name = 'limits'): O => ({
  metadata: { name, namespace: 'team' },
  spec: { limits },
})
const c = (name: string, requests?: O, limits?: O, extra: O = {}): O => ({
  name,
  image: 'nginx',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...extra,
})
const pod = (containers: O[], initContainers?: O[]): O => ({
  metadata: { name: 'web-1', namespace: 'team' },
  spec: { containers, ...(initContainers ? { initContainers } : {}) },
})
const createPod = (object: O, extra: Partial<Attributes> = {}): Attributes => ({
  operation: 'CREATE',
  group: '',
  resource: 'pods',
  namespace: 'team',
  object,
  ...extra,
})
const claim = (storage?: string): O => ({
  metadata: { name: 'data', namespace: 'team' },
  spec: { resources: storage ? { requests: { storage } } : {} },
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

describe('LimitRange defaulting (SetDefaults_LimitRangeItem)', () => {
  it('default falls back to max, defaultRequest to default, then to min', () => {
    const lr = range([
      {
        type: 'Container',
        max: { cpu: '2', memory: '1Gi' },
        min: { memory: '64Mi', 'ephemeral-storage': '1Gi' },
        default: { memory: '512Mi' },
      },
      { type: 'Pod', max: { cpu: '4' } },
    ])
    defaultLimitRange(lr)
    expect(lr.spec.limits[0]).toMatchObject({
      default: { memory: '512Mi', cpu: '2' },
      defaultRequest: { memory: '512Mi', cpu: '2', 'ephemeral-storage': '1Gi' },
    })
    expect(lr.spec.limits[1]).toEqual({ type: 'Pod', max: { cpu: '4' } })
  })
})

describe('LimitRanger defaults (the mutating half)', () => {
  const lr = range([
    {
      type: 'Container',
      default: { cpu: '500m', memory: '512Mi' },
      defaultRequest: { cpu: '100m', memory: '128Mi' },
    },
  ])

  it('fills what each container left out and says so in an annotation', () => {
    const p = pod(
      [c('web'), c('log', { cpu: '50m' }, { memory: '64Mi' })],
      [c('setup', undefined, { cpu: '1' })],
    )
    admitLimitRangerDefaults(createPod(p), [lr])
    expect(p.spec.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '512Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    })
    expect(p.spec.containers[1].resources).toEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { memory: '64Mi', cpu: '500m' },
    })
    expect(p.spec.initContainers[0].resources).toEqual({
      limits: { cpu: '1', memory: '512Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    })
    expect(p.metadata.annotations[LIMIT_RANGER_ANNOTATION]).toBe(
      'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web; ' +
        'memory request for container log; cpu limit for container log; ' +
        'cpu, memory request for init container setup; memory limit for init container setup',
    )
  })

  it('a max alone becomes the default limit and request', () => {
    const p = pod([c('web')])
    admitLimitRangerDefaults(createPod(p), [range([{ type: 'Container', max: { cpu: '1' } }])])
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '1' }, requests: { cpu: '1' } })
  })

  it('copies quantities in canonical form', () => {
    const p = pod([c('web')])
    admitLimitRangerDefaults(createPod(p), [
      range([{ type: 'Container', default: { cpu: '0.5' }, defaultRequest: { memory: '0.5Gi' } }]),
    ])
    expect(p.spec.containers[0].resources).toEqual({
      limits: { cpu: '500m' },
      requests: { memory: '512Mi', cpu: '500m' },
    })
  })

  it('a pod that sets everything is left as it was, without annotation', () => {
    const p = pod([c('web', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })])
    admitLimitRangerDefaults(createPod(p), [lr])
    expect(p.metadata.annotations).toBeUndefined()
  })

  it('leaves updates, subresources and other kinds alone', () => {
    for (const a of [
      { ...createPod(pod([c('web')])), operation: 'UPDATE' as const, oldObject: pod([c('web')]) },
      createPod(pod([c('web')]), { subresource: 'status' }),
      createPod(pod([c('web')]), { resource: 'replicasets', group: 'apps' }),
    ]) {
      admitLimitRangerDefaults(a, [lr])
      expect(a.object.spec.containers[0].resources).toEqual({})
    }
  })
})

describe('LimitRanger validation: refusals with upstream messages', () => {
  const cases: { name: string; attrs: Attributes; ranges: O[]; want: string }[] = [
    {
      name: 'a container limit above max',
      attrs: createPod(pod([c('web', { cpu: '1' }, { cpu: '4' })])),
      ranges: [range([{ type: 'Container', max: { cpu: '2' } }])],
      want: 'pods "web-1" is forbidden: maximum cpu usage per Container is 2, but limit is 4',
    },
    {
      name: 'a container request above max (the limit is fine)',
      attrs: createPod(pod([c('web', { memory: '2Gi' }, { memory: '512Mi' })])),
      ranges: [range([{ type: 'Container', max: { memory: '1Gi' } }])],
      want: 'pods "web-1" is forbidden: maximum memory usage per Container is 1Gi, but request is 2Gi',
    },
    {
      name: 'no limit where a max is set',
      attrs: createPod(pod([c('web', { cpu: '1' })])),
      ranges: [range([{ type: 'Pod', max: { cpu: '2' } }])],
      want: 'pods "web-1" is forbidden: maximum cpu usage per Pod is 2.  No limit is specified',
    },
    {
      name: 'a request below min',
      attrs: createPod(pod([c('web', { memory: '50Mi' }, { memory: '200Mi' })])),
      ranges: [range([{ type: 'Container', min: { memory: '100Mi' } }])],
      want: 'pods "web-1" is forbidden: minimum memory usage per Container is 100Mi, but request is 50Mi',
    },
    {
      name: 'no request where a min is set',
      attrs: createPod(pod([c('web', undefined, { cpu: '1' })])),
      ranges: [range([{ type: 'Pod', min: { cpu: '100m' } }])],
      want: 'pods "web-1" is forbidden: minimum cpu usage per Pod is 100m.  No request is specified',
    },
    {
      name: 'a limit below min',
      attrs: createPod(pod([c('web', { cpu: '200m' }, { cpu: '50m' })])),
      ranges: [range([{ type: 'Container', min: { cpu: '100m' } }])],
      want: 'pods "web-1" is forbidden: minimum cpu usage per Container is 100m, but limit is 50m',
    },
    {
      name: 'too high a limit to request ratio',
      attrs: createPod(pod([c('web', { cpu: '250m' }, { cpu: '1' })])),
      ranges: [range([{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }])],
      want: 'pods "web-1" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000',
    },
    {
      name: 'a ratio without a request',
      attrs: createPod(pod([c('web', undefined, { memory: '1Gi' })])),
      ranges: [range([{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }])],
      want: 'pods "web-1" is forbidden: memory max limit to request ratio per Container is 2, but no request is specified or request is 0',
    },
    {
      name: 'a ratio without a limit',
      attrs: createPod(pod([c('web', { memory: '1Gi' })])),
      ranges: [range([{ type: 'Container', maxLimitRequestRatio: { memory: '1500m' } }])],
      want: 'pods "web-1" is forbidden: memory max limit to request ratio per Container is 1500m, but no limit is specified or limit is 0',
    },
    {
      name: 'several errors, in brackets',
      attrs: createPod(
        pod([c('web', { cpu: '3' }, { cpu: '4' }), c('log', { cpu: '3' }, { cpu: '3' })]),
      ),
      ranges: [range([{ type: 'Container', max: { cpu: '2' } }])],
      want: 'pods "web-1" is forbidden: [maximum cpu usage per Container is 2, but limit is 4, maximum cpu usage per Container is 2, but limit is 3]',
    },
    {
      name: 'the whole pod, init containers included, above a Pod max',
      attrs: createPod(
        pod(
          [c('a', { cpu: '1' }, { cpu: '1' }), c('b', { cpu: '1' }, { cpu: '1' })],
          [c('init', { cpu: '3' }, { cpu: '3' })],
        ),
      ),
      ranges: [range([{ type: 'Pod', max: { cpu: '2500m' } }])],
      want: 'pods "web-1" is forbidden: maximum cpu usage per Pod is 2500m, but limit is 3',
    },
    {
      name: 'an init container counts against Container limits',
      attrs: createPod(
        pod([c('a', { cpu: '1' }, { cpu: '1' })], [c('init', { cpu: '1' }, { cpu: '3' })]),
      ),
      ranges: [range([{ type: 'Container', max: { cpu: '2' } }])],
      want: 'pods "web-1" is forbidden: maximum cpu usage per Container is 2, but limit is 3',
    },
    {
      name: 'a claim above the max',
      attrs: { ...createPod(claim('20Gi')), resource: 'persistentvolumeclaims' },
      ranges: [range([{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }])],
      want: 'persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
    },
    {
      name: 'a claim below the min',
      attrs: { ...createPod(claim('500Mi')), resource: 'persistentvolumeclaims' },
      ranges: [range([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' } }])],
      want: 'persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    },
    {
      name: 'a claim growing past the max on update',
      attrs: {
        ...createPod(claim('20Gi')),
        resource: 'persistentvolumeclaims',
        operation: 'UPDATE',
        oldObject: claim('5Gi'),
      },
      ranges: [range([{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }])],
      want: 'persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
    },
  ]
  for (const t of cases)
    it(t.name, () => {
      expect(refusal(() => admitLimitRangerValidate(t.attrs, t.ranges))).toMatchObject({
        code: 403,
        reason: 'Forbidden',
        message: t.want,
      })
    })
})

describe('LimitRanger validation: admitted', () => {
  const cases: { name: string; attrs: Attributes; ranges: O[] }[] = [
    {
      name: 'within every bound',
      attrs: createPod(
        pod([c('web', { cpu: '500m', memory: '256Mi' }, { cpu: '1', memory: '512Mi' })]),
      ),
      ranges: [
        range([
          {
            type: 'Container',
            min: { cpu: '100m' },
            max: { cpu: '2', memory: '1Gi' },
            maxLimitRequestRatio: { cpu: '2' },
          },
        ]),
      ],
    },
    {
      name: 'at the bounds exactly',
      attrs: createPod(pod([c('web', { cpu: '100m' }, { cpu: '2' })])),
      ranges: [range([{ type: 'Container', min: { cpu: '0.1' }, max: { cpu: '2000m' } }])],
    },
    {
      name: 'pod updates are not checked (their resources cannot change)',
      attrs: {
        ...createPod(pod([c('web', { cpu: '1' }, { cpu: '4' })])),
        operation: 'UPDATE',
        oldObject: pod([c('web')]),
      },
      ranges: [range([{ type: 'Container', max: { cpu: '2' } }])],
    },
    {
      name: 'a claim being deleted is left alone',
      attrs: {
        ...createPod(claim('20Gi')),
        resource: 'persistentvolumeclaims',
        operation: 'UPDATE',
        oldObject: {
          ...claim('20Gi'),
          metadata: { name: 'data', deletionTimestamp: '2025-06-01T00:00:00Z' },
        },
      },
      ranges: [range([{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }])],
    },
    {
      name: 'Container items do not apply to claims, nor claim items to pods',
      attrs: createPod(pod([c('web', { cpu: '1' }, { cpu: '1' })])),
      ranges: [range([{ type: 'PersistentVolumeClaim', max: { storage: '1Gi' } }])],
    },
  ]
  for (const t of cases)
    it(t.name, () => {
      expect(() => admitLimitRangerValidate(t.attrs, t.ranges)).not.toThrow()
    })

  it('defaults then validation: a default above the max is refused', () => {
    const ranges = [range([{ type: 'Container', default: { cpu: '4' }, max: { cpu: '2' } }])]
    const a = createPod(pod([c('web')]))
    admitLimitRangerDefaults(a, ranges)
    expect(refusal(() => admitLimitRangerValidate(a, ranges)).message).toBe(
      'pods "web-1" is forbidden: maximum cpu usage per Container is 2, but limit is 4',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { validateLimitRange, validateResourceQuota } from './policy-validation'

type O = any
const rq = (spec: O): O => ({ metadata: { name: 'q' }, spec })
const lr = (...limits: O[]): O => ({ metadata: { name: 'l' }, spec: { limits } })
const lines = (causes: { field: string; message: string }[]) => causes.map((c) => `${c.field}: ${c.message}`)

describe('validateResourceQuota', () => {
  it.each([
    { name: 'standard and qualified names', spec: { hard: { pods: '10', 'requests.cpu': '2', 'count/deployments.apps': '3', 'requests.nvidia.com/gpu': '1' } }, want: [] },
    { name: 'an unknown name', spec: { hard: { bogus: '1' } }, want: ['spec.hard[bogus]: Invalid value: "bogus": must be a standard resource type or fully qualified', 'spec.hard[bogus]: Invalid value: "bogus": must be a standard resource for quota'] },
    { name: 'storage is not a quota resource', spec: { hard: { storage: '1Gi' } }, want: ['spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota'] },
    { name: 'a negative amount', spec: { hard: { cpu: '-1' } }, want: ['spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0'] },
    { name: 'a fraction of a count', spec: { hard: { pods: '1.5' } }, want: ['spec.hard[pods]: Invalid value: "1500m": must be an integer'] },
    { name: 'conflicting scopes', spec: { hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] }, want: ['spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating", "NotTerminating"}: conflicting scopes'] },
    { name: 'a scope that does not fit a resource', spec: { hard: { services: '1' }, scopes: ['BestEffort'] }, want: ['spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource'] },
    { name: 'an unknown scope', spec: { hard: {}, scopes: ['Sometimes'] }, want: ['spec.scopes: Invalid value: []core.ResourceQuotaScope{"Sometimes"}: unsupported scope'] },
    { name: 'a scope selector In without values', spec: { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } }, want: ["spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"] },
    { name: 'BestEffort selected with In', spec: { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }] } }, want: ["spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"] },
    { name: 'a bad operator', spec: { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Near' }] } }, want: ['spec.scopeSelector.matchExpressions.operator: Invalid value: "Near": not a valid selector operator'] },
  ])('$name', ({ spec, want }) => {
    expect(lines(validateResourceQuota(rq(spec)))).toEqual(want)
  })

  it('keeps scopes immutable', () => {
    expect(lines(validateResourceQuota(rq({ hard: { pods: '1' }, scopes: ['BestEffort'] }), rq({ hard: { pods: '1' } })))).toEqual([
      'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: field is immutable',
    ])
  })
})

describe('validateLimitRange', () => {
  it.each([
    { name: 'a consistent Container item', items: [{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '2' }, default: { cpu: '1' }, defaultRequest: { cpu: '500m' }, maxLimitRequestRatio: { cpu: '4' } }], want: [] },
    { name: 'min above max', items: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }], want: ['spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1'] },
    { name: 'default request above default', items: [{ type: 'Container', default: { memory: '256Mi' }, defaultRequest: { memory: '512Mi' } }], want: ['spec.limits[0].defaultRequest[memory]: Invalid value: "512Mi": default request value 512Mi is greater than default limit value 256Mi'] },
    { name: 'default above max', items: [{ type: 'Container', default: { cpu: '3' }, max: { cpu: '2' } }], want: ['spec.limits[0].default[cpu]: Invalid value: "2": default value 3 is greater than max value 2'] },
    { name: 'a ratio below one', items: [{ type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }], want: ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1'] },
    { name: 'a ratio above max/min', items: [{ type: 'Container', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }], want: ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "3": ratio 3 is greater than max/min = 2.000000'] },
    { name: 'defaults on a Pod item', items: [{ type: 'Pod', max: { cpu: '2' }, default: { cpu: '1' } }], want: ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"] },
    { name: 'a claim item without storage bounds', items: [{ type: 'PersistentVolumeClaim' }], want: ['spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided'] },
    { name: 'a duplicate type', items: [{ type: 'Container', max: { cpu: '1' } }, { type: 'Container', max: { cpu: '2' } }], want: ['spec.limits[1].type: Duplicate value: "Container"'] },
    { name: 'an unknown type', items: [{ type: 'Deployment', max: { cpu: '1' } }], want: ['spec.limits[0].type: Invalid value: "Deployment": must be a standard limit type or fully qualified'] },
    { name: 'pods is no container resource', items: [{ type: 'Container', max: { pods: '1' } }], want: ['spec.limits[0].max[pods]: Invalid value: "pods": must be a standard resource for containers'] },
  ])('$name', ({ items, want }) => {
    expect(lines(validateLimitRange(lr(...items)))).toEqual(want)
  })
})

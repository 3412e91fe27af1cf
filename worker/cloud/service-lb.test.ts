import { describe, expect, it } from 'vitest'
import { type Obj, SERVICES } from '../controllers/framework/types'
import {
  LB_FINALIZER,
  LB_PROVISIONING_ANNOTATION,
  LB_PROVISIONING_MS,
  POOL_ADDRESSES,
  allocate,
  lbStep,
  retryDelay,
  syncService,
} from './service-lb'
import { T0, at, testContext } from './test-context'

type R = Record<string, any>
const svc = (name: string, spec: R = {}, meta: R = {}, status: R = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', ...meta },
  spec: { type: 'LoadBalancer', ports: [{ port: 80 }], ...spec },
  status,
})
const lb = (ip: string) => ({ loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } })
const provisioning = (s: number) => ({
  finalizers: [LB_FINALIZER],
  annotations: { [LB_PROVISIONING_ANNOTATION]: at(s) },
})

describe('allocate', () => {
  const cases = [
    {
      name: 'the lowest free address',
      svc: svc('a'),
      taken: ['198.51.100.1'],
      want: { ip: '198.51.100.2' },
    },
    {
      name: 'keeps its own',
      svc: svc('a', {}, {}, lb('198.51.100.9')),
      taken: [],
      want: { ip: '198.51.100.9' },
    },
    {
      name: 'the address asked for',
      svc: svc('a', { loadBalancerIP: '198.51.100.77' }),
      taken: [],
      want: { ip: '198.51.100.77' },
    },
    {
      name: 'asked for and taken',
      svc: svc('a', { loadBalancerIP: '198.51.100.1' }),
      taken: ['198.51.100.1'],
      want: { error: 'requested ip "198.51.100.1" is already in use by another load balancer' },
    },
    {
      name: 'asked for outside the pool',
      svc: svc('a', { loadBalancerIP: '10.0.0.1' }),
      taken: [],
      want: { error: 'requested ip "10.0.0.1" is not in the load balancer pool 198.51.100.0/24' },
    },
    {
      name: 'pool exhausted',
      svc: svc('a'),
      taken: POOL_ADDRESSES,
      want: { error: 'no free address left in the load balancer pool 198.51.100.0/24' },
    },
  ]
  for (const c of cases) it(c.name, () => expect(allocate(c.svc, new Set(c.taken))).toEqual(c.want))
  it('.1 to .254', () =>
    expect([POOL_ADDRESSES[0], POOL_ADDRESSES.at(-1), POOL_ADDRESSES.length]).toEqual([
      '198.51.100.1',
      '198.51.100.254',
      254,
    ]))
})

describe('lbStep', () => {
  const cases = [
    { name: 'ClusterIP: nothing', svc: svc('a', { type: 'ClusterIP' }), want: { op: 'none' } },
    {
      name: 'another implementation (loadBalancerClass): nothing',
      svc: svc('a', { loadBalancerClass: 'example.com/lb' }),
      want: { op: 'none' },
    },
    {
      name: 'new: start building',
      svc: svc('a'),
      want: { op: 'ensuring', firstLook: true, requeueMs: LB_PROVISIONING_MS },
    },
    {
      name: 'building',
      svc: svc('a', {}, provisioning(-5)),
      want: { op: 'wait', requeueMs: 15_000 },
    },
    { name: 'built', svc: svc('a', {}, provisioning(-20)), want: { op: 'ensure' } },
    {
      name: 'done',
      svc: svc('a', {}, { finalizers: [LB_FINALIZER] }, lb('198.51.100.1')),
      want: { op: 'none' },
    },
    {
      name: 'done, finalizer lost to a replace',
      svc: svc('a', {}, {}, lb('198.51.100.1')),
      want: { op: 'adopt' },
    },
    {
      name: 'another address asked for: rebuild',
      svc: svc(
        'a',
        { loadBalancerIP: '198.51.100.5' },
        { finalizers: [LB_FINALIZER] },
        lb('198.51.100.1'),
      ),
      want: { op: 'ensuring', firstLook: true, requeueMs: LB_PROVISIONING_MS },
    },
    {
      name: 'type changed away',
      svc: svc('a', { type: 'ClusterIP' }, { finalizers: [LB_FINALIZER] }, lb('198.51.100.1')),
      want: { op: 'delete', existed: true },
    },
    {
      name: 'deleted',
      svc: svc(
        'a',
        {},
        { finalizers: [LB_FINALIZER], deletionTimestamp: at(0) },
        lb('198.51.100.1'),
      ),
      want: { op: 'delete', existed: true },
    },
    {
      name: 'deleted before it was built',
      svc: svc('a', {}, { finalizers: [LB_FINALIZER], deletionTimestamp: at(0) }),
      want: { op: 'delete', existed: false },
    },
  ]
  for (const c of cases) it(c.name, () => expect(lbStep(c.svc, T0)).toEqual(c.want))
  it('retries back off from 5 s, doubling, to 300 s', () => {
    expect([0, 5, 10, 20, 1000].map((s) => retryDelay(T0, T0 + s * 1000))).toEqual([
      5_000, 5_000, 10_000, 20_000, 300_000,
    ])
  })
})

describe('syncService', () => {
  it("builds a load balancer: finalizer, then after the delay the address, with upstream's events", () => {
    const f = testContext(T0, [[SERVICES, svc('web')]])
    syncService('default/web', f.ctx)
    expect(f.events).toEqual(['Normal EnsuringLoadBalancer web: Ensuring load balancer'])
    expect(f.get(SERVICES, 'default', 'web')!.metadata.finalizers).toEqual([LB_FINALIZER])
    expect(f.requeues).toEqual([['default/web', LB_PROVISIONING_MS]])
    const later = testContext(T0 + LB_PROVISIONING_MS, [
      [SERVICES, f.get(SERVICES, 'default', 'web')!],
      [SERVICES, svc('db', {}, {}, lb('198.51.100.1'))],
    ])
    syncService('default/web', later.ctx)
    const got = later.get(SERVICES, 'default', 'web')!
    expect(got.status.loadBalancer).toEqual({ ingress: [{ ip: '198.51.100.2', ipMode: 'VIP' }] })
    expect(got.metadata.annotations).toBeUndefined()
    expect(got.metadata.finalizers).toEqual([LB_FINALIZER])
    expect(later.events).toEqual(['Normal EnsuredLoadBalancer web: Ensured load balancer'])
  })
  it('an address asked for and taken: SyncLoadBalancerFailed, retried', () => {
    const f = testContext(T0 + 25_000, [
      [SERVICES, svc('web', { loadBalancerIP: '198.51.100.1' }, provisioning(0))],
      [SERVICES, svc('db', {}, {}, lb('198.51.100.1'))],
    ])
    syncService('default/web', f.ctx)
    expect(f.events).toEqual([
      'Normal EnsuringLoadBalancer web: Ensuring load balancer',
      'Warning SyncLoadBalancerFailed web: Error syncing load balancer: failed to ensure load balancer: requested ip "198.51.100.1" is already in use by another load balancer',
    ])
    expect(f.requeues).toEqual([['default/web', 5_000]])
    expect(f.get(SERVICES, 'default', 'web')!.status).toEqual({})
  })
  it('type changed away: the address released, status cleared, finalizer gone', () => {
    const f = testContext(T0, [
      [
        SERVICES,
        svc('web', { type: 'ClusterIP' }, { finalizers: [LB_FINALIZER] }, lb('198.51.100.1')),
      ],
    ])
    syncService('default/web', f.ctx)
    const got = f.get(SERVICES, 'default', 'web')!
    expect([got.status.loadBalancer, got.metadata.finalizers]).toEqual([{}, undefined])
    expect(f.events).toEqual([
      'Normal DeletingLoadBalancer web: Deleting load balancer',
      'Normal DeletedLoadBalancer web: Deleted load balancer',
    ])
  })
  it('deleted: the Service goes once the load balancer is', () => {
    const f = testContext(T0, [
      [
        SERVICES,
        svc(
          'web',
          {},
          { finalizers: [LB_FINALIZER], deletionTimestamp: at(0) },
          lb('198.51.100.1'),
        ),
      ],
    ])
    syncService('default/web', f.ctx)
    expect(f.get(SERVICES, 'default', 'web')).toBeUndefined()
    expect(f.events).toHaveLength(2)
  })
  it('a status copied from elsewhere is not adopted when another Service holds the address', () => {
    const f = testContext(T0, [
      [SERVICES, svc('web', {}, {}, lb('198.51.100.1'))],
      [SERVICES, svc('db', {}, { finalizers: [LB_FINALIZER] }, lb('198.51.100.1'))],
    ])
    syncService('default/web', f.ctx)
    expect(f.get(SERVICES, 'default', 'web')!.metadata.annotations).toEqual({
      [LB_PROVISIONING_ANNOTATION]: at(0),
    })
  })
})

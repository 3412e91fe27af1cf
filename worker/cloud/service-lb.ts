// cloud-controller-manager's service controller (k8s.io/cloud-provider
// controllers/service) with the simulated provider's load balancers. A
// Service of type LoadBalancer (and no loadBalancerClass) gets the finalizer
// service.kubernetes.io/load-balancer-cleanup and, once the provider has built
// its load balancer, status.loadBalancer.ingress [{ip, ipMode: VIP}], with
// upstream's events EnsuringLoadBalancer / EnsuredLoadBalancer. Deletion, or a
// type change away from LoadBalancer, releases the address: DeletingLoadBalancer,
// DeletedLoadBalancer, status cleared, finalizer removed. A failure (the address
// asked for in spec.loadBalancerIP is taken or outside the pool, the pool is
// exhausted) is a SyncLoadBalancerFailed warning and a retry with back-off.
//
// The addresses come from 198.51.100.0/24 (TEST-NET-2, RFC 5737): documentation
// space, never routed, so no address shown can be taken for a real host; the
// kube-proxy tests already use TEST-NET-3 for outside clients. Which ones are
// taken is read from the Services' own status, the only record there is.
import { rfc3339 } from '../apiserver/context'
import {
  type Controller,
  type ControllerContext,
  type Obj,
  SERVICES,
} from '../controllers/framework/types'

export const LB_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup'
/** When the provider started building this Service's load balancer (simulated time). */
export const LB_PROVISIONING_ANNOTATION = 'sim.wheelhouse.dev/load-balancer-provisioning-since'
/** How long the provider takes to build a load balancer. */
export const LB_PROVISIONING_MS = 20_000
export const LB_POOL_CIDR = '198.51.100.0/24'
const POOL_PREFIX = '198.51.100.'
// Upstream's per-key retry: 5 s doubling to 300 s.
const MIN_RETRY_MS = 5_000
const MAX_RETRY_MS = 300_000

/** The pool's addresses, .1 to .254 (the network and broadcast addresses are never handed out). */
export const POOL_ADDRESSES = Array.from({ length: 254 }, (_, i) => `${POOL_PREFIX}${i + 1}`)

/** wantsLoadBalancer: type LoadBalancer, and no other implementation named in loadBalancerClass. */
export const wantsLoadBalancer = (svc: Obj) =>
  svc.spec?.type === 'LoadBalancer' && !svc.spec?.loadBalancerClass
const hasFinalizer = (svc: Obj) => (svc.metadata.finalizers ?? []).includes(LB_FINALIZER)
const ingressIP = (svc: Obj): string | undefined => svc.status?.loadBalancer?.ingress?.[0]?.ip

/** The address for svc, given the addresses other Services hold; a string error when there is none. */
export function allocate(
  svc: Obj,
  taken: Set<string>,
  pool: string[] = POOL_ADDRESSES,
): { ip: string } | { error: string } {
  const want: string | undefined = svc.spec?.loadBalancerIP || undefined
  if (want) {
    if (!pool.includes(want))
      return { error: `requested ip "${want}" is not in the load balancer pool ${LB_POOL_CIDR}` }
    if (taken.has(want))
      return { error: `requested ip "${want}" is already in use by another load balancer` }
    return { ip: want }
  }
  const current = ingressIP(svc)
  if (current && pool.includes(current) && !taken.has(current)) return { ip: current }
  const ip = pool.find((a) => !taken.has(a))
  return ip ? { ip } : { error: `no free address left in the load balancer pool ${LB_POOL_CIDR}` }
}

export type LbStep =
  | { op: 'none' }
  /** Add the finalizer (and, when building starts, the provisioning mark); requeue when the build is due. */
  | { op: 'ensuring'; firstLook: boolean; requeueMs: number }
  | { op: 'wait'; requeueMs: number }
  /** The build is done: allocate and publish. */
  | { op: 'ensure' }
  /** Adopt a published address again (a replace dropped the finalizer). */
  | { op: 'adopt' }
  | { op: 'delete'; existed: boolean }

/** What a Service calls for now, as syncLoadBalancerIfNeeded decides it. */
export function lbStep(svc: Obj, now: number): LbStep {
  const cleanup = hasFinalizer(svc) && (!!svc.metadata.deletionTimestamp || !wantsLoadBalancer(svc))
  if (cleanup)
    return {
      op: 'delete',
      existed: !!ingressIP(svc) || !!svc.metadata.annotations?.[LB_PROVISIONING_ANNOTATION],
    }
  if (!wantsLoadBalancer(svc) || svc.metadata.deletionTimestamp) return { op: 'none' }
  const ip = ingressIP(svc)
  const want = svc.spec?.loadBalancerIP
  const since = Date.parse(svc.metadata.annotations?.[LB_PROVISIONING_ANNOTATION] ?? '')
  if (ip && (!want || want === ip) && Number.isNaN(since))
    return hasFinalizer(svc) ? { op: 'none' } : { op: 'adopt' }
  if (Number.isNaN(since)) return { op: 'ensuring', firstLook: true, requeueMs: LB_PROVISIONING_MS }
  if (now < since + LB_PROVISIONING_MS)
    return { op: 'wait', requeueMs: since + LB_PROVISIONING_MS - now }
  return { op: 'ensure' }
}

/** The retry delay after a failure: the time already spent, within upstream's 5 s..300 s, so it doubles. */
export const retryDelay = (since: number, now: number) =>
  Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, now - since))

function withMeta(svc: Obj, finalizer: boolean, since: string | undefined): Obj {
  const finalizers = (svc.metadata.finalizers ?? []).filter((f: string) => f !== LB_FINALIZER)
  if (finalizer) finalizers.push(LB_FINALIZER)
  const annotations = { ...(svc.metadata.annotations ?? {}) }
  if (since) annotations[LB_PROVISIONING_ANNOTATION] = since
  else delete annotations[LB_PROVISIONING_ANNOTATION]
  const metadata = { ...svc.metadata, finalizers, annotations }
  if (!finalizers.length) delete metadata.finalizers
  if (!Object.keys(annotations).length) delete metadata.annotations
  return { ...svc, metadata }
}

/** The load balancer addresses other Services hold, from their status. */
function takenAddresses(ctx: ControllerContext, svc: Obj): Set<string> {
  const taken = new Set<string>()
  for (const o of ctx.list(SERVICES))
    if (o.metadata.uid !== svc.metadata.uid)
      for (const i of o.status?.loadBalancer?.ingress ?? []) if (i.ip) taken.add(i.ip)
  return taken
}

export function syncService(key: string, ctx: ControllerContext): void {
  const [ns, name] = key.split('/') as [string, string]
  let svc = ctx.get(SERVICES, ns, name)
  if (!svc) return
  const step = lbStep(svc, ctx.now)
  switch (step.op) {
    case 'none':
      return
    case 'wait':
      return ctx.requeueAfter(key, step.requeueMs)
    case 'adopt': {
      // Kept only if it is still a pool address nobody else holds; otherwise built anew.
      const got = allocate(svc, takenAddresses(ctx, svc))
      if ('ip' in got && got.ip === ingressIP(svc))
        return void ctx.update(SERVICES, withMeta(svc, true, undefined))
      ctx.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer')
      ctx.update(SERVICES, withMeta(svc, true, rfc3339(ctx.now)))
      return ctx.requeueAfter(key, LB_PROVISIONING_MS)
    }
    case 'ensuring':
      ctx.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer')
      ctx.update(SERVICES, withMeta(svc, true, rfc3339(ctx.now)))
      return ctx.requeueAfter(key, step.requeueMs)
    case 'delete': {
      if (step.existed) ctx.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer')
      // Status first: once the finalizer goes, a Service being deleted is gone.
      if (svc.status?.loadBalancer?.ingress && !svc.metadata.deletionTimestamp)
        svc = ctx.updateStatus(SERVICES, { ...svc, status: { ...svc.status, loadBalancer: {} } })
      ctx.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer')
      ctx.update(SERVICES, withMeta(svc, false, undefined))
      return
    }
    case 'ensure': {
      const got = allocate(svc, takenAddresses(ctx, svc))
      if ('error' in got) {
        // Upstream says "Ensuring" on every attempt, then why it failed.
        ctx.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer')
        ctx.event(
          svc,
          'Warning',
          'SyncLoadBalancerFailed',
          `Error syncing load balancer: failed to ensure load balancer: ${got.error}`,
        )
        const since = Date.parse(svc.metadata.annotations[LB_PROVISIONING_ANNOTATION])
        return ctx.requeueAfter(key, retryDelay(since + LB_PROVISIONING_MS, ctx.now))
      }
      svc = ctx.updateStatus(SERVICES, {
        ...svc,
        status: { ...svc.status, loadBalancer: { ingress: [{ ip: got.ip, ipMode: 'VIP' }] } },
      })
      ctx.update(SERVICES, withMeta(svc, true, undefined))
      ctx.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer')
    }
  }
}

export const serviceLoadBalancerController: Controller = {
  name: 'service-lb',
  component: 'service-controller',
  watches: {
    [SERVICES]: (o, _old, deleted) =>
      !deleted &&
      (o.spec?.type === 'LoadBalancer' || (o.metadata.finalizers ?? []).includes(LB_FINALIZER))
        ? [`${o.metadata.namespace}/${o.metadata.name}`]
        : [],
  },
  sync: syncService,
}

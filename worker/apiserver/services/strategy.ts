// The Service strategy around allocation, in upstream's order: on create,
// clusterIP and clusterIPs made consistent, then allocation, then status
// cleared (registry/core/service/storage.go beginCreate, strategy.go
// PrepareForCreate); on update, values the client left out that the server had
// allocated are put back (patchAllocatedValues), then allocation, then the
// fields the new type no longer uses are dropped (dropTypeDependentFields).
// Validation (resources/service-validation.ts) comes after all of this.
import type { Obj } from '../objects'
import { externallyAccessible, needsHealthCheck } from '../../resources/service-validation'
import { type AllocDeps, allocateCreate, allocateUpdate, collectNodePorts, needsClusterIP, needsNodePort } from './allocate'

const sameList = (a: unknown[] | undefined, b: unknown[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? [])
const sameClusterIPs = (a: Obj, b: Obj) => sameList(a.spec?.clusterIPs, b.spec?.clusterIPs)
const sameIPFamilies = (a: Obj, b: Obj) => sameList(a.spec?.ipFamilies, b.spec?.ipFamilies)

/** normalizeClusterIPs: old clients send clusterIP alone; keep clusterIPs in step with it. */
export function normalizeClusterIPs(svc: Obj, old?: Obj): void {
  const s = svc.spec
  if (!old) {
    if (s.clusterIP && !s.clusterIPs?.length) s.clusterIPs = [s.clusterIP]
    return
  }
  const o = old.spec ?? {}
  if (o.clusterIPs?.length && !s.clusterIPs?.length && (o.clusterIP ?? '') === (s.clusterIP ?? '')) s.clusterIPs = o.clusterIPs
  if ((o.clusterIP ?? '') !== (s.clusterIP ?? '')) {
    if (o.clusterIP && !s.clusterIP) {
      if (sameClusterIPs(old, svc)) delete s.clusterIPs
    } else if (sameClusterIPs(old, svc)) s.clusterIPs = [s.clusterIP]
  }
}

/** patchAllocatedValues: resubmitting the YAML one created keeps what was allocated for it. */
export function patchAllocatedValues(svc: Obj, old: Obj): void {
  const s = svc.spec
  const o = old.spec ?? {}
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!s.clusterIP && o.clusterIP) s.clusterIP = o.clusterIP
    if (!s.clusterIPs?.length && o.clusterIPs?.length) s.clusterIPs = o.clusterIPs
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    // Node ports the new spec already names stay where they are.
    const newPorts = new Set(collectNodePorts(svc))
    const used = new Set(collectNodePorts(old).filter((p) => newPorts.has(p)))
    const byName = new Map<string, number>()
    for (const p of o.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0)
    for (const p of s.ports ?? []) {
      if (p.nodePort) continue
      const was = byName.get(p.name ?? '') ?? 0
      if (was && !used.has(was)) p.nodePort = was
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !s.healthCheckNodePort && o.healthCheckNodePort) s.healthCheckNodePort = o.healthCheckNodePort
}

/** dropTypeDependentFields: what the old type had allocated goes, unless the client changed it too. */
export function dropTypeDependentFields(svc: Obj, old: Obj): void {
  const s = svc.spec
  const o = old.spec ?? {}
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (sameClusterIPs(old, svc)) {
      delete s.clusterIP
      delete s.clusterIPs
    }
    if (sameIPFamilies(old, svc)) delete s.ipFamilies
    if ((o.ipFamilyPolicy ?? null) === (s.ipFamilyPolicy ?? null)) delete s.ipFamilyPolicy
  }
  const newPorts = collectNodePorts(svc)
  const oldPorts = new Set(collectNodePorts(old))
  if (needsNodePort(old) && !needsNodePort(svc) && newPorts.every((p) => oldPorts.has(p))) for (const p of s.ports ?? []) delete p.nodePort
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && (o.healthCheckNodePort ?? 0) === (s.healthCheckNodePort ?? 0)) delete s.healthCheckNodePort
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (typeof s.allocateLoadBalancerNodePorts === 'boolean' && s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete s.allocateLoadBalancerNodePorts
    if ((o.loadBalancerClass ?? null) === (s.loadBalancerClass ?? null)) delete s.loadBalancerClass
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && o.externalTrafficPolicy === s.externalTrafficPolicy) delete s.externalTrafficPolicy
  // A load balancer's status goes with the type (its teardown is the cloud's business).
  if (s.type !== 'LoadBalancer') svc.status = { ...svc.status, loadBalancer: {} }
}

/** Go omits zero values: drop the empty ones allocation leaves behind. */
function omitEmpty(svc: Obj): void {
  const s = svc.spec
  for (const f of ['clusterIP', 'externalTrafficPolicy', 'healthCheckNodePort'] as const) if (!s[f]) delete s[f]
  for (const f of ['clusterIPs', 'ipFamilies', 'ports', 'externalIPs', 'loadBalancerSourceRanges'] as const) if (Array.isArray(s[f]) && !s[f].length) delete s[f]
  if (s.selector && typeof s.selector === 'object' && !Object.keys(s.selector).length) delete s.selector
  for (const p of s.ports ?? []) if (p && !p.nodePort) delete p.nodePort
  // Upstream stores it for a Service turned ExternalName but hides it on every read (defaultOnRead).
  if (s.type === 'ExternalName') delete s.internalTrafficPolicy
}

/** beginCreate and PrepareForCreate: the object as it will be stored, or an ApiError. */
export function beginServiceCreate(svc: Obj, d: AllocDeps): void {
  svc.spec ??= {}
  normalizeClusterIPs(svc)
  allocateCreate(svc, d)
  svc.status = { loadBalancer: {} }
  omitEmpty(svc)
}

/** beginUpdate and PrepareForUpdate. */
export function beginServiceUpdate(svc: Obj, old: Obj, d: AllocDeps): void {
  svc.spec ??= {}
  patchAllocatedValues(svc, old)
  normalizeClusterIPs(svc, old)
  allocateUpdate(svc, old, d)
  dropTypeDependentFields(svc, old)
  omitEmpty(svc)
}

// Allocating a Service's cluster IP, node ports and health-check node port, as
// registry/core/service/storage/alloc.go does for a single-stack IPv4 cluster:
// IP family fields first (ipFamilyPolicy, ipFamilies), then the cluster IP,
// then node ports. Requested values are checked against what stored Services
// hold (InUse); the rest come from the ranges at random. Errors are upstream's
// Status: 422 Invalid naming the field, or 500 when a range is full.
import { isIPv6 } from '../../resources/ip-address'
import { goValue, invalidValue, needsHealthCheck, validateServiceClusterIPsRelatedFields } from '../../resources/service-validation'
import type { Cause } from '../../resources/validation'
import { ApiError, invalidError } from '../errors'
import type { Obj } from '../objects'
import { status } from '../status'
import { ERR_FULL, ERR_IP_ALLOCATED, ERR_PORT_ALLOCATED, NodePortRange, randomScan, type Rand, ServiceIPRange } from './ranges'

/** What stored Services hold: the allocator's bitmap, derived from the objects themselves. */
export interface InUse {
  ip(ip: string): boolean
  port(port: number): boolean
}

export interface AllocDeps {
  inUse: InUse
  /** dryRun=All: nothing is taken, and (as upstream) dynamic values are placeholders. */
  dryRun: boolean
  rand: Rand
  ips: ServiceIPRange
  ports: NodePortRange
}

const SERVICE = { kind: 'Service', group: '' }
export const serviceInvalid = (svc: Obj, causes: Cause[]) => invalidError(SERVICE, svc.metadata?.name ?? '', causes)
export const internalError = (msg: string) =>
  new ApiError(status(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] }))

export const needsClusterIP = (s: Obj) => s.spec?.type !== 'ExternalName'
export const needsNodePort = (s: Obj) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer'
const shouldAllocateNodePorts = (s: Obj) => s.spec?.type === 'NodePort' || (s.spec?.type === 'LoadBalancer' && s.spec?.allocateLoadBalancerNodePorts !== false)
const familyOf = (ip: string) => (isIPv6(ip) ? 'IPv6' : 'IPv4')
const hasSelector = (s: Obj) => Object.keys(s.spec?.selector ?? {}).length > 0
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? [])

/** initIPFamilyFields: settle ipFamilyPolicy and ipFamilies before anything is allocated. */
export function initIPFamilyFields(svc: Obj, old?: Obj): void {
  const s = svc.spec
  if (s.type === 'ExternalName') return
  if (old && s.ipFamilyPolicy === 'PreferDualStack' && old.spec?.ipFamilyPolicy === 'PreferDualStack' && old.spec?.type === s.type && same(old.spec?.clusterIPs, s.clusterIPs) && same(old.spec?.ipFamilies, s.ipFamilies))
    return
  if (!s.ipFamilyPolicy) {
    if (old?.spec?.ipFamilyPolicy) s.ipFamilyPolicy = old.spec.ipFamilyPolicy
    // Headless and selectorless: its endpoints may be of either family.
    else if (s.clusterIP === 'None' && !hasSelector(svc)) s.ipFamilyPolicy = 'RequireDualStack'
    else s.ipFamilyPolicy = 'SingleStack'
  }
  const pre = validateServiceClusterIPsRelatedFields(svc)
  if (pre.length) throw serviceInvalid(svc, pre)
  const el: Cause[] = []
  const policyErr = (why: string) => invalidValue('spec.ipFamilyPolicy', goValue(s.ipFamilyPolicy), why)
  if (old) {
    if (s.ipFamilyPolicy === 'SingleStack') {
      if (same(old.spec?.clusterIPs, s.clusterIPs) && s.clusterIPs?.length > 1) s.clusterIPs = s.clusterIPs.slice(0, 1)
      if (same(old.spec?.ipFamilies, s.ipFamilies) && s.ipFamilies?.length > 1) s.ipFamilies = s.ipFamilies.slice(0, 1)
    } else {
      if (s.clusterIPs?.length && s.clusterIPs.length < (old.spec?.clusterIPs?.length ?? 0)) el.push(policyErr("must be 'SingleStack' to release the secondary cluster IP"))
      if (s.ipFamilies?.length && s.ipFamilies.length < (old.spec?.ipFamilies?.length ?? 0)) el.push(policyErr("must be 'SingleStack' to release the secondary IP family"))
    }
  }
  if (s.ipFamilyPolicy === 'SingleStack') {
    if (s.clusterIPs?.length === 2) el.push(policyErr("must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"))
    if (s.ipFamilies?.length === 2) el.push(policyErr("must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"))
  }
  const ips: string[] = s.clusterIPs ?? []
  for (let i = 0; i < ips.length && ips[i] !== 'None'; i++) {
    if (i < (s.ipFamilies?.length ?? 0)) continue
    const fam = familyOf(ips[i]!)
    if (fam !== 'IPv4') el.push(invalidValue(`spec.clusterIPs[${i}]`, goValue(ips), `${fam} is not configured on this cluster`))
    else (s.ipFamilies ??= []).push(fam)
  }
  if (el.length) throw serviceInvalid(svc, el)
  if (s.clusterIP === 'None' && !hasSelector(svc)) {
    if (!s.ipFamilies?.length) s.ipFamilies = ['IPv4']
    if (s.ipFamilies.length < 2 && s.ipFamilyPolicy !== 'SingleStack') s.ipFamilies.push(s.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4')
    return
  }
  if (s.ipFamilyPolicy === 'RequireDualStack') el.push(policyErr('this cluster is not configured for dual-stack services'))
  ;(s.ipFamilies ?? []).forEach((fam: string, i: number) => {
    if (fam !== 'IPv4') el.push(invalidValue(`spec.ipFamilies[${i}]`, goValue(fam), 'not configured on this cluster'))
  })
  if (el.length) throw serviceInvalid(svc, el)
  if (!s.ipFamilies?.length) s.ipFamilies = ['IPv4']
}

/** allocClusterIPs: the requested address if free and in range, else a random one. */
export function allocClusterIPs(svc: Obj, d: AllocDeps): void {
  const s = svc.spec
  if (!needsClusterIP(svc) || s.clusterIPs?.[0] === 'None') return
  const ips: string[] = (s.clusterIPs ??= [])
  ;(s.ipFamilies as string[]).forEach((_, i) => {
    if (i >= ips.length) ips.push('')
  })
  // Only IPv4 is configured, and initIPFamilyFields refused anything else.
  const ip = ips[0] ?? ''
  let got: string
  if (ip === '') {
    if (d.dryRun) got = d.ips.ipAt(-1) // upstream's dry run answers with the network address
    else {
      const off = randomScan(d.ips.max, d.ips.offset, (o) => d.inUse.ip(d.ips.ipAt(o)), d.rand)
      if (off === undefined) throw internalError(`failed to allocate a serviceIP: ${ERR_FULL}`)
      got = d.ips.ipAt(off)
    }
  } else {
    const fail = (why: string) => serviceInvalid(svc, [invalidValue('spec.clusterIPs', goValue(ips), `failed to allocate IP ${ip}: ${why}`)])
    if (d.ips.offsetOf(ip) === undefined) throw fail(d.ips.notInRange(ip))
    if (!d.dryRun && d.inUse.ip(ip)) throw fail(ERR_IP_ALLOCATED)
    got = ip
  }
  ips[0] = got
  s.clusterIP = got
}

/** One request's node-port allocations (upstream's PortAllocationOperation). */
export class NodePortOperation {
  readonly allocated: number[] = []
  constructor(readonly d: AllocDeps) {}

  /** The error text, or undefined when the port is now held by this request. */
  allocate(port: number): string | undefined {
    const { d } = this
    // Upstream's dry run only asks whether the port is taken, not whether it is in range.
    if (!d.dryRun && !d.ports.contains(port)) return d.ports.notInRange()
    if ((d.ports.contains(port) && d.inUse.port(port)) || this.allocated.includes(port)) return ERR_PORT_ALLOCATED
    this.allocated.push(port)
    return undefined
  }

  allocateNext(): number | undefined {
    const { d } = this
    if (d.dryRun) {
      // Upstream's dry run makes up a placeholder past the range: 32769, then one more each.
      const next = (this.allocated.length ? Math.max(...this.allocated) : 32768) + 1
      this.allocated.push(next)
      return next
    }
    const off = randomScan(d.ports.size, d.ports.offset, (o) => d.inUse.port(d.ports.base + o) || this.allocated.includes(d.ports.base + o), d.rand)
    if (off === undefined) return undefined
    this.allocated.push(d.ports.base + off)
    return d.ports.base + off
  }
}

const nodePortInvalid = (svc: Obj, i: number, port: number, why: string) =>
  serviceInvalid(svc, [invalidValue(`spec.ports[${i}].nodePort`, goValue(port), why)])

function nextNodePort(op: NodePortOperation): number {
  const np = op.allocateNext()
  if (np === undefined) throw internalError(`failed to allocate a nodePort: ${ERR_FULL}`)
  return np
}

/** initNodePorts: ports sharing a port number (53/UDP and 53/TCP) share one node port. */
export function initNodePorts(svc: Obj, op: NodePortOperation): void {
  const ports: Obj[] = svc.spec.ports ?? []
  const byPort = new Map<number, number>()
  ports.forEach((sp, i) => {
    if (!sp.nodePort && !shouldAllocateNodePorts(svc)) return
    const have = byPort.get(sp.port)
    if (!have) {
      const requested = ports.find((p) => p.port === sp.port && p.nodePort)?.nodePort
      if (requested) {
        const err = op.allocate(requested)
        if (err) throw nodePortInvalid(svc, i, requested, err)
        sp.nodePort = requested
      } else sp.nodePort = nextNodePort(op)
      byPort.set(sp.port, sp.nodePort)
    } else if (sp.nodePort !== have) {
      if (!sp.nodePort) sp.nodePort = have
      else {
        const err = op.allocate(sp.nodePort)
        if (err) throw nodePortInvalid(svc, i, sp.nodePort, err)
      }
    }
  })
}

/** updateNodePorts: keep the old ones, take the new ones asked for, allocate the missing. */
export function updateNodePorts(svc: Obj, old: Obj, op: NodePortOperation): void {
  const oldPorts = collectNodePorts(old)
  const seen: string[] = []
  const taken = new Set<number>()
  ;(svc.spec.ports ?? []).forEach((sp: Obj, i: number) => {
    if (!sp.nodePort && !shouldAllocateNodePorts(svc)) return
    if (sp.nodePort) {
      if (!oldPorts.includes(sp.nodePort) && !taken.has(sp.nodePort)) {
        const err = op.allocate(sp.nodePort)
        if (err) throw nodePortInvalid(svc, i, sp.nodePort, err)
        taken.add(sp.nodePort)
      }
    } else sp.nodePort = nextNodePort(op)
    const key = `${sp.protocol}/${sp.nodePort}`
    // A plain error upstream, so a 500 rather than a field error.
    if (seen.includes(key)) throw internalError(`duplicate nodePort: {${sp.protocol} ${sp.nodePort}}`)
    seen.push(key)
  })
}

export function collectNodePorts(svc: Obj): number[] {
  return (svc.spec?.ports ?? []).map((p: Obj) => p?.nodePort).filter((n: unknown): n is number => typeof n === 'number' && n !== 0)
}

/** allocHealthCheckNodePort: the requested one or any; failures are 500s upstream. */
export function allocHealthCheckNodePort(svc: Obj, op: NodePortOperation): void {
  const hc = svc.spec.healthCheckNodePort ?? 0
  if (hc) {
    const err = op.allocate(hc)
    if (err) throw internalError(`failed to allocate requested HealthCheck NodePort ${hc}: ${err}`)
    return
  }
  const np = op.allocateNext()
  if (np === undefined) throw internalError(`failed to allocate a HealthCheck NodePort 0: ${ERR_FULL}`)
  svc.spec.healthCheckNodePort = np
}

/** allocateCreate: family fields, cluster IP, node ports, health-check node port. */
export function allocateCreate(svc: Obj, d: AllocDeps): void {
  initIPFamilyFields(svc)
  allocClusterIPs(svc, d)
  const op = new NodePortOperation(d)
  if (needsNodePort(svc)) initNodePorts(svc, op)
  if (needsHealthCheck(svc)) allocHealthCheckNodePort(svc, op)
}

/**
 * allocateUpdate: an ExternalName Service turning into another type gets its
 * cluster IP; node ports follow the type. Nothing is released here: what is in
 * use is read from the stored Services, so a write that drops a value frees it.
 */
export function allocateUpdate(svc: Obj, old: Obj, d: AllocDeps): void {
  initIPFamilyFields(svc, old)
  if (old.spec?.type === 'ExternalName' && svc.spec.type !== 'ExternalName') allocClusterIPs(svc, d)
  const op = new NodePortOperation(d)
  if (needsNodePort(svc)) updateNodePorts(svc, old, op)
  if (!needsHealthCheck(old) && needsHealthCheck(svc)) allocHealthCheckNodePort(svc, op)
}

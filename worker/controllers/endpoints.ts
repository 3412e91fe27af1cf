// The endpoints controller: for each Service with a selector, an Endpoints
// object of the same name listing the selected pods' IPs, ready or not, with
// the Service's ports resolved per pod (a named targetPort the pod lacks
// leaves it out of that port's subset), repacked as upstream's RepackSubsets.
// Also the pod → Service mapping the EndpointSlice controller shares.
import { rfc3339 } from '../apiserver/context'
import { isPodReady, timeOf } from './controller-utils'
import {
  type Controller,
  type ControllerContext,
  type Obj,
  ENDPOINTS,
  PODS,
  SERVICES,
  keyOf,
  splitKey,
} from './framework/types'
import { selectorMatches } from './label-selector'

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time'
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity'
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'
/** Upstream truncates an Endpoints object past 1000 addresses. */
export const MAX_ENDPOINTS_CAPACITY = 1000

type Rec = Record<string, any>

/** A Service's selector (a plain map); undefined when it has none, and the controllers leave it alone. */
export const serviceSelector = (svc: Obj): Record<string, string> | undefined =>
  svc.spec?.selector && Object.keys(svc.spec.selector).length ? svc.spec.selector : undefined

export const serviceSelectsPod = (svc: Obj, pod: Obj): boolean => {
  const sel = serviceSelector(svc)
  return (
    !!sel &&
    pod.metadata.namespace === svc.metadata.namespace &&
    selectorMatches({ matchLabels: sel }, pod.metadata.labels)
  )
}

export const isHeadless = (svc: Obj) => svc.spec?.clusterIP === 'None'

/**
 * Pod writes enqueue `<ns>/*`: every Service in the pod's namespace, since
 * keys are named without reading Services (and the write's old labels are not
 * at hand); the sync picks the Services whose selector matches.
 */
export const podServiceKeys = (pod: Obj): string[] => [`${pod.metadata.namespace}/*`]

/** The Services a key names: one (`ns/name`) or every one with a selector in a namespace (`ns/*`). */
export function servicesForKey(
  key: string,
  ctx: ControllerContext,
): { namespace: string; names: string[] } {
  const { namespace = '', name } = splitKey(key)
  if (name !== '*') return { namespace, names: [name] }
  return {
    namespace,
    names: ctx
      .list(SERVICES, { namespace })
      .filter((s) => serviceSelector(s))
      .map((s) => s.metadata.name),
  }
}

/** podutil.FindPort: a number (or no targetPort) is itself; a name is a container port of that name and protocol. */
export function findPort(pod: Obj, svcPort: Rec): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port
  if (typeof target === 'number') return target
  if (/^\d+$/.test(target)) return Number(target)
  const protocol = svcPort.protocol ?? 'TCP'
  const sidecars = (pod.spec?.initContainers ?? []).filter((c: Rec) => c.restartPolicy === 'Always')
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars])
    for (const p of c.ports ?? [])
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort
  return undefined
}

/** ShouldPodBeInEndpoints: an IP, not terminating (unless included), not finished for good. */
export function shouldPodBeInEndpoints(pod: Obj, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false
  const phase = pod.status?.phase
  switch (pod.spec?.restartPolicy) {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded'
    case 'OnFailure':
      return phase !== 'Succeeded'
    default:
      return true
  }
}

/** A pod's hostname is published only for the Service named by its subdomain. */
export const shouldSetHostname = (pod: Obj, svc: Obj): boolean =>
  !!pod.spec?.hostname &&
  pod.spec.subdomain === svc.metadata.name &&
  pod.metadata.namespace === svc.metadata.namespace

/** The pod's IPv4 address (we only do IPv4 services). */
export const podIPv4 = (pod: Obj): string | undefined =>
  [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p: Rec) => p.ip)].find(
    (ip): ip is string => typeof ip === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(ip),
  )

/** The Service's ports resolved for one pod (EndpointPort / discovery EndpointPort shape). */
export function podEndpointPorts(pod: Obj, svc: Obj): Rec[] {
  const out: Rec[] = []
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp)
    if (port === undefined) continue
    const p: Rec = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' }
    if (sp.appProtocol) p.appProtocol = sp.appProtocol
    out.push(p)
  }
  return out
}

/** When the newest of the inputs changed: upstream's trigger time, from the Service's creation and pods' Ready transitions. */
export function lastChangeTriggerTime(svc: Obj, pods: Obj[]): number {
  let t = timeOf(svc.metadata.creationTimestamp)
  for (const p of pods) {
    const ready = (p.status?.conditions ?? []).find((c: Rec) => c.type === 'Ready')
    t = Math.max(t, timeOf(ready?.lastTransitionTime) || timeOf(p.metadata.creationTimestamp))
  }
  return t
}

const portKey = (p: Rec) => `${p.name}/${p.port}/${p.protocol}`
const ipNum = (ip: string) => ip.split('.').reduce((n, x) => n * 256 + Number(x), 0)
const byIP = (a: Rec, b: Rec) =>
  ipNum(a.ip) - ipNum(b.ip) || String(a.targetRef?.uid).localeCompare(String(b.targetRef?.uid))

/**
 * The Endpoints subsets for a Service and the pods it selects: each address
 * with the ports it serves, addresses grouped by identical port sets
 * (RepackSubsets), sorted. Headless Services without ports list addresses bare.
 */
export function computeEndpointSubsets(svc: Obj, pods: Obj[]): Rec[] {
  const tolerateUnready = !!svc.spec?.publishNotReadyAddresses
  const noPorts = !(svc.spec?.ports ?? []).length
  if (noPorts && !isHeadless(svc)) return []
  const groups = new Map<string, { ports: Rec[]; addresses: Rec[]; notReadyAddresses: Rec[] }>()
  for (const pod of pods) {
    if (!serviceSelectsPod(svc, pod) || !shouldPodBeInEndpoints(pod, tolerateUnready)) continue
    const ip = podIPv4(pod)
    if (!ip) continue
    const addr: Rec = { ip }
    if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec.hostname
    if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName
    addr.targetRef = {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
    }
    const ports = podEndpointPorts(pod, svc).sort((a, b) => portKey(a).localeCompare(portKey(b)))
    if (!noPorts && !ports.length) continue
    const k = ports.map(portKey).join(',')
    let g = groups.get(k)
    if (!g) groups.set(k, (g = { ports, addresses: [], notReadyAddresses: [] }))
    if (tolerateUnready || isPodReady(pod)) g.addresses.push(addr)
    else g.notReadyAddresses.push(addr)
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const s: Rec = {}
      if (g.addresses.length) s.addresses = g.addresses.sort(byIP)
      if (g.notReadyAddresses.length) s.notReadyAddresses = g.notReadyAddresses.sort(byIP)
      if (g.ports.length) s.ports = g.ports
      return s
    })
}

/** Past MAX_ENDPOINTS_CAPACITY addresses, keeps the first ones (ready before not ready); upstream spreads the cut over subsets. */
export function truncateSubsets(subsets: Rec[]): { subsets: Rec[]; truncated: boolean } {
  let budget = MAX_ENDPOINTS_CAPACITY
  const total = subsets.reduce(
    (n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0),
    0,
  )
  if (total <= budget) return { subsets, truncated: false }
  const take = (xs: Rec[] | undefined) => {
    const out = (xs ?? []).slice(0, budget)
    budget -= out.length
    return out
  }
  const ready = subsets.map((s) => take(s.addresses))
  const out: Rec[] = []
  subsets.forEach((s, i) => {
    const r: Rec = { ...s, addresses: ready[i], notReadyAddresses: take(s.notReadyAddresses) }
    if (!r.addresses.length) delete r.addresses
    if (!r.notReadyAddresses.length) delete r.notReadyAddresses
    if (r.addresses || r.notReadyAddresses) out.push(r)
  })
  return { subsets: out, truncated: true }
}

/** The Endpoints' labels: the Service's, plus the headless marker. */
export function endpointsLabels(svc: Obj): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata.labels }
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = ''
  else delete labels[HEADLESS_LABEL]
  return labels
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

function syncService(namespace: string, name: string, ctx: ControllerContext, pods?: Obj[]): void {
  const svc = ctx.get(SERVICES, namespace, name)
  const current = ctx.get(ENDPOINTS, namespace, name)
  if (!svc) {
    if (current) ctx.delete(ENDPOINTS, namespace, name, { uid: current.metadata.uid })
    return
  }
  const selector = serviceSelector(svc)
  if (!selector) return
  const selected = (
    pods ?? ctx.list(PODS, { namespace, labelSelector: { matchLabels: selector } })
  ).filter((p) => serviceSelectsPod(svc, p))
  const { subsets, truncated } = truncateSubsets(computeEndpointSubsets(svc, selected))
  const labels = endpointsLabels(svc)
  const annotations: Record<string, string> = { ...current?.metadata.annotations }
  if (truncated) annotations[OVER_CAPACITY] = 'truncated'
  else delete annotations[OVER_CAPACITY]
  if (
    current &&
    same(current.subsets ?? [], subsets) &&
    same(current.metadata.labels ?? {}, labels) &&
    same(current.metadata.annotations?.[OVER_CAPACITY], annotations[OVER_CAPACITY])
  )
    return
  annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339(lastChangeTriggerTime(svc, selected))
  const metadata = { ...current?.metadata, name, namespace, labels, annotations }
  const next: Obj = { ...current, metadata, subsets: subsets.length ? subsets : undefined }
  if (!subsets.length) delete next.subsets
  if (current) ctx.update(ENDPOINTS, next)
  else ctx.create(ENDPOINTS, { apiVersion: 'v1', kind: 'Endpoints', ...next })
}

/** Keys: `ns/name` of a Service, or `ns/*` for every Service in the namespace. */
export function syncEndpoints(key: string, ctx: ControllerContext): void {
  const { namespace, names } = servicesForKey(key, ctx)
  // One list of the namespace's pods serves every Service of a `ns/*` key.
  const pods = names.length > 1 ? ctx.list(PODS, { namespace }) : undefined
  for (const name of names) syncService(namespace, name, ctx, pods)
}

export const endpointsController: Controller = {
  name: 'endpoints',
  component: 'endpoint-controller',
  watches: {
    [SERVICES]: (o) => [keyOf(o)],
    [PODS]: (o) => podServiceKeys(o),
  },
  sync: syncEndpoints,
}

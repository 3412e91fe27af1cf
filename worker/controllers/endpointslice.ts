// The EndpointSlice controller: for each Service with a selector, IPv4
// EndpointSlices named <service>-<5 random> holding at most 100 endpoints
// each, one set of slices per distinct port list (named targetPorts resolve
// per pod), with ready/serving/terminating conditions, node and zone. As
// upstream's reconciler, endpoints stay in the slice that has them, new ones
// fill slices with room before a slice is created, and a Service with no
// endpoints keeps one empty placeholder slice. Slices are owned by their
// Service, so the garbage collector removes them with it.
import { isPodReady } from './controller-utils'
import {
  endpointsLabels,
  lastChangeTriggerTime,
  podEndpointPorts,
  podIPv4,
  serviceSelectsPod,
  servicesForKey,
  serviceSelector,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  LAST_CHANGE_TRIGGER_TIME,
  podServiceKeys,
} from './endpoints'
import { rfc3339 } from '../apiserver/context'
import {
  type Controller,
  type ControllerContext,
  type Obj,
  ENDPOINTSLICES,
  NODES,
  PODS,
  SERVICES,
  keyOf,
} from './framework/types'

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
export const MANAGED_BY = 'endpointslice-controller.k8s.io'
export const ZONE_LABEL = 'topology.kubernetes.io/zone'
/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100

type Rec = Record<string, any>

/** The discovery Endpoint for a pod (podToEndpoint); `zone` from its node's label. */
export function podToEndpoint(pod: Obj, svc: Obj, zone: string | undefined): Rec {
  const serving = isPodReady(pod)
  const terminating = !!pod.metadata.deletionTimestamp
  // Never ready while terminating, unless the Service publishes not-ready addresses.
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating)
  const ep: Rec = { addresses: [podIPv4(pod)], conditions: { ready, serving, terminating } }
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname
  ep.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  }
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName
  if (zone) ep.zone = zone
  return ep
}

export interface EndpointGroup {
  ports: Rec[]
  endpoints: Rec[]
}

export const portsKey = (ports: Rec[]): string =>
  ports
    .map((p) => `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}`)
    .sort()
    .join(',')

/** The Service's endpoints grouped by the port list each pod serves (pods with no IPv4 address skipped). */
export function desiredEndpointGroups(
  svc: Obj,
  pods: Obj[],
  zoneOf: (node: string) => string | undefined,
): Map<string, EndpointGroup> {
  const groups = new Map<string, EndpointGroup>()
  const hasPorts = (svc.spec?.ports ?? []).length > 0
  for (const pod of pods) {
    if (!serviceSelectsPod(svc, pod) || !shouldPodBeInEndpoints(pod, true) || !podIPv4(pod))
      continue
    const ports = podEndpointPorts(pod, svc)
    if (hasPorts && !ports.length) continue
    const k = portsKey(ports)
    let g = groups.get(k)
    if (!g) groups.set(k, (g = { ports, endpoints: [] }))
    g.endpoints.push(
      podToEndpoint(pod, svc, pod.spec?.nodeName ? zoneOf(pod.spec.nodeName) : undefined),
    )
  }
  return groups
}

/** The slices' labels (setEndpointSliceLabels): the Service's, the headless marker, and the two reserved ones. */
export function sliceLabels(svc: Obj): Record<string, string> {
  return {
    ...endpointsLabels(svc),
    [SERVICE_NAME_LABEL]: svc.metadata.name,
    [MANAGED_BY_LABEL]: MANAGED_BY,
  }
}

export interface SlicePlan {
  create: Obj[]
  update: Obj[]
  delete: Obj[]
}

const epID = (ep: Rec) => ep.targetRef?.uid ?? ep.addresses?.[0]
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * What to write so the existing slices hold the desired endpoints: each
 * endpoint stays in the slice that has it (updated in place), the rest fill
 * slices with room, then new slices; emptied slices go. With no endpoints at
 * all one slice stays (or is made) as an empty placeholder.
 */
export function planSlices(
  svc: Obj,
  existing: Obj[],
  groups: Map<string, EndpointGroup>,
  max = MAX_ENDPOINTS_PER_SLICE,
): SlicePlan {
  const labels = sliceLabels(svc)
  const plan: SlicePlan = { create: [], update: [], delete: [] }
  const newSlice = (ports: Rec[], endpoints: Rec[]): Obj => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: svc.metadata.name,
          uid: svc.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  })
  const sorted = [...existing].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
  if (!groups.size) {
    const [keep, ...rest] = sorted
    plan.delete.push(...rest)
    if (!keep) plan.create.push(newSlice([], []))
    else if (
      (keep.endpoints ?? []).length ||
      (keep.ports ?? []).length ||
      !same(keep.metadata.labels, labels)
    )
      plan.update.push({
        ...keep,
        metadata: { ...keep.metadata, labels },
        endpoints: [],
        ports: [],
      })
    return plan
  }
  const byKey = new Map<string, Obj[]>()
  for (const s of sorted) {
    const k = portsKey(s.ports ?? [])
    if (!groups.has(k)) plan.delete.push(s)
    else byKey.set(k, [...(byKey.get(k) ?? []), s])
  }
  for (const [k, g] of groups) {
    const want = new Map(g.endpoints.map((ep) => [epID(ep), ep]))
    const slices = (byKey.get(k) ?? []).map((s) => {
      const kept: Rec[] = (s.endpoints ?? [])
        .filter((ep: Rec) => want.has(epID(ep)))
        .map((ep: Rec) => want.get(epID(ep))!)
      for (const ep of kept) want.delete(epID(ep))
      return { slice: s, endpoints: kept }
    })
    const rest = [...want.values()]
    for (const s of slices)
      while (s.endpoints.length < max && rest.length) s.endpoints.push(rest.shift()!)
    for (const s of slices) {
      if (!s.endpoints.length) plan.delete.push(s.slice)
      else if (
        !same(s.slice.endpoints, s.endpoints) ||
        !same(s.slice.metadata.labels, labels) ||
        !same(s.slice.ports, g.ports)
      )
        plan.update.push({
          ...s.slice,
          metadata: { ...s.slice.metadata, labels },
          endpoints: s.endpoints,
          ports: g.ports,
        })
    }
    for (let i = 0; i < rest.length; i += max)
      plan.create.push(newSlice(g.ports, rest.slice(i, i + max)))
  }
  return plan
}

function syncService(namespace: string, name: string, ctx: ControllerContext, pods?: Obj[]): void {
  const svc = ctx.get(SERVICES, namespace, name)
  // A deleted Service's slices go with it through their ownerReference (the garbage collector).
  if (!svc) return
  const selector = serviceSelector(svc)
  if (!selector) return
  const selected = (
    pods ?? ctx.list(PODS, { namespace, labelSelector: { matchLabels: selector } })
  ).filter((p) => serviceSelectsPod(svc, p))
  const zones = new Map<string, string | undefined>()
  const zoneOf = (node: string) => {
    if (!zones.has(node))
      zones.set(node, ctx.get(NODES, undefined, node)?.metadata.labels?.[ZONE_LABEL])
    return zones.get(node)
  }
  const existing = ctx
    .list(ENDPOINTSLICES, {
      namespace,
      labelSelector: {
        matchLabels: { [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY },
      },
    })
    .filter((s) => !s.metadata.deletionTimestamp)
  const plan = planSlices(svc, existing, desiredEndpointGroups(svc, selected, zoneOf))
  const trigger = rfc3339(lastChangeTriggerTime(svc, selected))
  const stamp = (s: Obj): Obj => ({
    ...s,
    metadata: {
      ...s.metadata,
      annotations: { ...s.metadata.annotations, [LAST_CHANGE_TRIGGER_TIME]: trigger },
    },
  })
  for (const s of plan.delete)
    ctx.delete(ENDPOINTSLICES, namespace, s.metadata.name, { uid: s.metadata.uid })
  for (const s of plan.update) ctx.update(ENDPOINTSLICES, stamp(s))
  for (const s of plan.create) ctx.create(ENDPOINTSLICES, stamp(s))
}

/** Keys: `ns/name` of a Service, or `ns/*` for every Service in the namespace. */
export function syncEndpointSlices(key: string, ctx: ControllerContext): void {
  const { namespace, names } = servicesForKey(key, ctx)
  const pods = names.length > 1 ? ctx.list(PODS, { namespace }) : undefined
  for (const name of names) syncService(namespace, name, ctx, pods)
}

export const endpointSliceController: Controller = {
  name: 'endpointslice',
  component: 'endpointslice-controller',
  watches: {
    [SERVICES]: (o) => [keyOf(o)],
    [PODS]: (o) => podServiceKeys(o),
    // A slice changed or deleted by someone else is put right (upstream's onEndpointSliceUpdate).
    [ENDPOINTSLICES]: (o) =>
      o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY &&
      o.metadata.labels?.[SERVICE_NAME_LABEL]
        ? [`${o.metadata.namespace}/${o.metadata.labels[SERVICE_NAME_LABEL]}`]
        : [],
  },
  sync: syncEndpointSlices,
}

// The network's view of the cluster, read from the store on demand: what the
// cluster DNS and the traffic path ask (Services by name or address,
// EndpointSlices, pods by IP, Nodes). Lookups by address scan one kind with a
// field or value filter; a traffic run asks each address once.
import type { Objects } from '../apiserver/objects'
import { parseLabelSelector } from '../apiserver/selectors'
import { findKind } from '../resources/registry'
import type { NetworkView } from './traffic'

type Obj = Record<string, any>

const SERVICES = findKind('', 'v1', 'services')!
const PODS = findKind('', 'v1', 'pods')!
const NODES = findKind('', 'v1', 'nodes')!
const NAMESPACES = findKind('', 'v1', 'namespaces')!
const SLICES = findKind('discovery.k8s.io', 'v1', 'endpointslices')!

export function networkView(objects: Objects): NetworkView {
  let services: Obj[] | undefined
  const allServices = () => (services ??= objects.list(SERVICES).items)
  const pods = new Map<string, Obj | undefined>()
  let nodes: Obj[] | undefined
  return {
    service: (namespace, name) => objects.get(SERVICES, namespace, name),
    endpointSlices: (namespace, service) =>
      objects.list(SLICES, { namespace, labels: parseLabelSelector(`kubernetes.io/service-name=${service}`) }).items,
    namespaceExists: (namespace) => objects.get(NAMESPACES, undefined, namespace) !== undefined,
    serviceByIP: (ip) =>
      allServices().find((s) => s.spec?.clusterIP !== 'None' && (s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip))),
    serviceByIngressIP: (ip) =>
      allServices().find(
        (s) => s.spec?.type === 'LoadBalancer' && (s.status?.loadBalancer?.ingress ?? []).some((i: Obj) => i.ip === ip),
      ),
    pod: (namespace, name) => objects.get(PODS, namespace, name),
    nodes: () => (nodes ??= objects.list(NODES).items),
    podByIP: (ip) => {
      if (!pods.has(ip)) {
        const found = objects.list(PODS, { fields: [{ field: 'status.podIP', op: '=', value: ip }] }).items
        // A finished pod may keep its IP in status; the running one is the owner.
        pods.set(ip, found.find((p) => p.status?.phase === 'Running') ?? found[0])
      }
      return pods.get(ip)
    },
  }
}

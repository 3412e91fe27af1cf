// Which endpoints a service port uses on this node (upstream's
// CategorizeEndpoints, pkg/proxy/topology.go): Ready endpoints, narrowed to
// this zone when every ready endpoint carries zone hints and one names it;
// with no Ready endpoint anywhere, the serving-terminating ones (separately
// for Cluster and Local policy), so connections drain during a rollout.
import type { Endpoint } from './endpoints'
import { type ServicePort, usesClusterEndpoints, usesLocalEndpoints } from './service-port'

export interface Categorized {
  /** Endpoints for Cluster traffic policy; empty if the port never uses it. */
  cluster: Endpoint[]
  /** This node's endpoints for Local traffic policy; empty if the port never uses it. */
  local: Endpoint[]
  /** Every endpoint this node may DNAT to: each gets a KUBE-SEP chain. */
  reachable: Endpoint[]
  /** Whether the service has usable endpoints anywhere in the cluster. */
  hasAny: boolean
}

function sameZoneOnly(endpoints: Endpoint[], zone: string): boolean {
  let all = true
  let forZone = false
  for (const ep of endpoints) {
    if (!ep.ready) continue
    if (!ep.zoneHints.length) all = false
    else if (ep.zoneHints.includes(zone)) forZone = true
  }
  return all && forZone
}

const servingTerminating = (ep: Endpoint) => ep.serving && ep.terminating

export function categorizeEndpoints(
  endpoints: Endpoint[],
  sp: ServicePort,
  zone: string,
): Categorized {
  let cluster: Endpoint[] = []
  let local: Endpoint[] = []
  let hasAny = false
  const useCluster = usesClusterEndpoints(sp)
  const topology = useCluster && sameZoneOnly(endpoints, zone)
  if (useCluster) {
    cluster = endpoints.filter((ep) => ep.ready && (!topology || ep.zoneHints.includes(zone)))
    // No ready endpoint anywhere (topology already fell back if none in this zone): the draining ones.
    if (!cluster.length) cluster = endpoints.filter(servingTerminating)
    hasAny = cluster.length > 0
  }
  if (!usesLocalEndpoints(sp)) return { cluster, local, reachable: cluster, hasAny }

  let localReady = false
  let localServingTerminating = false
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAny = true
      if (ep.isLocal) localReady = true
    } else if (servingTerminating(ep)) {
      hasAny = true
      if (ep.isLocal) localServingTerminating = true
    }
  }
  let terminatingLocal = false
  if (localReady) local = endpoints.filter((ep) => ep.isLocal && ep.ready)
  else if (localServingTerminating) {
    terminatingLocal = true
    local = endpoints.filter((ep) => ep.isLocal && servingTerminating(ep))
  }
  if (!useCluster) return { cluster, local, reachable: local, hasAny }
  // Cluster endpoints are then a superset of the local ones, unless topology or draining narrowed them.
  if (!topology && !terminatingLocal) return { cluster, local, reachable: cluster, hasAny }
  const merged = new Map<string, Endpoint>()
  for (const ep of [...cluster, ...local]) merged.set(ep.endpoint, ep)
  const reachable = [...merged.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1))
  return { cluster, local, reachable, hasAny }
}

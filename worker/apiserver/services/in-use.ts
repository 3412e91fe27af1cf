// Which cluster IPs and node ports are taken, read from the stored Services
// at the moment of the write. Upstream keeps a bitmap (RangeAllocation) beside
// the Services and a repair loop to mend the two when they drift; we keep no
// second copy. The cluster object handles one request at a time and nothing
// awaits between this read and the store write, so two creates can never be
// handed the same IP, and a Service removed by any path (DELETE, namespace
// deletion, garbage collection, the etcd gateway) frees its values at once
// without a release step that could be missed. The cost is one scan of the
// Services, in pages, and only when a write asks for or needs a new value; the
// scan keeps two sets of numbers, never the objects.
import { parseIPv4 } from '../../resources/ip-address'
import { findKind } from '../../resources/registry'
import type { Objects } from '../objects'
import type { AllocDeps, InUse } from './allocate'
import { cryptoRand, NodePortRange, ServiceIPRange } from './ranges'

const SERVICES = findKind('', 'v1', 'services')!
const PAGE = 500

export function storedAllocations(objects: Objects): InUse {
  let held: { ips: Set<number>; ports: Set<number> } | undefined
  const load = () => {
    if (held) return held
    const ips = new Set<number>()
    const ports = new Set<number>()
    let token: string | undefined
    do {
      const page = objects.list(SERVICES, { limit: PAGE, continue: token })
      for (const svc of page.items) {
        const s = svc.spec ?? {}
        if (s.type !== 'ExternalName')
          for (const ip of s.clusterIPs ?? (s.clusterIP ? [s.clusterIP] : [])) {
            const n = parseIPv4(ip)
            if (n !== undefined) ips.add(n)
          }
        for (const p of s.ports ?? []) if (p?.nodePort) ports.add(p.nodePort)
        if (s.healthCheckNodePort) ports.add(s.healthCheckNodePort)
      }
      token = page.continue
    } while (token)
    held = { ips, ports }
    return held
  }
  return {
    ip(ip) {
      const n = parseIPv4(ip)
      return n !== undefined && load().ips.has(n)
    },
    port: (port) => load().ports.has(port),
  }
}

/** The allocator's inputs for one write: the cluster's ranges, what its Services hold, and chance. */
export function allocDeps(objects: Objects, dryRun = false): AllocDeps {
  return { inUse: storedAllocations(objects), dryRun, rand: cryptoRand, ips: CLUSTER_IPS, ports: NODE_PORTS }
}
const CLUSTER_IPS = new ServiceIPRange()
const NODE_PORTS = new NodePortRange()

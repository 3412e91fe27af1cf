// The node IPAM controller: each Node gets a /24 of the cluster CIDR
// 10.244.0.0/16 as its spec.podCIDR, the first one no other node holds.
import type { Obj, Objects } from '../apiserver/objects'
import { findKind } from '../resources/registry'

const NODES = findKind('', 'v1', 'nodes')!

export function nextPodCIDR(taken: Iterable<string>): string | undefined {
  const used = new Set(taken)
  for (let i = 1; i < 256; i++) if (!used.has(`10.244.${i}.0/24`)) return `10.244.${i}.0/24`
  return undefined
}

/** Gives the node a pod CIDR if it has none; returns the node as stored. */
export function ensurePodCIDR(objects: Objects, node: Obj): Obj {
  if (node.spec?.podCIDR) return node
  const taken = objects
    .list(NODES)
    .items.map((n) => n.spec?.podCIDR)
    .filter(Boolean)
  const cidr = nextPodCIDR(taken)
  if (!cidr) return node
  const next = { ...node, spec: { ...node.spec, podCIDR: cidr, podCIDRs: [cidr] } }
  return objects.update(NODES, next, node.metadata.resourceVersion)
}

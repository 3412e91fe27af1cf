// Where the simulated cloud puts a new disk: the zone, as external-provisioner
// asks for it (GenerateAccessibilityRequirements) and a zonal disk driver
// takes the first preferred zone. The requisite zones are the class's
// allowedTopologies, else every zone that has nodes; a claim waiting for its
// first consumer prefers the zone of the node the scheduler selected; an
// immediate claim prefers a zone picked by hashing its name, StatefulSet
// aware, so a set's volumes spread over the zones.
import { ZONE_LABEL } from '../resources/storage'
import type { Obj } from '../controllers/framework/types'

/** FNV-1 (32-bit) over the UTF-8 bytes, as Go's hash/fnv New32. */
export function fnv1_32(s: string): number {
  let h = 0x811c9dc5
  for (const b of new TextEncoder().encode(s)) h = (Math.imul(h, 0x01000193) ^ b) >>> 0
  return h
}

/**
 * getPVCNameHashAndIndexOffset: for `<claim>-<set>-<ordinal>` only `<set>` is
 * hashed and the ordinal offsets it, so a set's members go round the zones
 * while one member's claims stay together.
 */
export function claimNameHashAndOffset(name: string): { hash: number; index: number } {
  let hashed = name
  let index = 0
  const dash = name.lastIndexOf('-')
  if (dash !== -1) {
    const id = name.slice(dash + 1)
    if (/^\d+$/.test(id) && Number(id) <= 0xffffffff) {
      index = Number(id)
      hashed = name.slice(0, dash)
      const prev = hashed.lastIndexOf('-')
      if (prev !== -1) hashed = hashed.slice(prev + 1)
    }
  }
  return { hash: fnv1_32(hashed), index }
}

/** The zones a class allows (its allowedTopologies flattened), or undefined when it does not limit them. */
export function allowedZones(cls: Record<string, any> | undefined): string[] | undefined {
  const terms: Obj[] = cls?.allowedTopologies ?? []
  const zones = terms.flatMap((t) =>
    (t.matchLabelExpressions ?? [])
      .filter((e: Obj) => e.key === ZONE_LABEL)
      .flatMap((e: Obj) => e.values ?? []),
  )
  return zones.length ? zones : undefined
}

export class TopologyError extends Error {}

/**
 * The zone for a new disk: `selectedNode` is the scheduler's choice for a
 * claim that waited for its first consumer. Throws TopologyError with
 * upstream's reason when there is no zone to give.
 */
export function chooseZone(
  claimName: string,
  cls: Record<string, any> | undefined,
  nodes: Obj[],
  selectedNode?: string,
): string {
  let selectedZone: string | undefined
  if (selectedNode) {
    selectedZone = nodes.find((n) => n.metadata.name === selectedNode)?.metadata.labels?.[
      ZONE_LABEL
    ]
    // Our node plugin reports the zone label as its topology; a node without it has none.
    if (!selectedZone) throw new TopologyError(`no topology key found for node ${selectedNode}`)
  }
  const fromNodes = nodes
    .map((n) => n.metadata.labels?.[ZONE_LABEL])
    .filter((z): z is string => !!z)
  const requisite = [...new Set(allowedZones(cls) ?? fromNodes)].sort()
  if (!requisite.length) throw new TopologyError('no available topology found')
  if (selectedZone) {
    if (!requisite.includes(selectedZone))
      throw new TopologyError(
        `topology map[${ZONE_LABEL}:${selectedZone}] from selected node "${selectedNode}" is not in requisite: [${requisite.map((z) => `map[${ZONE_LABEL}:${z}]`).join(' ')}]`,
      )
    return selectedZone
  }
  const { hash, index } = claimNameHashAndOffset(claimName)
  return requisite[((hash + index) >>> 0) % requisite.length]!
}

// What the volume plugins share, after component-helpers' storage/volume and
// storage/ephemeral packages: a pod's claims, when a claim counts as bound,
// a PV's node affinity and a class's allowed topologies against a node's
// labels, and the search for the smallest Available PV that fits a claim.
import { parseQuantity } from '../../../resources/quantity'
import { ANN_BIND_COMPLETED, claimClass, volumeClass } from '../../../resources/storage'
import type { Obj } from '../../framework/types'
import { type Labels, labelSelectorMatches } from './label-selector'
import { nodeSelectorMatches, nodeSelectorRequirementMatches } from './node-selector'

export interface PodClaim {
  /** The pod's volume name. */
  volume: string
  claim: string
  /** A generic ephemeral volume: its claim is named after the pod and made by a controller. */
  ephemeral: boolean
}

/** The claims a pod's volumes use, persistentVolumeClaim and ephemeral ones (`<pod>-<volume>`). */
export function podClaims(pod: Obj): PodClaim[] {
  const out: PodClaim[] = []
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim)
      out.push({ volume: v.name, claim: v.persistentVolumeClaim.claimName ?? '', ephemeral: false })
    else if (v.ephemeral)
      out.push({ volume: v.name, claim: `${pod.metadata.name}-${v.name}`, ephemeral: true })
  }
  return out
}

/** The lister's NotFound, as upstream's error text reads. */
export const claimNotFound = (name: string) => `persistentvolumeclaim "${name}" not found`

/** An ephemeral volume's claim must be the pod's own (ephemeral.VolumeIsForPod). */
export function ephemeralClaimProblem(pod: Obj, pvc: Obj): string | undefined {
  const owner = (pvc.metadata.ownerReferences ?? []).find((r: Obj) => r.controller)
  if (owner?.uid === pod.metadata.uid) return undefined
  const ns = pod.metadata.namespace
  return `PVC ${ns}/${pvc.metadata.name} was not created for pod ${ns}/${pod.metadata.name} (pod is not owner)`
}

/**
 * Whether the PV controller has finished binding the claim: a volume name and
 * its bind-completed annotation, as upstream checks; a claim whose status says
 * Bound counts too, so claims bound by hand (with their status) are not held up.
 */
export function isClaimFullyBound(pvc: Obj): boolean {
  if (!pvc.spec?.volumeName) return false
  return (
    pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined || pvc.status?.phase === 'Bound'
  )
}

/** storagehelpers.CheckNodeAffinity: the PV's required node affinity against the node's labels. */
export function volumeNodeAffinityMatches(pv: Obj, labels: Labels): boolean {
  const required = pv.spec?.nodeAffinity?.required
  if (!required) return true
  return nodeSelectorMatches(required, { metadata: { labels } })
}

/** v1helper.MatchTopologySelectorTerms: no terms match everything; a term's expressions are ANDed. */
export function topologyTermsMatch(terms: Obj[] | undefined, labels: Labels): boolean {
  if (!terms?.length) return true
  return terms.some((t) =>
    (t.matchLabelExpressions ?? []).every((e: Obj) =>
      nodeSelectorRequirementMatches({ key: e.key, operator: 'In', values: e.values }, labels),
    ),
  )
}

/** The claim's requested storage, in bytes. */
export const storageRequest = (pvc: Obj): number =>
  parseQuantity(pvc.spec?.resources?.requests?.storage) ?? 0

const capacityOf = (pv: Obj): number => parseQuantity(pv.spec?.capacity?.storage) ?? 0

/** The PV names this claim, by namespace and name (and uid when the PV records one). */
export function isVolumeBoundToClaim(pv: Obj, pvc: Obj): boolean {
  const ref = pv.spec?.claimRef
  if (!ref || ref.name !== pvc.metadata.name || ref.namespace !== pvc.metadata.namespace)
    return false
  return !ref.uid || ref.uid === pvc.metadata.uid
}

/** Every access mode the claim asks for is one the PV offers. */
export const accessModesFit = (pvc: Obj, pv: Obj): boolean =>
  (pvc.spec?.accessModes ?? []).every((m: string) => (pv.spec?.accessModes ?? []).includes(m))

const volumeModeOf = (spec: Obj | undefined) => spec?.volumeMode ?? 'Filesystem'

/**
 * volume.FindMatchingVolume on the scheduler's path: a PV pre-bound to the
 * claim wins (none if its node affinity excludes the node); otherwise the
 * smallest Available PV of the claim's class, big enough, with the same volume
 * mode, matching the claim's selector and access modes, reachable from the node.
 */
export function findMatchingVolume(
  pvc: Obj,
  volumes: Obj[],
  nodeLabels: Labels,
  excluded: Set<string>,
): Obj | undefined {
  const requested = storageRequest(pvc)
  const cls = claimClass(pvc)
  let best: Obj | undefined
  for (const pv of volumes) {
    if (excluded.has(pv.metadata.name)) continue
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue
    const capacity = capacityOf(pv)
    if (capacity < requested) continue
    if (volumeModeOf(pvc.spec) !== volumeModeOf(pv.spec)) continue
    if (pv.metadata.deletionTimestamp) continue
    const reachable = volumeNodeAffinityMatches(pv, nodeLabels)
    if (isVolumeBoundToClaim(pv, pvc)) return reachable ? pv : undefined
    if (pv.status?.phase !== 'Available') continue
    if (pvc.spec?.selector && !labelSelectorMatches(pvc.spec.selector, pv.metadata.labels ?? {}))
      continue
    if (volumeClass(pv) !== cls || !reachable || !accessModesFit(pvc, pv)) continue
    if (!best || capacityOf(best) > capacity) best = pv
  }
  return best
}

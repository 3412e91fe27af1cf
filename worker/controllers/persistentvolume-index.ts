// Which volume a claim gets (the PV controller's index.go and
// storage/util's FindMatchingVolume): volumes are grouped by their access
// modes, the groups that offer every mode the claim asks for are tried with
// the fewest modes first, and within a group a volume pre-bound to the claim
// wins, else the smallest Available one of the claim's class, size, volume
// mode and selector. Pure functions of plain objects.
import { parseQuantity } from '../resources/quantity'
import { claimClass, volumeClass } from '../resources/storage'
import type { Obj } from './framework/types'
import { compileSelector } from './label-selector'

/** The volume's claimRef names this claim (any uid when the ref has none yet). */
export function isVolumeBoundToClaim(volume: Obj, claim: Obj): boolean {
  const ref = volume.spec?.claimRef
  if (!ref) return false
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false
  return !ref.uid || ref.uid === claim.metadata.uid
}

const modeOf = (spec: Obj | undefined) => spec?.volumeMode ?? 'Filesystem'
export const volumeModeMismatch = (claim: Obj, volume: Obj) =>
  modeOf(claim.spec) !== modeOf(volume.spec)

/** Every access mode the claim asks for is one the volume offers. */
export function hasAccessModes(claim: Obj, volume: Obj): boolean {
  const offered: string[] = volume.spec?.accessModes ?? []
  return ((claim.spec?.accessModes ?? []) as string[]).every((m) => offered.includes(m))
}

export const storageOf = (o: Obj | undefined, field: 'capacity' | 'requests'): number =>
  parseQuantity(
    field === 'capacity' ? o?.spec?.capacity?.storage : o?.spec?.resources?.requests?.storage,
  ) ?? 0

/** Why a volume the claim names cannot be bound to it (checkVolumeSatisfyClaim), or undefined. */
export function volumeUnsuitable(volume: Obj, claim: Obj): string | undefined {
  if (volume.metadata.deletionTimestamp)
    return `the volume is marked for deletion "${volume.metadata.name}"`
  if (storageOf(volume, 'capacity') < storageOf(claim, 'requests'))
    return 'requested PV is too small'
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match'
  if (volumeModeMismatch(claim, volume)) return 'incompatible volumeMode'
  if (!hasAccessModes(claim, volume)) return 'incompatible accessMode'
  return undefined
}

/**
 * FindMatchingVolume over one group of volumes. With delayed binding only a
 * volume pre-bound to the claim is returned: the scheduler binds the rest.
 */
export function findMatchingVolume(
  claim: Obj,
  volumes: Obj[],
  delayBinding: boolean,
): Obj | undefined {
  const requested = storageOf(claim, 'requests')
  const cls = claimClass(claim)
  const selects = claim.spec?.selector ? compileSelector(claim.spec.selector) : undefined
  let smallest: Obj | undefined
  for (const v of volumes) {
    if (v.spec?.claimRef && !isVolumeBoundToClaim(v, claim)) continue
    const size = storageOf(v, 'capacity')
    if (size < requested || volumeModeMismatch(claim, v) || v.metadata.deletionTimestamp) continue
    if (isVolumeBoundToClaim(v, claim)) return v
    if (delayBinding) continue
    if (v.status?.phase !== 'Available') continue
    if (selects && !selects(v.metadata.labels)) continue
    if (volumeClass(v) !== cls) continue
    if (!smallest || storageOf(smallest, 'capacity') > size) smallest = v
  }
  return smallest
}

/** findBestMatchForClaim: the access-mode groups that can serve the claim, fewest modes first. */
export function findBestMatchForClaim(
  claim: Obj,
  volumes: Obj[],
  delayBinding: boolean,
): Obj | undefined {
  const groups = new Map<string, Obj[]>()
  for (const v of [...volumes].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const key = [...new Set<string>(v.spec?.accessModes ?? [])].sort().join(',')
    groups.set(key, [...(groups.get(key) ?? []), v])
  }
  const wanted: string[] = claim.spec?.accessModes ?? []
  const usable = [...groups.keys()]
    .map((k) => (k ? k.split(',') : []))
    .filter((modes) => wanted.every((m) => modes.includes(m)))
    .sort((a, b) => a.length - b.length || a.join(',').localeCompare(b.join(',')))
  for (const modes of usable) {
    const v = findMatchingVolume(claim, groups.get(modes.join(','))!, delayBinding)
    if (v) return v
  }
  return undefined
}

// The PV controller's writes: the two-step binding (the volume's claimRef
// first, then the claim's volumeName, each followed by its phase), the
// rollback of a binding, and the phase updates that write only on change.
import { rfc3339 } from '../apiserver/context'
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER } from '../resources/storage'
import type { ControllerContext, KindRef, Obj } from './framework/types'
import { isVolumeBoundToClaim } from './persistentvolume-index'

export const PVS: KindRef = '/v1/persistentvolumes'
export const PVCS: KindRef = '/v1/persistentvolumeclaims'

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** reference.GetReference of a claim, as a volume's claimRef holds it. */
export const claimRefOf = (claim: Obj) => ({
  kind: 'PersistentVolumeClaim',
  namespace: claim.metadata.namespace,
  name: claim.metadata.name,
  uid: claim.metadata.uid,
  apiVersion: 'v1',
  resourceVersion: claim.metadata.resourceVersion,
})

function annotate(o: Obj, key: string): void {
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [key]: 'yes' }
}

/** Saves the volume's phase (and message) when it changes, stamping lastPhaseTransitionTime. */
export function updateVolumePhase(
  ctx: ControllerContext,
  volume: Obj,
  phase: string,
  message = '',
): Obj {
  if (volume.status?.phase === phase) return volume
  const next = structuredClone(volume)
  next.status = { ...(next.status ?? {}), phase, lastPhaseTransitionTime: rfc3339(ctx.now) }
  if (message) next.status.message = message
  else delete next.status.message
  return ctx.updateStatus(PVS, next)
}

/** updateVolumePhaseWithEvent: the event goes only with an actual change of phase. */
export function updateVolumePhaseWithEvent(
  ctx: ControllerContext,
  volume: Obj,
  phase: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): Obj {
  if (volume.status?.phase === phase) return volume
  const saved = updateVolumePhase(ctx, volume, phase, message)
  ctx.event(saved, type, reason, message)
  return saved
}

/**
 * Saves the claim's phase; with a volume, its access modes and (when the
 * claim becomes bound) its capacity; without one, clears them.
 */
export function updateClaimStatus(
  ctx: ControllerContext,
  claim: Obj,
  phase: string,
  volume?: Obj,
): Obj {
  const status: Obj = { ...(claim.status ?? {}), phase }
  if (!volume) {
    delete status.accessModes
    delete status.capacity
  } else {
    status.accessModes = volume.spec?.accessModes
    if (claim.status?.phase !== phase) status.capacity = volume.spec?.capacity
  }
  if (same(status, claim.status)) return claim
  return ctx.updateStatus(PVCS, { ...claim, status })
}

/** updateClaimStatusWithEvent: the event goes only with an actual change of phase. */
export function updateClaimStatusWithEvent(
  ctx: ControllerContext,
  claim: Obj,
  phase: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): Obj {
  if (claim.status?.phase === phase) return claim
  const saved = updateClaimStatus(ctx, claim, phase)
  ctx.event(saved, type, reason, message)
  return saved
}

/** GetBindVolumeToClaim + save: claimRef to this claim, and bound-by-controller unless it was pre-bound. */
function bindVolumeToClaim(ctx: ControllerContext, volume: Obj, claim: Obj): Obj {
  const next = structuredClone(volume)
  let dirty = false
  const ref = volume.spec?.claimRef
  if (
    !ref ||
    ref.name !== claim.metadata.name ||
    ref.namespace !== claim.metadata.namespace ||
    ref.uid !== claim.metadata.uid
  ) {
    next.spec.claimRef = claimRefOf(claim)
    dirty = true
  }
  if (
    !isVolumeBoundToClaim(volume, claim) &&
    !volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]
  ) {
    annotate(next, ANN_BOUND_BY_CONTROLLER)
    dirty = true
  }
  return dirty ? ctx.update(PVS, next) : volume
}

/** The claim's half: volumeName (bound-by-controller when we set it) and bind-completed. */
function bindClaimToVolume(ctx: ControllerContext, claim: Obj, volume: Obj): Obj {
  const next = structuredClone(claim)
  let dirty = false
  if (claim.spec?.volumeName !== volume.metadata.name) {
    next.spec.volumeName = volume.metadata.name
    if (!next.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER])
      annotate(next, ANN_BOUND_BY_CONTROLLER)
    dirty = true
  }
  if (!next.metadata.annotations?.[ANN_BIND_COMPLETED]) {
    annotate(next, ANN_BIND_COMPLETED)
    dirty = true
  }
  return dirty ? ctx.update(PVCS, next) : claim
}

/** bind: volume first, then claim, each with its phase; a failure leaves the rest to the next sync. */
export function bind(ctx: ControllerContext, volume: Obj, claim: Obj): void {
  let v = bindVolumeToClaim(ctx, volume, claim)
  v = updateVolumePhase(ctx, v, 'Bound')
  const c = bindClaimToVolume(ctx, claim, v)
  updateClaimStatus(ctx, c, 'Bound', v)
}

/**
 * unbindVolume: a binding the controller made is removed; a user's pre-binding
 * keeps its name but loses the uid, so the volume waits for that claim again.
 */
export function unbindVolume(ctx: ControllerContext, volume: Obj): Obj {
  const next = structuredClone(volume)
  if (next.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
    delete next.spec.claimRef
    delete next.metadata.annotations[ANN_BOUND_BY_CONTROLLER]
    if (!Object.keys(next.metadata.annotations).length) delete next.metadata.annotations
  } else delete next.spec.claimRef.uid
  return updateVolumePhase(ctx, ctx.update(PVS, next), 'Available')
}

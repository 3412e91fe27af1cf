// The persistent volume controller (upstream's persistentvolume-binder,
// pv_controller.go): binds claims to volumes, hands claims of a class to
// its provisioner (here always an external one: it annotates the claim and
// waits), keeps both sides' phases, and applies a released volume's reclaim
// policy. Claims still pending are looked at again every 15 s, as upstream's
// resync does; that is also when a new volume is found for them.
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  claimHasClass,
  claimsOfPod,
  defaultClass,
} from '../resources/storage'
import {
  type Controller,
  type ControllerContext,
  type KindRef,
  type Obj,
  PODS,
  splitKey,
} from './framework/types'
import {
  PVCS,
  PVS,
  bind,
  unbindVolume,
  updateClaimStatus,
  updateClaimStatusWithEvent,
  updateVolumePhase,
  updateVolumePhaseWithEvent,
} from './persistentvolume-binding'
import {
  findBestMatchForClaim,
  isVolumeBoundToClaim,
  volumeModeMismatch,
  volumeUnsuitable,
} from './persistentvolume-index'

export const STORAGE_CLASSES: KindRef = 'storage.k8s.io/v1/storageclasses'
/** --pvclaimbinder-sync-period. */
export const RESYNC_PERIOD_MS = 15_000

const isTerminated = (pod: Obj) =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
const claimKey = (ns: string, name: string) => `claim:${ns}/${name}`
const volumeKey = (name: string) => `volume:${name}`

function classOf(ctx: ControllerContext, claim: Obj): Obj | undefined {
  const name = claimClass(claim)
  return name ? ctx.get(STORAGE_CLASSES, undefined, name) : undefined
}

/** IsDelayBindingMode: the claim's class waits for its first consumer. */
const isDelayBinding = (cls: Obj | undefined) => cls?.volumeBindingMode === 'WaitForFirstConsumer'

/** emitEventForUnboundDelayBindingClaim: who the claim waits for. */
export function delayBindingEvent(claim: Obj, pods: Obj[]): { reason: string; message: string } {
  const waiting = pods
    .filter(
      (p) => !isTerminated(p) && !p.spec?.nodeName && claimsOfPod(p).includes(claim.metadata.name),
    )
    .map((p) => p.metadata.name)
  if (!waiting.length)
    return {
      reason: 'WaitForFirstConsumer',
      message: 'waiting for first consumer to be created before binding',
    }
  return waiting.length > 1
    ? {
        reason: 'WaitForPodScheduled',
        message: `waiting for pods ${waiting.join(',')} to be scheduled`,
      }
    : { reason: 'WaitForPodScheduled', message: `waiting for pod ${waiting[0]} to be scheduled` }
}

/** provisionClaim for an external provisioner: name it on the claim and say we wait for it. */
function provisionClaim(ctx: ControllerContext, claim: Obj, cls: Obj | undefined): void {
  if (!cls) {
    ctx.event(
      claim,
      'Warning',
      'ProvisioningFailed',
      `storageclass.storage.k8s.io "${claimClass(claim)}" not found`,
    )
    return
  }
  const provisioner: string = cls.provisioner
  // Names under kubernetes.io/ are in-tree plugins, and we have none (e.g. kubernetes.io/no-provisioner).
  if (provisioner.startsWith('kubernetes.io/')) {
    ctx.event(
      claim,
      'Warning',
      'ProvisioningFailed',
      `no volume plugin matched name: ${provisioner}`,
    )
    return
  }
  let c = claim
  if (c.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
    c = structuredClone(claim)
    c.metadata.annotations = {
      ...(c.metadata.annotations ?? {}),
      [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
      [ANN_STORAGE_PROVISIONER]: provisioner,
    }
    c = ctx.update(PVCS, c)
  }
  ctx.event(
    c,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  )
}

function syncUnboundClaim(ctx: ControllerContext, claim: Obj): void {
  const key = claimKey(claim.metadata.namespace, claim.metadata.name)
  const wanted: string | undefined = claim.spec?.volumeName
  if (!wanted) {
    const cls = classOf(ctx, claim)
    const delay = isDelayBinding(cls)
    const volume = findBestMatchForClaim(claim, ctx.list(PVS), delay)
    if (volume) return bind(ctx, volume, claim)
    // No volume: give a claim without a class the default one (retroactively), then look again.
    if (!claimHasClass(claim)) {
      const def = defaultClass(ctx.list(STORAGE_CLASSES))
      if (def) {
        ctx.update(PVCS, { ...claim, spec: { ...claim.spec, storageClassName: def.metadata.name } })
        return ctx.requeueAfter(key, 0)
      }
    }
    ctx.requeueAfter(key, RESYNC_PERIOD_MS)
    if (delay && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
      const e = delayBindingEvent(claim, ctx.list(PODS, { namespace: claim.metadata.namespace }))
      ctx.event(claim, 'Normal', e.reason, e.message)
    } else if (claimClass(claim) !== '') return provisionClaim(ctx, claim, cls)
    else
      ctx.event(
        claim,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      )
    updateClaimStatus(ctx, claim, 'Pending')
    return
  }
  // The user asked for a particular volume.
  const volume = ctx.get(PVS, undefined, wanted)
  if (!volume) {
    ctx.requeueAfter(key, RESYNC_PERIOD_MS)
    updateClaimStatus(ctx, claim, 'Pending')
    return
  }
  if (!volume.spec?.claimRef) {
    const why = volumeUnsuitable(volume, claim)
    if (!why) return bind(ctx, volume, claim)
    ctx.event(
      claim,
      'Warning',
      'VolumeMismatch',
      `Cannot bind to requested volume "${wanted}": ${why}`,
    )
  } else if (isVolumeBoundToClaim(volume, claim)) return bind(ctx, volume, claim)
  else {
    ctx.event(
      claim,
      'Warning',
      'FailedBinding',
      `volume "${wanted}" already bound to a different claim.`,
    )
    if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER])
      throw new Error(
        `invalid binding of claim "${claim.metadata.namespace}/${claim.metadata.name}" to volume "${wanted}": volume already claimed by "${volume.spec.claimRef.namespace}/${volume.spec.claimRef.name}"`,
      )
  }
  ctx.requeueAfter(key, RESYNC_PERIOD_MS)
  updateClaimStatus(ctx, claim, 'Pending')
}

function syncBoundClaim(ctx: ControllerContext, claim: Obj): void {
  const name: string | undefined = claim.spec?.volumeName
  if (!name) {
    updateClaimStatusWithEvent(
      ctx,
      claim,
      'Lost',
      'Warning',
      'ClaimLost',
      'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
    )
    return
  }
  const volume = ctx.get(PVS, undefined, name)
  if (!volume) {
    updateClaimStatusWithEvent(
      ctx,
      claim,
      'Lost',
      'Warning',
      'ClaimLost',
      'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
    )
    return
  }
  const ref = volume.spec?.claimRef
  if (!ref || ref.uid === claim.metadata.uid) return bind(ctx, volume, claim)
  updateClaimStatusWithEvent(
    ctx,
    claim,
    'Lost',
    'Warning',
    'ClaimMisbound',
    'Two claims are bound to the same volume, this one is bound incorrectly',
  )
}

export function syncClaim(ctx: ControllerContext, namespace: string, name: string): void {
  const claim = ctx.get(PVCS, namespace, name)
  if (!claim) return
  if (claim.metadata.annotations?.[ANN_BIND_COMPLETED]) syncBoundClaim(ctx, claim)
  else syncUnboundClaim(ctx, claim)
}

/** What the volume's plugin does with a Delete policy: hostPath under /tmp is wiped; CSI volumes are the provisioner's. */
function deleteVolume(ctx: ControllerContext, volume: Obj): void {
  const by: string | undefined = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]
  if ((by && !by.startsWith('kubernetes.io/')) || volume.spec?.csi) return // an external deleter's job
  let err: string | undefined
  const path: string | undefined = volume.spec?.hostPath?.path
  if (path !== undefined) {
    if (!/\/tmp\/.+/.test(path))
      err = `host_path deleter only supports /tmp/.+ but received provided ${path}`
  } else
    err = `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`
  if (err) {
    updateVolumePhaseWithEvent(ctx, volume, 'Failed', 'Warning', 'VolumeFailedDelete', err)
    return
  }
  ctx.delete(PVS, undefined, volume.metadata.name, { uid: volume.metadata.uid })
}

/** reclaimVolume: what a released volume's policy asks for. */
function reclaimVolume(ctx: ControllerContext, volume: Obj): void {
  switch (volume.spec?.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return
    case 'Delete':
      return deleteVolume(ctx, volume)
    case 'Recycle':
      // The recycler wipes hostPath and NFS volumes (with a scrubber pod upstream) and frees them.
      if (volume.spec?.hostPath || volume.spec?.nfs) {
        ctx.event(volume, 'Normal', 'VolumeRecycled', 'Volume recycled')
        unbindVolume(ctx, volume)
      } else
        updateVolumePhaseWithEvent(
          ctx,
          volume,
          'Failed',
          'Warning',
          'VolumeFailedRecycle',
          'No recycler plugin found for the volume!',
        )
      return
    default:
      updateVolumePhaseWithEvent(
        ctx,
        volume,
        'Failed',
        'Warning',
        'VolumeUnknownReclaimPolicy',
        'Volume has unrecognized PersistentVolumeReclaimPolicy',
      )
  }
}

export function syncVolume(ctx: ControllerContext, name: string): void {
  let volume = ctx.get(PVS, undefined, name)
  if (!volume) return
  const ref = volume.spec?.claimRef
  if (!ref || !ref.uid) {
    // Unused, or reserved by its creator for a claim that will bind it.
    updateVolumePhase(ctx, volume, 'Available')
    return
  }
  let claim = ctx.get(PVCS, ref.namespace, ref.name)
  if (claim && claim.metadata.uid !== ref.uid) claim = undefined // deleted, and another made with its name
  if (!claim) {
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed')
      volume = updateVolumePhase(ctx, volume, 'Released')
    return reclaimVolume(ctx, volume)
  }
  if (!claim.spec?.volumeName) {
    if (volumeModeMismatch(claim, volume)) {
      ctx.event(
        volume,
        'Warning',
        'VolumeMismatch',
        `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`,
      )
      ctx.event(
        claim,
        'Warning',
        'VolumeMismatch',
        `Cannot bind PersistentVolume "${name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`,
      )
      return
    }
    // The claim binding is not complete (a provisioned volume, or a pre-bound one): the claim's sync finishes it.
    return ctx.requeueAfter(claimKey(claim.metadata.namespace, claim.metadata.name), 0)
  }
  if (claim.spec.volumeName === name) {
    updateVolumePhase(ctx, volume, 'Bound')
    return
  }
  // The claim went to another volume.
  if (
    volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] &&
    volume.spec?.persistentVolumeReclaimPolicy === 'Delete'
  ) {
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed')
      volume = updateVolumePhase(ctx, volume, 'Released')
    return reclaimVolume(ctx, volume)
  }
  unbindVolume(ctx, volume)
}

export const persistentVolumeController: Controller = {
  name: 'persistentvolume-binder',
  component: 'persistentvolume-controller',
  watches: {
    [PVCS]: (claim, _old, deleted) => [
      claimKey(claim.metadata.namespace, claim.metadata.name),
      ...(deleted && claim.spec?.volumeName ? [volumeKey(claim.spec.volumeName)] : []),
    ],
    [PVS]: (volume) => {
      const ref = volume.spec?.claimRef
      return [
        volumeKey(volume.metadata.name),
        ...(ref?.namespace && ref.name ? [claimKey(ref.namespace, ref.name)] : []),
      ]
    },
  },
  sync(key, ctx) {
    if (key.startsWith('claim:')) {
      const { namespace, name } = splitKey(key.slice('claim:'.length))
      return syncClaim(ctx, namespace!, name)
    }
    if (key.startsWith('volume:')) return syncVolume(ctx, key.slice('volume:'.length))
  },
}

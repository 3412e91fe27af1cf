// The simulated cloud's disks behind Kubernetes volumes: what
// external-provisioner and a zonal disk CSI driver (as GCE's
// pd.csi.storage.gke.io) do together. A claim the PV controller hands to our
// driver (volume.kubernetes.io/storage-provisioner) — for a
// WaitForFirstConsumer class, once the scheduler has selected a node — gets
// a disk after PROVISION_DELAY_MS: PersistentVolume pvc-<claim uid>, bound to
// it by claimRef, pinned to the disk's zone. A Released volume of ours with
// the Delete policy loses its disk and its PersistentVolume. The disks are
// the PersistentVolumes themselves: the cloud keeps no other state.
import { formatBinary, parseQuantity } from '../resources/quantity'
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  DISK_DRIVER,
  PROVISIONER_FINALIZER,
  ZONE_LABEL,
  claimClass,
} from '../resources/storage'
import {
  type Controller,
  type ControllerContext,
  type KindRef,
  NODES,
  type Obj,
  splitKey,
} from '../controllers/framework/types'
import { TopologyError, chooseZone } from './disk-topology'

const PVS: KindRef = '/v1/persistentvolumes'
const PVCS: KindRef = '/v1/persistentvolumeclaims'
const STORAGE_CLASSES: KindRef = 'storage.k8s.io/v1/storageclasses'

/** How long (simulated) the cloud takes to create a disk. */
export const PROVISION_DELAY_MS = 5_000
/** What external-provisioner records in each volume it makes (--default-fstype applies when the class names none). */
const PROVISIONER_IDENTITY = `1700000000000-8081-${DISK_DRIVER}`
const DEFAULT_FSTYPE = 'ext4'
const GiB = 2 ** 30

const provisionerOf = (claim: Obj): string | undefined =>
  claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] ??
  claim.metadata.annotations?.[ANN_BETA_STORAGE_PROVISIONER]

/** The deterministic name of a claim's volume, so a retried provisioning finds it. */
export const volumeNameFor = (claim: Obj) => `pvc-${claim.metadata.uid}`

/**
 * shouldProvision: the claim is handed to our driver and not yet bound; one
 * of a WaitForFirstConsumer class also needs the scheduler's node.
 */
export function shouldProvision(claim: Obj, cls: Obj | undefined): boolean {
  if (claim.spec?.volumeName || provisionerOf(claim) !== DISK_DRIVER || !cls) return false
  if (cls.volumeBindingMode === 'WaitForFirstConsumer')
    return !!claim.metadata.annotations?.[ANN_SELECTED_NODE]
  return true
}

/** isProvisionerForVolume: we made it, or it is a static volume of our driver. */
export const isOurVolume = (v: Obj): boolean =>
  v.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined
    ? v.metadata.annotations[ANN_DYNAMICALLY_PROVISIONED] === DISK_DRIVER
    : v.spec?.csi?.driver === DISK_DRIVER

/** What the cloud refuses to create, in the words of its CSI driver and external-provisioner. */
export function provisioningError(claim: Obj): string | undefined {
  if (claim.spec?.selector) return 'claim Selector is not supported'
  if (
    (claim.spec?.accessModes ?? []).includes('ReadWriteMany') &&
    claim.spec?.volumeMode !== 'Block'
  )
    return 'rpc error: code = InvalidArgument desc = VolumeCapabilities is invalid: specified multi writer with mount access type'
  return undefined
}

/**
 * The PersistentVolume for a new disk of `zone`, as external-provisioner
 * writes it; the disk's id is GCE's projects/<project>/zones/<zone>/disks/<name>,
 * the project being the cluster (as in the nodes' provider IDs).
 */
export function provisionedVolume(claim: Obj, cls: Obj, zone: string, project: string): Obj {
  const name = volumeNameFor(claim)
  // A disk comes in whole GiB.
  const bytes =
    Math.ceil((parseQuantity(claim.spec?.resources?.requests?.storage) ?? 0) / GiB) * GiB
  const policy: string = cls.reclaimPolicy ?? 'Delete'
  const params: Record<string, string> = cls.parameters ?? {}
  const fsType =
    params['csi.storage.k8s.io/fstype'] ?? params.fsType ?? params.fstype ?? DEFAULT_FSTYPE
  const block = claim.spec?.volumeMode === 'Block'
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: {
        [ANN_DYNAMICALLY_PROVISIONED]: DISK_DRIVER,
        'volume.kubernetes.io/provisioner-deletion-secret-name': '',
        'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
      },
      ...(policy === 'Delete' ? { finalizers: [PROVISIONER_FINALIZER] } : {}),
    },
    spec: {
      accessModes: claim.spec?.accessModes,
      capacity: { storage: formatBinary(bytes) },
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: claim.metadata.resourceVersion,
      },
      csi: {
        driver: DISK_DRIVER,
        ...(block ? {} : { fsType }),
        volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': PROVISIONER_IDENTITY },
        volumeHandle: `projects/${project}/zones/${zone}/disks/${name}`,
      },
      ...(cls.mountOptions ? { mountOptions: cls.mountOptions } : {}),
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] },
          ],
        },
      },
      persistentVolumeReclaimPolicy: policy,
      storageClassName: claimClass(claim),
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    },
  }
}

const classOf = (ctx: ControllerContext, claim: Obj) => {
  const name = claimClass(claim)
  return name ? ctx.get(STORAGE_CLASSES, undefined, name) : undefined
}

/**
 * A claim handed to us: say we are provisioning and come back when the disk
 * is made. A request the cloud refuses fails at once, and throws so that the
 * claim is retried with back-off (1 s doubling to 5 min, as the provisioner's
 * work queue).
 */
function syncClaim(ctx: ControllerContext, namespace: string, name: string): void {
  const claim = ctx.get(PVCS, namespace, name)
  if (!claim) return
  const cls = classOf(ctx, claim)
  if (!shouldProvision(claim, cls) || ctx.get(PVS, undefined, volumeNameFor(claim))) return
  ctx.event(
    claim,
    'Normal',
    'Provisioning',
    `External provisioner is provisioning volume for claim "${namespace}/${name}"`,
  )
  let why = provisioningError(claim)
  if (!why)
    try {
      chooseZone(name, cls, ctx.list(NODES), claim.metadata.annotations?.[ANN_SELECTED_NODE])
    } catch (e) {
      if (!(e instanceof TopologyError)) throw e
      why = `error generating accessibility requirements: ${e.message}`
    }
  if (why) {
    const message = `failed to provision volume with StorageClass "${cls!.metadata.name}": ${why}`
    ctx.event(claim, 'Warning', 'ProvisioningFailed', message)
    throw new Error(message)
  }
  ctx.requeueAfter(`provision:${namespace}/${name}`, PROVISION_DELAY_MS)
}

/** The disk is made: its PersistentVolume, for the PV controller to bind. */
function finishProvisioning(ctx: ControllerContext, namespace: string, name: string): void {
  const claim = ctx.get(PVCS, namespace, name)
  if (!claim) return
  const cls = classOf(ctx, claim)
  if (
    !shouldProvision(claim, cls) ||
    provisioningError(claim) ||
    ctx.get(PVS, undefined, volumeNameFor(claim))
  )
    return
  let zone: string
  try {
    zone = chooseZone(name, cls, ctx.list(NODES), claim.metadata.annotations?.[ANN_SELECTED_NODE])
  } catch (e) {
    if (e instanceof TopologyError) return // the nodes changed meanwhile; the claim's retry says why
    throw e
  }
  const volume = ctx.create(
    PVS,
    provisionedVolume(claim, cls!, zone, ctx.clusterName ?? 'kubernetes'),
  )
  ctx.event(
    claim,
    'Normal',
    'ProvisioningSucceeded',
    `Successfully provisioned volume ${volume.metadata.name}`,
  )
}

const hasFinalizer = (v: Obj) => (v.metadata.finalizers ?? []).includes(PROVISIONER_FINALIZER)

/**
 * syncVolume: keep our finalizer on bound volumes whose disk we must delete,
 * and delete the disk and the volume once it is Released.
 */
function syncVolume(ctx: ControllerContext, name: string): void {
  let volume = ctx.get(PVS, undefined, name)
  if (!volume || !isOurVolume(volume)) return
  const policy = volume.spec?.persistentVolumeReclaimPolicy
  const add =
    policy === 'Delete' &&
    !volume.metadata.deletionTimestamp &&
    volume.status?.phase === 'Bound' &&
    !hasFinalizer(volume)
  const remove = (policy === 'Retain' || policy === 'Recycle') && hasFinalizer(volume)
  if (add || remove) {
    const others = (volume.metadata.finalizers ?? []).filter(
      (f: string) => f !== PROVISIONER_FINALIZER,
    )
    volume = ctx.update(PVS, {
      ...volume,
      metadata: {
        ...volume.metadata,
        finalizers: add ? [...others, PROVISIONER_FINALIZER] : others,
      },
    })
  }
  if (volume.metadata.deletionTimestamp && !hasFinalizer(volume)) return // the disk is already gone
  if (volume.status?.phase !== 'Released' || policy !== 'Delete') return
  // The disk goes with nothing more to do: the cloud's disks are these volumes.
  ctx.delete(PVS, undefined, name, { uid: volume.metadata.uid })
  const left = ctx.get(PVS, undefined, name)
  if (left && hasFinalizer(left))
    ctx.update(PVS, {
      ...left,
      metadata: {
        ...left.metadata,
        finalizers: left.metadata.finalizers.filter((f: string) => f !== PROVISIONER_FINALIZER),
      },
    })
}

export const diskProvisioner: Controller = {
  name: 'disk-provisioner',
  component: `${DISK_DRIVER}_csi-controller`,
  watches: {
    [PVCS]: (claim, _old, deleted) =>
      !deleted && provisionerOf(claim) === DISK_DRIVER && !claim.spec?.volumeName
        ? [`claim:${claim.metadata.namespace}/${claim.metadata.name}`]
        : [],
    [PVS]: (volume, _old, deleted) =>
      !deleted && isOurVolume(volume) ? [`volume:${volume.metadata.name}`] : [],
  },
  sync(key, ctx) {
    const i = key.indexOf(':')
    const [kind, rest] = [key.slice(0, i), key.slice(i + 1)]
    if (kind === 'volume') return syncVolume(ctx, rest)
    const { namespace, name } = splitKey(rest)
    if (!namespace) return
    if (kind === 'claim') syncClaim(ctx, namespace, name)
    else if (kind === 'provision') finishProvisioning(ctx, namespace, name)
  },
}

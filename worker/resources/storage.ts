// PersistentVolumes, PersistentVolumeClaims and StorageClasses: the names
// every storage component shares (annotations, finalizers, the simulated
// cloud's CSI driver), upstream's class lookups (storagehelpers) and the
// API's defaulting (pkg/apis/core/v1/defaults.go, pkg/apis/storage/v1/defaults.go).
type O = Record<string, any>

/** The CSI driver of our simulated cloud's disks, as `pd.csi.storage.gke.io` is GCE's. */
export const DISK_DRIVER = 'pd.csi.wheelhouse.dev'

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed'
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller'
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by'
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner'
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner'
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node'
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class'
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class'
export const ANN_BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class'

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection'
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection'
/** What external-provisioner puts on the volumes it must delete (HonorPVReclaimPolicy). */
export const PROVISIONER_FINALIZER = 'external-provisioner.volume.kubernetes.io/finalizer'

/** The well-known zone label; our CSI driver reports it as its topology key. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone'

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']

/** The claim's class: the beta annotation first, then spec.storageClassName ("" when none). */
export function claimClass(claim: O): string {
  const ann = claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS]
  if (ann !== undefined) return ann
  return claim.spec?.storageClassName ?? ''
}

/** Whether the claim names a class at all (an explicit "" counts: it asks for no class). */
export const claimHasClass = (claim: O): boolean =>
  claim.spec?.storageClassName !== undefined ||
  claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined

/** The volume's class, likewise. */
export function volumeClass(volume: O): string {
  const ann = volume.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS]
  if (ann !== undefined) return ann
  return volume.spec?.storageClassName ?? ''
}

export const isDefaultClass = (sc: O): boolean =>
  sc.metadata?.annotations?.[ANN_DEFAULT_CLASS] === 'true' ||
  sc.metadata?.annotations?.[ANN_BETA_DEFAULT_CLASS] === 'true'

/**
 * The default StorageClass (util.GetDefaultClass): of the classes marked
 * default, the newest, then the first by name, since several may be marked.
 */
export function defaultClass(classes: O[]): O | undefined {
  return classes
    .filter(isDefaultClass)
    .sort(
      (a, b) =>
        Date.parse(b.metadata.creationTimestamp ?? 0) -
          Date.parse(a.metadata.creationTimestamp ?? 0) ||
        String(a.metadata.name).localeCompare(String(b.metadata.name)),
    )[0]
}

/** The claims a pod mounts: its persistentVolumeClaim volumes and its generic ephemeral ones (<pod>-<volume>). */
export function claimsOfPod(pod: O): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v: O) =>
    v.persistentVolumeClaim
      ? [v.persistentVolumeClaim.claimName]
      : v.ephemeral
        ? [`${pod.metadata.name}-${v.name}`]
        : [],
  )
}

export function defaultPersistentVolume(pv: O): void {
  pv.spec ??= {}
  pv.spec.persistentVolumeReclaimPolicy ??= 'Retain'
  pv.spec.volumeMode ??= 'Filesystem'
  pv.status ??= {}
  pv.status.phase ??= 'Pending'
}

export function defaultPersistentVolumeClaim(pvc: O): void {
  pvc.spec ??= {}
  pvc.spec.volumeMode ??= 'Filesystem'
  // The VolumeAttributesClass gate is off in 1.32, so the API server drops the field.
  delete pvc.spec.volumeAttributesClassName
  pvc.status ??= {}
  pvc.status.phase ??= 'Pending'
}

export function defaultStorageClass(sc: O): void {
  sc.reclaimPolicy ??= 'Delete'
  sc.volumeBindingMode ??= 'Immediate'
}

// The less common kinds' columns, as kubectl get prints them.
import { AGE, col, NAME, wide } from './columns'
import { since } from './duration'
import type { Printer } from './types'
import { isDefaultClass } from '../../resources/storage'

const age = (o: any, now: number) => since(o.metadata?.creationTimestamp, now)
const qty = (m: Record<string, string> | undefined, r: string) => m?.[r] ?? ''

export const persistentVolumePrinter: Printer = {
  columns: [NAME, col('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'), col('Access Modes', 'accessModes contains all ways the volume can be mounted.'), col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'), col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'), col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'), col('StorageClass', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'), col('VolumeAttributesClass', 'Name of VolumeAttributesClass to which this persistent volume belongs.'), col('Reason', 'reason is a brief CamelCase string that describes any failure.'), AGE, wide('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.')],
  row: (o, now) => [o.metadata.name, qty(o.spec?.capacity, 'storage'), accessModes(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '', o.status?.phase ?? '', o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : '', o.spec?.storageClassName ?? '', o.spec?.volumeAttributesClassName ?? '<unset>', o.status?.reason ?? '', age(o, now), o.spec?.volumeMode ?? 'Filesystem'],
}

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' }
  return (modes ?? []).map((m) => short[m] ?? m).join(',')
}

export const persistentVolumeClaimPrinter: Printer = {
  columns: [NAME, col('Status', 'phase represents the current phase of PersistentVolumeClaim.'), col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'), col('Capacity', 'capacity represents the actual resources of the underlying volume.'), col('Access Modes', 'accessModes contains the desired access modes the volume should have.'), col('StorageClass', 'storageClassName is the name of the StorageClass required by the claim.'), col('VolumeAttributesClass', 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.'), AGE, wide('VolumeMode', 'volumeMode defines what type of volume is required by the claim.')],
  row: (o, now) => [o.metadata.name, o.status?.phase ?? '', o.spec?.volumeName ?? '', qty(o.status?.capacity, 'storage'), accessModes(o.status?.accessModes), o.spec?.storageClassName ?? '', o.spec?.volumeAttributesClassName ?? '<unset>', age(o, now), o.spec?.volumeMode ?? 'Filesystem'],
}

export const resourceQuotaPrinter: Printer = {
  columns: [NAME, AGE, col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'), col('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
  row(o, now) {
    // status.hard only, as printResourceQuota: a quota the controller has not seen yet shows empty columns.
    const hard: Record<string, string> = o.status?.hard ?? {}
    const used: Record<string, string> = o.status?.used ?? {}
    const fmt = (keys: string[]) => keys.map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ')
    const keys = Object.keys(hard).sort()
    return [o.metadata.name, age(o, now), fmt(keys.filter((k) => !k.startsWith('limits.'))), fmt(keys.filter((k) => k.startsWith('limits.')))]
  },
}

export const limitRangePrinter: Printer = {
  columns: [NAME, col('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp],
}

export const storageClassPrinter: Printer = {
  columns: [NAME, col('Provisioner', 'Indicates the type of the provisioner.'), col('ReclaimPolicy', 'Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy.'), col('VolumeBindingMode', 'VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'), col('AllowVolumeExpansion', 'AllowVolumeExpansion shows whether the storage class allow volume expand.'), AGE],
  row: (o, now) => [isDefaultClass(o) ? `${o.metadata.name} (default)` : o.metadata.name, o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', o.allowVolumeExpansion ?? false, age(o, now)],
}

export const podDisruptionBudgetPrinter: Printer = {
  columns: [NAME, col('Min Available', 'The minimum number of pods that must be available simultaneously.'), col('Max Unavailable', 'The maximum number of pods that may be unavailable simultaneously.'), col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }), AGE],
  row: (o, now) => [o.metadata.name, o.spec?.minAvailable ?? 'N/A', o.spec?.maxUnavailable ?? 'N/A', o.status?.disruptionsAllowed ?? 0, age(o, now)],
}

export const priorityClassPrinter: Printer = {
  columns: [NAME, col('Value', 'Value is the integer value of this priority class.', { type: 'integer' }), col('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.', { type: 'boolean' }), AGE, col('PreemptionPolicy', 'PreemptionPolicy is the Policy for preempting pods with lower priority.')],
  row: (o, now) => [o.metadata.name, o.value ?? 0, o.globalDefault ?? false, age(o, now), o.preemptionPolicy ?? 'PreemptLowerPriority'],
}

export const endpointSlicePrinter: Printer = {
  columns: [NAME, col('AddressType', 'The IP protocol for this slice.'), col('Ports', 'The ports in this slice.'), col('Endpoints', 'The endpoints in this slice.'), AGE],
  row(o, now) {
    const ports = (o.ports ?? []).map((p: any) => p.port).filter((p: unknown) => p !== undefined)
    const addrs: string[] = (o.endpoints ?? []).flatMap((e: any) => e.addresses ?? [])
    const shown = addrs.slice(0, 3).join(',')
    return [o.metadata.name, o.addressType ?? '', ports.length ? ports.join(',') : '<unset>', addrs.length ? (addrs.length > 3 ? `${shown} + ${addrs.length - 3} more...` : shown) : '<unset>', age(o, now)]
  },
}

const subjects = (o: any, kind: string) => (o.subjects ?? []).filter((s: any) => s.kind === kind).map((s: any) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ')

export const rolePrinter: Printer = {
  columns: [NAME, col('Created At', 'Time at which this role was created.', { type: 'date' })],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp],
}

export const roleBindingPrinter: Printer = {
  columns: [NAME, col('Role', 'Role referenced by this binding.'), AGE, wide('Users', 'Users in the binding.'), wide('Groups', 'Groups in the binding.'), wide('ServiceAccounts', 'ServiceAccounts in the binding.')],
  row: (o, now) => [o.metadata.name, `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, age(o, now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')],
}

// The StorageClasses a new cluster starts with, as a managed cloud's clusters
// come: `standard` (the default, bound and provisioned at once) and
// `standard-rwo` (provisioned where the first pod using it is scheduled),
// both served by the simulated cloud's disk driver.
import { findKind } from '../resources/registry'
import { ANN_DEFAULT_CLASS, DISK_DRIVER } from '../resources/storage'
import type { Obj, Objects } from './objects'
import { prepareForCreate } from './prepare'

const STORAGE_CLASSES = findKind('storage.k8s.io', 'v1', 'storageclasses')!

export const SEEDED_STORAGE_CLASSES: Obj[] = [
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
    provisioner: DISK_DRIVER,
    parameters: { type: 'pd-standard' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard-rwo' },
    provisioner: DISK_DRIVER,
    parameters: { type: 'pd-balanced' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  },
]

export function seedStorageClasses(objects: Objects, now: number): void {
  for (const sc of SEEDED_STORAGE_CLASSES) {
    const o = structuredClone(sc)
    prepareForCreate(STORAGE_CLASSES, o, now)
    objects.create(STORAGE_CLASSES, o)
  }
}

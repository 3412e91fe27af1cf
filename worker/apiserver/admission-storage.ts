// The storage admission plugins kube-apiserver enables by default:
// DefaultStorageClass gives a new claim that names no class the default one;
// StorageObjectInUseProtection puts the protection finalizers on new claims
// and volumes, so they outlive the pods and claims using them;
// PersistentVolumeClaimResize lets a claim grow only where its class allows.
import type { KindInfo } from '../resources/kind'
import { parseQuantity } from '../resources/quantity'
import { findKind } from '../resources/registry'
import {
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
  claimClass,
  claimHasClass,
  defaultClass,
} from '../resources/storage'
import { ApiError } from './errors'
import type { Obj, Objects } from './objects'
import { status } from './status'

const STORAGE_CLASSES = findKind('storage.k8s.io', 'v1', 'storageclasses')!

/** What the plugins read: the StorageClasses. */
export type ClassReader = Pick<Objects, 'list' | 'get'>

const isCore = (k: KindInfo, kind: string) => k.kind === kind && !k.group

/** The mutating plugins, on create. */
export function admitStorageCreate(objects: ClassReader, k: KindInfo, o: Obj): void {
  if (isCore(k, 'PersistentVolumeClaim')) {
    if (!claimHasClass(o)) {
      const def = defaultClass(objects.list(STORAGE_CLASSES).items)
      if (def) (o.spec ??= {}).storageClassName = def.metadata.name
    }
    addFinalizer(o, PVC_PROTECTION_FINALIZER)
  }
  if (isCore(k, 'PersistentVolume')) addFinalizer(o, PV_PROTECTION_FINALIZER)
}

function addFinalizer(o: Obj, f: string): void {
  const list: string[] = (o.metadata.finalizers ??= [])
  if (!list.includes(f)) list.push(f)
}

/** PersistentVolumeClaimResize, on update: only a bound claim of an expandable class may ask for more. */
export function admitClaimResize(objects: ClassReader, k: KindInfo, o: Obj, old: Obj): void {
  if (!isCore(k, 'PersistentVolumeClaim')) return
  const next = parseQuantity(o.spec?.resources?.requests?.storage) ?? 0
  const prev = parseQuantity(old.spec?.resources?.requests?.storage) ?? 0
  if (next <= prev) return
  const forbid = (why: string) =>
    new ApiError(
      status(403, 'Forbidden', `persistentvolumeclaims "${o.metadata.name}" is forbidden: ${why}`, {
        name: o.metadata.name,
        kind: 'persistentvolumeclaims',
      }),
    )
  if (old.status?.phase !== 'Bound')
    throw forbid('Only bound persistent volume claims can be expanded')
  const cls = claimClass(o)
  const sc = cls ? objects.get(STORAGE_CLASSES, undefined, cls) : undefined
  if (!sc?.allowVolumeExpansion)
    throw forbid(
      'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    )
}

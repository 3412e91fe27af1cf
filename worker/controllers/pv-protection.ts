// The PV protection controller (pvprotection): a volume keeps its
// kubernetes.io/pv-protection finalizer while it is Bound, so deleting a
// volume in use leaves it Terminating until its claim lets it go. It also
// adds the finalizer to volumes created without it.
import { PV_PROTECTION_FINALIZER } from '../resources/storage'
import { type Controller, type ControllerContext, type KindRef, type Obj } from './framework/types'

const PVS: KindRef = '/v1/persistentvolumes'

const hasFinalizer = (o: Obj) => (o.metadata.finalizers ?? []).includes(PV_PROTECTION_FINALIZER)
const isDeletionCandidate = (o: Obj) => !!o.metadata.deletionTimestamp && hasFinalizer(o)
const needToAddFinalizer = (o: Obj) => !o.metadata.deletionTimestamp && !hasFinalizer(o)

export function syncVolumeProtection(ctx: ControllerContext, name: string): void {
  const volume = ctx.get(PVS, undefined, name)
  if (!volume) return
  if (isDeletionCandidate(volume)) {
    if (volume.status?.phase !== 'Bound')
      ctx.update(PVS, {
        ...volume,
        metadata: {
          ...volume.metadata,
          finalizers: volume.metadata.finalizers.filter(
            (f: string) => f !== PV_PROTECTION_FINALIZER,
          ),
        },
      })
    return
  }
  if (needToAddFinalizer(volume))
    ctx.update(PVS, {
      ...volume,
      metadata: {
        ...volume.metadata,
        finalizers: [...(volume.metadata.finalizers ?? []), PV_PROTECTION_FINALIZER],
      },
    })
}

export const pvProtectionController: Controller = {
  name: 'pv-protection',
  component: 'pv-protection-controller',
  watches: {
    [PVS]: (volume, _old, deleted) =>
      !deleted && (needToAddFinalizer(volume) || isDeletionCandidate(volume))
        ? [volume.metadata.name]
        : [],
  },
  sync: (key, ctx) => syncVolumeProtection(ctx, key),
}

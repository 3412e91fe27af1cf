// The volume expand controller (pkg/controller/volume/expand): a bound claim
// asking for more than it has. Our volumes are CSI volumes, which no in-tree
// plugin expands: the controller only says it waits for the driver's
// external resizer (the cloud's disk resizer here), on every look, as upstream.
import { parseQuantity } from '../resources/quantity'
import { type Controller, type ControllerContext, type KindRef, splitKey } from './framework/types'

const PVCS: KindRef = '/v1/persistentvolumeclaims'
const PVS: KindRef = '/v1/persistentvolumes'

export function syncExpand(ctx: ControllerContext, namespace: string, name: string): void {
  const claim = ctx.get(PVCS, namespace, name)
  if (!claim?.spec?.volumeName) return
  const volume = ctx.get(PVS, undefined, claim.spec.volumeName)
  if (!volume) return
  const requested = parseQuantity(claim.spec.resources?.requests?.storage) ?? 0
  const has = parseQuantity(claim.status?.capacity?.storage) ?? 0
  if (requested <= has) return
  const ref = volume.spec?.claimRef
  if (!ref || ref.namespace !== namespace || ref.name !== name) return
  // No in-tree plugin can expand it: a Warning, as FindExpandablePluginBySpec failed.
  ctx.event(
    claim,
    'Warning',
    'ExternalExpanding',
    'waiting for an external controller to expand this PVC',
  )
}

export const volumeExpandController: Controller = {
  name: 'persistentvolume-expander',
  component: 'volume_expand',
  watches: {
    [PVCS]: (claim, _old, deleted) =>
      deleted ? [] : [`${claim.metadata.namespace}/${claim.metadata.name}`],
  },
  sync(key, ctx) {
    const { namespace, name } = splitKey(key)
    if (namespace) syncExpand(ctx, namespace, name)
  },
}

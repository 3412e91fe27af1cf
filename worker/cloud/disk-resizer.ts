// The simulated cloud's disks growing: what external-resizer and the disk
// CSI driver do together (RecoverVolumeExpansionFailure on, as in 1.32). A
// bound claim of ours asking for more than its volume has is marked Resizing
// (allocatedResources, ControllerResizeInProgress); after RESIZE_DELAY_MS the
// disk and its PersistentVolume have the new size, and the claim waits for
// the kubelet to grow the filesystem (FileSystemResizePending,
// NodeResizePending), which finishes the claim's status.capacity.
import { rfc3339 } from '../apiserver/context'
import { formatBinary, parseQuantity } from '../resources/quantity'
import { DISK_DRIVER } from '../resources/storage'
import {
  type Controller,
  type ControllerContext,
  type KindRef,
  type Obj,
  splitKey,
} from '../controllers/framework/types'

const PVS: KindRef = '/v1/persistentvolumes'
const PVCS: KindRef = '/v1/persistentvolumeclaims'

/** How long (simulated) the cloud takes to grow a disk. */
export const RESIZE_DELAY_MS = 5_000
const GiB = 2 ** 30
type Condition = Record<string, any>
const RESIZE_CONDITIONS = new Set([
  'Resizing',
  'FileSystemResizePending',
  'ControllerResizeError',
  'NodeResizeError',
])

const size = (q: unknown) => parseQuantity(q as string) ?? 0
const requestOf = (claim: Obj) => size(claim.spec?.resources?.requests?.storage)

/** MergeResizeConditionsOfPVC: other conditions stay, the new ones replace theirs, old resize ones stay if asked. */
export function mergeResizeConditions(
  old: Condition[] = [],
  next: Condition[],
  keepOld: boolean,
): Condition[] {
  const byType = new Map(next.map((c) => [c.type, c]))
  const out: Condition[] = []
  for (const c of old) {
    if (!RESIZE_CONDITIONS.has(c.type)) out.push(c)
    else if (byType.has(c.type)) {
      out.push(byType.get(c.type)!)
      byType.delete(c.type)
    } else if (keepOld) out.push(c)
  }
  return [...out, ...byType.values()]
}

/** The claim's volume, if it is one of our disks bound to this very claim. */
function diskOf(ctx: ControllerContext, claim: Obj): Obj | undefined {
  const volume = claim.spec?.volumeName ? ctx.get(PVS, undefined, claim.spec.volumeName) : undefined
  if (volume?.spec?.csi?.driver !== DISK_DRIVER) return undefined
  const ref = volume.spec.claimRef
  return ref?.namespace === claim.metadata.namespace && ref?.uid === claim.metadata.uid
    ? volume
    : undefined
}

/** pvcNeedResize and pvNeedResize: bound, asking for more than it has, and the disk not yet that big. */
export function needsResize(claim: Obj, volume: Obj): boolean {
  if (claim.status?.phase !== 'Bound') return false
  const requested = requestOf(claim)
  if (requested <= size(claim.status?.capacity?.storage)) return false
  return size(volume.spec?.capacity?.storage) < requested
}

function syncClaim(ctx: ControllerContext, namespace: string, name: string): void {
  const claim = ctx.get(PVCS, namespace, name)
  if (!claim) return
  const volume = diskOf(ctx, claim)
  if (!volume || !needsResize(claim, volume)) return
  const target: string = claim.spec.resources.requests.storage
  const status: Obj = claim.status ?? {}
  if (
    status.allocatedResources?.storage === target &&
    status.allocatedResourceStatuses?.storage === 'ControllerResizeInProgress'
  )
    return
  ctx.updateStatus(PVCS, {
    ...claim,
    status: {
      ...status,
      conditions: mergeResizeConditions(
        status.conditions,
        [
          {
            type: 'Resizing',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: rfc3339(ctx.now),
          },
        ],
        false,
      ),
      allocatedResources: { ...(status.allocatedResources ?? {}), storage: target },
      allocatedResourceStatuses: {
        ...(status.allocatedResourceStatuses ?? {}),
        storage: 'ControllerResizeInProgress',
      },
    },
  })
  ctx.event(
    claim,
    'Normal',
    'Resizing',
    `External resizer is resizing volume ${volume.metadata.name}`,
  )
  ctx.requeueAfter(`expand:${namespace}/${name}`, RESIZE_DELAY_MS)
}

/** ControllerExpandVolume is done: the volume has the new size; the filesystem waits for the node. */
function finishExpansion(ctx: ControllerContext, namespace: string, name: string): void {
  const claim = ctx.get(PVCS, namespace, name)
  if (!claim || claim.status?.allocatedResourceStatuses?.storage !== 'ControllerResizeInProgress')
    return
  const volume = diskOf(ctx, claim)
  if (!volume) return
  // A disk grows in whole GiB.
  const grown = formatBinary(Math.ceil(size(claim.status.allocatedResources?.storage) / GiB) * GiB)
  if (size(volume.spec.capacity?.storage) < size(grown))
    ctx.update(PVS, {
      ...volume,
      spec: { ...volume.spec, capacity: { ...volume.spec.capacity, storage: grown } },
    })
  ctx.updateStatus(PVCS, {
    ...claim,
    status: {
      ...claim.status,
      conditions: mergeResizeConditions(
        claim.status.conditions,
        [
          {
            type: 'FileSystemResizePending',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: rfc3339(ctx.now),
            message:
              'Waiting for user to (re-)start a pod to finish file system resize of volume on node.',
          },
        ],
        true,
      ),
      allocatedResourceStatuses: {
        ...claim.status.allocatedResourceStatuses,
        storage: 'NodeResizePending',
      },
    },
  })
  ctx.event(
    claim,
    'Normal',
    'FileSystemResizeRequired',
    'Require file system resize of volume on node',
  )
}

export const diskResizer: Controller = {
  name: 'disk-resizer',
  component: `external-resizer ${DISK_DRIVER}`,
  watches: {
    [PVCS]: (claim, _old, deleted) =>
      !deleted && claim.spec?.volumeName && requestOf(claim) > size(claim.status?.capacity?.storage)
        ? [`claim:${claim.metadata.namespace}/${claim.metadata.name}`]
        : [],
  },
  sync(key, ctx) {
    const i = key.indexOf(':')
    const { namespace, name } = splitKey(key.slice(i + 1))
    if (!namespace) return
    if (key.startsWith('claim:')) syncClaim(ctx, namespace, name)
    else if (key.startsWith('expand:')) finishExpansion(ctx, namespace, name)
  },
}

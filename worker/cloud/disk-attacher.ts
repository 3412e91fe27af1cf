// The simulated cloud's disk driver behind its external-attacher sidecar:
// VolumeAttachments for pd.csi.wheelhouse.dev are attached (status.attached)
// a short while after they appear, as ControllerPublishVolume takes a few
// seconds on a real cloud, but only to a node in the disk's zone: a zonal
// disk cannot reach a VM elsewhere, and the attacher records why in
// status.attachError. Detaching is the attacher's finalizer coming off after
// the cloud has let go of the disk.
import { DISK_DRIVER, ZONE_LABEL } from '../resources/storage'
import {
  type Controller,
  type ControllerContext,
  type KindRef,
  type Obj,
  NODES,
} from '../controllers/framework/types'
import { rfc3339 } from '../apiserver/context'

const VOLUME_ATTACHMENTS: KindRef = 'storage.k8s.io/v1/volumeattachments'
const PVS: KindRef = '/v1/persistentvolumes'

/** How long attaching a disk to a VM takes. */
export const ATTACH_DELAY_MS = 3_000
/** How long detaching it takes. */
export const DETACH_DELAY_MS = 2_000
/** The external-attacher's finalizer: "external-attacher/" + the driver name with non-alphanumerics as "-". */
export const ATTACHER_FINALIZER = `external-attacher/${DISK_DRIVER.replace(/[^a-zA-Z0-9-]/g, '-')}`

/** The zones a disk lives in: its PV's required zone affinity, else its zone label. */
export function diskZones(pv: Obj): string[] | undefined {
  for (const term of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [])
    for (const e of term.matchExpressions ?? [])
      if (e.key === ZONE_LABEL && e.operator === 'In' && e.values?.length) return e.values
  const label = pv.metadata?.labels?.[ZONE_LABEL]
  return label ? String(label).split('__') : undefined
}

/** ControllerPublishVolume's answer: undefined when the disk can be attached to the node, else the error. */
export function publishError(
  pv: Obj | undefined,
  pvName: string,
  node: Obj | undefined,
  nodeName: string,
): string | undefined {
  if (!pv) return `persistentvolume "${pvName}" not found`
  if (!node) return `node "${nodeName}" not found`
  const handle: string = pv.spec?.csi?.volumeHandle ?? pvName
  const zones = diskZones(pv)
  const zone: string | undefined = node.metadata.labels?.[ZONE_LABEL]
  if (!zones || (zone && zones.includes(zone))) return undefined
  return `rpc error: code = FailedPrecondition desc = disk ${handle} is in zone ${zones.join(', ')} and cannot be attached to instance ${nodeName} in zone ${zone ?? '(none)'}`
}

const withFinalizers = (va: Obj, finalizers: string[]): Obj => ({
  ...va,
  metadata: { ...va.metadata, finalizers },
})

export function syncDiskAttachment(name: string, ctx: ControllerContext): void {
  let va = ctx.get(VOLUME_ATTACHMENTS, undefined, name)
  if (!va || va.spec?.attacher !== DISK_DRIVER) return
  const finalizers: string[] = va.metadata.finalizers ?? []
  if (va.metadata.deletionTimestamp) {
    if (!finalizers.includes(ATTACHER_FINALIZER)) return
    const due = Date.parse(va.metadata.deletionTimestamp) + DETACH_DELAY_MS
    if (ctx.now < due) return ctx.requeueAfter(name, due - ctx.now)
    ctx.update(
      VOLUME_ATTACHMENTS,
      withFinalizers(
        va,
        finalizers.filter((f) => f !== ATTACHER_FINALIZER),
      ),
    )
    return
  }
  if (va.status?.attached) return
  // The attacher claims the attachment before it calls the driver, so a deletion waits for the detach.
  if (!finalizers.includes(ATTACHER_FINALIZER))
    va = ctx.update(VOLUME_ATTACHMENTS, withFinalizers(va, [...finalizers, ATTACHER_FINALIZER]))
  const due = Date.parse(va.metadata.creationTimestamp) + ATTACH_DELAY_MS
  if (ctx.now < due) return ctx.requeueAfter(name, due - ctx.now)
  const pvName: string = va.spec.source?.persistentVolumeName ?? ''
  const nodeName: string = va.spec.nodeName
  const error = publishError(
    ctx.get(PVS, undefined, pvName),
    pvName,
    ctx.get(NODES, undefined, nodeName),
    nodeName,
  )
  if (error && va.status?.attachError?.message === error) return
  const status: Record<string, unknown> = error
    ? { attached: false, attachError: { time: rfc3339(ctx.now), message: error } }
    : { attached: true }
  ctx.updateStatus(VOLUME_ATTACHMENTS, { ...va, status })
}

export const diskAttacherController: Controller = {
  name: 'disk-attacher',
  component: 'external-attacher',
  watches: {
    [VOLUME_ATTACHMENTS]: (o) => (o.spec?.attacher === DISK_DRIVER ? [o.metadata.name] : []),
  },
  sync: syncDiskAttachment,
}

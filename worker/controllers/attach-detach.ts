// kube-controller-manager's attachdetach-controller, for CSI volumes: every
// bound claim of a pod scheduled to a node needs its volume attached there.
// Attaching is asking: a VolumeAttachment named as the CSI attacher names it,
// which the driver's external-attacher answers in its status; once attached,
// the volume is reported in the Node's status.volumesAttached, where the
// kubelet waits for it. A volume no pod on the node uses is detached once the
// kubelet no longer reports it in use (or its node is gone, out of service,
// or unreachable for upstream's 6 minutes). A ReadWriteOnce volume attached
// elsewhere is not attached again: Multi-Attach error, reported once.
//
// Keys: a node name (its attachments reconciled), or "pvc:<ns>/<name>" and
// "pv:<name>", which fan out to the nodes of the pods using that claim.
import { attachmentName, pvUniqueName } from '../resources/csi'
import {
  type Controller,
  type ControllerContext,
  type KindRef,
  type Obj,
  NODES,
  PODS,
} from './framework/types'

const PVCS: KindRef = '/v1/persistentvolumeclaims'
const PVS: KindRef = '/v1/persistentvolumes'
const VOLUME_ATTACHMENTS: KindRef = 'storage.k8s.io/v1/volumeattachments'
const EVENTS: KindRef = '/v1/events'

export const REASON_SUCCESSFUL_ATTACH = 'SuccessfulAttachVolume'
export const REASON_FAILED_ATTACH = 'FailedAttachVolume'
/** reconcilerMaxWaitForUnmountDuration: how long a volume still mounted on an unhealthy node is waited for. */
export const MAX_WAIT_FOR_UNMOUNT_MS = 6 * 60_000
/** A failed attach is tried again with exponential back-off, capped at 2m2s upstream; we retry at the cap. */
export const ATTACH_RETRY_MS = 2 * 60_000 + 2_000
const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service'

/** A volume some pods on the node need attached. */
export interface DesiredVolume {
  unique: string
  pv: Obj
  driver: string
  handle: string
  /** The pods on the node that use it (events about the attachment go to each). */
  pods: Obj[]
}

const notRunning = (statuses: Obj[] | undefined) =>
  (statuses ?? []).every((s) => s.state?.terminated || s.state?.waiting)

/** volumeutil.IsPodTerminated: finished, or deleted with nothing left running. */
export function isPodTerminated(pod: Obj): boolean {
  const phase = pod.status?.phase
  if (phase === 'Succeeded' || phase === 'Failed') return true
  return (
    !!pod.metadata.deletionTimestamp &&
    notRunning(pod.status?.initContainerStatuses) &&
    notRunning(pod.status?.containerStatuses) &&
    notRunning(pod.status?.ephemeralContainerStatuses)
  )
}

/** The claims a pod's volumes use (persistentVolumeClaim and generic ephemeral ones). */
export function podClaimNames(pod: Obj): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v: Obj) =>
    v.persistentVolumeClaim
      ? [v.persistentVolumeClaim.claimName]
      : v.ephemeral
        ? [`${pod.metadata.name}-${v.name}`]
        : [],
  )
}

/**
 * The desired state of one node: each attachable (CSI) volume behind a bound
 * claim of a pod there that has not terminated. Claims not yet bound are
 * skipped, as upstream's populator skips them until they are.
 */
export function desiredVolumes(
  pods: Obj[],
  claim: (ns: string, name: string) => Obj | undefined,
  volume: (name: string) => Obj | undefined,
): Map<string, DesiredVolume> {
  const out = new Map<string, DesiredVolume>()
  for (const pod of pods) {
    if (isPodTerminated(pod)) continue
    for (const name of podClaimNames(pod)) {
      const pvc = claim(pod.metadata.namespace, name)
      if (pvc?.status?.phase !== 'Bound' || !pvc.spec?.volumeName) continue
      const pv = volume(pvc.spec.volumeName)
      const unique = pv && pvUniqueName(pv)
      if (!pv || !unique) continue
      const d = out.get(unique)
      if (d) {
        if (!d.pods.includes(pod)) d.pods.push(pod)
      } else
        out.set(unique, {
          unique,
          pv,
          driver: pv.spec.csi.driver,
          handle: pv.spec.csi.volumeHandle,
          pods: [pod],
        })
    }
  }
  return out
}

/** util.IsMultiAttachAllowed for a PV: unknown modes allow it, RWX/ROX allow it, RWO/RWOP do not. */
export function multiAttachAllowed(pv: Obj): boolean {
  const modes: string[] = pv.spec?.accessModes ?? []
  return !modes.length || modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany')
}

/** reportMultiAttachError's message for one pod: names of blocking pods in its namespace, counts elsewhere. */
export function multiAttachMessage(pvName: string, pod: Obj, users: Obj[]): string {
  const local = users.filter((p) => p.metadata.namespace === pod.metadata.namespace)
  const others = users.length - local.length
  let msg: string
  if (!users.length)
    msg = "Volume is already exclusively attached to one node and can't be attached to another"
  else if (local.length) {
    msg = `Volume is already used by pod(s) ${local.map((p) => p.metadata.name).join(', ')}`
    if (others) msg += ` and ${others} pod(s) in different namespaces`
  } else msg = `Volume is already used by ${others} pod(s) in different namespaces`
  return `Multi-Attach error for volume "${pvName}" ${msg}`
}

const readyCondition = (node: Obj) =>
  (node.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready')

/** How long the node has been without a Ready kubelet (0 while Ready). */
function unhealthyFor(node: Obj, now: number): number {
  const ready = readyCondition(node)
  if (ready?.status === 'True') return 0
  const since = Date.parse(ready?.lastTransitionTime ?? '')
  return Number.isNaN(since) ? MAX_WAIT_FOR_UNMOUNT_MS : Math.max(0, now - since)
}

/** The VolumeAttachment name behind a reported unique name ("kubernetes.io/csi/<driver>^<handle>"). */
function attachmentOf(unique: string, node: string): string | undefined {
  const m = /^kubernetes\.io\/csi\/([^^]+)\^(.+)$/.exec(unique)
  return m ? attachmentName(m[2]!, m[1]!, node) : undefined
}

/** A warning to each pod using the volume, once: an identical one already recorded is not repeated. */
function warnOnce(ctx: ControllerContext, pod: Obj, message: string): void {
  const seen = ctx
    .list(EVENTS, {
      namespace: pod.metadata.namespace,
      fields: { 'involvedObject.uid': pod.metadata.uid, reason: REASON_FAILED_ATTACH },
    })
    .some((e) => e.message === message)
  if (!seen) ctx.event(pod, 'Warning', REASON_FAILED_ATTACH, message)
}

function syncNode(nodeName: string, ctx: ControllerContext): void {
  const node = ctx.get(NODES, undefined, nodeName)
  const pods = node ? ctx.list(PODS, { fields: { 'spec.nodeName': nodeName } }) : []
  const desired = desiredVolumes(
    pods,
    (ns, name) => ctx.get(PVCS, ns, name),
    (name) => ctx.get(PVS, undefined, name),
  )
  const attachments = ctx.list(VOLUME_ATTACHMENTS)
  const byName = new Map(attachments.map((va) => [va.metadata.name, va]))
  const reported = new Set<string>(
    (node?.status?.volumesAttached ?? []).map((v: Obj) => v.name as string),
  )
  const attached = new Set<string>()
  let retryIn: number | undefined
  const retry = (ms: number) => (retryIn = Math.min(retryIn ?? ms, ms))

  // Attach what the node's pods need.
  const wanted = new Set<string>()
  for (const d of desired.values()) {
    const name = attachmentName(d.handle, d.driver, nodeName)
    wanted.add(name)
    const va = byName.get(name)
    const pvName: string = d.pv.metadata.name
    if (!va) {
      const elsewhere = multiAttachAllowed(d.pv)
        ? []
        : attachments.filter(
            (x) => x.spec?.source?.persistentVolumeName === pvName && x.spec?.nodeName !== nodeName,
          )
      if (elsewhere.length) {
        // The pods there that still want the volume; the VolumeAttachment's removal brings us back.
        const nodes = new Set(elsewhere.map((x) => x.spec.nodeName as string))
        const users = ctx
          .list(PODS)
          .filter(
            (p) =>
              nodes.has(p.spec?.nodeName) &&
              !isPodTerminated(p) &&
              podClaimNames(p).some(
                (c) => ctx.get(PVCS, p.metadata.namespace, c)?.spec?.volumeName === pvName,
              ),
          )
        for (const pod of d.pods) warnOnce(ctx, pod, multiAttachMessage(pvName, pod, users))
        continue
      }
      ctx.create(VOLUME_ATTACHMENTS, {
        metadata: { name },
        spec: { attacher: d.driver, nodeName, source: { persistentVolumeName: pvName } },
      })
      continue
    }
    // Being detached: attach again once it is gone (its deletion is a write we hear of).
    if (va.metadata.deletionTimestamp) continue
    if (va.status?.attached) {
      attached.add(d.unique)
      if (!reported.has(d.unique))
        for (const pod of d.pods)
          ctx.event(
            pod,
            'Normal',
            REASON_SUCCESSFUL_ATTACH,
            `AttachVolume.Attach succeeded for volume "${pvName}" `,
          )
    } else if (va.status?.attachError) {
      const message = `AttachVolume.Attach failed for volume "${pvName}" : ${va.status.attachError.message}`
      for (const pod of d.pods) ctx.event(pod, 'Warning', REASON_FAILED_ATTACH, message)
      retry(ATTACH_RETRY_MS)
    }
  }

  // Detach what no pod on the node uses any more, once it is safe.
  const names = new Map<string, string>()
  for (const u of reported) {
    const n = attachmentOf(u, nodeName)
    if (n) names.set(n, u)
  }
  const inUse = new Set<string>(node?.status?.volumesInUse ?? [])
  for (const va of attachments) {
    if (va.spec?.nodeName !== nodeName || wanted.has(va.metadata.name)) continue
    if (va.metadata.deletionTimestamp) continue
    const pv = ctx.get(PVS, undefined, va.spec?.source?.persistentVolumeName ?? '')
    const unique = (pv && pvUniqueName(pv)) ?? names.get(va.metadata.name)
    const mounted = !!unique && inUse.has(unique)
    if (mounted && node) {
      const outOfService = (node.spec?.taints ?? []).some(
        (t: Obj) => t.key === OUT_OF_SERVICE_TAINT,
      )
      const waited = unhealthyFor(node, ctx.now)
      if (!outOfService && (waited === 0 || waited < MAX_WAIT_FOR_UNMOUNT_MS)) {
        // Still mounted: the kubelet's next status (volumesInUse) brings us back; an unhealthy one never will.
        if (unique && va.status?.attached) attached.add(unique)
        if (waited > 0) retry(MAX_WAIT_FOR_UNMOUNT_MS - waited)
        continue
      }
    }
    // Upstream stops reporting the volume as attached before it detaches it.
    ctx.delete(VOLUME_ATTACHMENTS, undefined, va.metadata.name)
  }

  if (node) {
    const next = [...attached].sort().map((name) => ({ name, devicePath: '' }))
    if (JSON.stringify(node.status?.volumesAttached ?? []) !== JSON.stringify(next)) {
      const status = { ...node.status, volumesAttached: next }
      if (!next.length) delete status.volumesAttached
      ctx.updateStatus(NODES, { ...node, status })
    }
  }
  if (retryIn !== undefined) ctx.requeueAfter(nodeName, retryIn)
}

/** A claim or volume changed: look again at the nodes of the pods that use it. */
function fanOut(namespace: string, claim: string, ctx: ControllerContext): void {
  const nodes = new Set<string>()
  for (const p of ctx.list(PODS, { namespace }))
    if (p.spec?.nodeName && podClaimNames(p).includes(claim)) nodes.add(p.spec.nodeName)
  for (const n of nodes) ctx.requeueAfter(n, 0)
}

export function syncAttachDetach(key: string, ctx: ControllerContext): void {
  if (key.startsWith('pvc:')) {
    const [ns, name] = key.slice(4).split('/') as [string, string]
    return fanOut(ns, name, ctx)
  }
  if (key.startsWith('pv:')) {
    const pv = ctx.get(PVS, undefined, key.slice(3))
    const ref = pv?.spec?.claimRef
    if (ref?.namespace && ref.name) fanOut(ref.namespace, ref.name, ctx)
    return
  }
  syncNode(key, ctx)
}

const hasClaims = (pod: Obj) => podClaimNames(pod).length > 0

export const attachDetachController: Controller = {
  name: 'attachdetach',
  component: 'attachdetach-controller',
  watches: {
    [PODS]: (o) => (o.spec?.nodeName && hasClaims(o) ? [o.spec.nodeName] : []),
    // Nodes with attachments: the kubelet's volumesInUse decides when a detach is safe.
    [NODES]: (o) =>
      o.status?.volumesAttached?.length || o.status?.volumesInUse?.length ? [o.metadata.name] : [],
    [VOLUME_ATTACHMENTS]: (o) => {
      const keys: string[] = []
      if (o.spec?.nodeName) keys.push(o.spec.nodeName)
      // One gone elsewhere may unblock a ReadWriteOnce volume waiting for another node.
      if (o.spec?.source?.persistentVolumeName)
        keys.push(`pv:${o.spec.source.persistentVolumeName}`)
      return keys
    },
    [PVCS]: (o) => [`pvc:${o.metadata.namespace}/${o.metadata.name}`],
    [PVS]: (o) => [`pv:${o.metadata.name}`],
  },
  sync: syncAttachDetach,
}

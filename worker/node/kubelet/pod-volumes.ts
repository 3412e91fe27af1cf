// The kubelet's volume manager for claim volumes, as pure functions: its
// desired-state populator finds each mounted claim Bound and its PV bound
// back to it (else the pod's volumes fail to process, with upstream's
// errors), and WaitForAttachAndMount holds the pod's containers until every
// attachable volume is in the Node's status.volumesAttached. The volumes a
// pod has resolved are what the kubelet reports in status.volumesInUse.
//
// As in Kubernetes 1.32 (kubelet.go since 1.28), only a wait that ends in an
// error gives a FailedMount event; one that merely times out after
// podAttachAndMountTimeout (waiting for the attach/detach controller) is
// silent: the pod just stays ContainerCreating, and describe shows the
// controller's FailedAttachVolume events.
import { pvUniqueName } from '../../resources/csi'
import type { ObjectRead } from '../../resources/node-rpc'
import type { ConfigLookup } from './container-config'

type Obj = Record<string, any>

/** podAttachAndMountTimeout: one wait of the pod worker for its volumes (2m3s, recognisably not 2m). */
export const POD_ATTACH_AND_MOUNT_TIMEOUT_MS = 2 * 60_000 + 3_000

/** The pod's claim volumes that its containers mount (the populator skips unused ones). */
export function claimVolumes(pod: Obj): { volume: string; claim: string }[] {
  const used = new Set<string>()
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const m of c.volumeMounts ?? []) used.add(m.name)
    for (const d of c.volumeDevices ?? []) used.add(d.name)
  }
  const out: { volume: string; claim: string }[] = []
  for (const v of pod.spec?.volumes ?? []) {
    if (!used.has(v.name)) continue
    if (v.persistentVolumeClaim)
      out.push({ volume: v.name, claim: v.persistentVolumeClaim.claimName })
    else if (v.ephemeral) out.push({ volume: v.name, claim: `${pod.metadata.name}-${v.name}` })
  }
  return out
}

export type ClaimVolumesResult =
  /** Claims or volumes to fetch first. */
  | { ok: 'fetch'; reads: ObjectRead[] }
  /** Some volumes could not be processed: the FailedMount message, and the names of those volumes. */
  | { ok: false; failed: string[]; message: string }
  /** Volume name → CSI unique name ("" when it needs no attaching). */
  | { ok: true; volumes: Record<string, string> }

/** getPVCExtractPV and getPVSpec: the claim must be Bound, its PV bound back to it. */
function processClaim(
  ns: string,
  claim: string,
  lookup: ConfigLookup,
  reads: ObjectRead[],
): string | { unique: string } | undefined {
  const pvc = lookup('persistentvolumeclaims', ns, claim)
  if (pvc === undefined) {
    reads.push({ resource: 'persistentvolumeclaims', namespace: ns, name: claim })
    return undefined
  }
  const fail = (why: string) => `error processing PVC ${ns}/${claim}: ${why}`
  if (pvc === null)
    return fail(`failed to fetch PVC from API server: persistentvolumeclaims "${claim}" not found`)
  reads.push({ resource: 'persistentvolumeclaims', namespace: ns, name: claim })
  if (pvc.metadata.deletionTimestamp) return fail('PVC is being deleted')
  if (pvc.status?.phase !== 'Bound') return fail('PVC is not bound')
  const pvName: string | undefined = pvc.spec?.volumeName
  if (!pvName) return fail('PVC has empty pvc.Spec.VolumeName')
  const pv = lookup('persistentvolumes', '', pvName)
  if (pv === undefined) {
    reads.push({ resource: 'persistentvolumes', namespace: '', name: pvName })
    return undefined
  }
  if (pv === null)
    return fail(
      `failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`,
    )
  const ref = pv.spec?.claimRef
  if (!ref)
    return fail(
      `found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`,
    )
  if (ref.uid !== pvc.metadata.uid)
    return fail(
      `found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${ref.uid ?? ''} does not point to claim.UID ${pvc.metadata.uid}`,
    )
  return { unique: pvUniqueName(pv) ?? '' }
}

const goList = (names: string[]) => `[${[...names].sort().join(' ')}]`

/** Resolves every claim volume of the pod, or says what to fetch, or why they cannot be processed. */
export function resolveClaimVolumes(
  pod: Obj,
  lookup: ConfigLookup,
  attached: ReadonlySet<string> = new Set(),
): ClaimVolumesResult {
  const ns: string = pod.metadata.namespace
  const reads: ObjectRead[] = []
  const volumes: Record<string, string> = {}
  const failed: string[] = []
  const errors: string[] = []
  let missing = false
  for (const { volume, claim } of claimVolumes(pod)) {
    const r = processClaim(ns, claim, lookup, reads)
    if (r === undefined) missing = true
    else if (typeof r === 'string') {
      failed.push(volume)
      errors.push(r)
    } else volumes[volume] = r.unique
  }
  if (missing) return { ok: 'fetch', reads }
  if (failed.length)
    return {
      ok: false,
      failed,
      // WaitForAttachAndMount's error, with the volumes the populator did take still unattached.
      message: `Unable to attach or mount volumes: unmounted volumes=${goList(
        Object.keys(volumes).concat(failed),
      )}, unattached volumes=${goList(unattachedVolumes(volumes, attached))}, failed to process volumes=${goList(failed)}: ${errors.join('; ')}`,
    }
  return { ok: true, volumes }
}

/** The resolved volumes whose attachment the node does not report yet. */
export function unattachedVolumes(
  volumes: Record<string, string>,
  attached: ReadonlySet<string>,
): string[] {
  return Object.keys(volumes)
    .filter((v) => volumes[v] && !attached.has(volumes[v]!))
    .sort()
}

/** The Node's status.volumesAttached, as the set of unique names. */
export const attachedOf = (node: Obj | undefined): Set<string> =>
  new Set((node?.status?.volumesAttached ?? []).map((v: Obj) => v.name as string))

/** status.volumesInUse: the attachable volumes of pods not yet gone, sorted, each once. */
export function volumesInUse(
  records: { claimVolumes?: Record<string, string>; finished?: boolean }[],
): string[] {
  const out = new Set<string>()
  for (const r of records)
    if (!r.finished) for (const u of Object.values(r.claimVolumes ?? {})) if (u) out.add(u)
  return [...out].sort()
}

/**
 * The claim volumes' part of setting up a pod's sandbox: resolve them once,
 * then wait while any is not attached. `fetch` asks for claims and volumes,
 * `failed` is a FailedMount to report (retried after the worker's back-off),
 * `waiting` holds the pod until the Node reports the attachments.
 */
export function setUpClaimVolumes(
  rec: { pod: Obj; claimVolumes?: Record<string, string>; awaitingAttach?: boolean },
  lookup: ConfigLookup,
  attached: ReadonlySet<string>,
): { fetch?: ObjectRead[]; failed?: string; waiting?: boolean } {
  if (!rec.claimVolumes) {
    const r = resolveClaimVolumes(rec.pod, lookup, attached)
    if (r.ok === 'fetch') return { fetch: r.reads }
    if (r.ok === false) return { failed: r.message }
    if (!Object.keys(r.volumes).length) return {}
    rec.claimVolumes = r.volumes
  }
  const waiting = unattachedVolumes(rec.claimVolumes, attached).length > 0
  if (waiting) rec.awaitingAttach = true
  else delete rec.awaitingAttach
  return { waiting }
}

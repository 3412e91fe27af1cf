// What the ReplicaSet and Deployment controllers share, after upstream's
// pkg/controller/controller_utils.go and pkg/api/v1/pod: pod liveness and
// readiness, the order in which surplus pods are deleted, slow-start batches,
// controller references and the pod-template-hash.
import { ApiError } from '../apiserver/errors'
import { type ControllerContext, type Obj, PODS } from './framework/types'

/** Upstream's event reasons for pod writes (controller_utils.go); kubectl describe users know them. */
export const FailedCreatePodReason = 'FailedCreate'
export const SuccessfulCreatePodReason = 'SuccessfulCreate'
export const FailedDeletePodReason = 'FailedDelete'
export const SuccessfulDeletePodReason = 'SuccessfulDelete'

/** Creates go 1, 2, 4, … at a time (controller.SlowStartInitialBatchSize). */
export const SlowStartInitialBatchSize = 1

/** The pod-deletion-cost annotation (beta, on by default since 1.22). */
export const PodDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost'

/** A time field as ms, 0 when unset ("zero time" upstream). */
export const timeOf = (t: string | undefined): number => (t ? Date.parse(t) || 0 : 0)

/** Not terminating and not finished: the pods a controller counts. */
export const isPodActive = (pod: Obj): boolean =>
  pod.status?.phase !== 'Succeeded' &&
  pod.status?.phase !== 'Failed' &&
  !pod.metadata.deletionTimestamp

export const filterActivePods = (pods: Obj[]): Obj[] => pods.filter(isPodActive)

const readyCondition = (pod: Obj): Record<string, any> | undefined =>
  (pod.status?.conditions ?? []).find((c: Record<string, any>) => c.type === 'Ready')

export const isPodReady = (pod: Obj): boolean => readyCondition(pod)?.status === 'True'

/** When the pod became ready (ms), or undefined when it is not ready or the time is unknown. */
export function podReadySince(pod: Obj): number | undefined {
  const c = readyCondition(pod)
  if (c?.status !== 'True') return undefined
  return timeOf(c.lastTransitionTime) || undefined
}

/** Ready for more than minReadySeconds (strictly, as podutil.IsPodAvailable). */
export function isPodAvailable(pod: Obj, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false
  if (!minReadySeconds) return true
  const since = podReadySince(pod)
  return since !== undefined && since + minReadySeconds * 1000 < now
}

/**
 * For a ready pod not yet available, the ms until it is (the first instant
 * strictly past the deadline); undefined otherwise.
 */
export function msUntilAvailable(
  pod: Obj,
  minReadySeconds: number,
  now: number,
): number | undefined {
  if (!minReadySeconds || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now))
    return undefined
  const since = podReadySince(pod)
  return since === undefined ? undefined : since + minReadySeconds * 1000 - now + 1
}

const maxContainerRestarts = (pod: Obj): number =>
  Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c: Obj) => c.restartCount ?? 0))

/** The pod-deletion-cost, 0 when absent or not a valid int32 (helper.GetDeletionCostFromPodAnnotations). */
export function podDeletionCost(pod: Obj): number {
  const v = pod.metadata.annotations?.[PodDeletionCostAnnotation]
  if (typeof v !== 'string' || !/^(0|-\d+|[1-9]\d*)$/.test(v)) return 0
  const n = Number(v)
  return n >= -2147483648 && n <= 2147483647 ? n : 0
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 }

/** Go's afterOrZero: t1 after t2, a zero time counting as after everything. */
const afterOrZero = (t1: number, t2: number) => (t1 === 0 || t2 === 0 ? t1 === 0 : t1 > t2)

/** floor(log2(age in ns)), -1 for no age: times within one bucket tie (LogarithmicScaleDown). */
const logRank = (t: number, now: number) => {
  const d = (now - t) * 1e6
  return d > 0 ? Math.floor(Math.log2(d)) : -1
}

/** Newer first (afterOrZero), compared on a logarithmic scale when now is known; ties by uid. */
function newerFirst(t1: number, t2: number, a: Obj, b: Obj, now: number | undefined): boolean {
  if (!now || !t1 || !t2) return afterOrZero(t1, t2)
  const diff = logRank(t1, now) - logRank(t2, now)
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '')
  return diff < 0
}

export interface RankedPod {
  pod: Obj
  /** Active related pods on the same node. */
  rank: number
}

/**
 * Whether a should be deleted before b (ActivePodsWithRanks.Less): unassigned
 * before assigned; Pending, Unknown, then Running; not ready before ready;
 * lower deletion cost; more co-located related pods; ready for less time;
 * more container restarts; created more recently.
 */
export function deleteBefore(a: RankedPod, b: RankedPod, now?: number): boolean {
  const na = a.pod.spec?.nodeName ?? ''
  const nb = b.pod.spec?.nodeName ?? ''
  if (na !== nb && (!na || !nb)) return !na
  const pa = PHASE_ORDINAL[a.pod.status?.phase] ?? 0
  const pb = PHASE_ORDINAL[b.pod.status?.phase] ?? 0
  if (pa !== pb) return pa < pb
  const ra = isPodReady(a.pod)
  const rb = isPodReady(b.pod)
  if (ra !== rb) return !ra
  const ca = podDeletionCost(a.pod)
  const cb = podDeletionCost(b.pod)
  if (ca !== cb) return ca < cb
  if (a.rank !== b.rank) return a.rank > b.rank
  if (ra && rb) {
    const ta = podReadySince(a.pod) ?? 0
    const tb = podReadySince(b.pod) ?? 0
    if (ta !== tb) return newerFirst(ta, tb, a.pod, b.pod, now)
  }
  const xa = maxContainerRestarts(a.pod)
  const xb = maxContainerRestarts(b.pod)
  if (xa !== xb) return xa > xb
  const ka = timeOf(a.pod.metadata.creationTimestamp)
  const kb = timeOf(b.pod.metadata.creationTimestamp)
  if (ka !== kb) return newerFirst(ka, kb, a.pod, b.pod, now)
  return false
}

/** deleteBefore as an Array.prototype.sort comparator. */
export const compareForDeletion =
  (now?: number) =>
  (a: RankedPod, b: RankedPod): number =>
    deleteBefore(a, b, now) ? -1 : deleteBefore(b, a, now) ? 1 : 0

/**
 * pods ordered for deletion, first the one to delete first; each ranked by
 * the active pods of related on its node (getPodsRankedByRelatedPodsOnSameNode).
 * With now, ready and creation times compare on upstream's logarithmic scale.
 */
export function rankPodsForDeletion(pods: Obj[], related: Obj[], now?: number): Obj[] {
  const onNode = new Map<string, number>()
  for (const p of related) {
    if (!isPodActive(p)) continue
    const n = p.spec?.nodeName ?? ''
    onNode.set(n, (onNode.get(n) ?? 0) + 1)
  }
  return pods
    .map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }))
    .sort(compareForDeletion(now))
    .map((r) => r.pod)
}

export interface BatchResult {
  successes: number
  /** The first failure, when a batch had one (later batches were not tried). */
  error?: unknown
}

/**
 * Calls fn count times in batches of initialBatchSize, doubling, so a
 * systematic failure (quota, validation) costs one call rather than count.
 * A batch runs in full; the first batch with a failure is the last.
 */
export function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => void,
): BatchResult {
  let remaining = count
  let successes = 0
  for (
    let size = Math.min(remaining, initialBatchSize);
    size > 0;
    size = Math.min(2 * size, remaining)
  ) {
    let error: unknown
    let failed = false
    for (let i = 0; i < size; i++) {
      try {
        fn()
        successes++
      } catch (e) {
        if (!failed) error = e
        failed = true
      }
    }
    if (failed) return { successes, error }
    remaining -= size
  }
  return { successes }
}

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller: true
  blockOwnerDeletion: true
}

/** The controller reference to owner (metav1.NewControllerRef). */
export const ownerRef = (owner: Obj, kind: string, apiVersion: string): OwnerReference => ({
  apiVersion,
  kind,
  name: owner.metadata.name,
  uid: owner.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
})

/**
 * A pod from a controller's template (GetPodFromTemplate): the template's
 * labels, annotations and finalizers, generateName "<owner>-", the
 * controller reference, and a copy of its spec.
 */
export function podFromTemplate(template: Obj | undefined, owner: Obj, ref: OwnerReference): Obj {
  const meta = template?.metadata ?? {}
  const pod: Obj = {
    metadata: {
      namespace: owner.metadata.namespace,
      generateName: `${owner.metadata.name}-`,
      ownerReferences: [ref],
    },
    spec: structuredClone(template?.spec ?? {}),
  }
  if (meta.labels) pod.metadata.labels = { ...meta.labels }
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations }
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers]
  return pod
}

/** JSON with object keys sorted, undefined members left out: one text per value. */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v))
    return `[${v.map((x) => (x === undefined ? 'null' : canonicalJSON(x))).join(',')}]`
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    const parts = Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`)
    return `{${parts.join(',')}}`
  }
  return JSON.stringify(v) ?? 'null'
}

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

export function fnv1a32(bytes: Uint8Array, h = FNV_OFFSET): number {
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0
  return h >>> 0
}

/** apimachinery's rand.SafeEncodeString alphabet: no vowels, no look-alikes, so no words. */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

export const safeEncodeString = (s: string): string =>
  [...new TextEncoder().encode(s)].map((b) => SAFE_ALPHANUMS[b % SAFE_ALPHANUMS.length]).join('')

/**
 * The pod-template-hash (controller.ComputeHash): FNV-1a 32 over the
 * template (ours: its canonical JSON; upstream's: a deep print of the Go
 * struct) then, when given, collisionCount as 8 little-endian bytes; the
 * decimal sum in the safe alphabet, e.g. "7c5ddbdf54".
 */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv1a32(new TextEncoder().encode(canonicalJSON(template)))
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true)
    h = fnv1a32(b, h)
  }
  return safeEncodeString(String(h))
}

const creationThenName = (a: Obj, b: Obj): number => {
  const d = timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp)
  return d !== 0
    ? d
    : a.metadata.name < b.metadata.name
      ? -1
      : a.metadata.name > b.metadata.name
        ? 1
        : 0
}

/** Oldest first, names breaking ties (ReplicaSetsByCreationTimestamp). */
export const byCreationTimestamp = (rss: Obj[]): Obj[] => [...rss].sort(creationThenName)

const replicasOf = (rs: Obj): number => rs.spec?.replicas ?? 1

/** Largest first, then oldest (ReplicaSetsBySizeOlder). */
export const bySizeOlder = (rss: Obj[]): Obj[] =>
  [...rss].sort((a, b) => replicasOf(b) - replicasOf(a) || creationThenName(a, b))

/** Largest first, then newest (ReplicaSetsBySizeNewer). */
export const bySizeNewer = (rss: Obj[]): Obj[] =>
  [...rss].sort((a, b) => replicasOf(b) - replicasOf(a) || creationThenName(b, a))

/** Replica sets that have, or ought to have, pods (FilterActiveReplicaSets). */
export const filterActiveReplicaSets = (rss: Obj[]): Obj[] => rss.filter((rs) => replicasOf(rs) > 0)

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.status.code === 404

/** Refused because the namespace is being deleted (HasStatusCause NamespaceTerminating). */
export const isNamespaceTerminating = (e: unknown): boolean =>
  e instanceof ApiError &&
  !!e.status.details?.causes?.some((c) => c.type === 'NamespaceTerminating')

/**
 * Pod writes on behalf of a controller, with upstream's events on its owner
 * (PodControlInterface); swappable so tests can fail or count them.
 */
export interface PodControl {
  /** Creates a pod from template owned by ref; returns it. Throws the API's refusal. */
  createPod(ctx: ControllerContext, template: Obj | undefined, owner: Obj, ref: OwnerReference): Obj
  /** Deletes pod if it still has its uid. Throws NotFound as is (no event), other refusals as "unable to delete pods: …". */
  deletePod(ctx: ControllerContext, pod: Obj, owner: Obj): void
}

export const realPodControl: PodControl = {
  createPod(ctx, template, owner, ref) {
    const pod = podFromTemplate(template, owner, ref)
    if (!Object.keys(pod.metadata.labels ?? {}).length)
      throw new Error('unable to create pods, no labels')
    let created: Obj
    try {
      created = ctx.create(PODS, pod)
    } catch (e) {
      // A terminating namespace is no news to anyone: no event.
      if (!isNamespaceTerminating(e))
        ctx.event(owner, 'Warning', FailedCreatePodReason, `Error creating: ${messageOf(e)}`)
      throw e
    }
    ctx.event(owner, 'Normal', SuccessfulCreatePodReason, `Created pod: ${created.metadata.name}`)
    return created
  },
  deletePod(ctx, pod, owner) {
    try {
      ctx.delete(PODS, pod.metadata.namespace, pod.metadata.name, { uid: pod.metadata.uid })
    } catch (e) {
      if (isNotFound(e)) throw e
      ctx.event(owner, 'Warning', FailedDeletePodReason, `Error deleting: ${messageOf(e)}`)
      throw new Error(`unable to delete pods: ${messageOf(e)}`)
    }
    ctx.event(owner, 'Normal', SuccessfulDeletePodReason, `Deleted pod: ${pod.metadata.name}`)
  },
}

// The ReplicaSet controller, after upstream's pkg/controller/replicaset:
// claim the pods the selector picks (adopting orphans, releasing strays),
// create or delete the difference to spec.replicas, then write the status.
// Writes apply before the next read, so upstream's expectations (which stop a
// sync from acting on a cache that has not seen its last writes) always hold
// and are left out.
import { rfc3339 } from '../apiserver/context'
import {
  canonicalJSON,
  filterActivePods,
  isNamespaceTerminating,
  isNotFound,
  isPodActive,
  isPodAvailable,
  isPodReady,
  msUntilAvailable,
  ownerRef,
  type PodControl,
  rankPodsForDeletion,
  realPodControl,
  SlowStartInitialBatchSize,
  slowStartBatch,
} from './controller-utils'
import {
  type Controller,
  type ControllerContext,
  controllerOf,
  type KeysFor,
  keyOf,
  type Obj,
  PODS,
  REPLICASETS,
  splitKey,
} from './framework/types'
import {
  compileSelector,
  InvalidSelectorError,
  type Labels,
  selectorMatches,
} from './label-selector'

/** At most this many creates or deletes per sync (the controller manager's BurstReplicas). */
export const BurstReplicas = 500

export const ReplicaSetKind = 'ReplicaSet'
export const ReplicaSetAPIVersion = 'apps/v1'
export const ReplicaFailure = 'ReplicaFailure'

/**
 * The name part of a key meaning "every ReplicaSet in the namespace": an
 * orphan pod may be adopted by any of them, and KeysFor cannot list them, so
 * `ns/*` is enqueued and sync itself fans out (ReplicaSet names never hold "*").
 */
export const ALL_IN_NAMESPACE = '*'

const rsRefOf = (o: Obj | undefined) => {
  const ref = o && controllerOf(o)
  return ref?.kind === ReplicaSetKind ? ref : undefined
}

const sameLabels = (a: Labels, b: Labels) => canonicalJSON(a ?? {}) === canonicalJSON(b ?? {})

/**
 * addPod/updatePod/deletePod: the controlling ReplicaSet, the old one when
 * the reference changed, and for an orphan that may now be adoptable
 * (added, or its labels or reference changed) every ReplicaSet in its namespace.
 */
export const podKeys: KeysFor = (pod, old, deleted) => {
  const ns = pod.metadata.namespace
  const keys = new Set<string>()
  const ref = rsRefOf(pod)
  const oldRef = rsRefOf(old)
  if (ref) keys.add(`${ns}/${ref.name}`)
  if (oldRef && oldRef.uid !== ref?.uid) keys.add(`${ns}/${oldRef.name}`)
  if (!deleted && !controllerOf(pod) && !pod.metadata.deletionTimestamp) {
    // Without the old object (the runner may not pass it) every write counts as a change.
    const changed =
      !old || !sameLabels(old.metadata.labels, pod.metadata.labels) || !!controllerOf(old)
    if (changed) keys.add(`${ns}/${ALL_IN_NAMESPACE}`)
  }
  return [...keys]
}

export interface ReplicaSetStatus {
  replicas: number
  fullyLabeledReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  observedGeneration?: number
  conditions?: Record<string, any>[]
  [field: string]: unknown
}

/** Drops zero counts and empty conditions, as the Go types' omitempty does. */
function omitEmpty(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { ...s, replicas: s.replicas ?? 0 }
  for (const f of [
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
    'observedGeneration',
  ] as const)
    if (!out[f]) delete out[f]
  if (!out.conditions?.length) delete out.conditions
  return out
}

/**
 * The status for the active pods rs owns, and the ReplicaFailure condition:
 * set (FailedCreate when short of pods, FailedDelete when over) on the first
 * error, kept while errors go on, removed once a sync goes well.
 */
export function calculateStatus(
  rs: Obj,
  pods: Obj[],
  manageReplicasErr: unknown,
  now: number,
): ReplicaSetStatus {
  const prev = (rs.status ?? {}) as ReplicaSetStatus
  const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {}
  const minReadySeconds: number = rs.spec?.minReadySeconds ?? 0
  let fullyLabeled = 0
  let ready = 0
  let available = 0
  for (const p of pods) {
    const l = p.metadata.labels ?? {}
    if (Object.entries(templateLabels).every(([k, v]) => l[k] === v)) fullyLabeled++
    if (isPodReady(p)) {
      ready++
      if (isPodAvailable(p, minReadySeconds, now)) available++
    }
  }
  let conditions: Record<string, any>[] = [...(prev.conditions ?? [])]
  const failure = conditions.find((c) => c.type === ReplicaFailure)
  if (manageReplicasErr && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1)
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : undefined
    const message =
      manageReplicasErr instanceof Error ? manageReplicasErr.message : String(manageReplicasErr)
    conditions.push({
      type: ReplicaFailure,
      status: 'True',
      lastTransitionTime: rfc3339(now),
      ...(reason && { reason }),
      message,
    })
  } else if (!manageReplicasErr && failure) conditions = conditions.filter((c) => c !== failure)
  return omitEmpty({
    ...prev,
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    conditions,
  })
}

/**
 * The diff pods to delete, most deletable first; pods are ranked by how many
 * of related (the pods of every ReplicaSet under the same controller) share
 * their node, so scale-down spreads.
 */
export function getPodsToDelete(pods: Obj[], related: Obj[], diff: number, now?: number): Obj[] {
  const ordered = diff < pods.length ? rankPodsForDeletion(pods, related, now) : pods
  return ordered.slice(0, diff)
}

/**
 * Pods of the ReplicaSets that share rs's controller (its Deployment's
 * history). A ReplicaSet with no controller has none, as upstream: its pods
 * then all rank 0.
 */
function getIndirectlyRelatedPods(ctx: ControllerContext, rs: Obj): Obj[] {
  const ref = controllerOf(rs)
  if (!ref) return []
  const ns = rs.metadata.namespace
  const uids = new Set(
    ctx
      .list(REPLICASETS, { namespace: ns })
      .filter((r) => controllerOf(r)?.uid === ref.uid)
      .map((r) => r.metadata.uid),
  )
  return ctx.list(PODS, { namespace: ns }).filter((p) => uids.has(controllerOf(p)?.uid))
}

/** rs's controller reference set on pod (ownerReferences merge by uid). */
function adoptPod(ctx: ControllerContext, rs: Obj, pod: Obj): Obj {
  const ref = ownerRef(rs, ReplicaSetKind, ReplicaSetAPIVersion)
  const refs = (pod.metadata.ownerReferences ?? []).filter((r: Obj) => r.uid !== ref.uid)
  return ctx.update(PODS, {
    ...pod,
    metadata: { ...pod.metadata, ownerReferences: [...refs, ref] },
  })
}

function releasePod(ctx: ControllerContext, rs: Obj, pod: Obj): void {
  const refs = (pod.metadata.ownerReferences ?? []).filter((r: Obj) => r.uid !== rs.metadata.uid)
  const metadata = { ...pod.metadata, ownerReferences: refs }
  if (!refs.length) delete metadata.ownerReferences
  ctx.update(PODS, { ...pod, metadata })
}

/**
 * The pods rs controls (ClaimPods): its own that still match; orphans that
 * match, adopted unless rs is being deleted; its own that no longer match are
 * released. Pods controlled by another are left alone.
 */
export function claimPods(
  ctx: ControllerContext,
  rs: Obj,
  matches: (l: Labels) => boolean,
  pods: Obj[],
): Obj[] {
  const claimed: Obj[] = []
  const deleting = !!rs.metadata.deletionTimestamp
  for (const pod of pods) {
    const ref = controllerOf(pod)
    try {
      if (ref) {
        if (ref.uid !== rs.metadata.uid) continue
        if (matches(pod.metadata.labels)) claimed.push(pod)
        else if (!deleting) releasePod(ctx, rs, pod)
        continue
      }
      if (deleting || !matches(pod.metadata.labels) || pod.metadata.deletionTimestamp) continue
      if (pod.metadata.namespace !== rs.metadata.namespace) continue
      claimed.push(adoptPod(ctx, rs, pod))
    } catch (e) {
      // Gone meanwhile: nothing to claim or release.
      if (!isNotFound(e)) throw e
    }
  }
  return claimed
}

/** Creates or deletes (at most BurstReplicas) toward spec.replicas; the first error, if any. */
export function manageReplicas(
  ctx: ControllerContext,
  pods: Obj[],
  rs: Obj,
  podControl: PodControl,
): unknown {
  const diff = pods.length - (rs.spec?.replicas ?? 1)
  if (diff < 0) {
    const ref = ownerRef(rs, ReplicaSetKind, ReplicaSetAPIVersion)
    const { error } = slowStartBatch(
      Math.min(-diff, BurstReplicas),
      SlowStartInitialBatchSize,
      () => {
        try {
          podControl.createPod(ctx, rs.spec?.template, rs, ref)
        } catch (e) {
          // A namespace being deleted wants no pods: not a failure.
          if (!isNamespaceTerminating(e)) throw e
        }
      },
    )
    return error
  }
  if (diff > 0) {
    const related = getIndirectlyRelatedPods(ctx, rs)
    let first: unknown
    for (const pod of getPodsToDelete(pods, related, Math.min(diff, BurstReplicas), ctx.now)) {
      try {
        podControl.deletePod(ctx, pod, rs)
      } catch (e) {
        if (!isNotFound(e)) first ??= e
      }
    }
    return first
  }
  return undefined
}

function updateReplicaSetStatus(ctx: ControllerContext, rs: Obj, status: ReplicaSetStatus): Obj {
  const next = omitEmpty({ ...status, observedGeneration: rs.metadata.generation })
  if (canonicalJSON(omitEmpty((rs.status ?? {}) as ReplicaSetStatus)) === canonicalJSON(next))
    return rs
  return ctx.updateStatus(REPLICASETS, { ...rs, status: next })
}

function syncReplicaSet(
  ctx: ControllerContext,
  namespace: string | undefined,
  name: string,
  podControl: PodControl,
): void {
  const rs = ctx.get(REPLICASETS, namespace, name)
  if (!rs) return
  // Events name the ReplicaSet even if the store's copy lacks its type.
  const owner: Obj = { apiVersion: ReplicaSetAPIVersion, kind: ReplicaSetKind, ...rs }
  let matches: (l: Labels) => boolean
  try {
    matches = compileSelector(rs.spec?.selector)
  } catch (e) {
    // An invalid selector is the user's to fix; retrying will not help.
    if (e instanceof InvalidSelectorError) return
    throw e
  }
  const pods = claimPods(ctx, owner, matches, filterActivePods(ctx.list(PODS, { namespace })))
  const err = rs.metadata.deletionTimestamp
    ? undefined
    : manageReplicas(ctx, pods, owner, podControl)
  // Upstream counts the pods seen before its writes and catches up on the
  // sync their events cause; the runner skips a sync's own writes, so count now.
  const diff = pods.length - (rs.spec?.replicas ?? 1)
  const current =
    diff === 0 || rs.metadata.deletionTimestamp
      ? pods
      : filterActivePods(ctx.list(PODS, { namespace })).filter(
          (p) => controllerOf(p)?.uid === rs.metadata.uid && matches(p.metadata.labels),
        )
  const status = calculateStatus(rs, current, err, ctx.now)
  updateReplicaSetStatus(ctx, rs, status)
  if (err) throw err
  // Ready pods become available with time alone, which no write announces.
  let wait = Infinity
  for (const p of current)
    wait = Math.min(wait, msUntilAvailable(p, rs.spec?.minReadySeconds ?? 0, ctx.now) ?? Infinity)
  if (wait < Infinity) ctx.requeueAfter(keyOf(rs), wait)
}

export function newReplicaSetController(podControl: PodControl = realPodControl): Controller {
  return {
    name: 'replicaset',
    component: 'replicaset-controller',
    watches: {
      [REPLICASETS]: (rs) => [keyOf(rs)],
      [PODS]: podKeys,
    },
    sync(key, ctx) {
      const { namespace, name } = splitKey(key)
      if (name !== ALL_IN_NAMESPACE) return syncReplicaSet(ctx, namespace, name, podControl)
      // Only a ReplicaSet that selects some orphan has anything to adopt.
      const orphans = ctx
        .list(PODS, { namespace })
        .filter((p) => isPodActive(p) && !controllerOf(p))
      let first: unknown
      for (const rs of ctx.list(REPLICASETS, { namespace })) {
        if (!orphans.some((p) => selectorMatches(rs.spec?.selector, p.metadata.labels))) continue
        // Each ReplicaSet gets its turn; the first failure still retries the key.
        try {
          syncReplicaSet(ctx, namespace, rs.metadata.name, podControl)
        } catch (e) {
          first ??= e
        }
      }
      if (first !== undefined) throw first
    },
  }
}

export const replicaSetController: Controller = newReplicaSetController()

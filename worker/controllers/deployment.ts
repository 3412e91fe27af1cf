// The Deployment controller (upstream's pkg/controller/deployment): rolls a
// Deployment's pod template out through ReplicaSets, one sync per Deployment
// key; here the dispatch, adoption, resizing, Recreate and history cleanup. It reads pod availability from the ReplicaSets' statuses, as upstream
// does; pods are only looked at for Recreate's "no old pods left" check.
//
// Watch keys: a Deployment's own "ns/name"; a ReplicaSet's controlling
// Deployment's "ns/name" (and the previous controller's on a change of
// owner). Two cases can't be resolved from the written object alone and
// come as "rs:ns/rsName", resolved in sync through a get of the ReplicaSet:
// an orphaned ReplicaSet (which Deployments select it, for adoption) and a
// deleted pod (which Deployment owns its ReplicaSet; only a Recreate one
// waits for pods to go).
import { selectorMatches } from './label-selector'
import {
  checkPausedConditions,
  syncDeploymentStatus,
  syncRolloutStatus,
  type DeploymentRun,
  deploymentComplete,
} from './deployment-progress'
import {
  controllerRefFor,
  getAllReplicaSetsAndSyncRevision,
  reasonOf,
  rolloutRollingStep,
  scaleReplicaSet,
  scaleReplicaSetAndRecordEvent,
} from './deployment-rolling'
import {
  actualReplicaCount,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  desiredReplicasAnnotation,
  filterActive,
  findActiveOrLatest,
  getProportion,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  replicaCount,
  specReplicas,
} from './deployment-util'
import {
  controllerOf,
  DEPLOYMENTS,
  keyOf,
  PODS,
  REPLICASETS,
  splitKey,
  type Controller,
  type ControllerContext,
  type KeysFor,
  type Obj,
} from './framework/types'

export const SELECTING_ALL = 'SelectingAll'
const RS_KEY_PREFIX = 'rs:'

const deploymentKeyOf = (o: Obj, ref: Record<string, any> | undefined): string | undefined =>
  ref?.kind === 'Deployment' ? `${o.metadata.namespace}/${ref.name}` : undefined

/** A ReplicaSet write wakes its controlling Deployment (old and new, when the owner changed); an orphan is resolved in sync. */
const replicaSetKeys: KeysFor = (rs, old) => {
  const keys = new Set<string>()
  const now = controllerOf(rs)
  const before = old && controllerOf(old)
  const k = deploymentKeyOf(rs, now)
  if (k) keys.add(k)
  if (before && before.uid !== now?.uid) {
    const ok = deploymentKeyOf(rs, before)
    if (ok) keys.add(ok)
  }
  if (!now && !rs.metadata.deletionTimestamp) keys.add(`${RS_KEY_PREFIX}${keyOf(rs)}`)
  return [...keys]
}

/** Only a pod's deletion matters (Recreate waits for old pods to be gone); its ReplicaSet names the Deployment. */
const podKeys: KeysFor = (pod, _old, deleted) => {
  const ref = controllerOf(pod)
  if (!deleted || ref?.kind !== 'ReplicaSet') return []
  return [`${RS_KEY_PREFIX}${pod.metadata.namespace}/${ref.name}`]
}

export const deploymentController: Controller = {
  name: 'deployment',
  component: 'deployment-controller',
  watches: {
    [DEPLOYMENTS]: (d) => [keyOf(d)],
    [REPLICASETS]: replicaSetKeys,
    [PODS]: podKeys,
  },
  sync(key, ctx) {
    if (key.startsWith(RS_KEY_PREFIX)) {
      for (const k of resolveReplicaSetKey(key.slice(RS_KEY_PREFIX.length), ctx))
        syncDeployment(k, ctx)
      return
    }
    syncDeployment(key, ctx)
  },
}

/** The Deployments an "rs:" key stands for: a Recreate owner, or those selecting an orphan. */
export function resolveReplicaSetKey(rsKey: string, ctx: ControllerContext): string[] {
  const { namespace, name } = splitKey(rsKey)
  const rs = ctx.get(REPLICASETS, namespace, name)
  if (!rs) return []
  const ref = controllerOf(rs)
  if (ref) {
    if (ref.kind !== 'Deployment') return []
    const d = ctx.get(DEPLOYMENTS, namespace, ref.name)
    return d && d.metadata.uid === ref.uid && !isRollingUpdate(d) ? [keyOf(d)] : []
  }
  return ctx
    .list(DEPLOYMENTS, { namespace })
    .filter((d) => selectorMatches(d.spec?.selector, rs.metadata.labels))
    .map(keyOf)
}

/** syncDeployment: reads the Deployment and its ReplicaSets, then scales, rolls out, or only reports status. */
export function syncDeployment(key: string, ctx: ControllerContext): void {
  const { namespace, name } = splitKey(key)
  const cached = ctx.get(DEPLOYMENTS, namespace, name)
  if (!cached) return
  const run: DeploymentRun = { ctx, d: structuredClone(cached) }
  const d = run.d
  const sel = d.spec?.selector
  if (
    !sel ||
    (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)
  ) {
    ctx.event(
      d,
      'Warning',
      SELECTING_ALL,
      'This deployment is selecting all pods. A non-empty selector is required.',
    )
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
      d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation }
      ctx.updateStatus(DEPLOYMENTS, d)
    }
    return
  }
  const rsList = claimReplicaSets(run, ctx.list(REPLICASETS, { namespace }))
  if (d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(run, rsList, false)
    syncDeploymentStatus(run, [...oldRSs, newRS], newRS)
    return
  }
  checkPausedConditions(run)
  if (run.d.spec.paused || isScalingEvent(run, rsList)) return syncScale(run, rsList)
  if (isRollingUpdate(run.d)) rolloutRolling(run, rsList)
  else rolloutRecreate(run, rsList)
}

/**
 * ControllerRefManager.ClaimReplicaSets: keep ours that still match, release
 * ours that don't, adopt matching orphans; others' are not ours to touch.
 */
function claimReplicaSets(run: DeploymentRun, all: Obj[]): Obj[] {
  const { d, ctx } = run
  const claimed: Obj[] = []
  for (const rs of all) {
    const ref = controllerOf(rs)
    const matches = selectorMatches(d.spec.selector, rs.metadata.labels)
    if (ref) {
      if (ref.uid !== d.metadata.uid) continue
      if (matches) claimed.push(rs)
      else if (!d.metadata.deletionTimestamp) {
        const copy = structuredClone(rs)
        copy.metadata.ownerReferences = copy.metadata.ownerReferences.filter(
          (r: Record<string, any>) => r.uid !== d.metadata.uid,
        )
        ctx.update(REPLICASETS, copy)
      }
      continue
    }
    if (!matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp) continue
    const copy = structuredClone(rs)
    copy.metadata.ownerReferences = [...(copy.metadata.ownerReferences ?? []), controllerRefFor(d)]
    claimed.push(ctx.update(REPLICASETS, copy))
  }
  return claimed
}

/** A ReplicaSet annotated with a size other than the Deployment's: the Deployment was resized. */
function isScalingEvent(run: DeploymentRun, rsList: Obj[]): boolean {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(run, rsList, false)
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs)
    return desired !== undefined && desired !== specReplicas(run.d)
  })
}

/** Scaling (or paused): resize without rolling; a paused Deployment also prunes its history. */
function syncScale(run: DeploymentRun, rsList: Obj[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(run, rsList, false)
  scale(run, newRS, oldRSs)
  if (run.d.spec.paused) cleanupDeployment(run, oldRSs)
  syncDeploymentStatus(run, [...oldRSs, newRS], newRS)
}

function rolloutRolling(run: DeploymentRun, rsList: Obj[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(run, rsList, true)
  const all = [...oldRSs, newRS]
  // A scaling step refreshes the ReplicaSets, whose writes bring the next sync.
  if (newRS && rolloutRollingStep(run, newRS, oldRSs)) return syncRolloutStatus(run, all, newRS)
  syncRolloutStatus(run, all, newRS)
  cleanupIfComplete(run, oldRSs)
}

/** Recreate: old ReplicaSets to 0, wait until none of their pods is left, only then create and scale the new one. */
function rolloutRecreate(run: DeploymentRun, rsList: Obj[]): void {
  // No new ReplicaSet yet, so nothing scales up before everything old is down.
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(run, rsList, false)
  let all = [...oldRSs, newRS]
  if (scaleDownOldReplicaSetsForRecreate(run, filterActive(oldRSs)))
    return syncRolloutStatus(run, all, newRS)
  if (oldPodsRunning(run, newRS, oldRSs, rsList)) return syncRolloutStatus(run, all, newRS)
  if (!newRS) {
    ;({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(run, rsList, true))
    all = [...oldRSs, newRS]
  }
  if (newRS) scaleReplicaSetAndRecordEvent(run, newRS, specReplicas(run.d))
  syncRolloutStatus(run, all, newRS)
  cleanupIfComplete(run, oldRSs)
}

/**
 * History is pruned once the rollout is complete. Upstream checks the status
 * it read, before writing the new one, and relies on its own write's event
 * for the next look; our manager doesn't wake a key for its own writes, so
 * this runs after the status write and sees the status just written.
 */
function cleanupIfComplete(run: DeploymentRun, oldRSs: Obj[]): void {
  if (deploymentComplete(run.d, run.d.status ?? {})) cleanupDeployment(run, oldRSs)
}

/** Old ReplicaSets still report pods, or a non-terminal pod of one of them still exists. */
function oldPodsRunning(
  run: DeploymentRun,
  newRS: Obj | undefined,
  oldRSs: Obj[],
  rsList: Obj[],
): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true
  const ours = new Set(rsList.map((rs) => rs.metadata.uid))
  const pods = run.ctx.list(PODS, {
    namespace: run.d.metadata.namespace,
    labelSelector: run.d.spec.selector,
  })
  return pods.some((p) => {
    const uid = controllerOf(p)?.uid
    if (!uid || !ours.has(uid) || uid === newRS?.metadata.uid) return false
    return p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'
  })
}

/**
 * Resizing without a rollout: the one active ReplicaSet takes the new size;
 * several active ones (mid-rollout) share the difference in proportion to
 * their sizes, the largest taking the rounding leftovers.
 */
export function scale(run: DeploymentRun, newRS: Obj | undefined, oldRSs: Obj[]): void {
  const d = run.d
  const target = findActiveOrLatest(newRS, oldRSs)
  if (target) {
    if (specReplicas(target) !== specReplicas(d))
      scaleReplicaSetAndRecordEvent(run, target, specReplicas(d))
    return
  }
  // A saturated new ReplicaSet (after adopting old ones, say) leaves nothing for the old ones.
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) scaleReplicaSetAndRecordEvent(run, old, 0)
    return
  }
  if (!isRollingUpdate(d)) return
  const all = filterActive([...oldRSs, newRS])
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0
  const toAdd = allowed - replicaCount(all)
  let op = ''
  if (toAdd > 0) {
    all.sort(bySizeNewer)
    op = 'up'
  } else if (toAdd < 0) {
    all.sort(bySizeOlder)
    op = 'down'
  }
  let added = 0
  const sizes = new Map<string, number>()
  for (const rs of all) {
    const p = toAdd !== 0 ? getProportion(rs, d, toAdd, added) : 0
    sizes.set(rs.metadata.name, specReplicas(rs) + p)
    added += p
  }
  all.forEach((rs, i) => {
    let size = sizes.get(rs.metadata.name)!
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added)
    // Called for every one, so the max-replicas annotations all move to the new size.
    scaleReplicaSet(run, rs, size, op)
  })
}

/** Recreate: every old ReplicaSet to 0. Returns whether any was scaled. */
export function scaleDownOldReplicaSetsForRecreate(run: DeploymentRun, oldRSs: Obj[]): boolean {
  let scaled = false
  for (const rs of oldRSs)
    if (specReplicas(rs) !== 0 && scaleReplicaSetAndRecordEvent(run, rs, 0)[0]) scaled = true
  return scaled
}

/**
 * Keeps revisionHistoryLimit old ReplicaSets, deleting the lowest revisions
 * first, and only those that are scaled to 0, have no pods left and whose
 * controller has seen their latest spec.
 */
export function cleanupDeployment(run: DeploymentRun, oldRSs: Obj[]): void {
  const limit = run.d.spec?.revisionHistoryLimit
  if (limit === undefined || limit === null) return
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp)
  const diff = cleanable.length - limit
  if (diff <= 0) return
  cleanable.sort(byRevision)
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue
    try {
      run.ctx.delete(REPLICASETS, rs.metadata.namespace, rs.metadata.name)
    } catch (e) {
      if (reasonOf(e) !== 'NotFound') throw e
    }
  }
}

// The Deployment controller's writes to ReplicaSets, after upstream's
// sync.go, rolling.go and recreate.go: find or create the new ReplicaSet,
// scale it up as far as surge allows and the old ones down as far as
// availability allows, scale proportionally when the size changes
// mid-rollout, and prune history.
import {
  availableReplicaCount,
  byCreation,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  equalIgnoreHash,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  POD_TEMPLATE_HASH,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  REVISION,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  getProportion,
} from './deployment-util'
import { computeHash } from './controller-utils'
import {
  FAILED_RS_CREATE_REASON,
  FOUND_NEW_RS_REASON,
  getCondition,
  hasProgressDeadline,
  NEW_RS_REASON,
  newCondition,
  PROGRESSING,
  setCondition,
  updateDeploymentStatus,
  type DeploymentRun,
} from './deployment-progress'
import { controllerOf, REPLICASETS, type Obj } from './framework/types'

export const SCALING_REPLICA_SET = 'ScalingReplicaSet'

const reasonOf = (e: unknown): string | undefined =>
  (e as { status?: { reason?: string } } | undefined)?.status?.reason

export const controllerRefFor = (d: Obj) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: d.metadata.name,
  uid: d.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
})

/** Sets rs to newScale (and the replicas annotations); the event only when the size moved. */
export function scaleReplicaSet(
  run: DeploymentRun,
  rs: Obj,
  newScale: number,
  op: string,
): [boolean, Obj] {
  const { d, ctx } = run
  const sizeNeedsUpdate = specReplicas(rs) !== newScale
  const max = specReplicas(d) + maxSurge(d)
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, specReplicas(d), max))
    return [false, rs]
  const oldScale = specReplicas(rs)
  const copy = structuredClone(rs)
  copy.spec.replicas = newScale
  setReplicasAnnotations(copy, specReplicas(d), max)
  const out = ctx.update(REPLICASETS, copy)
  if (!sizeNeedsUpdate) return [false, out]
  ctx.event(
    d,
    'Normal',
    SCALING_REPLICA_SET,
    `Scaled ${op} replica set ${out.metadata.name} from ${oldScale} to ${newScale}`,
  )
  return [true, out]
}

export function scaleReplicaSetAndRecordEvent(
  run: DeploymentRun,
  rs: Obj,
  newScale: number,
): [boolean, Obj] {
  if (specReplicas(rs) === newScale) return [false, rs]
  return scaleReplicaSet(run, rs, newScale, specReplicas(rs) < newScale ? 'up' : 'down')
}

/**
 * The new ReplicaSet (created when asked and missing) and all the old ones,
 * with the new one's revision moved past every old one's and the
 * Deployment's revision annotation following it.
 */
export function getAllReplicaSetsAndSyncRevision(
  run: DeploymentRun,
  rsList: Obj[],
  create: boolean,
): { newRS?: Obj; oldRSs: Obj[] } {
  const oldRSs = findOldReplicaSets(run.d, rsList).all
  const newRS = getNewReplicaSet(run, rsList, oldRSs, create)
  // Later steps of this sync must not write from the copy this one replaced.
  const i = newRS ? rsList.findIndex((rs) => rs.metadata.uid === newRS.metadata.uid) : -1
  if (i >= 0) rsList[i] = newRS!
  return { newRS, oldRSs }
}

function getNewReplicaSet(
  run: DeploymentRun,
  rsList: Obj[],
  oldRSs: Obj[],
  create: boolean,
): Obj | undefined {
  const { ctx } = run
  const existing = findNewReplicaSet(run.d, rsList)
  const newRevision = String(maxRevision(oldRSs) + 1)
  if (existing) {
    const copy = structuredClone(existing)
    const annotationsUpdated = setNewReplicaSetAnnotations(run.d, copy, newRevision, true)
    const minReadyNeedsUpdate =
      (copy.spec.minReadySeconds ?? 0) !== (run.d.spec.minReadySeconds ?? 0)
    if (annotationsUpdated || minReadyNeedsUpdate) {
      copy.spec.minReadySeconds = run.d.spec.minReadySeconds ?? 0
      // The Deployment's own revision follows on the next sync, triggered by this write.
      return ctx.update(REPLICASETS, copy)
    }
    let needsUpdate = setDeploymentRevision(
      run.d,
      copy.metadata.annotations?.[REVISION] ?? newRevision,
    )
    // A Deployment that never had a Progressing condition starts its clock at this first sighting.
    if (hasProgressDeadline(run.d) && !getCondition(run.d.status, PROGRESSING)) {
      run.d.status ??= {}
      setCondition(
        run.d.status,
        newCondition(
          ctx.now,
          PROGRESSING,
          'True',
          FOUND_NEW_RS_REASON,
          `Found new replica set "${copy.metadata.name}"`,
        ),
      )
      needsUpdate = true
    }
    if (needsUpdate) updateDeploymentStatus(run)
    return copy
  }
  if (!create) return undefined

  const d = run.d
  const template = structuredClone(d.spec.template ?? {})
  const hash = computeHash(d.spec.template, d.status?.collisionCount)
  template.metadata ??= {}
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH]: hash }
  const selector = structuredClone(d.spec.selector ?? {})
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash }
  const newRS: Obj = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: template.metadata.labels,
      ownerReferences: [controllerRefFor(d)],
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  }
  const newReplicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS)
  newRS.spec.replicas = newReplicas
  setNewReplicaSetAnnotations(d, newRS, newRevision, false)

  let created: Obj
  let alreadyExists = false
  try {
    created = ctx.create(REPLICASETS, newRS)
  } catch (e) {
    if (reasonOf(e) === 'AlreadyExists') {
      const rs = ctx.get(REPLICASETS, d.metadata.namespace, newRS.metadata.name)
      // Ours with our template: an earlier create whose result we never saw.
      if (
        rs &&
        controllerOf(rs)?.uid === d.metadata.uid &&
        equalIgnoreHash(d.spec.template, rs.spec?.template)
      ) {
        created = rs
        alreadyExists = true
      } else {
        // A hash collision: another template took this name; the next hash mixes in a higher count.
        d.status ??= {}
        d.status.collisionCount = (d.status.collisionCount ?? 0) + 1
        updateDeploymentStatus(run)
        throw e
      }
    } else {
      const reason = reasonOf(e)
      if (reason !== 'Forbidden') {
        const msg = `Failed to create new replica set "${newRS.metadata.name}": ${(e as Error).message}`
        if (hasProgressDeadline(d)) {
          d.status ??= {}
          setCondition(
            d.status,
            newCondition(ctx.now, PROGRESSING, 'False', FAILED_RS_CREATE_REASON, msg),
          )
          updateDeploymentStatus(run)
        }
        ctx.event(run.d, 'Warning', FAILED_RS_CREATE_REASON, msg)
      }
      throw e
    }
  }
  if (!alreadyExists && newReplicas > 0)
    ctx.event(
      run.d,
      'Normal',
      SCALING_REPLICA_SET,
      `Scaled up replica set ${created.metadata.name} from 0 to ${newReplicas}`,
    )
  let needsUpdate = setDeploymentRevision(run.d, newRevision)
  if (!alreadyExists && hasProgressDeadline(run.d)) {
    run.d.status ??= {}
    setCondition(
      run.d.status,
      newCondition(
        ctx.now,
        PROGRESSING,
        'True',
        NEW_RS_REASON,
        `Created new replica set "${created.metadata.name}"`,
      ),
    )
    needsUpdate = true
  }
  if (needsUpdate) updateDeploymentStatus(run)
  return created
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

/** One step of a RollingUpdate rollout. Returns true when something was scaled (status then follows). */
export function rolloutRollingStep(run: DeploymentRun, newRS: Obj, oldRSs: Obj[]): boolean {
  const all = [...oldRSs, newRS]
  if (reconcileNewReplicaSet(run, all, newRS)) return true
  return reconcileOldReplicaSets(run, all, filterActive(oldRSs), newRS)
}

export function reconcileNewReplicaSet(run: DeploymentRun, allRSs: Obj[], newRS: Obj): boolean {
  const want = specReplicas(run.d)
  if (specReplicas(newRS) === want) return false
  if (specReplicas(newRS) > want) return scaleReplicaSetAndRecordEvent(run, newRS, want)[0]
  return scaleReplicaSetAndRecordEvent(run, newRS, newRSNewReplicas(run.d, allRSs, newRS))[0]
}

/**
 * Scales old ReplicaSets down as far as availability allows: first the
 * replicas that aren't available anyway, then available ones while
 * replicas − maxUnavailable stay available. Pods the new ReplicaSet has
 * asked for but not yet made available count against the budget.
 */
export function reconcileOldReplicaSets(
  run: DeploymentRun,
  allRSs: Obj[],
  oldRSs: Obj[],
  newRS: Obj,
): boolean {
  if (replicaCount(oldRSs) === 0) return false
  const minAvailable = specReplicas(run.d) - maxUnavailable(run.d)
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0)
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return false
  const [cleaned, cleanupCount] = cleanupUnhealthyReplicas(run, oldRSs, maxScaledDown)
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(run, [...cleaned, newRS], cleaned)
  return cleanupCount + scaledDown > 0
}

/** Scales old ReplicaSets down by their unavailable replicas, oldest first, up to maxCleanup. */
export function cleanupUnhealthyReplicas(
  run: DeploymentRun,
  oldRSs: Obj[],
  maxCleanup: number,
): [Obj[], number] {
  const rss = [...oldRSs].sort(byCreation)
  let total = 0
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break
    const rs = rss[i]!
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0)
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue
    const count = Math.min(maxCleanup - total, unhealthy)
    rss[i] = scaleReplicaSetAndRecordEvent(run, rs, specReplicas(rs) - count)[1]
    total += count
  }
  return [rss, total]
}

/** Scales old ReplicaSets down, oldest first, by what exceeds replicas − maxUnavailable available. */
export function scaleDownOldReplicaSetsForRollingUpdate(
  run: DeploymentRun,
  allRSs: Obj[],
  oldRSs: Obj[],
): number {
  const minAvailable = specReplicas(run.d) - maxUnavailable(run.d)
  const available = availableReplicaCount(allRSs)
  if (available <= minAvailable) return 0
  const budget = available - minAvailable
  let total = 0
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break
    if (specReplicas(rs) === 0) continue
    const count = Math.min(specReplicas(rs), budget - total)
    scaleReplicaSetAndRecordEvent(run, rs, specReplicas(rs) - count)
    total += count
  }
  return total
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

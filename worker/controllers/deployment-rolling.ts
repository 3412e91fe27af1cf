// The Deployment controller's rollout writes, after upstream's sync.go and
// rolling.go: find or create the new ReplicaSet (bumping revisions), scale
// it up as far as surge allows and the old ones down as far as availability
// allows.
import {
  availableReplicaCount,
  byCreation,
  equalIgnoreHash,
  filterActive,
  findNewReplicaSet,
  findOldReplicaSets,
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

export const reasonOf = (e: unknown): string | undefined =>
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
    let copy = structuredClone(existing)
    const annotationsUpdated = setNewReplicaSetAnnotations(run.d, copy, newRevision, true)
    const minReadyNeedsUpdate =
      (copy.spec.minReadySeconds ?? 0) !== (run.d.spec.minReadySeconds ?? 0)
    if (annotationsUpdated || minReadyNeedsUpdate) {
      copy.spec.minReadySeconds = run.d.spec.minReadySeconds ?? 0
      // Upstream returns here and lets the ReplicaSet's update event bring the
      // Deployment's revision; our manager doesn't wake a key for its own
      // writes, so the revision follows in this sync instead.
      copy = ctx.update(REPLICASETS, copy)
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

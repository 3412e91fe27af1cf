// A Deployment's status and conditions, after upstream's
// pkg/controller/deployment/progress.go and sync.go calculateStatus:
// availability comes from the ReplicaSets' statuses, never from pods, and the
// Progressing condition times out once progressDeadlineSeconds pass without
// any sign of progress.
import { rfc3339 } from '../apiserver/context'
import {
  actualReplicaCount,
  availableReplicaCount,
  maxUnavailable,
  readyReplicaCount,
  replicaCount,
  semanticEqual,
  specReplicas,
} from './deployment-util'
import { DEPLOYMENTS, keyOf, type ControllerContext, type Obj } from './framework/types'

// Condition types and reasons, exactly upstream's (kubectl describe shows them).
export const AVAILABLE = 'Available'
export const PROGRESSING = 'Progressing'
export const REPLICA_FAILURE = 'ReplicaFailure'
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable'
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable'
export const NEW_RS_REASON = 'NewReplicaSetCreated'
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet'
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError'
export const RS_UPDATED_REASON = 'ReplicaSetUpdated'
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable'
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded'
export const PAUSED_REASON = 'DeploymentPaused'
export const RESUMED_REASON = 'DeploymentResumed'

/** upstream's "no deadline" sentinel (math.MaxInt32). */
const NO_DEADLINE = 2147483647

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastUpdateTime: string
  lastTransitionTime: string
}

/** One sync of one Deployment: d is this sync's working copy, refreshed after each status write. */
export interface DeploymentRun {
  ctx: ControllerContext
  d: Obj
}

export function updateDeploymentStatus(run: DeploymentRun): void {
  run.d = structuredClone(run.ctx.updateStatus(DEPLOYMENTS, run.d))
}

export const newCondition = (
  now: number,
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
): Condition => ({
  type,
  status,
  reason,
  message,
  lastUpdateTime: rfc3339(now),
  lastTransitionTime: rfc3339(now),
})

export const getCondition = (status: Obj['status'], type: string): Condition | undefined =>
  (status?.conditions ?? []).find((c: Condition) => c.type === type)

/** Same status and reason: nothing to do; same status: keep lastTransitionTime. Mutates status. */
export function setCondition(status: Record<string, any>, c: Condition): void {
  const cur = getCondition(status, c.type)
  if (cur && cur.status === c.status && cur.reason === c.reason) return
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime
  status.conditions = [...(status.conditions ?? []).filter((x: Condition) => x.type !== c.type), c]
}

export function removeCondition(status: Record<string, any>, type: string): void {
  if (!status.conditions) return
  status.conditions = status.conditions.filter((x: Condition) => x.type !== type)
  if (status.conditions.length === 0) delete status.conditions
}

export const hasProgressDeadline = (d: Obj) =>
  d.spec?.progressDeadlineSeconds != null && d.spec.progressDeadlineSeconds !== NO_DEADLINE

/** Go's omitempty: zero counts are left out, as a real API server's JSON leaves them. */
function omitZero(s: Record<string, any>): Record<string, any> {
  for (const k of Object.keys(s)) if (s[k] === 0 || s[k] === undefined) delete s[k]
  return s
}

/** The status the ReplicaSets imply, with d's conditions carried over and Available recomputed. */
export function calculateStatus(
  allRSs: (Obj | undefined)[],
  newRS: Obj | undefined,
  d: Obj,
  now: number,
): Record<string, any> {
  const available = availableReplicaCount(allRSs)
  const status: Record<string, any> = omitZero({
    observedGeneration: d.metadata.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    // More available than asked for (a scale-down under way) is not "negative unavailability".
    unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
    collisionCount: d.status?.collisionCount,
  })
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions)
  if (available >= specReplicas(d) - maxUnavailable(d))
    setCondition(
      status,
      newCondition(
        now,
        AVAILABLE,
        'True',
        MINIMUM_REPLICAS_AVAILABLE,
        'Deployment has minimum availability.',
      ),
    )
  else
    setCondition(
      status,
      newCondition(
        now,
        AVAILABLE,
        'False',
        MINIMUM_REPLICAS_UNAVAILABLE,
        'Deployment does not have minimum availability.',
      ),
    )
  if (d.status?.collisionCount === 0) status.collisionCount = 0
  return status
}

const n = (s: Record<string, any> | undefined, k: string): number => s?.[k] ?? 0

/** Everything updated, nothing else left, all available, and the latest spec seen. */
export function deploymentComplete(d: Obj, s: Record<string, any>): boolean {
  const r = specReplicas(d)
  return (
    n(s, 'updatedReplicas') === r &&
    n(s, 'replicas') === r &&
    n(s, 'availableReplicas') === r &&
    n(s, 'observedGeneration') >= (d.metadata.generation ?? 0)
  )
}

/** Any sign of progress since d's recorded status: more updated, fewer old, more ready or more available. */
export function deploymentProgressing(d: Obj, s: Record<string, any>): boolean {
  const old = d.status ?? {}
  const oldOld = n(old, 'replicas') - n(old, 'updatedReplicas')
  const newOld = n(s, 'replicas') - n(s, 'updatedReplicas')
  return (
    n(s, 'updatedReplicas') > n(old, 'updatedReplicas') ||
    newOld < oldOld ||
    n(s, 'readyReplicas') > n(old, 'readyReplicas') ||
    n(s, 'availableReplicas') > n(old, 'availableReplicas')
  )
}

/** progressDeadlineSeconds have passed since the Progressing condition last moved. */
export function deploymentTimedOut(d: Obj, s: Record<string, any>, now: number): boolean {
  if (!hasProgressDeadline(d)) return false
  const c = getCondition(s, PROGRESSING)
  if (!c || c.reason === NEW_RS_AVAILABLE_REASON) return false
  if (c.reason === TIMED_OUT_REASON) return true
  return Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 < now
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet. */
function replicaFailures(
  allRSs: (Obj | undefined)[],
  newRS: Obj | undefined,
  now: number,
): Condition[] {
  const from = (rs: Obj | undefined) =>
    (rs?.status?.conditions ?? [])
      .filter((c: Record<string, any>) => c.type === REPLICA_FAILURE)
      .map((c: Record<string, any>): Condition => {
        const t = c.lastTransitionTime ?? rfc3339(now)
        return {
          type: REPLICA_FAILURE,
          status: c.status,
          reason: c.reason,
          message: c.message,
          lastUpdateTime: t,
          lastTransitionTime: t,
        }
      })
  const own = from(newRS)
  return own.length ? own : allRSs.flatMap(from)
}

/** A status that only differs in zero counts written out or left out is the same status. */
const sameStatus = (a: Record<string, any> | undefined, b: Record<string, any>) =>
  semanticEqual(omitZero({ ...(a ?? {}) }), omitZero({ ...b }))

/** Status only, no progress estimate (scaling, paused, or being deleted). */
export function syncDeploymentStatus(
  run: DeploymentRun,
  allRSs: (Obj | undefined)[],
  newRS: Obj | undefined,
): void {
  const status = calculateStatus(allRSs, newRS, run.d, run.ctx.now)
  if (sameStatus(run.d.status, status)) return
  run.d.status = status
  updateDeploymentStatus(run)
}

/** Status with the Progressing condition: complete, progressing, or timed out. */
export function syncRolloutStatus(
  run: DeploymentRun,
  allRSs: (Obj | undefined)[],
  newRS: Obj | undefined,
): void {
  const { d, ctx } = run
  const now = ctx.now
  const status = calculateStatus(allRSs, newRS, d, now)
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING)
  const current = getCondition(d.status, PROGRESSING)
  // One active ReplicaSet that already finished: a resync, with no rollout to estimate.
  const complete =
    n(status, 'replicas') === n(status, 'updatedReplicas') &&
    current?.reason === NEW_RS_AVAILABLE_REASON
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS
      ? `ReplicaSet "${newRS.metadata.name}"`
      : `Deployment "${d.metadata.name}"`
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition(
          now,
          PROGRESSING,
          'True',
          NEW_RS_AVAILABLE_REASON,
          `${subject} has successfully progressed.`,
        ),
      )
    } else if (deploymentProgressing(d, status)) {
      // Progress moves lastUpdateTime even when the reason stays, which setCondition alone would not do.
      const c = newCondition(
        now,
        PROGRESSING,
        'True',
        RS_UPDATED_REASON,
        `${subject} is progressing.`,
      )
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime
        removeCondition(status, PROGRESSING)
      }
      setCondition(status, c)
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(
        status,
        newCondition(
          now,
          PROGRESSING,
          'False',
          TIMED_OUT_REASON,
          `${subject} has timed out progressing.`,
        ),
      )
    }
  }
  const failures = replicaFailures(allRSs, newRS, now)
  if (failures.length) setCondition(status, failures[0]!)
  else removeCondition(status, REPLICA_FAILURE)
  if (!sameStatus(d.status, status)) {
    d.status = status
    updateDeploymentStatus(run)
  }
  // Upstream asks only on a sync that wrote nothing, which its own status
  // write's event brings; our manager doesn't wake a key for its own writes.
  requeueStuckDeployment(run, status)
}

/**
 * Without any progress to report nothing would wake this Deployment up to
 * notice its deadline passing, so ask for a look when it will have passed.
 * Returns the delay asked for, or -1.
 */
export function requeueStuckDeployment(run: DeploymentRun, status: Record<string, any>): number {
  const { d, ctx } = run
  const current = getCondition(d.status, PROGRESSING)
  if (!hasProgressDeadline(d) || !current) return -1
  if (deploymentComplete(d, status) || current.reason === TIMED_OUT_REASON) return -1
  const after = Date.parse(current.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 - ctx.now
  // Upstream adds a second to cover clock skew; under a second it retries rate-limited, about as soon.
  const delay = after < 1000 ? 1000 : after + 1000
  ctx.requeueAfter(keyOf(d), delay)
  return delay
}

/** Progressing=Unknown DeploymentPaused / DeploymentResumed, so time spent paused never counts toward the deadline. */
export function checkPausedConditions(run: DeploymentRun): void {
  const { d, ctx } = run
  if (!hasProgressDeadline(d)) return
  const cond = getCondition(d.status, PROGRESSING)
  // A reported timeout stays until there is progress.
  if (cond?.reason === TIMED_OUT_REASON) return
  const pausedCond = cond?.reason === PAUSED_REASON
  let c: Condition | undefined
  if (d.spec.paused && !pausedCond)
    c = newCondition(ctx.now, PROGRESSING, 'Unknown', PAUSED_REASON, 'Deployment is paused')
  else if (!d.spec.paused && pausedCond)
    c = newCondition(ctx.now, PROGRESSING, 'Unknown', RESUMED_REASON, 'Deployment is resumed')
  if (!c) return
  d.status ??= {}
  setCondition(d.status, c)
  updateDeploymentStatus(run)
}

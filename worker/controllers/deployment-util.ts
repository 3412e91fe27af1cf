// Pure helpers of the Deployment controller, after upstream's
// pkg/controller/deployment/util/deployment_util.go: the rolling-update
// fenceposts, which ReplicaSet is the new one, the revision bookkeeping in
// annotations, and proportional scaling. Nothing here writes.
import type { Obj } from './framework/types'

export const POD_TEMPLATE_HASH = 'pod-template-hash'
export const REVISION = 'deployment.kubernetes.io/revision'
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history'
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas'
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas'
export const CHANGE_CAUSE = 'kubernetes.io/change-cause'
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
const ROLLBACK_TO = 'deprecated.deployment.rollback.to'
/** Upstream caps the revision-history annotation at 2000 characters. */
const MAX_REV_HISTORY_CHARS = 2000

/** Annotations the controller owns, so they are never copied from the Deployment to its ReplicaSets. */
const SKIP_COPY = new Set([
  LAST_APPLIED,
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  ROLLBACK_TO,
])

export type IntOrString = number | string | undefined | null

export const specReplicas = (o: Obj | undefined): number => o?.spec?.replicas ?? 0
export const isRollingUpdate = (d: Obj): boolean =>
  (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate'

/** intstr.GetScaledValueFromIntOrPercent: "25%" of total, rounded up or down; a bare string is refused. */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0
  if (typeof v === 'number') return v
  const m = /^(-?\d+)%$/.exec(v)
  if (!m) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}`)
  const raw = (Number(m[1]) * total) / 100
  return roundUp ? Math.ceil(raw) : Math.floor(raw)
}

/** Surge rounds up, unavailability down; if both come to 0 one pod may be unavailable, or nothing could move. */
export function resolveFenceposts(
  maxSurge: IntOrString,
  maxUnavailable: IntOrString,
  desired: number,
): [number, number] {
  const surge = scaledValue(maxSurge, desired, true)
  let unavailable = scaledValue(maxUnavailable, desired, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return [surge, unavailable]
}

function fenceposts(d: Obj): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate ?? {}
  try {
    return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, specReplicas(d))
  } catch {
    // Validation refuses such values; upstream treats the error as zero here.
    return [0, 0]
  }
}

export function maxSurge(d: Obj): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0
}

export function maxUnavailable(d: Obj): number {
  const replicas = specReplicas(d)
  if (!isRollingUpdate(d) || replicas === 0) return 0
  return Math.min(fenceposts(d)[1], replicas)
}

// --- sums over ReplicaSets (spec for what we asked, status for what exists) ---

const sum = (rss: (Obj | undefined)[], f: (rs: Obj) => number) =>
  rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0)
export const replicaCount = (rss: (Obj | undefined)[]) => sum(rss, specReplicas)
export const actualReplicaCount = (rss: (Obj | undefined)[]) =>
  sum(rss, (rs) => rs.status?.replicas ?? 0)
export const readyReplicaCount = (rss: (Obj | undefined)[]) =>
  sum(rss, (rs) => rs.status?.readyReplicas ?? 0)
export const availableReplicaCount = (rss: (Obj | undefined)[]) =>
  sum(rss, (rs) => rs.status?.availableReplicas ?? 0)
export const filterActive = (rss: (Obj | undefined)[]): Obj[] =>
  rss.filter((rs): rs is Obj => !!rs && specReplicas(rs) > 0)

// --- orderings (controller.ReplicaSetsByCreationTimestamp and friends) ---

const created = (o: Obj) => Date.parse(o.metadata.creationTimestamp ?? '') || 0
const byName = (a: Obj, b: Obj) =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0
export const byCreation = (a: Obj, b: Obj) => created(a) - created(b) || byName(a, b)
/** Larger first; among equals the newer first (scaling up favours the newest). */
export const bySizeNewer = (a: Obj, b: Obj) => specReplicas(b) - specReplicas(a) || byCreation(b, a)
/** Larger first; among equals the older first (scaling down takes from the oldest). */
export const bySizeOlder = (a: Obj, b: Obj) => specReplicas(b) - specReplicas(a) || byCreation(a, b)
export const byRevision = (a: Obj, b: Obj) => revision(a) - revision(b) || byCreation(a, b)

// --- which ReplicaSet is new ---

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)

/** apiequality.Semantic.DeepEqual for JSON: a missing field, null, [] and {} are all "unset". */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => semanticEqual(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)]))
    if (!semanticEqual(ao[k], bo[k])) return false
  return true
}

function withoutHash(t: Obj | undefined): unknown {
  const c: Record<string, any> = structuredClone(t ?? {})
  if (c.metadata?.labels) delete c.metadata.labels[POD_TEMPLATE_HASH]
  return c
}

/** Pod templates equal once the pod-template-hash label is set aside (the RS's template carries it, the Deployment's not). */
export function equalIgnoreHash(t1: Obj | undefined, t2: Obj | undefined): boolean {
  return semanticEqual(withoutHash(t1), withoutHash(t2))
}

/** The oldest ReplicaSet whose template is the Deployment's; that is what `rollout undo` lands on. */
export function findNewReplicaSet(d: Obj, rsList: Obj[]): Obj | undefined {
  return [...rsList]
    .sort(byCreation)
    .find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template))
}

/** All ReplicaSets but the new one, and those of them that still ask for pods. */
export function findOldReplicaSets(d: Obj, rsList: Obj[]): { required: Obj[]; all: Obj[] } {
  const newRS = findNewReplicaSet(d, rsList)
  const all = rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid)
  return { required: all.filter((rs) => specReplicas(rs) !== 0), all }
}

// --- revisions and annotations ---

export function revision(o: Obj | undefined): number {
  const n = Number(o?.metadata.annotations?.[REVISION] ?? 0)
  return Number.isInteger(n) ? n : 0
}

export const maxRevision = (rss: Obj[]) => rss.reduce((m, rs) => Math.max(m, revision(rs)), 0)

/** Mutates d's annotations; true when the revision changed. */
export function setDeploymentRevision(d: Obj, rev: string): boolean {
  const a = (d.metadata.annotations ??= {})
  if (a[REVISION] === rev) return false
  a[REVISION] = rev
  return true
}

export function replicasAnnotationsNeedUpdate(rs: Obj, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {}
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max)
}

/** Mutates rs; true when either annotation changed. */
export function setReplicasAnnotations(rs: Obj, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false
  const a = (rs.metadata.annotations ??= {})
  a[DESIRED_REPLICAS] = String(desired)
  a[MAX_REPLICAS] = String(max)
  return true
}

function intAnnotation(rs: Obj, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key]
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined
  return Number(v)
}

export const desiredReplicasAnnotation = (rs: Obj) => intAnnotation(rs, DESIRED_REPLICAS)

/**
 * Copies the Deployment's annotations (change-cause among them) to rs, moves
 * its revision up to newRevision and, when an older revision is being reused
 * (a rollback), remembers that one in revision-history. Mutates rs; true when
 * anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Obj,
  rs: Obj,
  newRevision: string,
  exists: boolean,
): boolean {
  const a = (rs.metadata.annotations ??= {})
  let changed = false
  for (const [k, v] of Object.entries<string>(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue
    a[k] = v
    changed = true
  }
  const oldRevision: string | undefined = a[REVISION]
  let oldN = 0
  if (oldRevision) {
    // A revision we can't read is left alone, as upstream does.
    if (!/^-?\d+$/.test(oldRevision)) return changed
    oldN = Number(oldRevision)
  }
  const newN = Number(newRevision)
  if (oldN < newN) {
    a[REVISION] = newRevision
    changed = true
    if (oldRevision !== undefined) {
      const history: string = a[REVISION_HISTORY] ?? ''
      if (!history) a[REVISION_HISTORY] = oldRevision
      else {
        // Drop the oldest entries until the list fits.
        const parts = history.split(',')
        let total = history.length + oldRevision.length + 1
        let start = 0
        while (total > MAX_REV_HISTORY_CHARS && start < parts.length)
          total -= parts[start++]!.length + 1
        if (total <= MAX_REV_HISTORY_CHARS)
          a[REVISION_HISTORY] = [...parts.slice(start), oldRevision].join(',')
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d)))
    changed = true
  return changed
}

// --- how many replicas ---

/** How big the new ReplicaSet may be now: as far as surge allows (RollingUpdate), or all at once (Recreate). */
export function newRSNewReplicas(d: Obj, allRSs: (Obj | undefined)[], newRS: Obj): number {
  if (!isRollingUpdate(d)) return specReplicas(d)
  const ru = d.spec?.strategy?.rollingUpdate ?? {}
  const surge = scaledValue(ru.maxSurge ?? 0, specReplicas(d), true)
  const current = replicaCount(allRSs)
  const maxTotal = specReplicas(d) + surge
  if (current >= maxTotal) return specReplicas(newRS)
  const up = Math.min(maxTotal - current, specReplicas(d) - specReplicas(newRS))
  return specReplicas(newRS) + up
}

/** The new ReplicaSet has everything the Deployment asks for, and it is all available. */
export function isSaturated(d: Obj, rs: Obj | undefined): boolean {
  if (!rs) return false
  const desired = desiredReplicasAnnotation(rs)
  if (desired === undefined) return false
  const r = specReplicas(d)
  return specReplicas(rs) === r && desired === r && (rs.status?.availableReplicas ?? 0) === r
}

/** The single active ReplicaSet, or the newest when none is active; undefined when several are active. */
export function findActiveOrLatest(newRS: Obj | undefined, oldRSs: Obj[]): Obj | undefined {
  if (!newRS && oldRSs.length === 0) return undefined
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a))
  const active = filterActive([...newestFirst, newRS])
  if (active.length === 0) return newRS ?? newestFirst[0]
  return active.length === 1 ? active[0] : undefined
}

/** Rounds half away from zero, as Go's math.Round does (Math.round rounds -2.5 to -2). */
const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x))

/** This ReplicaSet's share of a resize, from the Deployment size its max-replicas annotation recorded. */
export function getReplicaSetFraction(rs: Obj, d: Obj): number {
  if (specReplicas(d) === 0) return -specReplicas(rs)
  const deploymentMax = specReplicas(d) + maxSurge(d)
  // A missing annotation (hand-edited, say) falls back to the current size: not exact, but bounded by getProportion.
  const before = intAnnotation(rs, MAX_REPLICAS) ?? d.status?.replicas ?? 0
  if (before === 0) return 0
  return roundHalfAway((specReplicas(rs) * deploymentMax) / before) - specReplicas(rs)
}

/** How many replicas to add to (or remove from) rs, never past what is left of toAdd. */
export function getProportion(rs: Obj | undefined, d: Obj, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0
  const fraction = getReplicaSetFraction(rs, d)
  const allowed = toAdd - added
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed)
}

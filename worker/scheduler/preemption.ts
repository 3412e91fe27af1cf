// DefaultPreemption, the PostFilter that runs when no node fits: on each node
// where preemption might help (its filter said Unschedulable, not
// UnschedulableAndUnresolvable), remove every lower-priority pod, check that
// the pod would then fit, and give back as many victims as still let it fit,
// highest priority first. The node whose victims matter least wins. Pure.
import { newNodeInfo, newSnapshot } from './framework/node-info'
import {
  Code,
  CycleState,
  isSuccess,
  type NodeInfo,
  type Obj,
  type Snapshot,
} from './framework/types'
import type { Explanation, Profile } from './schedule-one'

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling'
export const NO_VICTIMS = 'No preemption victims found for incoming pod'

export interface PreemptionResult {
  node?: string
  victims: Obj[]
  /** The PostFilter part of FailedScheduling: "preemption: 0/3 nodes are available: …". */
  message: string
}

const priorityOf = (p: Obj) => p.spec?.priority ?? 0

/** A PodDisruptionBudget as preemption weighs it: which pods it covers and how many may still go. */
export interface Budget {
  namespace: string
  covers(pod: Obj): boolean
  /** Disruptions still allowed (upstream reads status.disruptionsAllowed). */
  allowed: number
}

/** Victims whose eviction would break a budget, counting each budget down as victims are taken. */
function violations(victims: Obj[], budgets: Budget[]): Set<Obj> {
  const left = new Map(budgets.map((b) => [b, b.allowed]))
  const out = new Set<Obj>()
  for (const v of victims)
    for (const b of budgets) {
      if (b.namespace !== v.metadata.namespace || !b.covers(v)) continue
      const n = left.get(b)! - 1
      left.set(b, n)
      if (n < 0) out.add(v)
    }
  return out
}

/** Whether the pod passes every filter on `node`, in a snapshot where that node looks like `node`. */
function fits(pod: Obj, node: NodeInfo, snapshot: Snapshot, profile: Profile): boolean {
  const nodes = snapshot.nodes.map((n) => (n.name === node.name ? node : n))
  const s = { ...newSnapshot(nodes), volumes: snapshot.volumes }
  const state = new CycleState()
  const skipped = new Set<string>()
  for (const p of profile.filters) {
    const st = p.preFilter?.(state, pod, s)
    if (st?.code === Code.Skip) skipped.add(p.name)
    else if (st && !isSuccess(st)) return false
  }
  return profile.filters.every((p) => skipped.has(p.name) || isSuccess(p.filter(state, pod, node)))
}

function victimsOn(
  pod: Obj,
  info: NodeInfo,
  snapshot: Snapshot,
  profile: Profile,
  budgets: Budget[],
): Obj[] | undefined {
  const prio = priorityOf(pod)
  const lower = info.pods.filter((p) => priorityOf(p) < prio && !p.metadata.deletionTimestamp)
  if (!lower.length) return undefined
  const keep = info.pods.filter((p) => !lower.includes(p))
  if (!fits(pod, newNodeInfo(info.node, keep), snapshot, profile)) return undefined
  // Reprieve: pods a budget protects first, then the most important, as many as still leave room.
  const victims: Obj[] = []
  const guarded = violations(lower, budgets)
  const byPriority = (a: Obj, b: Obj) => priorityOf(b) - priorityOf(a)
  const order = [
    ...lower.filter((p) => guarded.has(p)).sort(byPriority),
    ...lower.filter((p) => !guarded.has(p)).sort(byPriority),
  ]
  for (const v of order) {
    if (fits(pod, newNodeInfo(info.node, [...keep, v]), snapshot, profile)) keep.push(v)
    else victims.push(v)
  }
  return victims
}

export function preempt(
  pod: Obj,
  snapshot: Snapshot,
  profile: Profile,
  ex: Explanation,
  budgets: Budget[] = [],
): PreemptionResult {
  if (pod.spec?.preemptionPolicy === 'Never')
    return { victims: [], message: 'preemption: not eligible due to preemptionPolicy=Never.' }
  const histogram = new Map<string, number>()
  const count = (r: string) => histogram.set(r, (histogram.get(r) ?? 0) + 1)
  let best: { node: string; victims: Obj[]; key: number[] } | undefined
  // A PreFilter rejection is every node's status, as upstream's Diagnosis records it.
  const pre = ex.preFilter
  const verdicts = pre
    ? snapshot.nodes.map((n) => ({
        node: n.name,
        failed: { ...pre, code: pre.code ?? Code.UnschedulableAndUnresolvable },
      }))
    : ex.verdicts
  for (const v of verdicts) {
    if (!v.failed || v.failed.code === Code.UnschedulableAndUnresolvable) {
      count(NOT_HELPFUL)
      continue
    }
    const info = snapshot.get(v.node)!
    const victims = victimsOn(pod, info, snapshot, profile, budgets)
    if (!victims?.length) {
      count(NO_VICTIMS)
      continue
    }
    // Upstream's order: fewest budget violations, lowest highest-victim priority, smallest priority sum, fewest victims.
    const key = [
      violations(victims, budgets).size,
      Math.max(...victims.map(priorityOf)),
      victims.reduce((s, p) => s + priorityOf(p), 0),
      victims.length,
    ]
    if (!best || compare(key, best.key) < 0) best = { node: v.node, victims, key }
  }
  if (best) return { node: best.node, victims: best.victims, message: '' }
  const reasons = [...histogram].map(([r, n]) => `${n} ${r}`).sort()
  return {
    victims: [],
    message: `preemption: 0/${ex.nodes} nodes are available: ${reasons.join(', ')}.`,
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

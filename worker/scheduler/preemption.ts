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

/** Whether the pod passes every filter on `node`, in a snapshot where that node looks like `node`. */
function fits(pod: Obj, node: NodeInfo, snapshot: Snapshot, profile: Profile): boolean {
  const nodes = snapshot.nodes.map((n) => (n.name === node.name ? node : n))
  const s = newSnapshot(nodes)
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
): Obj[] | undefined {
  const prio = priorityOf(pod)
  const lower = info.pods.filter((p) => priorityOf(p) < prio && !p.metadata.deletionTimestamp)
  if (!lower.length) return undefined
  const keep = info.pods.filter((p) => !lower.includes(p))
  if (!fits(pod, newNodeInfo(info.node, keep), snapshot, profile)) return undefined
  // Reprieve: the most important victims first, as many as still leave room.
  const victims: Obj[] = []
  for (const v of [...lower].sort((a, b) => priorityOf(b) - priorityOf(a))) {
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
): PreemptionResult {
  if (pod.spec?.preemptionPolicy === 'Never')
    return { victims: [], message: 'preemption: not eligible due to preemptionPolicy=Never.' }
  const histogram = new Map<string, number>()
  const count = (r: string) => histogram.set(r, (histogram.get(r) ?? 0) + 1)
  let best: { node: string; victims: Obj[]; key: number[] } | undefined
  for (const v of ex.verdicts) {
    if (!v.failed || v.failed.code === Code.UnschedulableAndUnresolvable) {
      count(NOT_HELPFUL)
      continue
    }
    const info = snapshot.get(v.node)!
    const victims = victimsOn(pod, info, snapshot, profile)
    if (!victims?.length) {
      count(NO_VICTIMS)
      continue
    }
    // Upstream's order: lowest highest-victim priority, then smallest priority sum, then fewest victims.
    const key = [
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

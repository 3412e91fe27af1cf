// One scheduling cycle for one pod, as kube-scheduler's schedulePod does it:
// PreFilter, Filter over (a share of) the nodes, PreScore, Score, normalise,
// weigh, pick the best with a seeded tie-break. Pure: the nodes come as a
// Snapshot, and the whole cycle is returned as an Explanation, which is what
// the "why" of every pod is made of.
import {
  CycleState,
  type FilterPlugin,
  isSuccess,
  type NodeInfo,
  type Obj,
  type PreBindPlugin,
  type ScorePlugin,
  type Snapshot,
  type Status,
  Code,
} from './framework/types'

export interface Profile {
  filters: FilterPlugin[]
  scores: ScorePlugin[]
  /** Run on the chosen node before the binding (VolumeBinding's claim bindings). */
  preBind?: PreBindPlugin[]
}

export interface NodeVerdict {
  node: string
  /** The first failing filter plugin and its reasons; absent when the node passed. */
  failed?: { plugin: string; code: Code; reasons: string[] }
  /** Raw and weighted (normalised × weight) scores per score plugin, for feasible nodes. */
  scores?: { plugin: string; raw: number; normalized: number; weighted: number }[]
  total?: number
}

export interface Explanation {
  pod: string
  /** Nodes looked at, in the order they were. */
  verdicts: NodeVerdict[]
  /** How many nodes exist, and how many were evaluated (upstream's share of nodes to score). */
  nodes: number
  evaluated: number
  chosen?: string
  /** The FailedScheduling message when nothing fits (before preemption's part). */
  message?: string
  /** A PreFilter rejected the pod for every node. */
  preFilter?: { plugin: string; reasons: string[]; code?: Code }
}

/** kube-scheduler's adaptive share of nodes to find feasible ones among (percentageOfNodesToScore unset). */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  const minFeasible = 100
  if (numAllNodes < minFeasible) return numAllNodes
  const percentage = Math.max(5, 50 - Math.trunc(numAllNodes / 125))
  return Math.max(minFeasible, Math.trunc((numAllNodes * percentage) / 100))
}

/** A small seeded generator (mulberry32), so ties break the same way in a replayed run. */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0
  return () => {
    h = (h + 0x6d2b79f5) >>> 0
    let t = h
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu." */
export function fitErrorMessage(
  numAllNodes: number,
  verdicts: NodeVerdict[],
  preFilter?: { reasons: string[] },
): string {
  let msg = `0/${numAllNodes} nodes are available:`
  if (preFilter) return `${msg} ${preFilter.reasons.join(', ')}.`
  const histogram = new Map<string, number>()
  for (const v of verdicts)
    for (const r of v.failed?.reasons ?? []) histogram.set(r, (histogram.get(r) ?? 0) + 1)
  const reasons = [...histogram].map(([r, n]) => `${n} ${r}`).sort()
  if (reasons.length) msg += ` ${reasons.join(', ')}.`
  return msg
}

export interface CycleOptions {
  /** Where filtering starts (upstream rotates it across cycles so every node gets looked at). */
  startIndex?: number
  random?: () => number
  /** The cycle's state, for the caller to hand on to PreBind. */
  state?: CycleState
}

/** Runs one cycle; the chosen node is in the explanation (undefined when none fits). */
export function scheduleOne(
  pod: Obj,
  snapshot: Snapshot,
  profile: Profile,
  opts: CycleOptions = {},
): Explanation {
  const state = opts.state ?? new CycleState()
  const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`
  const all = snapshot.nodes
  const out: Explanation = { pod: podKey, verdicts: [], nodes: all.length, evaluated: 0 }
  const skipFilter = new Set<string>()
  for (const p of profile.filters) {
    const s = p.preFilter?.(state, pod, snapshot)
    if (!s || s.code === Code.Success) continue
    if (s.code === Code.Skip) {
      skipFilter.add(p.name)
      continue
    }
    out.preFilter = { plugin: p.name, reasons: s.reasons, code: s.code }
    out.message = fitErrorMessage(all.length, [], out.preFilter)
    return out
  }
  // Filter: stop once enough feasible nodes are found, as upstream does for large clusters.
  const want = numFeasibleNodesToFind(all.length)
  const feasible: NodeInfo[] = []
  const start = all.length ? (opts.startIndex ?? 0) % all.length : 0
  for (let i = 0; i < all.length && feasible.length < want; i++) {
    const node = all[(start + i) % all.length]!
    const verdict: NodeVerdict = { node: node.name }
    for (const p of profile.filters) {
      if (skipFilter.has(p.name)) continue
      const s: Status = p.filter(state, pod, node)
      if (!isSuccess(s)) {
        verdict.failed = { plugin: p.name, code: s.code, reasons: s.reasons }
        break
      }
    }
    out.verdicts.push(verdict)
    if (!verdict.failed) feasible.push(node)
  }
  out.evaluated = out.verdicts.length
  if (!feasible.length) {
    out.message = fitErrorMessage(all.length, out.verdicts)
    return out
  }
  const byNode = new Map(out.verdicts.map((v) => [v.node, v]))
  if (feasible.length === 1) {
    out.chosen = feasible[0]!.name
    return out
  }
  const totals = new Map<string, number>(feasible.map((n) => [n.name, 0]))
  for (const p of profile.scores) {
    const s = p.preScore?.(state, pod, feasible, snapshot)
    if (s?.code === Code.Skip) continue
    const raw = new Map<string, number>(feasible.map((n) => [n.name, p.score(state, pod, n)]))
    const normalized = new Map(raw)
    p.normalize?.(state, pod, normalized)
    for (const n of feasible) {
      const norm = normalized.get(n.name) ?? 0
      const weighted = norm * p.weight
      totals.set(n.name, totals.get(n.name)! + weighted)
      const v = byNode.get(n.name)!
      ;(v.scores ??= []).push({ plugin: p.name, raw: raw.get(n.name)!, normalized: norm, weighted })
    }
  }
  let best = -Infinity
  let ties: string[] = []
  for (const n of feasible) {
    const total = totals.get(n.name)!
    byNode.get(n.name)!.total = total
    if (total > best) {
      best = total
      ties = [n.name]
    } else if (total === best) ties.push(n.name)
  }
  const random = opts.random ?? seededRandom(podKey)
  out.chosen = ties[Math.floor(random() * ties.length)]
  return out
}

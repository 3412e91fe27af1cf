// PodTopologySpread (filter): for each DoNotSchedule constraint, placing the
// pod in the node's domain must keep (matching pods there + itself) − (the
// fewest in any eligible domain) within maxSkew. PreFilter counts matching
// pods per domain once; Filter only looks the node's domain up.
import { Code, skip, success, unresolvable, unschedulable } from '../../framework/types'
import type { FilterPlugin, NodeInfo, Obj, Snapshot, Status } from '../../framework/types'
import {
  labelSelectorMatches,
  podLabels,
  withMatchLabelKeys,
  type LabelSelector,
  type Labels,
} from '../helper/label-selector'
import { requiredNodeAffinityMatches } from '../helper/node-selector'
import {
  doNotScheduleTaint,
  findUntoleratedTaint,
  nodeTaints,
  podTolerations,
} from '../helper/taints'

export const ERR_REASON_CONSTRAINTS_NOT_MATCH =
  "node(s) didn't match pod topology spread constraints"
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`

export interface Constraint {
  maxSkew: number
  topologyKey: string
  selector?: LabelSelector
  minDomains: number
  nodeAffinityPolicy: 'Honor' | 'Ignore'
  nodeTaintsPolicy: 'Honor' | 'Ignore'
}

/** The pod's DoNotSchedule constraints with upstream's defaults filled in. */
export function filterConstraints(pod: Obj): Constraint[] {
  const list: Obj[] = pod.spec?.topologySpreadConstraints ?? []
  return list
    .filter((c) => c.whenUnsatisfiable === 'DoNotSchedule')
    .map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: withMatchLabelKeys(c.labelSelector, c.matchLabelKeys, podLabels(pod)),
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    }))
}

/** Whether the node's pods count toward this constraint's domains at all. */
function nodeIncluded(c: Constraint, pod: Obj, node: Obj): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !requiredNodeAffinityMatches(pod, node)) return false
  if (
    c.nodeTaintsPolicy === 'Honor' &&
    findUntoleratedTaint(nodeTaints(node), podTolerations(pod), doNotScheduleTaint)
  )
    return false
  return true
}

/** Pods in the namespace matching the selector, leaving out terminating ones. */
function countMatching(pods: Obj[], selector: LabelSelector | undefined, ns: string): number {
  let n = 0
  for (const p of pods)
    if (!p.metadata?.deletionTimestamp && p.metadata?.namespace === ns)
      if (labelSelectorMatches(selector, podLabels(p))) n++
  return n
}

export interface PreFilterState {
  constraints: Constraint[]
  /** Per constraint: matching pods by topology value, over eligible domains only. */
  counts: Map<string, number>[]
}

export function computeSpread(pod: Obj, nodes: NodeInfo[]): PreFilterState {
  const constraints = filterConstraints(pod)
  const counts = constraints.map(() => new Map<string, number>())
  const ns = pod.metadata?.namespace ?? 'default'
  for (const info of nodes) {
    const labels: Labels = info.node.metadata?.labels ?? {}
    // A node lacking any constraint's key counts toward none of them.
    if (!constraints.every((c) => Object.hasOwn(labels, c.topologyKey))) continue
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, pod, info.node)) return
      const value = labels[c.topologyKey]!
      const m = counts[i]!
      m.set(value, (m.get(value) ?? 0) + countMatching(info.pods, c.selector, ns))
    })
  }
  return { constraints, counts }
}

/** The global minimum, taken as 0 while fewer than minDomains domains are eligible. */
function minMatch(counts: Map<string, number>, minDomains: number): number {
  if (counts.size < minDomains) return 0
  return Math.min(...counts.values())
}

export function fitsSpread(s: PreFilterState, pod: Obj, node: NodeInfo): Status {
  const labels: Labels = node.node.metadata?.labels ?? {}
  for (const [i, c] of s.constraints.entries()) {
    if (!Object.hasOwn(labels, c.topologyKey)) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH)
    const counts = s.counts[i]!
    const self = labelSelectorMatches(c.selector, podLabels(pod)) ? 1 : 0
    const skew = (counts.get(labels[c.topologyKey]!) ?? 0) + self - minMatch(counts, c.minDomains)
    if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH)
  }
  return success()
}

const STATE_KEY = 'PreFilterPodTopologySpread'

export const PodTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  preFilter(state, pod, snapshot: Snapshot) {
    const s = computeSpread(pod, snapshot.nodes)
    if (s.constraints.length === 0) return skip()
    state.write(STATE_KEY, s)
    return undefined
  },
  filter(state, pod, node) {
    const s = state.read<PreFilterState>(STATE_KEY)
    // Filter without PreFilter is a framework bug, as upstream reports it.
    if (!s)
      return { code: Code.Error, reasons: [`reading "${STATE_KEY}" from cycleState: not found`] }
    return fitsSpread(s, pod, node)
  },
}

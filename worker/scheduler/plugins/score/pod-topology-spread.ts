// PodTopologySpread's score, after podtopologyspread/scoring.go (v1.31/1.32):
// for the pod's ScheduleAnyway constraints (or the system defaults), each node
// is charged the matching pods in its domain, weighted by log(domains + 2) so
// small topologies are not drowned by big ones, plus maxSkew − 1 to soften
// small skews; normalising then turns fewer pods into a higher score.
import {
  skip,
  type CycleState,
  type NodeInfo,
  type Obj,
  type ScorePlugin,
  type Snapshot,
} from '../../framework/types'
import {
  labelMatcher,
  labelSetMatcher,
  MAX_NODE_SCORE,
  idiv,
  podNamespace,
  requiredNodeAffinityMatches,
  tolerationsTolerateTaint,
  type LabelMatcher,
  type Labels,
} from './helper'

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread'
const STATE_KEY = 'PreScore' + POD_TOPOLOGY_SPREAD
const HOSTNAME = 'kubernetes.io/hostname'

/** Upstream's systemDefaultConstraints, used when the pod brings none. */
export const SYSTEM_DEFAULT_CONSTRAINTS: Obj[] = [
  { topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]

const DEFAULTED_OWNER_KINDS = new Set(['ReplicaSet', 'StatefulSet', 'ReplicationController'])

/**
 * Stands in for upstream's DefaultSelector, which merges the selectors of the
 * pod's Services and of its controlling ReplicationController, ReplicaSet or
 * StatefulSet. We index neither, so a pod with such a controller selects the
 * pods carrying exactly its labels: sibling replicas share their template's
 * labels (pod-template-hash included, as the ReplicaSet's selector has it).
 * Pods only a Service would group get no default spreading.
 */
export function approximateDefaultSelector(pod: Obj): LabelMatcher | undefined {
  const owner = (pod.metadata?.ownerReferences ?? []).find((o: Obj) => o.controller)
  if (!owner || !DEFAULTED_OWNER_KINDS.has(owner.kind)) return undefined
  return labelSetMatcher(pod.metadata?.labels ?? {})
}

interface Constraint {
  maxSkew: number
  topologyKey: string
  selector: LabelMatcher
  nodeAffinityHonored: boolean
  nodeTaintsHonored: boolean
}

interface State {
  constraints: Constraint[]
  /** Nodes missing one of the constraints' topology keys: scored 0. */
  ignoredNodes: Set<string>
  /** Per constraint, matching pods per topology value (hostname constraints count during Score). */
  counts: Map<string, number>[]
  weights: number[]
}

/** The pod's constraints with this whenUnsatisfiable, matchLabelKeys folded into the selector. */
function filterConstraints(constraints: Obj[], podLabels: Labels, action: string): Constraint[] {
  return constraints
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c) => {
      const keys: string[] = (c.matchLabelKeys ?? []).filter((k: string) =>
        Object.hasOwn(podLabels, k),
      )
      const sel = c.labelSelector
      const merged =
        sel && keys.length
          ? {
              ...sel,
              matchExpressions: [
                ...(sel.matchExpressions ?? []),
                ...keys.map((k) => ({ key: k, operator: 'In', values: [podLabels[k]] })),
              ],
            }
          : sel
      return {
        maxSkew: c.maxSkew ?? 1,
        topologyKey: c.topologyKey,
        selector: labelMatcher(merged),
        nodeAffinityHonored: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        nodeTaintsHonored: c.nodeTaintsPolicy === 'Honor',
      }
    })
}

/** Pods in the namespace the selector picks, terminating ones left out; an empty selector counts none. */
export function countPodsMatchSelector(pods: Obj[], selector: LabelMatcher, ns: string): number {
  if (selector.empty) return 0
  return pods.filter(
    (p) =>
      !p.metadata?.deletionTimestamp &&
      podNamespace(p) === ns &&
      selector.matches(p.metadata?.labels),
  ).length
}

const hasAllKeys = (node: Obj, cs: Constraint[]) =>
  cs.every((c) => Object.hasOwn(node.metadata?.labels ?? {}, c.topologyKey))

/** NodeInclusionPolicies: whether the node's pods count toward this constraint's domains. */
function includesNode(c: Constraint, pod: Obj, node: Obj): boolean {
  if (c.nodeAffinityHonored && !requiredNodeAffinityMatches(pod, node)) return false
  if (!c.nodeTaintsHonored) return true
  const tols: Obj[] = pod.spec?.tolerations ?? []
  return (node.spec?.taints ?? []).every(
    (t: Obj) =>
      (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerationsTolerateTaint(tols, t),
  )
}

/** log(domains + 2): in (1.09, 8.52) for 1…5000 domains. */
export const topologyNormalizingWeight = (size: number) => Math.log(size + 2)

export const scoreForCount = (cnt: number, maxSkew: number, weight: number) =>
  cnt * weight + (maxSkew - 1)

export interface PodTopologySpreadOptions {
  /** The selector for system-default spreading; see approximateDefaultSelector. */
  defaultSelector?: (pod: Obj) => LabelMatcher | undefined
}

export function newPodTopologySpreadScore(opts: PodTopologySpreadOptions = {}) {
  const defaultSelector = opts.defaultSelector ?? approximateDefaultSelector

  function constraintsFor(pod: Obj): Constraint[] {
    const labels: Labels = pod.metadata?.labels ?? {}
    const own: Obj[] = pod.spec?.topologySpreadConstraints ?? []
    if (own.length) return filterConstraints(own, labels, 'ScheduleAnyway')
    const selector = defaultSelector(pod)
    if (!selector || selector.empty) return []
    return filterConstraints(SYSTEM_DEFAULT_CONSTRAINTS, labels, 'ScheduleAnyway').map((c) => ({
      ...c,
      selector,
    }))
  }

  return {
    name: POD_TOPOLOGY_SPREAD,
    weight: 2,
    preScore(state: CycleState, pod: Obj, nodes: NodeInfo[], snapshot: Snapshot) {
      if (!nodes.length || !snapshot.nodes.length) return skip()
      const constraints = constraintsFor(pod)
      if (!constraints.length) return skip()
      // Only the pod's own constraints need every key: system defaults still
      // spread by hostname over nodes without a zone label.
      const requireAll = (pod.spec?.topologySpreadConstraints ?? []).length > 0
      const s: State = {
        constraints,
        ignoredNodes: new Set(),
        counts: constraints.map(() => new Map()),
        weights: [],
      }
      const sizes = constraints.map(() => 0)
      for (const { node } of nodes) {
        if (requireAll && !hasAllKeys(node, constraints)) {
          s.ignoredNodes.add(node.metadata.name)
          continue
        }
        constraints.forEach((c, i) => {
          if (c.topologyKey === HOSTNAME) return
          const value = node.metadata?.labels?.[c.topologyKey] ?? ''
          if (!s.counts[i]!.has(value)) (s.counts[i]!.set(value, 0), sizes[i]!++)
        })
      }
      s.weights = constraints.map((c, i) =>
        topologyNormalizingWeight(
          c.topologyKey === HOSTNAME ? nodes.length - s.ignoredNodes.size : sizes[i]!,
        ),
      )
      // Domains are counted over every node, filtered or not.
      const ns = podNamespace(pod)
      for (const info of snapshot.nodes) {
        if (requireAll && !hasAllKeys(info.node, constraints)) continue
        constraints.forEach((c, i) => {
          if (!includesNode(c, pod, info.node)) return
          const value = info.node.metadata?.labels?.[c.topologyKey] ?? ''
          const count = s.counts[i]!.get(value)
          if (count === undefined) return
          s.counts[i]!.set(value, count + countPodsMatchSelector(info.pods, c.selector, ns))
        })
      }
      state.write(STATE_KEY, s)
      return undefined
    },
    score(state: CycleState, pod: Obj, info: NodeInfo) {
      const s = state.read<State>(STATE_KEY)
      if (!s || s.ignoredNodes.has(info.name)) return 0
      const labels: Labels = info.node.metadata?.labels ?? {}
      let score = 0
      s.constraints.forEach((c, i) => {
        const value = labels[c.topologyKey]
        if (value === undefined) return
        const cnt =
          c.topologyKey === HOSTNAME
            ? countPodsMatchSelector(info.pods, c.selector, podNamespace(pod))
            : (s.counts[i]!.get(value) ?? 0)
        score += scoreForCount(cnt, c.maxSkew, s.weights[i]!)
      })
      return Math.round(score)
    },
    normalize(state: CycleState, _pod: Obj, scores: Map<string, number>) {
      const s = state.read<State>(STATE_KEY)
      if (!s) return
      let min = Number.MAX_SAFE_INTEGER
      let max = 0
      for (const [name, v] of scores) {
        if (s.ignoredNodes.has(name)) continue
        min = Math.min(min, v)
        max = Math.max(max, v)
      }
      for (const [name, v] of scores) {
        if (s.ignoredNodes.has(name)) scores.set(name, 0)
        else if (max === 0) scores.set(name, MAX_NODE_SCORE)
        else scores.set(name, idiv(MAX_NODE_SCORE * (max + min - v), max))
      }
    },
  } satisfies ScorePlugin
}

export const podTopologySpreadScore = newPodTopologySpreadScore()

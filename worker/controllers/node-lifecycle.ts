// The node lifecycle controller, as upstream's nodelifecycle.Controller in
// taint-based mode: a node whose Lease and Ready heartbeat are both older than
// the grace period is marked Unknown, its pods are marked not ready, and the
// condition taints (TaintNodesByCondition) and the NoExecute not-ready /
// unreachable taints follow its Ready condition. Upstream looks at every node
// every 5 s (node-monitor-period); we look at each node again exactly when its
// grace period would run out.
import { rfc3339 } from '../apiserver/context'
import type { Taint } from '../scheduler/plugins/helper/taints'
import {
  type Controller,
  type ControllerContext,
  type Obj,
  LEASES,
  NODES,
  PODS,
} from './framework/types'

export const NODE_MONITOR_GRACE_MS = 50_000 // v1.32 (PR #126287), was 40 s
export const NODE_STARTUP_GRACE_MS = 60_000
export const NODE_MONITOR_PERIOD_MS = 5_000
export const NODE_LEASE_NAMESPACE = 'kube-node-lease'

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready'
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable'
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'

export const REASON_NODE_NOT_READY = 'NodeNotReady'
export const REASON_NODE_STATUS_UNKNOWN = 'NodeStatusUnknown'
export const REASON_NODE_STATUS_NEVER_UPDATED = 'NodeStatusNeverUpdated'
export const MESSAGE_STOPPED_POSTING = 'Kubelet stopped posting node status.'
export const MESSAGE_NEVER_POSTED = 'Kubelet never posted node status.'

// node-eviction-rate, secondary-node-eviction-rate, large-cluster-size-threshold, unhealthy-zone-threshold.
export const EVICTION_QPS = 0.1
export const SECONDARY_EVICTION_QPS = 0.01
export const LARGE_CLUSTER_THRESHOLD = 50
export const UNHEALTHY_ZONE_THRESHOLD = 0.55
const EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption'

/** The conditions the kubelet owns; NetworkUnavailable is the network plugin's and stays. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']

/** Condition status → NoSchedule taint key, upstream's nodeConditionToTaintKeyStatusMap. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
}
const CONDITION_TAINT_KEYS = new Set([
  ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)),
  TAINT_UNSCHEDULABLE,
])

type Cond = Record<string, any>

const ms = (t: string | undefined): number => (t ? Date.parse(t) : NaN)

export const nodeCondition = (node: Obj, type: string): Cond | undefined =>
  (node.status?.conditions ?? []).find((c: Cond) => c.type === type)

export const readyStatus = (node: Obj): string | undefined => nodeCondition(node, 'Ready')?.status

/**
 * When the node was last heard from (Lease renewal or Ready heartbeat; its
 * creation if it never posted a Ready condition) and when silence becomes
 * Unknown. Upstream stamps its own observation times; our clock is shared, so
 * the posted times serve.
 */
export function nodeHealthDeadline(node: Obj, lease: Obj | undefined): number {
  const ready = nodeCondition(node, 'Ready')
  const seen = [ms(lease?.spec?.renewTime), ms(ready?.lastHeartbeatTime)]
  if (!ready) seen.push(ms(node.metadata.creationTimestamp))
  const probe = Math.max(...seen.filter((t) => !Number.isNaN(t)), 0)
  return probe + (ready ? NODE_MONITOR_GRACE_MS : NODE_STARTUP_GRACE_MS)
}

/** The kubelet conditions set to Unknown (added when never posted); undefined when nothing changes. */
export function markNodeStatusUnknown(node: Obj, now: number): Cond[] | undefined {
  const conditions: Cond[] = structuredClone(node.status?.conditions ?? [])
  let changed = false
  for (const type of KUBELET_CONDITIONS) {
    const c = conditions.find((x) => x.type === type)
    if (!c) {
      conditions.push({
        type,
        status: 'Unknown',
        lastHeartbeatTime: node.metadata.creationTimestamp,
        lastTransitionTime: rfc3339(now),
        reason: REASON_NODE_STATUS_NEVER_UPDATED,
        message: MESSAGE_NEVER_POSTED,
      })
      changed = true
    } else if (c.status !== 'Unknown') {
      Object.assign(c, {
        status: 'Unknown',
        reason: REASON_NODE_STATUS_UNKNOWN,
        message: MESSAGE_STOPPED_POSTING,
        lastTransitionTime: rfc3339(now),
      })
      changed = true
    }
  }
  return changed ? conditions : undefined
}

/** The NoSchedule taints the node's conditions and spec.unschedulable call for. */
export function conditionTaints(node: Obj): Taint[] {
  const out: Taint[] = []
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status]
    if (key) out.push({ key, effect: 'NoSchedule' })
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' })
  return out
}

/** The NoExecute taint a Ready status calls for: not-ready for False, unreachable for Unknown. */
export const noExecuteTaintKey = (ready: string | undefined): string | undefined =>
  ready === 'False' ? TAINT_NOT_READY : ready === 'Unknown' ? TAINT_UNREACHABLE : undefined

const isNoExecuteTaint = (t: Taint) =>
  t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE)

/**
 * The node's taints with the controller's own brought in line: condition
 * NoSchedule taints per `conditionTaints`, and the NoExecute taint `noExecute`
 * (none when undefined). Taints added carry timeAdded; undefined when nothing changes.
 */
export function reconcileTaints(
  node: Obj,
  noExecute: string | undefined,
  now: number,
): Taint[] | undefined {
  const current: (Taint & { timeAdded?: string })[] = node.spec?.taints ?? []
  const owned = (t: Taint) =>
    (t.effect === 'NoSchedule' && CONDITION_TAINT_KEYS.has(t.key)) || isNoExecuteTaint(t)
  const want: Taint[] = conditionTaints(node)
  if (noExecute) want.push({ key: noExecute, effect: 'NoExecute' })
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect
  const kept = current.filter((t) => !owned(t) || want.some((w) => same(w, t)))
  const added = want
    .filter((w) => !current.some((t) => same(w, t)))
    .map((w) => ({ ...w, timeAdded: rfc3339(now) }))
  if (kept.length === current.length && !added.length) return undefined
  return [...kept, ...added]
}

/** Upstream's GetZoneKey: region and zone labels. */
export function zoneKey(node: Obj): string {
  const l = node.metadata.labels ?? {}
  const region =
    l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? ''
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? ''
  return `${region}:\0:${zone}`
}

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption'

/** Upstream's ComputeZoneState: no ready node is full disruption; over 2 and ≥ 55% not ready is partial. */
export function computeZoneState(readyStatuses: (string | undefined)[]): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length
  const notReady = readyStatuses.length - ready
  if (ready === 0 && notReady > 0) return 'FullDisruption'
  if (notReady > 2 && notReady / readyStatuses.length >= UNHEALTHY_ZONE_THRESHOLD)
    return 'PartialDisruption'
  return 'Normal'
}

/** NoExecute taints per second a zone may receive (setLimiterInZone); 0 stops them. */
export function zoneEvictionQPS(
  state: ZoneState,
  zoneSize: number,
  allFullyDisrupted: boolean,
): number {
  if (allFullyDisrupted) return 0
  if (state === 'PartialDisruption')
    return zoneSize > LARGE_CLUSTER_THRESHOLD ? SECONDARY_EVICTION_QPS : 0
  return EVICTION_QPS
}

export interface NoExecuteGate {
  /** The taint may be added now. */
  allow: boolean
  /** Every zone is fully disrupted: upstream stops evictions and removes NoExecute taints everywhere. */
  fullDisruption: boolean
  /** When to look again if not allowed. */
  retryMs?: number
}

/**
 * Upstream's rate-limited taint queue, without its state: a zone's token
 * bucket (burst 1) is judged from the newest timeAdded of a NoExecute
 * node-controller taint on the zone's nodes.
 */
export function noExecuteGate(node: Obj, nodes: Obj[], now: number): NoExecuteGate {
  const zones = new Map<string, Obj[]>()
  for (const n of nodes) {
    if (n.metadata.labels?.[EXCLUDE_DISRUPTION] !== undefined) continue
    const k = zoneKey(n)
    zones.set(k, [...(zones.get(k) ?? []), n])
  }
  const states = new Map([...zones].map(([k, ns]) => [k, computeZoneState(ns.map(readyStatus))]))
  const all = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption')
  const zone = zones.get(zoneKey(node)) ?? [node]
  const qps = zoneEvictionQPS(states.get(zoneKey(node)) ?? 'Normal', zone.length, all)
  if (qps === 0) return { allow: false, fullDisruption: all, retryMs: NODE_MONITOR_PERIOD_MS }
  const last = Math.max(
    0,
    ...zone.flatMap((n) =>
      (n.spec?.taints ?? []).filter(isNoExecuteTaint).map((t: Obj) => ms(t.timeAdded) || 0),
    ),
  )
  const next = last + 1000 / qps
  return next <= now
    ? { allow: true, fullDisruption: false }
    : { allow: false, fullDisruption: false, retryMs: next - now }
}

/** The pod with its Ready condition False (MarkPodsNotReady); undefined when it has none or is already False. */
export function markPodNotReady(pod: Obj, now: number): Obj | undefined {
  const i = (pod.status?.conditions ?? []).findIndex((c: Cond) => c.type === 'Ready')
  if (i < 0 || pod.status.conditions[i].status === 'False') return undefined
  const next = structuredClone(pod)
  next.status.conditions[i] = {
    ...next.status.conditions[i],
    status: 'False',
    lastTransitionTime: rfc3339(now),
  }
  return next
}

function markPodsNotReady(ctx: ControllerContext, nodeName: string): void {
  for (const pod of ctx.list(PODS, { fields: { 'spec.nodeName': nodeName } })) {
    const next = markPodNotReady(pod, ctx.now)
    if (!next) continue
    ctx.updateStatus(PODS, next)
    ctx.event(pod, 'Warning', REASON_NODE_NOT_READY, 'Node is not ready')
  }
}

export function syncNode(name: string, ctx: ControllerContext): void {
  let node = ctx.get(NODES, undefined, name)
  if (!node) return
  const lease = ctx.get(LEASES, NODE_LEASE_NAMESPACE, name)
  const observed = readyStatus(node)
  // After a jump of the clock, every node gets a fresh grace period to be heard from.
  const deadline = Math.max(nodeHealthDeadline(node, lease), (ctx.clockSteppedAt ?? 0) + NODE_MONITOR_GRACE_MS)
  if (ctx.now >= deadline) {
    const conditions = markNodeStatusUnknown(node, ctx.now)
    if (conditions)
      node = ctx.updateStatus(NODES, { ...node, status: { ...node.status, conditions } })
  } else ctx.requeueAfter(name, deadline - ctx.now)
  const current = readyStatus(node)
  // Only the controller's own flip from Ready is reported, as upstream does; a
  // kubelet posting NotReady handles its pods itself.
  if (observed === 'True' && current !== 'True') {
    ctx.event(
      node,
      'Normal',
      REASON_NODE_NOT_READY,
      `Node ${name} status is now: ${REASON_NODE_NOT_READY}`,
    )
    markPodsNotReady(ctx, name)
  }
  let noExecute = noExecuteTaintKey(current)
  if (noExecute) {
    const taints: Taint[] = node.spec?.taints ?? []
    const has = (key: string) => taints.some((t) => isNoExecuteTaint(t) && t.key === key)
    const swap = noExecute === TAINT_NOT_READY ? has(TAINT_UNREACHABLE) : has(TAINT_NOT_READY)
    const nodes = ctx.list(NODES)
    const gate = noExecuteGate(node, nodes, ctx.now)
    if (gate.fullDisruption) {
      noExecute = undefined
      // Entering full disruption: the other tainted nodes drop their taints on their next sync.
      for (const n of nodes)
        if (n.metadata.name !== name && (n.spec?.taints ?? []).some(isNoExecuteTaint))
          ctx.requeueAfter(n.metadata.name, 0)
      ctx.requeueAfter(name, gate.retryMs!)
    } else if (!has(noExecute) && !swap && !gate.allow) {
      // Not yet: keep whatever NoExecute taint the node has and look again when a token is due.
      noExecute = taints.find(isNoExecuteTaint)?.key
      ctx.requeueAfter(name, gate.retryMs!)
    }
  }
  const taints = reconcileTaints(node, noExecute, ctx.now)
  if (taints) ctx.update(NODES, { ...node, spec: { ...node.spec, taints } })
}

export const nodeLifecycleController: Controller = {
  name: 'node-lifecycle',
  component: 'node-controller',
  watches: {
    [NODES]: (o, _old, deleted) => (deleted ? [] : [o.metadata.name]),
    [LEASES]: (o, _old, deleted) =>
      !deleted && o.metadata.namespace === NODE_LEASE_NAMESPACE ? [o.metadata.name] : [],
  },
  sync: syncNode,
}

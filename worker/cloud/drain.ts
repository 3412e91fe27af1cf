// Draining a node before its VM goes, as cluster-autoscaler's scale-down (and
// kubectl drain) does: DaemonSet and mirror pods stay (they die with the node),
// finished pods are no obstacle, every other pod is evicted through the
// eviction API's rules (PodDisruptionBudgets), and the node may go once none
// of them is left. Plus the utilization figure cluster-autoscaler reports.
import { type BudgetFigures, evictionVerdict } from '../apiserver/eviction'
import { controllerOf, type Obj } from '../controllers/framework/types'
import { parseQuantity } from '../resources/quantity'

const isDaemonSetPod = (p: Obj) => controllerOf(p)?.kind === 'DaemonSet'
const isMirrorPod = (p: Obj) =>
  p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined
const isFinished = (p: Obj) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'

/** The pods that keep a node from being removed: everything but DaemonSet, mirror and finished pods. */
export const podsToDrain = (pods: Obj[]): Obj[] =>
  pods.filter((p) => !isDaemonSetPod(p) && !isMirrorPod(p) && !isFinished(p))

export interface DrainPlan {
  /** Pods to evict now. */
  evict: Obj[]
  /** Pods whose eviction is refused, with the API's words. */
  blocked: { pod: Obj; message: string }[]
  /** Pods still on the node (terminating ones included): the node may go at 0. */
  remaining: number
}

/**
 * One pass over a node's pods. Budgets are counted down as evictions are
 * decided, so one pass never spends a disruption twice; `force` (the drain ran
 * past its deadline) evicts regardless of budgets.
 */
export function planDrain(pods: Obj[], budgets: BudgetFigures[], force = false): DrainPlan {
  const plan: DrainPlan = { evict: [], blocked: [], remaining: 0 }
  for (const p of podsToDrain(pods)) {
    plan.remaining++
    if (p.metadata.deletionTimestamp) continue
    const v = force ? ({ allowed: true } as const) : evictionVerdict(p, budgets)
    if (v.allowed) plan.evict.push(p)
    else plan.blocked.push({ pod: p, message: v.cause ? `${v.message} (${v.cause})` : v.message })
  }
  return plan
}

export interface Utilization {
  cpu: number
  memory: number
  /** The higher of the two, and which it is: cluster-autoscaler's UtilInfo. */
  utilization: number
  resource: 'cpu' | 'memory'
}

/** Requested share of the node's allocatable CPU and memory, by the pods that would move (CA's utilization). */
export function utilizationOf(node: Obj | undefined, pods: Obj[]): Utilization {
  const alloc = node?.status?.allocatable ?? node?.status?.capacity ?? {}
  let cpu = 0
  let memory = 0
  for (const p of podsToDrain(pods))
    for (const c of p.spec?.containers ?? []) {
      cpu += parseQuantity(c.resources?.requests?.cpu) ?? 0
      memory += parseQuantity(c.resources?.requests?.memory) ?? 0
    }
  const share = (used: number, total: number | undefined) =>
    total ? Math.round((used / total) * 100) / 100 : 0
  const u = {
    cpu: share(cpu, parseQuantity(alloc.cpu)),
    memory: share(memory, parseQuantity(alloc.memory)),
  }
  return u.memory > u.cpu
    ? { ...u, utilization: u.memory, resource: 'memory' }
    : { ...u, utilization: u.cpu, resource: 'cpu' }
}

/** As Go prints CA's UtilInfo with %v: {CpuUtil MemUtil GpuUtil Utilization ResourceName}. */
export const formatUtilization = (u: Utilization) =>
  `{${u.cpu} ${u.memory} 0 ${u.utilization} ${u.resource}}`

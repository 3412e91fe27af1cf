// The node pool controller: the provider's managed instance group with
// cluster-autoscaler's manners. It keeps spec.replicas Instances (the instance
// controller boots them and their kubelets register); a scale-up names and
// places new VMs (event ScaledUpGroup); a scale-down picks nodes
// (chooseForRemoval says why), marks them as cluster-autoscaler does (cordon
// and the ToBeDeletedByClusterAutoscaler taint), evicts their pods under the
// eviction API's budget rules, and deletes each VM once its node is drained.
// Event reasons and messages are cluster-autoscaler's (core/scaleup and
// core/scaledown/actuation), recorded on the NodePool rather than on its
// status ConfigMap.
import { rfc3339 } from '../apiserver/context'
import { type BudgetFigures, budgetFigures, evictionCondition } from '../apiserver/eviction'
import {
  type Controller,
  type ControllerContext,
  NODES,
  type Obj,
  PDBS,
  PODS,
  REPLICASETS,
} from '../controllers/framework/types'
import { MAX_POOL_REPLICAS } from '../resources/cloud'
import { formatUtilization, planDrain, podsToDrain, utilizationOf } from './drain'
import {
  type Candidate,
  type Member,
  chooseForRemoval,
  freeNames,
  poolStatus,
  zonesForNew,
} from './node-pool-plan'
import {
  INSTANCES,
  NODEPOOLS,
  POOL_LABEL,
  TAINT_TO_BE_DELETED,
  hasTaint,
  nodeNamePrefix,
} from './provider'

/** A refused eviction is tried again after this long, as kubectl drain does. */
export const DRAIN_RETRY_MS = 5_000
/** Budgets are respected this long, then a drain evicts regardless (GKE gives node pool drains an hour). */
export const DRAIN_TIMEOUT_MS = 60 * 60_000

const podsOn = (ctx: ControllerContext, node: string) =>
  ctx.list(PODS, { fields: { 'spec.nodeName': node } })

export function newInstance(pool: Obj, name: string, zone: string): Obj {
  return {
    metadata: {
      name,
      labels: { [POOL_LABEL]: pool.metadata.name },
      ownerReferences: [
        {
          apiVersion: pool.apiVersion,
          kind: pool.kind,
          name: pool.metadata.name,
          uid: pool.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { pool: pool.metadata.name, zone, machineType: pool.spec.machineType, running: true },
  }
}

function scaleUp(ctx: ControllerContext, pool: Obj, members: Member[], n: number): void {
  const taken = (name: string) =>
    !!ctx.get(INSTANCES, undefined, name) || !!ctx.get(NODES, undefined, name)
  const names = freeNames(nodeNamePrefix(pool.metadata.name), n, taken)
  const zones = zonesForNew(pool.spec.zones, members, n)
  ctx.event(
    pool,
    'Normal',
    'ScaledUpGroup',
    `Scale-up: setting group ${pool.metadata.name} size to ${members.length + n} instead of ${members.length} (max: ${MAX_POOL_REPLICAS})`,
  )
  names.forEach((name, i) => ctx.create(INSTANCES, newInstance(pool, name, zones[i]!)))
}

/** cluster-autoscaler's MarkToBeDeleted with cordoning: the taint's value is the decision's unix time. */
function mark(ctx: ControllerContext, node: Obj): Obj {
  const taints = [
    ...(node.spec?.taints ?? []),
    { key: TAINT_TO_BE_DELETED, value: String(Math.floor(ctx.now / 1000)), effect: 'NoSchedule' },
  ]
  const next = ctx.update(NODES, { ...node, spec: { ...node.spec, unschedulable: true, taints } })
  ctx.event(node, 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable')
  return next
}

/** A cancelled removal (the pool grew again): the node is schedulable again. */
function unmark(ctx: ControllerContext, node: Obj): void {
  const taints = (node.spec?.taints ?? []).filter((t: Obj) => t.key !== TAINT_TO_BE_DELETED)
  const spec = { ...node.spec, taints }
  delete spec.unschedulable
  if (!taints.length) delete spec.taints
  ctx.update(NODES, { ...node, spec })
}

function scaleDown(ctx: ControllerContext, pool: Obj, unmarked: Member[], n: number): Member[] {
  const candidates: Candidate[] = unmarked.map((m) => ({
    ...m,
    utilization: m.node ? utilizationOf(m.node, podsOn(ctx, m.node.metadata.name)).utilization : 0,
  }))
  const marked: Member[] = []
  for (const { member, why } of chooseForRemoval(candidates, pool.spec.zones, n)) {
    const name = member.inst.metadata.name
    const pods = member.node ? podsToDrain(podsOn(ctx, name)) : []
    if (!pods.length) {
      ctx.event(
        pool,
        'Normal',
        'ScaleDownEmpty',
        `Scale-down: removing empty node "${name}" (${why})`,
      )
      if (member.node) mark(ctx, member.node)
      ctx.delete(INSTANCES, undefined, name, { uid: member.inst.metadata.uid })
      ctx.event(pool, 'Normal', 'ScaleDownEmpty', `Scale-down: empty node ${name} removed`)
      continue
    }
    const util = formatUtilization(utilizationOf(member.node, pods))
    const names = pods.map((p) => p.metadata.name).join(',')
    ctx.event(
      pool,
      'Normal',
      'ScaleDown',
      `Scale-down: removing node ${name}, utilization: ${util}, pods to reschedule: ${names} (${why})`,
    )
    marked.push({ ...member, node: mark(ctx, member.node!) })
  }
  return marked
}

/** One drain pass over a marked node; true once its VM is deleted. */
function drain(
  ctx: ControllerContext,
  pool: Obj,
  m: Member,
  budgets: (ns: string) => BudgetFigures[],
  blocked: string[],
): boolean {
  const name = m.inst.metadata.name
  const since =
    Number((m.node!.spec?.taints ?? []).find((t: Obj) => t.key === TAINT_TO_BE_DELETED)?.value) *
    1000
  const pods = podsOn(ctx, name)
  const nsBudgets = [...new Set(pods.map((p) => p.metadata.namespace))].flatMap(budgets)
  const plan = planDrain(pods, nsBudgets, ctx.now >= since + DRAIN_TIMEOUT_MS)
  for (const p of plan.evict) {
    ctx.event(p, 'Normal', 'ScaleDown', 'deleting pod for node scale down')
    const conditions = [
      ...(p.status?.conditions ?? []).filter((c: Obj) => c.type !== 'DisruptionTarget'),
      evictionCondition(rfc3339(ctx.now)),
    ]
    ctx.updateStatus(PODS, { ...p, status: { ...p.status, conditions } })
    ctx.delete(PODS, p.metadata.namespace, p.metadata.name, { uid: p.metadata.uid })
  }
  for (const b of plan.blocked)
    blocked.push(`${b.pod.metadata.namespace}/${b.pod.metadata.name}: ${b.message}`)
  if (plan.remaining > 0) return false
  ctx.delete(INSTANCES, undefined, name, { uid: m.inst.metadata.uid })
  ctx.event(pool, 'Normal', 'ScaleDown', `Scale-down: node ${name} removed with drain`)
  return true
}

export function syncNodePool(name: string, ctx: ControllerContext): void {
  const pool = ctx.get(NODEPOOLS, undefined, name)
  const instances = ctx.list(INSTANCES, { fields: { 'spec.pool': name } })
  if (!pool || pool.metadata.deletionTimestamp) {
    // A deleted pool takes its VMs with it.
    for (const i of instances)
      if (!i.metadata.deletionTimestamp)
        ctx.delete(INSTANCES, undefined, i.metadata.name, { uid: i.metadata.uid })
    return
  }
  let members: Member[] = instances
    .filter((i) => !i.metadata.deletionTimestamp)
    .map((inst) => ({ inst, node: ctx.get(NODES, undefined, inst.metadata.name) }))
  let marked = members.filter((m) => hasTaint(m.node, TAINT_TO_BE_DELETED))
  const desired: number = pool.spec.replicas
  const kept = members.length - marked.length
  if (kept < desired) {
    // Growing again: cancel removals first, then add VMs.
    const cancelled = marked.slice(0, desired - kept)
    for (const m of cancelled) unmark(ctx, m.node!)
    marked = marked.slice(cancelled.length)
    if (kept + cancelled.length < desired)
      scaleUp(ctx, pool, members, desired - kept - cancelled.length)
  } else if (kept > desired) {
    const unmarked = members.filter((m) => !marked.includes(m))
    marked = [...marked, ...scaleDown(ctx, pool, unmarked, kept - desired)]
  }
  // Budgets per namespace, shared by every node drained in this pass so no disruption is spent twice.
  const budgetCache = new Map<string, BudgetFigures[]>()
  const budgets = (ns: string): BudgetFigures[] => {
    let b = budgetCache.get(ns)
    if (!b) {
      const pdbs = ctx.list(PDBS, { namespace: ns })
      const nsPods = pdbs.length ? ctx.list(PODS, { namespace: ns }) : []
      const expected = (owner: Record<string, any>) =>
        owner.kind === 'ReplicaSet'
          ? ctx.get(REPLICASETS, ns, owner.name)?.spec?.replicas
          : undefined
      b = pdbs.map((pdb) => budgetFigures(pdb, nsPods, expected))
      budgetCache.set(ns, b)
    }
    return b
  }
  const blocked: string[] = []
  const removed = new Set(
    marked.filter((m) => drain(ctx, pool, m, budgets, blocked)).map((m) => m.inst.metadata.name),
  )
  const draining = marked
    .filter((m) => !removed.has(m.inst.metadata.name))
    .map((m) => m.inst.metadata.name)
  if (draining.length) ctx.requeueAfter(name, DRAIN_RETRY_MS)
  // The status counts what is there after this pass's writes.
  members = ctx
    .list(INSTANCES, { fields: { 'spec.pool': name } })
    .filter((i) => !i.metadata.deletionTimestamp)
    .map((inst) => ({ inst, node: ctx.get(NODES, undefined, inst.metadata.name) }))
  const status = poolStatus(pool, members, { draining, blocked: blocked[0] }, ctx.now)
  if (JSON.stringify(status) !== JSON.stringify(pool.status))
    ctx.updateStatus(NODEPOOLS, { ...pool, status })
}

export const nodePoolController: Controller = {
  name: 'node-pool',
  component: 'cluster-autoscaler',
  watches: {
    [NODEPOOLS]: (o) => [o.metadata.name],
    [INSTANCES]: (o) => (o.spec?.pool ? [o.spec.pool] : []),
    [NODES]: (o) => (o.metadata.labels?.[POOL_LABEL] ? [o.metadata.labels[POOL_LABEL]] : []),
  },
  sync: syncNodePool,
}

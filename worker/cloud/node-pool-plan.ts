// The node pool's decisions as plain functions: where new VMs go and what they
// are called, which nodes a scale-down removes and why, and the pool's status.
import { rfc3339 } from '../apiserver/context'
import type { Obj } from '../controllers/framework/types'
import { TAINT_UNINITIALIZED, hasTaint, readyOf } from './provider'

/** A live (not deleting) Instance of the pool, with its Node once registered. */
export interface Member {
  inst: Obj
  node?: Obj
}

const zoneOf = (m: Member): string => m.inst.spec?.zone

/**
 * Zones for n new VMs: each goes to the listed zone with the fewest of the
 * pool's VMs, ties in the order listed; round-robin from an even start, and an
 * uneven pool evens out (as a regional managed instance group spreads).
 */
export function zonesForNew(zones: string[], members: Member[], n: number): string[] {
  const count = new Map(zones.map((z) => [z, 0]))
  for (const m of members) if (count.has(zoneOf(m))) count.set(zoneOf(m), count.get(zoneOf(m))! + 1)
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    let best = zones[0]!
    for (const z of zones) if (count.get(z)! < count.get(best)!) best = z
    out.push(best)
    count.set(best, count.get(best)! + 1)
  }
  return out
}

/** The n lowest free names <prefix>-<i>, i from 1. */
export function freeNames(prefix: string, n: number, taken: (name: string) => boolean): string[] {
  const out: string[] = []
  for (let i = 1; out.length < n; i++) if (!taken(`${prefix}-${i}`)) out.push(`${prefix}-${i}`)
  return out
}

export interface Candidate extends Member {
  /** The requested share of the node (cluster-autoscaler's utilization); 0 without a node. */
  utilization: number
}

export interface Removal {
  member: Candidate
  why: string
}

const indexOf = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 0)

/**
 * The n candidates a scale-down removes, one at a time: VMs not yet registered
 * first (nothing to drain), then those in zones the pool no longer lists, then
 * from the zone holding the most of the pool's VMs (the spread stays even, as a
 * regional instance group keeps it), the least utilized node there (what
 * cluster-autoscaler removes first), the newest on a tie.
 */
export function chooseForRemoval(candidates: Candidate[], zones: string[], n: number): Removal[] {
  const left = [...candidates]
  const count = new Map<string, number>()
  for (const c of left) count.set(zoneOf(c), (count.get(zoneOf(c)) ?? 0) + 1)
  const out: Removal[] = []
  while (out.length < n && left.length) {
    const rank = (c: Candidate) => [
      c.node ? 1 : 0,
      zones.includes(zoneOf(c)) ? 1 : 0,
      -count.get(zoneOf(c))!,
      c.utilization,
      -indexOf(c.inst.metadata.name),
    ]
    left.sort((a, b) => {
      const ra = rank(a)
      const rb = rank(b)
      for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!
      return 0
    })
    const c = left.shift()!
    const zone = zoneOf(c)
    const why = !c.node
      ? 'it has not registered a node yet, so there is nothing to drain'
      : !zones.includes(zone)
        ? `its zone ${zone} is no longer one of the pool's zones`
        : `${zone} holds the most of the pool's nodes (${count.get(zone)}) and it is the least utilized there (${c.utilization})`
    out.push({ member: c, why })
    count.set(zone, count.get(zone)! - 1)
  }
  return out
}

type Cond = {
  type: string
  status: string
  reason: string
  message: string
  lastTransitionTime?: string
}

function condition(old: Cond[] | undefined, c: Cond, now: number): Cond {
  const prev = old?.find((x) => x.type === c.type)
  const since = prev && prev.status === c.status ? prev.lastTransitionTime : rfc3339(now)
  return {
    type: c.type,
    status: c.status,
    lastTransitionTime: since,
    reason: c.reason,
    message: c.message,
  }
}

export interface Progress {
  /** Nodes being drained for removal. */
  draining: string[]
  /** Why a drain waits, in the eviction API's words. */
  blocked?: string
}

/** status.replicas, readyReplicas, per-zone counts and the Ready and Scaling conditions. */
export function poolStatus(
  pool: Obj,
  members: Member[],
  progress: Progress,
  now: number,
): Record<string, any> {
  const desired: number = pool.spec?.replicas ?? 0
  const ready = (m: Member) => readyOf(m.node) === 'True' && m.inst.status?.phase === 'Running'
  const zones: string[] = [...(pool.spec?.zones ?? [])]
  for (const m of members) if (!zones.includes(zoneOf(m))) zones.push(zoneOf(m))
  const replicas = members.length
  const readyReplicas = members.filter(ready).length
  const old: Cond[] | undefined = pool.status?.conditions
  // Booting: the VM is not up yet, or its node has not been initialized or heard from.
  const booting = members.filter((m) => {
    const phase = m.inst.status?.phase
    if (!phase || phase === 'Provisioning') return true
    if (!m.node) return false // a running VM whose Node was deleted: nothing will come
    return (
      hasTaint(m.node, TAINT_UNINITIALIZED) ||
      !(m.node.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready')
    )
  }).length
  let scaling: Cond
  if (replicas > desired || progress.draining.length) {
    const blocked = progress.blocked ? `: ${progress.blocked}` : ''
    scaling = {
      type: 'Scaling',
      status: 'True',
      reason: 'ScalingDown',
      message: `draining ${progress.draining.join(', ')}${blocked}`,
    }
  } else if (replicas < desired || booting)
    scaling = {
      type: 'Scaling',
      status: 'True',
      reason: 'ScalingUp',
      message: `${readyReplicas} of ${desired} nodes ready, ${booting} booting`,
    }
  else
    scaling = {
      type: 'Scaling',
      status: 'False',
      reason: 'Stable',
      message: `${replicas} nodes, as desired`,
    }
  const isReady = readyReplicas >= desired && replicas === desired
  return {
    observedGeneration: pool.metadata.generation,
    replicas,
    readyReplicas,
    zones: zones.map((zone) => ({
      zone,
      replicas: members.filter((m) => zoneOf(m) === zone).length,
      readyReplicas: members.filter((m) => zoneOf(m) === zone && ready(m)).length,
    })),
    conditions: [
      condition(
        old,
        {
          type: 'Ready',
          status: isReady ? 'True' : 'False',
          reason: isReady ? 'NodesReady' : 'NodesNotReady',
          message: `${readyReplicas} of ${desired} nodes are ready`,
        },
        now,
      ),
      condition(old, scaling, now),
    ],
  }
}

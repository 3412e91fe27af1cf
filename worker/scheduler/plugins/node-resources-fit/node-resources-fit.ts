// NodeResourcesFit (filter): the pod's effective requests must fit in what
// the node's allocatable leaves after the requests of the pods already there.
// Every shortfall is reported, in upstream's order: pods, cpu, memory,
// ephemeral-storage, then extended resources.
import { podRequests } from '../../framework/node-info'
import { success, unschedulable } from '../../framework/types'
import type { FilterPlugin, NodeInfo, Obj, Resources, Status } from '../../framework/types'

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods'
export const insufficientReason = (resource: string) => `Insufficient ${resource}`

export interface InsufficientResource {
  resourceName: string
  reason: string
  requested: number
  used: number
  capacity: number
}

export function fitsRequest(req: Resources, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = []
  const { allocatable: alloc, requested: used } = node
  if (node.pods.length + 1 > alloc.pods)
    out.push({
      resourceName: 'pods',
      reason: ERR_REASON_TOO_MANY_PODS,
      requested: 1,
      used: node.pods.length,
      capacity: alloc.pods,
    })
  const check = (name: string, want: number, capacity: number, inUse: number) => {
    // A zero request fits even an over-committed node.
    if (want > 0 && want > capacity - inUse)
      out.push({
        resourceName: name,
        reason: insufficientReason(name),
        requested: want,
        used: inUse,
        capacity,
      })
  }
  check('cpu', req.milliCPU, alloc.milliCPU, used.milliCPU)
  check('memory', req.memory, alloc.memory, used.memory)
  check('ephemeral-storage', req.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage)
  // Go ranges a map in random order; sort so reasons are stable.
  for (const name of Object.keys(req.scalar).sort())
    check(name, req.scalar[name]!, alloc.scalar[name] ?? 0, used.scalar[name] ?? 0)
  return out
}

/** The insufficient resources for the pod on the node; empty when it fits. */
export const fits = (pod: Obj, node: NodeInfo) => fitsRequest(podRequests(pod), node)

const STATE_KEY = 'PreFilterNodeResourcesFit'

export const NodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  preFilter(state, pod) {
    state.write(STATE_KEY, podRequests(pod))
    return undefined
  },
  filter(state, pod, node): Status {
    const insufficient = fitsRequest(state.read<Resources>(STATE_KEY) ?? podRequests(pod), node)
    // Preemption may free room, so never unresolvable (v1.31/1.32 behaviour).
    return insufficient.length ? unschedulable(...insufficient.map((r) => r.reason)) : success()
  },
}

// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods
// that tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.
import { success, unresolvable } from '../../framework/types'
import type { FilterPlugin, NodeInfo, Obj, Status } from '../../framework/types'
import { podTolerations, tolerationsTolerateTaint } from '../helper/taints'

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable'

export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'

export function fitsUnschedulable(pod: Obj, node: NodeInfo): Status {
  if (!node.node.spec?.unschedulable) return success()
  const taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }
  if (tolerationsTolerateTaint(podTolerations(pod), taint)) return success()
  // Only uncordoning helps, never preemption.
  return unresolvable(ERR_REASON_UNSCHEDULABLE)
}

export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter: (_state, pod, node) => fitsUnschedulable(pod, node),
}

// TaintToleration (filter): every NoSchedule and NoExecute taint on the node
// must be tolerated; the first one that is not names the reason.
import { success, unresolvable } from '../../framework/types'
import type { FilterPlugin, NodeInfo, Obj, Status } from '../../framework/types'
import {
  doNotScheduleTaint,
  findUntoleratedTaint,
  nodeTaints,
  podTolerations,
} from '../helper/taints'

/** Upstream prints the taint as `{key: value}`, with an empty value as `{key: }`. */
export const untoleratedTaintReason = (key: string, value = '') =>
  `node(s) had untolerated taint {${key}: ${value}}`

export function fitsTaints(pod: Obj, node: NodeInfo): Status {
  const taint = findUntoleratedTaint(nodeTaints(node.node), podTolerations(pod), doNotScheduleTaint)
  return taint ? unresolvable(untoleratedTaintReason(taint.key, taint.value)) : success()
}

export const TaintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter: (_state, pod, node) => fitsTaints(pod, node),
}

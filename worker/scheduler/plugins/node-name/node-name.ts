// NodeName: a pod that names its node (spec.nodeName) fits only there.
import { success, unresolvable } from '../../framework/types'
import type { FilterPlugin, NodeInfo, Obj } from '../../framework/types'

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name"

export const fitsNodeName = (pod: Obj, node: NodeInfo): boolean =>
  !pod.spec?.nodeName || pod.spec.nodeName === node.name

export const NodeName: FilterPlugin = {
  name: 'NodeName',
  filter: (_state, pod, node) =>
    fitsNodeName(pod, node) ? success() : unresolvable(ERR_REASON_NODE_NAME),
}

// NodeAffinity (filter): the pod's nodeSelector labels and its required
// nodeAffinity terms must both hold for the node.
import { skip, success, unresolvable } from '../../framework/types'
import type { FilterPlugin, Obj } from '../../framework/types'
import { requiredNodeAffinityMatches } from '../helper/node-selector'

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"

const hasNodeConstraints = (pod: Obj) =>
  Object.keys(pod.spec?.nodeSelector ?? {}).length > 0 ||
  !!pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution

export const NodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  // Nothing to check: skip Filter, as upstream's PreFilter does.
  preFilter: (_state, pod) => (hasNodeConstraints(pod) ? undefined : skip()),
  filter: (_state, pod, node) =>
    requiredNodeAffinityMatches(pod, node.node) ? success() : unresolvable(ERR_REASON_POD),
}

// cloud-controller-manager's cloud node lifecycle controller (k8s.io/cloud-provider
// controllers/nodelifecycle): a Ready node loses the shutdown taint; a node that
// is not Ready is deleted when its VM no longer exists ("DeletingNode"), or
// tainted node.cloudprovider.kubernetes.io/shutdown:NoSchedule while its VM is
// stopped. Upstream looks at every node each --node-monitor-period (5 s); here
// a node is looked at when it or its Instance is written, which is when either
// answer can change. Nodes of other origins (no wheelhouse:// provider ID, no
// pool label) are left alone, as a provider answers only for its own.
import {
  type Controller,
  type ControllerContext,
  NODES,
  type Obj,
} from '../controllers/framework/types'
import { INSTANCES, TAINT_SHUTDOWN, hasTaint, instanceNameOf, readyOf } from './provider'

export type LifecycleAction = 'delete' | 'taint' | 'untaint' | undefined

/** What the controller does to a node of ours, given its Instance (undefined: the VM does not exist). */
export function lifecycleAction(node: Obj, inst: Obj | undefined): LifecycleAction {
  if (readyOf(node) === 'True') return hasTaint(node, TAINT_SHUTDOWN) ? 'untaint' : undefined
  if (!inst) return 'delete'
  const shutdown = inst.status?.phase === 'Stopping' || inst.status?.phase === 'Terminated'
  return shutdown && !hasTaint(node, TAINT_SHUTDOWN) ? 'taint' : undefined
}

export function syncCloudNodeLifecycle(name: string, ctx: ControllerContext): void {
  const node = ctx.get(NODES, undefined, name)
  if (!node) return
  const instName = instanceNameOf(node, ctx.clusterName)
  if (!instName) return
  const action = lifecycleAction(node, ctx.get(INSTANCES, undefined, instName))
  if (action === 'delete') {
    ctx.event(
      node,
      'Normal',
      'DeletingNode',
      `Deleting node ${name} because it does not exist in the cloud provider`,
    )
    ctx.delete(NODES, undefined, name, { uid: node.metadata.uid })
  } else if (action) {
    const others = (node.spec?.taints ?? []).filter((t: Obj) => t.key !== TAINT_SHUTDOWN)
    const taints =
      action === 'taint' ? [...others, { key: TAINT_SHUTDOWN, effect: 'NoSchedule' }] : others
    ctx.update(NODES, { ...node, spec: { ...node.spec, taints } })
  }
}

export const cloudNodeLifecycleController: Controller = {
  name: 'cloud-node-lifecycle',
  component: 'cloud-node-lifecycle-controller',
  watches: {
    [NODES]: (o, _old, deleted) => (deleted ? [] : [o.metadata.name]),
    [INSTANCES]: (o) => [o.metadata.name],
  },
  sync: syncCloudNodeLifecycle,
}

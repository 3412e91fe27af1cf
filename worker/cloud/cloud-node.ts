// cloud-controller-manager's cloud node controller (k8s.io/cloud-provider
// controllers/node): a Node registered with the uninitialized taint gets its
// spec.providerID, its zone, region and instance-type labels (the GA keys and,
// as upstream still sets them, the beta ones) from the Instance behind it, the
// taint removed, and a "Synced" event. Initialized nodes only have missing GA
// labels copied from beta ones (reconcileNodeLabels).
import {
  type Controller,
  type ControllerContext,
  NODES,
  type Obj,
} from '../controllers/framework/types'
import { REGION } from '../resources/machine-types'
import { INSTANCES, TAINT_UNINITIALIZED, hasTaint, providerIDOf } from './provider'

/** Beta label → GA label, as upstream's labelReconcileInfo. */
const LABEL_PAIRS: [string, string][] = [
  ['failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/zone'],
  ['failure-domain.beta.kubernetes.io/region', 'topology.kubernetes.io/region'],
  ['beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type'],
]

/** The Node as the cloud node controller leaves it once initialized from its Instance. */
export function initializeNode(node: Obj, inst: Obj, cluster: string): Obj {
  const zone: string = inst.spec.zone
  const type: string = inst.spec.machineType
  const labels = { ...(node.metadata.labels ?? {}) }
  for (const [key, value] of [
    ['topology.kubernetes.io/zone', zone],
    ['topology.kubernetes.io/region', REGION],
    ['node.kubernetes.io/instance-type', type],
  ] as const) {
    labels[key] = value
    labels[LABEL_PAIRS.find(([, ga]) => ga === key)![0]] = value
  }
  const spec = { ...(node.spec ?? {}) }
  spec.providerID ||= providerIDOf(cluster, zone, inst.metadata.name)
  spec.taints = (spec.taints ?? []).filter((t: Obj) => t.key !== TAINT_UNINITIALIZED)
  if (!spec.taints.length) delete spec.taints
  return { ...node, metadata: { ...node.metadata, labels }, spec }
}

/** GA labels missing where the beta one is set; undefined when nothing is missing. */
export function reconcileNodeLabels(node: Obj): Record<string, string> | undefined {
  const labels: Record<string, string> = node.metadata.labels ?? {}
  const add = Object.fromEntries(
    LABEL_PAIRS.filter(([beta, ga]) => labels[beta] !== undefined && labels[ga] === undefined).map(
      ([beta, ga]) => [ga, labels[beta]!],
    ),
  )
  return Object.keys(add).length ? { ...labels, ...add } : undefined
}

export function syncCloudNode(name: string, ctx: ControllerContext): void {
  const node = ctx.get(NODES, undefined, name)
  if (!node) return
  if (!hasTaint(node, TAINT_UNINITIALIZED)) {
    const labels = reconcileNodeLabels(node)
    if (labels) ctx.update(NODES, { ...node, metadata: { ...node.metadata, labels } })
    return
  }
  // Our instances are named after their nodes; a node with no Instance is not ours to initialize.
  const inst = ctx.get(INSTANCES, undefined, name)
  if (!inst) return
  ctx.update(NODES, initializeNode(node, inst, ctx.clusterName ?? 'kubernetes'))
  ctx.event(node, 'Normal', 'Synced', 'Node synced successfully')
}

export const cloudNodeController: Controller = {
  name: 'cloud-node',
  component: 'cloud-node-controller',
  watches: {
    [NODES]: (o, _old, deleted) => (deleted ? [] : [o.metadata.name]),
    // An Instance created after its Node (a hand-made Node named like it) lets the Node initialize.
    [INSTANCES]: (o, _old, deleted) => (deleted ? [] : [o.metadata.name]),
  },
  sync: syncCloudNode,
}

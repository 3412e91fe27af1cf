// The simulated provider's vocabulary, shared by the cloud controllers and the
// seed: its kinds, provider IDs, the labels and taints it owns, node names.
import type { KindRef, Obj } from '../controllers/framework/types'

export const NODEPOOLS: KindRef = 'sim.wheelhouse.dev/v1alpha1/nodepools'
export const INSTANCES: KindRef = 'sim.wheelhouse.dev/v1alpha1/instances'

/** The label on a pool's Instances and Nodes (as GKE's cloud.google.com/gke-nodepool). */
export const POOL_LABEL = 'sim.wheelhouse.dev/nodepool'
export const DEFAULT_POOL = 'default'

/** Set by a kubelet started with --cloud-provider=external, removed by the cloud node controller. */
export const TAINT_UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized'
/** Put on a NotReady node whose VM is stopped, by the cloud node lifecycle controller. */
export const TAINT_SHUTDOWN = 'node.cloudprovider.kubernetes.io/shutdown'
/** cluster-autoscaler's mark on a node it is removing (value: unix seconds of the decision). */
export const TAINT_TO_BE_DELETED = 'ToBeDeletedByClusterAutoscaler'

const SCHEME = 'wheelhouse://'

/** wheelhouse://<cluster>/<zone>/<name>, in the shape of GCE's gce://<project>/<zone>/<instance>. */
export const providerIDOf = (cluster: string, zone: string, name: string) =>
  `${SCHEME}${cluster}/${zone}/${name}`

export function parseProviderID(
  id: string | undefined,
): { cluster: string; zone: string; name: string } | undefined {
  if (!id?.startsWith(SCHEME)) return undefined
  const [cluster, zone, name, ...rest] = id.slice(SCHEME.length).split('/')
  return cluster && zone && name && !rest.length ? { cluster, zone, name } : undefined
}

/** The Instance behind a Node of this provider (its name), or undefined for nodes of other origins. */
export function instanceNameOf(node: Obj, cluster: string | undefined): string | undefined {
  const id = parseProviderID(node.spec?.providerID)
  if (id) return cluster === undefined || id.cluster === cluster ? id.name : undefined
  // Registered but not yet initialized: the kubelet's pool label says it is ours.
  return node.metadata.labels?.[POOL_LABEL] !== undefined ? node.metadata.name : undefined
}

/** Node names of a pool: the default pool continues the seed's worker-N, others are <pool>-N. */
export const nodeNamePrefix = (pool: string) => (pool === DEFAULT_POOL ? 'worker' : pool)

export const hasTaint = (node: Obj | undefined, key: string) =>
  (node?.spec?.taints ?? []).some((t: Obj) => t.key === key)

export const readyOf = (node: Obj | undefined): string =>
  (node?.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready')?.status ?? 'Unknown'

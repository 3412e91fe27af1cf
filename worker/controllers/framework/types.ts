// The controller manager's vocabulary. A controller names the kinds it
// watches and, for each write to one of them, the keys it must sync (what
// upstream's event handlers enqueue); its sync(key) reads the world through a
// ControllerContext and writes through it, and every write goes through the
// API server's write path with resourceVersion preconditions. A sync that
// throws (a Conflict, say) is retried with back-off; one that wants another
// look later asks for it with requeueAfter.

export type Obj = Record<string, any> & { metadata: Record<string, any> }

/** A kind as "group/version/resource": "/v1/pods", "apps/v1/replicasets". */
export type KindRef = string

export const PODS: KindRef = '/v1/pods'
export const NODES: KindRef = '/v1/nodes'
export const SERVICES: KindRef = '/v1/services'
export const ENDPOINTS: KindRef = '/v1/endpoints'
export const NAMESPACES: KindRef = '/v1/namespaces'
export const REPLICASETS: KindRef = 'apps/v1/replicasets'
export const DEPLOYMENTS: KindRef = 'apps/v1/deployments'
export const ENDPOINTSLICES: KindRef = 'discovery.k8s.io/v1/endpointslices'
export const LEASES: KindRef = 'coordination.k8s.io/v1/leases'
export const PDBS: KindRef = 'policy/v1/poddisruptionbudgets'

export interface ListOptions {
  namespace?: string
  /** A metav1.LabelSelector (matchLabels, matchExpressions). */
  labelSelector?: Obj | Record<string, any>
  /** Field equality, e.g. { 'spec.nodeName': 'worker-1' } (the kind's upstream field selectors). */
  fields?: Record<string, string>
}

export interface DeleteOptions {
  /** Only if the object still has this uid (a precondition, as upstream's controllers send). */
  uid?: string
  gracePeriodSeconds?: number
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'
}

export interface ControllerContext {
  /** Simulated now, ms. */
  readonly now: number
  /**
   * When simulated time last jumped (a step of the clock). Silence from before a
   * jump is no evidence of a dead node: a controller judges from there, as one
   * that just started would.
   */
  readonly clockSteppedAt?: number
  /** The cluster's name, as cloud-controller-manager's --cluster-name (provider IDs, load balancer names). */
  readonly clusterName?: string
  get(kind: KindRef, namespace: string | undefined, name: string): Obj | undefined
  list(kind: KindRef, opts?: ListOptions): Obj[]
  /** Creates through the API's create path (defaulting, validation, generateName); returns the stored object. */
  create(kind: KindRef, obj: Obj): Obj
  /** Replaces the main resource, compare-and-swap on obj.metadata.resourceVersion (409 Conflict throws). */
  update(kind: KindRef, obj: Obj): Obj
  /** Replaces only status, compare-and-swap likewise. */
  updateStatus(kind: KindRef, obj: Obj): Obj
  /** Deletes through the API's delete path (graceful for bound pods, finalizers, propagation). */
  delete(kind: KindRef, namespace: string | undefined, name: string, opts?: DeleteOptions): void
  /** Records an Event about obj, from this controller, counted up when repeated. */
  event(obj: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void
  /** Asks for this key to be synced again after ms (simulated). */
  requeueAfter(key: string, ms: number): void
}

/** For a write to one watched kind, the keys to sync ("namespace/name", or "name" for cluster-scoped). */
export type KeysFor = (obj: Obj, old: Obj | undefined, deleted: boolean) => string[]

export interface Controller {
  readonly name: string
  /** The component name events carry (e.g. "replicaset-controller", "deployment-controller"). */
  readonly component: string
  readonly watches: Partial<Record<KindRef, KeysFor>>
  sync(key: string, ctx: ControllerContext): void
}

/** "namespace/name" of an object, or its name when cluster-scoped. */
export const keyOf = (o: Obj): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/')
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) }
}

/** The controlling ownerReference (controller: true), if any. */
export const controllerOf = (o: Obj): Record<string, any> | undefined =>
  (o.metadata.ownerReferences ?? []).find((r: Record<string, any>) => r.controller)

// The authorizer's RoleSource over the cluster's objects, as upstream's RBAC authorizer
// reads its informers' listers. Every request is authorized, so the four RBAC kinds are
// kept in memory in a compact form (only what evaluation reads), filled on first use
// and dropped when one of them is written: a ClusterRole write drops the ClusterRoles,
// a RoleBinding write drops its namespace's bindings. Nothing but RBAC objects is held.
import { findKind } from '../../resources/registry'
import type { KindInfo } from '../../resources/kind'
import type { Obj, Objects } from '../objects'
import type { RoleSource } from './rbac'
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from './types'

const RBAC = 'rbac.authorization.k8s.io'
export const ROLES = findKind(RBAC, 'v1', 'roles')!
export const ROLE_BINDINGS = findKind(RBAC, 'v1', 'rolebindings')!
export const CLUSTER_ROLES = findKind(RBAC, 'v1', 'clusterroles')!
export const CLUSTER_ROLE_BINDINGS = findKind(RBAC, 'v1', 'clusterrolebindings')!

const rulesOf = (o: Obj): PolicyRule[] => (Array.isArray(o.rules) ? o.rules : [])

function compactBinding(o: Obj): RoleBinding {
  const metadata = o.metadata.namespace
    ? { name: o.metadata.name as string, namespace: o.metadata.namespace as string }
    : { name: o.metadata.name as string }
  return { metadata, subjects: o.subjects ?? [], roleRef: o.roleRef }
}

export class StoreRoles implements RoleSource {
  #clusterRoleBindings: ClusterRoleBinding[] | undefined
  #clusterRoles: Map<string, ClusterRole> | undefined
  readonly #roleBindings = new Map<string, RoleBinding[]>()
  readonly #roles = new Map<string, Map<string, Role>>()
  #generation = 0

  constructor(readonly objects: Objects) {
    objects.observe((k, o) => this.#written(k, o))
  }

  /** Counts RBAC writes: a cache of decisions made from these roles is good while it stands still. */
  get generation(): number {
    return this.#generation
  }

  listClusterRoleBindings(): Iterable<ClusterRoleBinding> {
    this.#clusterRoleBindings ??= this.objects
      .list(CLUSTER_ROLE_BINDINGS)
      .items.map(compactBinding)
    return this.#clusterRoleBindings
  }

  listRoleBindings(namespace: string): Iterable<RoleBinding> {
    if (!namespace) return []
    let bindings = this.#roleBindings.get(namespace)
    if (!bindings) {
      bindings = this.objects.list(ROLE_BINDINGS, { namespace }).items.map(compactBinding)
      this.#roleBindings.set(namespace, bindings)
    }
    return bindings
  }

  getRole(namespace: string, name: string): Role | undefined {
    if (!namespace) return undefined
    let roles = this.#roles.get(namespace)
    if (!roles) {
      roles = new Map()
      for (const o of this.objects.list(ROLES, { namespace }).items)
        roles.set(o.metadata.name, { metadata: { name: o.metadata.name, namespace }, rules: rulesOf(o) })
      this.#roles.set(namespace, roles)
    }
    return roles.get(name)
  }

  getClusterRole(name: string): ClusterRole | undefined {
    if (!this.#clusterRoles) {
      this.#clusterRoles = new Map()
      for (const o of this.objects.list(CLUSTER_ROLES).items)
        this.#clusterRoles.set(o.metadata.name, { metadata: { name: o.metadata.name }, rules: rulesOf(o) })
    }
    return this.#clusterRoles.get(name)
  }

  #written(k: KindInfo, o: Obj): void {
    if (k.group !== RBAC) return
    this.#generation++
    const ns = o.metadata.namespace as string | undefined
    if (k.resource === 'clusterrolebindings') this.#clusterRoleBindings = undefined
    else if (k.resource === 'clusterroles') this.#clusterRoles = undefined
    else if (k.resource === 'rolebindings' && ns) this.#roleBindings.delete(ns)
    else if (k.resource === 'roles' && ns) this.#roles.delete(ns)
  }
}

const shared = new WeakMap<Objects, StoreRoles>()

/** The one RoleSource of a cluster's objects, shared by the API server and the live feed. */
export function rolesOf(objects: Objects): StoreRoles {
  let roles = shared.get(objects)
  if (!roles) shared.set(objects, (roles = new StoreRoles(objects)))
  return roles
}

// The default RBAC policy of a new cluster: kube-apiserver's bootstrap ClusterRoles and
// ClusterRoleBindings (its rbac/bootstrap-roles post-start hook), kubeadm's binding of
// the admin token's group to cluster-admin, and our roles for sim.wheelhouse.dev.
// Only what is missing is created, so it may run again on a cluster that has some.
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './authz/bootstrap-policy'
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES } from './authz/store-roles'
import type { Obj, Objects } from './objects'
import { prepareForCreate } from './prepare'

export function ensureBootstrapPolicy(objects: Objects, now: number): number {
  let created = 0
  for (const [kind, list] of [
    [CLUSTER_ROLES, bootstrapClusterRoles()],
    [CLUSTER_ROLE_BINDINGS, bootstrapClusterRoleBindings()],
  ] as const) {
    for (const item of list) {
      if (objects.get(kind, undefined, item.metadata.name)) continue
      const o = structuredClone(item) as unknown as Obj
      prepareForCreate(kind, o, now)
      objects.create(kind, o)
      created++
    }
  }
  return created
}

// A RoleSource over lists of objects (upstream's StaticRoles): for tests, for reviews
// of objects not stored yet, and for the bootstrap policy before it is in the store.
import type { RoleSource } from './rbac'
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './types'

export class StaticRoles implements RoleSource {
  constructor(
    readonly objects: {
      roles?: readonly Role[]
      roleBindings?: readonly RoleBinding[]
      clusterRoles?: readonly ClusterRole[]
      clusterRoleBindings?: readonly ClusterRoleBinding[]
    },
  ) {}

  listClusterRoleBindings(): Iterable<ClusterRoleBinding> {
    return this.objects.clusterRoleBindings ?? []
  }

  listRoleBindings(namespace: string): Iterable<RoleBinding> {
    return (this.objects.roleBindings ?? []).filter((b) => b.metadata.namespace === namespace)
  }

  getRole(namespace: string, name: string): Role | undefined {
    return (this.objects.roles ?? []).find(
      (r) => r.metadata.namespace === namespace && r.metadata.name === name,
    )
  }

  getClusterRole(name: string): ClusterRole | undefined {
    return (this.objects.clusterRoles ?? []).find((r) => r.metadata.name === name)
  }
}

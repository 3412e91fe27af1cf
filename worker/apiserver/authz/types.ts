// The rbac.authorization.k8s.io/v1 objects as the authorizer reads them: only the
// fields evaluation looks at, so a stored object (any extra fields) fits as it is.

export interface PolicyRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

export interface Subject {
  /** User, Group or ServiceAccount. */
  kind: string
  apiGroup?: string
  name: string
  /** ServiceAccount only; a RoleBinding's subject defaults to the binding's namespace. */
  namespace?: string
}

export interface RoleRef {
  apiGroup: string
  kind: string
  name: string
}

export interface ObjectMeta {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

export interface Role {
  metadata: ObjectMeta
  rules?: PolicyRule[] | null
}

export interface ClusterRole extends Role {
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | null
}

export interface RoleBinding {
  metadata: ObjectMeta
  subjects?: Subject[] | null
  roleRef: RoleRef
}

export type ClusterRoleBinding = RoleBinding

export const RBAC_GROUP = 'rbac.authorization.k8s.io'

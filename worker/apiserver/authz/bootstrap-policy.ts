// The default ClusterRoles and ClusterRoleBindings of a 1.32 cluster that matter to
// people using it (plugin/pkg/auth/authorizer/rbac/bootstrappolicy, as its testdata
// cluster-roles.yaml and cluster-role-bindings.yaml print them), then kubeadm's binding
// of our admin token's group, then our own aggregated roles for sim.wheelhouse.dev.
// Left out: the roles of components that do not log in here (system:node,
// system:kube-scheduler, controller roles, CSR approvers, system:monitoring, …).
import { aggregateClusterRoles } from './aggregation'
import {
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  RBAC_GROUP,
  type Subject,
} from './types'

const R = ['get', 'list', 'watch']
const W = ['create', 'delete', 'deletecollection', 'patch', 'update']
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
})
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({
  nonResourceURLs,
  verbs,
})

const BOOTSTRAPPING = { 'kubernetes.io/bootstrapping': 'rbac-defaults' }
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' }
export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin'
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit'
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view'

export type BootstrapClusterRole = ClusterRole & { apiVersion: string; kind: 'ClusterRole' }
export type BootstrapClusterRoleBinding = ClusterRoleBinding & {
  apiVersion: string
  kind: 'ClusterRoleBinding'
}

function clusterRole(
  name: string,
  rules: PolicyRule[] | null,
  labels: Record<string, string> = {},
  aggregateFrom?: string,
): BootstrapClusterRole {
  const role: BootstrapClusterRole = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAPPING, ...labels }, annotations: { ...AUTOUPDATE } },
    rules,
  }
  if (aggregateFrom)
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [aggregateFrom]: 'true' } }] }
  return role
}

const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name })

function clusterRoleBinding(
  name: string,
  subjects: Subject[],
  role = name,
  upstream = true,
): BootstrapClusterRoleBinding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: upstream
      ? { name, labels: { ...BOOTSTRAPPING }, annotations: { ...AUTOUPDATE } }
      : { name },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects,
  }
}

/** Upstream's roles as the API server creates them: aggregated roles with no rules yet. */
export const UPSTREAM_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [
  clusterRole('admin', null, {}, AGGREGATE_TO_ADMIN),
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
  clusterRole('edit', null, { [AGGREGATE_TO_ADMIN]: 'true' }, AGGREGATE_TO_EDIT),
  clusterRole(
    'system:aggregate-to-admin',
    [
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      rule(RW, [RBAC_GROUP], ['rolebindings', 'roles']),
    ],
    { [AGGREGATE_TO_ADMIN]: 'true' },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      rule(
        R,
        [''],
        ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
      ),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(W, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      rule(['create'], [''], ['pods/eviction']),
      rule(
        W,
        [''],
        [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      ),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(
        W,
        ['apps'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
      ),
      rule(W, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(W, ['batch'], ['cronjobs', 'jobs']),
      rule(
        W,
        ['extensions'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
      ),
      rule(W, ['policy'], ['poddisruptionbudgets']),
      rule(W, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
      rule(RW, ['coordination.k8s.io'], ['leases']),
    ],
    { [AGGREGATE_TO_EDIT]: 'true' },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      rule(
        R,
        [''],
        [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      ),
      rule(
        R,
        [''],
        [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      ),
      rule(R, [''], ['namespaces']),
      rule(R, ['discovery.k8s.io'], ['endpointslices']),
      rule(
        R,
        ['apps'],
        [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      ),
      rule(R, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      rule(R, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
      rule(
        R,
        ['extensions'],
        [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
      ),
      rule(R, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(R, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
    ],
    { [AGGREGATE_TO_VIEW]: 'true' },
  ),
  clusterRole('system:basic-user', [
    rule(
      ['create'],
      ['authorization.k8s.io'],
      ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    ),
    rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
  ]),
  clusterRole('system:discovery', [
    urls(
      ['get'],
      [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
    ),
  ]),
  clusterRole('system:public-info-viewer', [
    urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/']),
  ]),
  // Service accounts read the issuer's OIDC documents (bound to system:serviceaccounts).
  clusterRole('system:service-account-issuer-discovery', [
    urls(['get'], ['/.well-known/openid-configuration', '/openid/v1/jwks']),
  ]),
  clusterRole('view', null, { [AGGREGATE_TO_EDIT]: 'true' }, AGGREGATE_TO_VIEW),
]

export const UPSTREAM_CLUSTER_ROLE_BINDINGS: readonly BootstrapClusterRoleBinding[] = [
  clusterRoleBinding('cluster-admin', [group('system:masters')]),
  clusterRoleBinding('system:basic-user', [group('system:authenticated')]),
  clusterRoleBinding('system:discovery', [group('system:authenticated')]),
  clusterRoleBinding('system:public-info-viewer', [
    group('system:authenticated'),
    group('system:unauthenticated'),
  ]),
  clusterRoleBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
]

/**
 * kubeadm (1.29+) gives its admin.conf user the group kubeadm:cluster-admins and binds
 * that group to cluster-admin, instead of system:masters; our admin token's user
 * (ADMIN_USER in authn.ts) is that user. kubeadm sets no bootstrapping labels on it.
 */
export const KUBEADM_CLUSTER_ROLE_BINDINGS: readonly BootstrapClusterRoleBinding[] = [
  clusterRoleBinding(
    'kubeadm:cluster-admins',
    [group('kubeadm:cluster-admins')],
    'cluster-admin',
    false,
  ),
]

// --- Ours, not upstream's -----------------------------------------------------------
// The simulator's own kinds (sim.wheelhouse.dev) reach the default user-facing roles the
// way any CRD's would: through roles labelled to aggregate into view and edit. Names sort
// after upstream's, so edit and view keep upstream's rules first. Not aggregated, so
// cluster-admin only: the Clock and clocks/step (time is shared by everyone), NodePools,
// Instances, and node faults (an annotation on Nodes, which no default role may write).
const WHEELHOUSE = 'sim.wheelhouse.dev'
const OURS = { 'app.kubernetes.io/part-of': 'wheelhouse' }

export const WHEELHOUSE_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: {
      name: 'wheelhouse:aggregate-to-edit',
      labels: { ...OURS, [AGGREGATE_TO_EDIT]: 'true' },
    },
    // Simulated traffic and DNS lookups are create-only reviews of the namespace's Services.
    rules: [rule(['create'], [WHEELHOUSE], ['dnslookups', 'trafficruns'])],
  },
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: {
      name: 'wheelhouse:aggregate-to-view',
      labels: { ...OURS, [AGGREGATE_TO_VIEW]: 'true' },
    },
    // The scheduler's explanations of the namespace's pods.
    rules: [rule(R, [WHEELHOUSE], ['schedulingdecisions'])],
  },
]

/** Every default ClusterRole with its aggregated rules settled, as a running cluster shows them. */
export function bootstrapClusterRoles(): BootstrapClusterRole[] {
  // Cloned after aggregating too: aggregated roles share their members' rule objects.
  return aggregateClusterRoles([...UPSTREAM_CLUSTER_ROLES, ...WHEELHOUSE_CLUSTER_ROLES]).map((r) =>
    structuredClone(r),
  )
}

export function bootstrapClusterRoleBindings(): BootstrapClusterRoleBinding[] {
  return [...UPSTREAM_CLUSTER_ROLE_BINDINGS, ...KUBEADM_CLUSTER_ROLE_BINDINGS].map((b) =>
    structuredClone(b),
  )
}

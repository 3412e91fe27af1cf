import { describe, expect, it } from 'vitest'
import { ADMIN_USER, type UserInfo } from '../authn'
import type { Attributes } from './attributes'
import {
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  UPSTREAM_CLUSTER_ROLES,
  WHEELHOUSE_CLUSTER_ROLES,
} from './bootstrap-policy'
import { authorize } from './rbac'
import { StaticRoles } from './static-roles'
import type { PolicyRule, RoleBinding } from './types'

const roles = bootstrapClusterRoles()
const byName = new Map(roles.map((r) => [r.metadata.name, r]))
const rulesOf = (name: string): PolicyRule[] => byName.get(name)?.rules ?? []
const upstream = (name: string): PolicyRule[] =>
  UPSTREAM_CLUSTER_ROLES.find((r) => r.metadata.name === name)?.rules ?? []
const ours = (name: string): PolicyRule[] =>
  WHEELHOUSE_CLUSTER_ROLES.find((r) => r.metadata.name === name)?.rules ?? []

describe('bootstrap ClusterRoles', () => {
  it('carries upstream labels and annotations', () => {
    for (const name of [
      'cluster-admin',
      'admin',
      'edit',
      'view',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
    ]) {
      const r = byName.get(name)!
      expect(r.metadata.labels?.['kubernetes.io/bootstrapping']).toBe('rbac-defaults')
      expect(r.metadata.annotations).toEqual({
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      })
    }
    expect(byName.get('view')!.metadata.labels).toEqual({
      'kubernetes.io/bootstrapping': 'rbac-defaults',
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
    })
    expect(byName.get('edit')!.metadata.labels).toEqual({
      'kubernetes.io/bootstrapping': 'rbac-defaults',
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
    })
    expect(byName.get('admin')!.aggregationRule).toEqual({
      clusterRoleSelectors: [
        { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } },
      ],
    })
  })

  it('aggregates view ⊂ edit ⊂ admin in the controller order (by role name)', () => {
    expect(rulesOf('view')).toEqual([
      ...upstream('system:aggregate-to-view'),
      ...ours('wheelhouse:aggregate-to-view'),
    ])
    expect(rulesOf('edit')).toEqual([
      ...upstream('system:aggregate-to-edit'),
      ...rulesOf('view'),
      ...ours('wheelhouse:aggregate-to-edit'),
    ])
    expect(rulesOf('admin')).toEqual([...rulesOf('edit'), ...upstream('system:aggregate-to-admin')])
    expect([rulesOf('view').length, rulesOf('edit').length, rulesOf('admin').length]).toEqual([
      11, 25, 27,
    ])
  })

  it('keeps the upstream roles as upstream creates them: aggregated ones with no rules', () => {
    expect(upstream('admin')).toEqual([])
    expect(UPSTREAM_CLUSTER_ROLES.find((r) => r.metadata.name === 'view')!.rules).toBeNull()
  })

  it('binds the defaults as upstream does, and kubeadm binds its admins group', () => {
    const bindings = Object.fromEntries(
      bootstrapClusterRoleBindings().map((b) => [
        b.metadata.name,
        [b.roleRef.name, ...(b.subjects ?? []).map((s) => `${s.kind}:${s.name}`)],
      ]),
    )
    expect(bindings).toEqual({
      'cluster-admin': ['cluster-admin', 'Group:system:masters'],
      'system:basic-user': ['system:basic-user', 'Group:system:authenticated'],
      'system:discovery': ['system:discovery', 'Group:system:authenticated'],
      'system:public-info-viewer': [
        'system:public-info-viewer',
        'Group:system:authenticated',
        'Group:system:unauthenticated',
      ],
      'system:service-account-issuer-discovery': [
        'system:service-account-issuer-discovery',
        'Group:system:serviceaccounts',
      ],
      'kubeadm:cluster-admins': ['cluster-admin', 'Group:kubeadm:cluster-admins'],
    })
  })
})

// Participants as a workshop would set them up: one namespace each, bound to a default role.
const person = (name: string): UserInfo => ({ username: name, groups: ['system:authenticated'] })
const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map(person) as [
  UserInfo,
  UserInfo,
  UserInfo,
  UserInfo,
]
const ci: UserInfo = {
  username: 'system:serviceaccount:e:ci',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:e', 'system:authenticated'],
}
const binding = (namespace: string, role: string, user: string): RoleBinding => ({
  metadata: { name: `${user}-${role}`, namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
})
const source = new StaticRoles({
  clusterRoles: roles,
  clusterRoleBindings: bootstrapClusterRoleBindings(),
  roleBindings: [
    binding('v', 'view', 'alice'),
    binding('e', 'edit', 'bob'),
    binding('a', 'admin', 'carol'),
  ],
})

const res = (
  verb: string,
  resource: string,
  namespace = '',
  apiGroup = '',
  subresource = '',
  name = '',
): Partial<Attributes> => ({
  verb,
  resource,
  namespace,
  apiGroup,
  subresource,
  name,
  isResourceRequest: true,
})
const url = (verb: string, path: string): Partial<Attributes> => ({
  verb,
  path,
  isResourceRequest: false,
})
const base: Attributes = {
  user: alice,
  verb: '',
  isResourceRequest: true,
  apiGroup: '',
  apiVersion: 'v1',
  resource: '',
  subresource: '',
  namespace: '',
  name: '',
  path: '',
}

describe('what the default roles allow', () => {
  it.each<[string, UserInfo, Partial<Attributes>, boolean]>([
    // view: reads, never Secrets, never writes
    ['view gets pods', alice, res('get', 'pods', 'v'), true],
    ['view reads pod logs', alice, res('get', 'pods', 'v', '', 'log', 'web'), true],
    [
      'view reads deployments/scale',
      alice,
      res('get', 'deployments', 'v', 'apps', 'scale', 'web'),
      true,
    ],
    ['view cannot list Secrets', alice, res('list', 'secrets', 'v'), false],
    ['view cannot get a Secret', alice, res('get', 'secrets', 'v', '', '', 's'), false],
    ['view cannot create pods', alice, res('create', 'pods', 'v'), false],
    ['view cannot scale', alice, res('patch', 'deployments', 'v', 'apps', 'scale', 'web'), false],
    [
      'view reads SchedulingDecisions (ours)',
      alice,
      res('list', 'schedulingdecisions', 'v', 'sim.wheelhouse.dev'),
      true,
    ],
    [
      'view cannot run traffic (ours)',
      alice,
      res('create', 'trafficruns', 'v', 'sim.wheelhouse.dev'),
      false,
    ],
    ['view is confined to its namespace', alice, res('get', 'pods', 'e'), false],
    ['view gets its own namespace', alice, res('get', 'namespaces', 'v', '', '', 'v'), true],
    ['view cannot list namespaces cluster-wide', alice, res('list', 'namespaces'), false],
    // edit: writes workloads and reads Secrets, never RBAC
    ['edit lists Secrets', bob, res('list', 'secrets', 'e'), true],
    ['edit creates Secrets', bob, res('create', 'secrets', 'e'), true],
    ['edit creates pods', bob, res('create', 'pods', 'e'), true],
    ['edit evicts pods', bob, res('create', 'pods', 'e', '', 'eviction', 'web'), true],
    [
      'edit requests service account tokens',
      bob,
      res('create', 'serviceaccounts', 'e', '', 'token', 'default'),
      true,
    ],
    [
      'edit scales deployments',
      bob,
      res('patch', 'deployments', 'e', 'apps', 'scale', 'web'),
      true,
    ],
    [
      'edit runs traffic (ours)',
      bob,
      res('create', 'trafficruns', 'e', 'sim.wheelhouse.dev'),
      true,
    ],
    ['edit looks up DNS (ours)', bob, res('create', 'dnslookups', 'e', 'sim.wheelhouse.dev'), true],
    [
      'edit reads SchedulingDecisions through view (ours)',
      bob,
      res('watch', 'schedulingdecisions', 'e', 'sim.wheelhouse.dev'),
      true,
    ],
    [
      'edit cannot create RoleBindings',
      bob,
      res('create', 'rolebindings', 'e', 'rbac.authorization.k8s.io'),
      false,
    ],
    [
      'edit cannot update Roles',
      bob,
      res('update', 'roles', 'e', 'rbac.authorization.k8s.io', '', 'r'),
      false,
    ],
    [
      'edit cannot even list Roles',
      bob,
      res('list', 'roles', 'e', 'rbac.authorization.k8s.io'),
      false,
    ],
    [
      'edit cannot write ResourceQuotas',
      bob,
      res('update', 'resourcequotas', 'e', '', '', 'q'),
      false,
    ],
    ['edit cannot write pod status', bob, res('update', 'pods', 'e', '', 'status', 'web'), false],
    // admin: edit plus RBAC in the namespace
    [
      'admin creates RoleBindings',
      carol,
      res('create', 'rolebindings', 'a', 'rbac.authorization.k8s.io'),
      true,
    ],
    [
      'admin updates Roles',
      carol,
      res('update', 'roles', 'a', 'rbac.authorization.k8s.io', '', 'r'),
      true,
    ],
    [
      'admin creates LocalSubjectAccessReviews',
      carol,
      res('create', 'localsubjectaccessreviews', 'a', 'authorization.k8s.io'),
      true,
    ],
    ['admin deletes Secrets', carol, res('delete', 'secrets', 'a', '', '', 's'), true],
    [
      'admin cannot write ResourceQuotas',
      carol,
      res('update', 'resourcequotas', 'a', '', '', 'q'),
      false,
    ],
    [
      'admin cannot create RoleBindings elsewhere',
      carol,
      res('create', 'rolebindings', 'e', 'rbac.authorization.k8s.io'),
      false,
    ],
    [
      'admin cannot create ClusterRoleBindings',
      carol,
      res('create', 'clusterrolebindings', '', 'rbac.authorization.k8s.io'),
      false,
    ],
    [
      'admin cannot delete its namespace',
      carol,
      res('delete', 'namespaces', 'a', '', '', 'a'),
      false,
    ],
    // cluster-admin only
    ['admin cannot write node faults', carol, res('patch', 'nodes', '', '', '', 'worker-1'), false],
    [
      'admin cannot step the clock',
      carol,
      res('create', 'clocks', '', 'sim.wheelhouse.dev', 'step', 'cluster'),
      false,
    ],
    [
      'admin cannot read the clock',
      carol,
      res('get', 'clocks', '', 'sim.wheelhouse.dev', '', 'cluster'),
      false,
    ],
    [
      'admin cannot scale node pools',
      carol,
      res('patch', 'nodepools', '', 'sim.wheelhouse.dev', 'scale', 'default'),
      false,
    ],
    [
      'admin cannot stop instances',
      carol,
      res('patch', 'instances', '', 'sim.wheelhouse.dev', '', 'worker-1'),
      false,
    ],
    [
      'the admin token writes node faults',
      ADMIN_USER,
      res('patch', 'nodes', '', '', '', 'worker-1'),
      true,
    ],
    [
      'the admin token steps the clock',
      ADMIN_USER,
      res('create', 'clocks', '', 'sim.wheelhouse.dev', 'step', 'cluster'),
      true,
    ],
    [
      'the admin token scales node pools',
      ADMIN_USER,
      res('update', 'nodepools', '', 'sim.wheelhouse.dev', 'scale', 'default'),
      true,
    ],
    ['the admin token reads /metrics', ADMIN_USER, url('get', '/metrics'), true],
    // every authenticated user
    [
      'anyone reviews their own access',
      dave,
      res('create', 'selfsubjectaccessreviews', '', 'authorization.k8s.io'),
      true,
    ],
    [
      'anyone reviews their own rules',
      dave,
      res('create', 'selfsubjectrulesreviews', '', 'authorization.k8s.io'),
      true,
    ],
    [
      'anyone asks who they are',
      dave,
      res('create', 'selfsubjectreviews', '', 'authentication.k8s.io'),
      true,
    ],
    ['anyone discovers /api', dave, url('get', '/api'), true],
    ['anyone discovers /apis/apps/v1', dave, url('get', '/apis/apps/v1'), true],
    ['anyone reads /openapi/v3/apis/apps/v1', dave, url('get', '/openapi/v3/apis/apps/v1'), true],
    ['anyone reads /version', dave, url('get', '/version'), true],
    ['anyone reads /healthz', dave, url('get', '/healthz'), true],
    ['nobody else reads /healthz/etcd', dave, url('get', '/healthz/etcd'), false],
    ['nobody else reads /metrics', dave, url('get', '/metrics'), false],
    ['discovery is read-only', dave, url('post', '/api'), false],
    ['a bound-less user lists nothing', dave, res('list', 'pods', 'v'), false],
    // service accounts
    ['a service account reads the OIDC keys', ci, url('get', '/openid/v1/jwks'), true],
    ['people do not', dave, url('get', '/openid/v1/jwks'), false],
    ['a service account has no role by default', ci, res('list', 'pods', 'e'), false],
  ])('%s', (_, user, attrs, want) => {
    expect(authorize({ ...base, ...attrs, user }, source).allowed).toBe(want)
  })

  it('says why the admin token may do anything', () => {
    expect(
      authorize(
        { ...base, ...res('patch', 'nodes', '', '', '', 'worker-1'), user: ADMIN_USER },
        source,
      ).reason,
    ).toBe(
      'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"',
    )
    expect(authorize({ ...base, ...res('list', 'secrets', 'e'), user: bob }, source).reason).toBe(
      'RBAC: allowed by RoleBinding "bob-edit/e" of ClusterRole "edit" to User "bob"',
    )
  })
})

import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../authn'
import type { Attributes } from './attributes'
import { accessReviewStatus, aggregateError, authorize, type RoleSource } from './rbac'
import { StaticRoles } from './static-roles'
import type {
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  Subject,
} from './types'

const G = 'rbac.authorization.k8s.io'
const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups })
const subject = (s: string): Subject => {
  const [kind, name] = [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1)]
  return kind === 'ServiceAccount' ? { kind, name } : { kind: kind!, apiGroup: G, name: name! }
}
const clusterRole = (name: string, ...rules: PolicyRule[]): ClusterRole => ({
  metadata: { name },
  rules,
})
const role = (namespace: string, name: string, ...rules: PolicyRule[]): Role => ({
  metadata: { name, namespace },
  rules,
})
const crb = (
  name: string,
  roleName: string,
  ...subjects: (string | Subject)[]
): ClusterRoleBinding => ({
  metadata: { name },
  roleRef: { apiGroup: G, kind: 'ClusterRole', name: roleName },
  subjects: subjects.map((s) => (typeof s === 'string' ? subject(s) : s)),
})
const rb = (
  namespace: string,
  name: string,
  kind: 'Role' | 'ClusterRole',
  roleName: string,
  ...subjects: (string | Subject)[]
): RoleBinding => ({
  metadata: { name, namespace },
  roleRef: { apiGroup: G, kind, name: roleName },
  subjects: subjects.map((s) => (typeof s === 'string' ? subject(s) : s)),
})
/** upstream's newRule("verbs", "groups", "resources", "urls") */
const newRule = (verbs: string, groups: string, resources: string, urls: string): PolicyRule => ({
  verbs: verbs.split(','),
  apiGroups: groups.split(','),
  resources: resources.split(','),
  nonResourceURLs: urls.split(','),
})
const res = (
  u: UserInfo,
  verb: string,
  resource: string,
  subresource: string,
  namespace: string,
  apiGroup = '',
  name = '',
): Attributes => ({
  user: u,
  verb,
  isResourceRequest: true,
  apiGroup,
  apiVersion: 'v1',
  resource,
  subresource,
  namespace,
  name,
  path: '',
})
const url = (u: UserInfo, verb: string, path: string): Attributes => ({
  ...res(u, verb, '', '', ''),
  isResourceRequest: false,
  path,
})

// Upstream's TestAuthorizer cases.
describe('authorize (TestAuthorizer)', () => {
  const cases: { name: string; source: RoleSource; pass: Attributes[]; fail: Attributes[] }[] = [
    {
      name: 'a RoleBinding to a ClusterRole grants it in that namespace only',
      source: new StaticRoles({
        clusterRoles: [clusterRole('admin', newRule('*', '*', '*', '*'))],
        roleBindings: [rb('ns1', 'rb', 'ClusterRole', 'admin', 'User:admin', 'Group:admins')],
      }),
      pass: [
        res(user('admin'), 'get', 'Pods', '', 'ns1'),
        res(user('admin'), 'watch', 'Pods', '', 'ns1'),
        res(user('admin', 'group1'), 'watch', 'Foobar', '', 'ns1'),
        res(user('joe', 'admins'), 'watch', 'Foobar', '', 'ns1'),
        res(user('joe', 'group1', 'admins'), 'watch', 'Foobar', '', 'ns1'),
      ],
      fail: [
        res(user('admin'), 'GET', 'Pods', '', 'ns2'),
        res(user('admin'), 'GET', 'Nodes', '', ''),
        res(user('admin', 'admins'), 'GET', 'Pods', '', 'ns2'),
        res(user('admin', 'admins'), 'GET', 'Nodes', '', ''),
      ],
    },
    {
      name: 'non-resource URLs',
      source: new StaticRoles({
        clusterRoles: [
          clusterRole('non-resource-url-getter', newRule('get', '', '', '/apis')),
          clusterRole('non-resource-url', newRule('*', '', '', '/apis')),
          clusterRole('non-resource-url-prefix', newRule('get', '', '', '/apis/*')),
        ],
        clusterRoleBindings: [
          crb('a', 'non-resource-url-getter', 'User:foo', 'Group:bar'),
          crb('b', 'non-resource-url', 'User:admin', 'Group:admin'),
          crb('c', 'non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
        ],
      }),
      pass: [
        url(user('foo'), 'get', '/apis'),
        url(user('', 'bar'), 'get', '/apis'),
        url(user('admin'), 'get', '/apis'),
        url(user('', 'admin'), 'get', '/apis'),
        url(user('admin'), 'watch', '/apis'),
        url(user('', 'admin'), 'watch', '/apis'),
        url(user('prefixed'), 'get', '/apis/v1'),
        url(user('', 'prefixed'), 'get', '/apis/v1'),
        url(user('prefixed'), 'get', '/apis/v1/foobar'),
      ],
      fail: [
        url(user('foo'), 'watch', '/apis'),
        url(user('', 'bar'), 'watch', '/apis'),
        url(user('foo'), 'get', '/api/v1'),
        url(user('admin'), 'get', '/api/v1'),
        url(user('prefixed'), 'get', '/api/v1'),
        url(user('', 'prefixed'), 'get', '/api/v1'),
      ],
    },
    {
      name: 'a resource rule does not cover a subresource',
      source: new StaticRoles({
        clusterRoles: [clusterRole('admin', newRule('*', '*', 'pods', '*'))],
        roleBindings: [rb('ns1', 'rb', 'ClusterRole', 'admin', 'User:admin', 'Group:admins')],
      }),
      pass: [res(user('admin'), 'get', 'pods', '', 'ns1')],
      fail: [res(user('admin'), 'get', 'pods', 'status', 'ns1')],
    },
    {
      name: 'a subresource rule does not cover the resource',
      source: new StaticRoles({
        clusterRoles: [clusterRole('admin', newRule('*', '*', 'pods/status', '*'))],
        roleBindings: [rb('ns1', 'rb', 'ClusterRole', 'admin', 'User:admin', 'Group:admins')],
      }),
      pass: [res(user('admin'), 'get', 'pods', 'status', 'ns1')],
      fail: [res(user('admin'), 'get', 'pods', '', 'ns1')],
    },
    {
      name: '*/subresource',
      source: new StaticRoles({
        clusterRoles: [clusterRole('admin', newRule('*', '*', '*/status', '*'))],
        roleBindings: [rb('ns1', 'rb', 'ClusterRole', 'admin', 'User:admin')],
      }),
      pass: [
        res(user('admin'), 'get', 'pods', 'status', 'ns1'),
        res(user('admin'), 'update', 'deployments', 'status', 'ns1', 'apps'),
      ],
      fail: [
        res(user('admin'), 'get', 'pods', '', 'ns1'),
        res(user('admin'), 'get', 'pods', 'log', 'ns1'),
      ],
    },
    {
      name: 'a Role in the binding namespace',
      source: new StaticRoles({
        roles: [role('ns1', 'reader', newRule('get,list', '', 'configmaps', ''))],
        roleBindings: [
          rb('ns1', 'rb', 'Role', 'reader', 'User:alice'),
          rb('ns2', 'rb', 'Role', 'reader', 'User:alice'),
        ],
      }),
      pass: [res(user('alice'), 'list', 'configmaps', '', 'ns1')],
      // ns2's binding names a Role ns2 does not have
      fail: [
        res(user('alice'), 'list', 'configmaps', '', 'ns2'),
        res(user('alice'), 'list', 'configmaps', '', ''),
      ],
    },
  ]
  // each request labelled, so a failure names it
  const label = (a: Attributes) =>
    `${a.user.username || a.user.groups} ${a.verb} ${a.path || `${a.resource}/${a.subresource}@${a.namespace}`}`
  for (const c of cases) {
    it(c.name, () => {
      const got = [...c.pass, ...c.fail].map(
        (a) => `${label(a)}: ${authorize(a, c.source).allowed}`,
      )
      expect(got).toEqual([
        ...c.pass.map((a) => `${label(a)}: true`),
        ...c.fail.map((a) => `${label(a)}: false`),
      ])
    })
  }
})

describe('authorize reasons', () => {
  const source = new StaticRoles({
    clusterRoles: [
      clusterRole('view', { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }),
      clusterRole('root', newRule('*', '*', '*', '*')),
    ],
    clusterRoleBindings: [
      crb('people-root', 'root', 'User:root'),
      crb('broken', 'missing', 'Group:system:authenticated'),
      crb('also-broken', 'missing', 'Group:system:authenticated'),
    ],
    roleBindings: [
      rb('bob', 'bob-view', 'ClusterRole', 'view', 'User:alice', {
        kind: 'ServiceAccount',
        name: 'ci',
      }),
      rb('bob', 'gone', 'Role', 'nope', 'User:alice'),
      rb('bob', 'odd', 'Thing' as 'Role', 'x', 'User:alice'),
    ],
  })

  it('names the ClusterRoleBinding, its role and the subject that matched', () => {
    expect(authorize(res(user('root'), 'delete', 'nodes', '', ''), source)).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "people-root" of ClusterRole "root" to User "root"',
      errors: [],
    })
  })

  it('names a RoleBinding as name/namespace and a service account as name/namespace', () => {
    expect(authorize(res(user('alice'), 'list', 'pods', '', 'bob'), source).reason).toBe(
      'RBAC: allowed by RoleBinding "bob-view/bob" of ClusterRole "view" to User "alice"',
    )
    expect(
      authorize(res(user('system:serviceaccount:bob:ci'), 'get', 'pods', '', 'bob'), source).reason,
    ).toBe(
      'RBAC: allowed by RoleBinding "bob-view/bob" of ClusterRole "view" to ServiceAccount "ci/bob"',
    )
  })

  it('denies with no reason when nothing applies', () => {
    expect(authorize(res(user('mallory'), 'list', 'pods', '', 'bob'), source)).toEqual({
      allowed: false,
      reason: '',
      errors: [],
    })
  })

  it('denies with the resolution errors of bindings that apply, deduplicated', () => {
    const d = authorize(
      res(user('alice', 'system:authenticated'), 'delete', 'pods', '', 'bob'),
      source,
    )
    expect(d.allowed).toBe(false)
    expect(d.reason).toBe(
      'RBAC: [clusterrole.rbac.authorization.k8s.io "missing" not found, role.rbac.authorization.k8s.io "nope" not found, unsupported role reference kind: "Thing"]',
    )
  })

  it('allows despite errors when another binding allows', () => {
    const d = authorize(
      res(user('alice', 'system:authenticated'), 'get', 'pods', '', 'bob'),
      source,
    )
    expect(d.allowed).toBe(true)
    expect(d.errors).toEqual([
      'clusterrole.rbac.authorization.k8s.io "missing" not found',
      'clusterrole.rbac.authorization.k8s.io "missing" not found',
    ])
  })

  it('reads no RoleBinding once a ClusterRoleBinding allows, and none for cluster-wide requests', () => {
    const read: string[] = []
    const counting: RoleSource = {
      listClusterRoleBindings: () => source.listClusterRoleBindings(),
      listRoleBindings: (ns) => (read.push(ns), source.listRoleBindings(ns)),
      getRole: (ns, n) => source.getRole(ns, n),
      getClusterRole: (n) => source.getClusterRole(n),
    }
    authorize(res(user('root'), 'get', 'pods', '', 'bob'), counting)
    authorize(res(user('alice'), 'list', 'nodes', '', ''), counting)
    expect(read).toEqual([])
    authorize(res(user('alice'), 'list', 'pods', '', 'bob'), counting)
    expect(read).toEqual(['bob'])
  })

  it('answers an access review as upstream: allowed and a reason only when there is one', () => {
    expect(accessReviewStatus(authorize(res(user('root'), 'get', 'pods', '', ''), source))).toEqual(
      {
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "people-root" of ClusterRole "root" to User "root"',
      },
    )
    expect(
      accessReviewStatus(authorize(res(user('mallory'), 'get', 'pods', '', ''), source)),
    ).toEqual({ allowed: false })
  })
})

describe('aggregateError (utilerrors.NewAggregate)', () => {
  it.each([
    [['a'], 'a'],
    [['a', 'a'], 'a'],
    [['a', 'b', 'a'], '[a, b]'],
  ])('%j → %s', (errs, want) => {
    expect(aggregateError(errs)).toBe(want)
  })
})

import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../authn'
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy'
import { rulesFor, subjectRulesReviewStatus } from './rules-review'
import { StaticRoles } from './static-roles'
import type { PolicyRule } from './types'

const G = 'rbac.authorization.k8s.io'

// Upstream's TestDefaultRuleResolver (pkg/registry/rbac/validation/rule_test.go).
describe('rulesFor (DefaultRuleResolver.RulesFor)', () => {
  const readPods: PolicyRule = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['pods'] }
  const readServices: PolicyRule = {
    verbs: ['GET', 'WATCH'],
    apiGroups: ['v1'],
    resources: ['services'],
  }
  const writeNodes: PolicyRule = {
    verbs: ['PUT', 'CREATE', 'UPDATE'],
    apiGroups: ['v1'],
    resources: ['nodes'],
  }
  const admin: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }
  const source = new StaticRoles({
    roles: [
      {
        metadata: { namespace: 'namespace1', name: 'readthings' },
        rules: [readPods, readServices],
      },
    ],
    clusterRoles: [
      { metadata: { name: 'cluster-admin' }, rules: [admin] },
      { metadata: { name: 'write-nodes' }, rules: [writeNodes] },
    ],
    roleBindings: [
      {
        metadata: { namespace: 'namespace1', name: 'rb' },
        subjects: [
          { kind: 'User', name: 'foobar' },
          { kind: 'Group', name: 'group1' },
        ],
        roleRef: { apiGroup: G, kind: 'Role', name: 'readthings' },
      },
    ],
    clusterRoleBindings: [
      {
        metadata: { name: 'crb' },
        subjects: [
          { kind: 'User', name: 'admin' },
          { kind: 'Group', name: 'admin' },
        ],
        roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'cluster-admin' },
      },
    ],
  })

  it.each<[string, UserInfo, string, PolicyRule[]]>([
    [
      'a namespace binding',
      { username: 'foobar', groups: [] },
      'namespace1',
      [readPods, readServices],
    ],
    ['another namespace', { username: 'foobar', groups: [] }, 'namespace2', []],
    ['no namespace: cluster rules only', { username: 'foobar', groups: ['admin'] }, '', [admin]],
    ['nobody', { username: '', groups: [] }, '', []],
  ])('%s', (_, user, namespace, want) => {
    expect(rulesFor(user, namespace, source)).toEqual({ rules: want, errors: [] })
  })
})

describe('subjectRulesReviewStatus (SelfSubjectRulesReview, kubectl auth can-i --list)', () => {
  const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] }
  const source = new StaticRoles({
    clusterRoles: bootstrapClusterRoles(),
    clusterRoleBindings: bootstrapClusterRoleBindings(),
    roles: [
      {
        metadata: { namespace: 'bob', name: 'cm-reader' },
        rules: [
          {
            verbs: ['get'],
            apiGroups: [''],
            resources: ['configmaps'],
            resourceNames: ['settings'],
          },
        ],
      },
    ],
    roleBindings: [
      {
        metadata: { namespace: 'bob', name: 'alice-view' },
        roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: G, kind: 'User', name: 'alice' }],
      },
      {
        metadata: { namespace: 'bob', name: 'alice-cm' },
        roleRef: { apiGroup: G, kind: 'Role', name: 'cm-reader' },
        subjects: [{ apiGroup: G, kind: 'User', name: 'alice' }],
      },
      {
        metadata: { namespace: 'broken', name: 'alice-gone' },
        roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'gone' },
        subjects: [{ apiGroup: G, kind: 'User', name: 'alice' }],
      },
      {
        metadata: { namespace: 'broken', name: 'alice-edit' },
        roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'edit' },
        subjects: [{ apiGroup: G, kind: 'User', name: 'alice' }],
      },
    ],
  })
  const basicUser = [
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ]
  const nonResource = [
    {
      verbs: ['get'],
      nonResourceURLs: [
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
    },
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  ]

  it('lists what a person without bindings has: the basic-user and discovery rules', () => {
    expect(subjectRulesReviewStatus(alice, 'elsewhere', source)).toEqual({
      resourceRules: basicUser,
      nonResourceRules: nonResource,
      incomplete: false,
    })
  })

  it('adds the namespace bindings after the cluster ones, rule by rule, as stored', () => {
    const status = subjectRulesReviewStatus(alice, 'bob', source)
    expect(status.resourceRules.slice(0, 2)).toEqual(basicUser)
    expect(status.resourceRules.slice(2, 4)).toEqual([
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: [''],
        resources: [
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
      },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: [''],
        resources: [
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
      },
    ])
    expect(status.resourceRules).toHaveLength(2 + 11 + 1)
    expect(status.resourceRules.at(-2)).toEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: ['sim.wheelhouse.dev'],
      resources: ['schedulingdecisions'],
    })
    expect(status.resourceRules.at(-1)).toEqual({
      verbs: ['get'],
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['settings'],
    })
    expect(status.nonResourceRules).toEqual(nonResource)
    expect(status.incomplete).toBe(false)
    expect(status.evaluationError).toBeUndefined()
  })

  it('reports a binding to a missing role and still lists the rest', () => {
    const status = subjectRulesReviewStatus(alice, 'broken', source)
    expect(status.evaluationError).toBe('clusterrole.rbac.authorization.k8s.io "gone" not found')
    expect(status.resourceRules).toHaveLength(2 + 25)
    expect(status.incomplete).toBe(false)
  })

  it('gives the cluster-admin wildcard rules to the admin token', () => {
    const admin: UserInfo = {
      username: 'kubernetes-admin',
      groups: ['kubeadm:cluster-admins', 'system:authenticated'],
    }
    const status = subjectRulesReviewStatus(admin, 'default', source)
    // kubeadm's binding comes after the defaults in the list
    expect(status.resourceRules).toEqual([
      ...basicUser,
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    ])
    expect(status.nonResourceRules).toEqual([
      ...nonResource,
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ])
  })

  it('splits a rule with both resources and paths, and drops one with neither', () => {
    const odd = new StaticRoles({
      clusterRoles: [
        {
          metadata: { name: 'odd' },
          rules: [
            { verbs: ['get'], resources: ['pods'], nonResourceURLs: ['/x'] },
            { verbs: ['get'] },
          ],
        },
      ],
      clusterRoleBindings: [
        {
          metadata: { name: 'odd' },
          roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'odd' },
          subjects: [{ kind: 'User', name: 'alice' }],
        },
      ],
    })
    expect(subjectRulesReviewStatus(alice, 'x', odd)).toEqual({
      resourceRules: [{ verbs: ['get'], resources: ['pods'] }],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }],
      incomplete: false,
    })
  })
})

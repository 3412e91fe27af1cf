import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../authn'
import type { Attributes } from './attributes'
import {
  breakdownRule,
  compactRules,
  compactString,
  confirmNoEscalation,
  covers,
  type RbacWrite,
  rbacWriteRefusal,
} from './escalation'
import { authorize } from './rbac'
import { StaticRoles } from './static-roles'
import type { PolicyRule } from './types'

const G = 'rbac.authorization.k8s.io'
const rule = (verbs: string, groups: string, resources: string, names?: string): PolicyRule => {
  const r: PolicyRule = { verbs: verbs.split(','), apiGroups: groups.split(','), resources: resources.split(',') }
  if (names) r.resourceNames = names.split(',')
  return r
}
const urls = (verbs: string, paths: string): PolicyRule => ({ verbs: verbs.split(','), nonResourceURLs: paths.split(',') })

describe('covers (upstream policy_comparator_test cases)', () => {
  const cases: { name: string; owner: PolicyRule[]; servant: PolicyRule[]; covered: boolean; missing?: PolicyRule[] }[] = [
    { name: 'exact match', owner: [rule('get,list', 'builds', 'builds')], servant: [rule('get', 'builds', 'builds')], covered: true },
    { name: 'verb missing', owner: [rule('get', '', 'pods')], servant: [rule('get,delete', '', 'pods')], covered: false, missing: [rule('delete', '', 'pods')] },
    { name: 'star verb, group and resource', owner: [rule('*', '*', '*')], servant: [rule('get,watch', 'apps', 'deployments,deployments/scale')], covered: true },
    { name: 'star subresource', owner: [rule('get', '', '*/log')], servant: [rule('get', '', 'pods/log,builds/log')], covered: true },
    { name: 'star subresource does not cover the resource', owner: [rule('get', '', '*/log')], servant: [rule('get', '', 'pods')], covered: false, missing: [rule('get', '', 'pods')] },
    { name: 'names are narrower than no names', owner: [rule('get', '', 'pods', 'a,b')], servant: [rule('get', '', 'pods')], covered: false, missing: [rule('get', '', 'pods')] },
    { name: 'no names cover names', owner: [rule('get', '', 'pods')], servant: [rule('get', '', 'pods', 'a')], covered: true },
    { name: 'names within names', owner: [rule('get', '', 'pods', 'a,b')], servant: [rule('get', '', 'pods', 'b')], covered: true },
    { name: 'a path', owner: [urls('get', '/api')], servant: [urls('get', '/api')], covered: true },
    { name: 'a path prefix', owner: [urls('get', '/apis/*')], servant: [urls('get', '/apis/apps,/apis/batch/v1')], covered: true },
    { name: 'a prefix does not cover its own root', owner: [urls('get', '/apis/*')], servant: [urls('get', '/apis')], covered: false, missing: [urls('get', '/apis')] },
    { name: 'star path', owner: [urls('*', '*')], servant: [urls('get,post', '/metrics')], covered: true },
    { name: 'resources never cover paths', owner: [rule('*', '*', '*')], servant: [urls('get', '/healthz')], covered: false, missing: [urls('get', '/healthz')] },
    { name: 'split across owners', owner: [rule('get', '', 'pods'), rule('list', '', 'pods')], servant: [rule('get,list', '', 'pods')], covered: true },
  ]
  for (const c of cases)
    it(c.name, () => {
      const r = covers(c.owner, c.servant)
      expect(r.covered).toBe(c.covered)
      expect(r.missing).toEqual(c.missing ?? [])
    })

  it('breaks a rule into one verb, group, resource and name each', () => {
    expect(breakdownRule(rule('get,list', ',apps', 'pods', 'x'))).toEqual([
      rule('get', '', 'pods', 'x'),
      rule('list', '', 'pods', 'x'),
      rule('get', 'apps', 'pods', 'x'),
      rule('list', 'apps', 'pods', 'x'),
    ])
    expect(breakdownRule(urls('get,post', '/a,/b'))).toHaveLength(4)
  })
})

describe('compactRules and compactString', () => {
  it('merges simple rules of one group and resource, keeps the rest', () => {
    expect(compactRules([rule('get', '', 'pods'), rule('list', '', 'pods'), rule('get', '', 'pods', 'a'), rule('get', 'apps', 'pods')])).toEqual([
      rule('get', '', 'pods', 'a'),
      rule('get,list', '', 'pods'),
      rule('get', 'apps', 'pods'),
    ])
  })

  it('prints fields in upstream order, Go-quoted, empty ones left out', () => {
    expect(compactString(rule('get,list', '', 'pods', 'a'))).toBe('{APIGroups:[""], Resources:["pods"], ResourceNames:["a"], Verbs:["get" "list"]}')
    expect(compactString(urls('get', '/healthz'))).toBe('{NonResourceURLs:["/healthz"], Verbs:["get"]}')
  })
})

const alice: UserInfo = { username: 'alice', groups: ['devs', 'system:authenticated'] }
const roles = new StaticRoles({
  clusterRoles: [
    { metadata: { name: 'pod-reader' }, rules: [rule('get,list,watch', '', 'pods')] },
    { metadata: { name: 'cluster-admin' }, rules: [rule('*', '*', '*'), urls('*', '*')] },
    { metadata: { name: 'role-writer' }, rules: [rule('create,update', G, 'roles,rolebindings')] },
    { metadata: { name: 'escalator' }, rules: [rule('escalate', G, 'roles')] },
    { metadata: { name: 'binder' }, rules: [rule('bind', G, 'clusterroles', 'cluster-admin')] },
  ],
  roleBindings: [
    { metadata: { name: 'read', namespace: 'ns' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'pod-reader' }, subjects: [{ kind: 'Group', name: 'devs' }] },
    { metadata: { name: 'write', namespace: 'ns' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'role-writer' }, subjects: [{ kind: 'User', name: 'alice' }] },
    { metadata: { name: 'broken', namespace: 'ns' }, roleRef: { apiGroup: G, kind: 'Role', name: 'gone' }, subjects: [{ kind: 'User', name: 'alice' }] },
    { metadata: { name: 'esc', namespace: 'esc' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'escalator' }, subjects: [{ kind: 'User', name: 'alice' }] },
    { metadata: { name: 'bind', namespace: 'bind' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', name: 'alice' }] },
  ],
})

describe('confirmNoEscalation', () => {
  it('passes what the user holds in the namespace', () => {
    expect(confirmNoEscalation(alice, 'ns', [rule('get,watch', '', 'pods')], roles)).toBeUndefined()
  })

  it('names the missing rules, compacted and sorted, with resolution errors after them', () => {
    expect(confirmNoEscalation(alice, 'ns', [rule('get,delete,deletecollection', '', 'pods,secrets')], roles)).toBe(
      'user "alice" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete" "deletecollection"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete" "deletecollection"]}' +
        '; resolution errors: [role.rbac.authorization.k8s.io "gone" not found]',
    )
  })

  it('holds nothing of a namespace elsewhere', () => {
    expect(confirmNoEscalation(alice, 'other', [rule('get', '', 'pods')], roles)).toContain('{APIGroups:[""], Resources:["pods"], Verbs:["get"]}')
  })
})

describe('rbacWriteRefusal', () => {
  const write = (w: Partial<RbacWrite>): RbacWrite => ({
    user: alice,
    resource: 'roles',
    namespace: 'ns',
    name: '',
    object: {},
    source: roles,
    allows: (attrs: Attributes) => authorize(attrs, roles).allowed,
    ...w,
  })

  it('lets a role hold what its writer holds, and refuses more', () => {
    expect(rbacWriteRefusal(write({ object: { rules: [rule('get', '', 'pods')] } }))).toBeUndefined()
    expect(rbacWriteRefusal(write({ object: { rules: [rule('get', '', 'nodes')] } }))).toMatchObject({ forbidden: expect.stringContaining('Resources:["nodes"]') })
  })

  it('lets the escalate verb write any rules', () => {
    expect(rbacWriteRefusal(write({ namespace: 'esc', object: { rules: [rule('*', '*', '*')] } }))).toBeUndefined()
  })

  it('asks for full authority to use an aggregationRule', () => {
    const admin: UserInfo = { username: 'root', groups: ['system:masters'] }
    expect(rbacWriteRefusal(write({ user: admin, resource: 'clusterroles', namespace: '', object: { aggregationRule: { clusterRoleSelectors: [{}] } } }))).toBeUndefined()
    expect(rbacWriteRefusal(write({ resource: 'clusterroles', namespace: '', object: { rules: [], aggregationRule: { clusterRoleSelectors: [{}] } } }))).toEqual({
      forbidden: 'must have cluster-admin privileges to use the aggregationRule',
    })
  })

  it('lets a binding bind a role whose rules the writer holds, or one it may bind', () => {
    const ref = (kind: string, name: string) => ({ roleRef: { apiGroup: G, kind, name } })
    expect(rbacWriteRefusal(write({ resource: 'rolebindings', object: ref('ClusterRole', 'pod-reader') }))).toBeUndefined()
    expect(rbacWriteRefusal(write({ resource: 'rolebindings', object: ref('ClusterRole', 'cluster-admin') }))).toMatchObject({ forbidden: expect.stringContaining('{NonResourceURLs:["*"], Verbs:["*"]}') })
    expect(rbacWriteRefusal(write({ resource: 'rolebindings', namespace: 'bind', object: ref('ClusterRole', 'cluster-admin') }))).toBeUndefined()
    expect(rbacWriteRefusal(write({ resource: 'rolebindings', object: ref('Role', 'missing') }))).toEqual({ notFound: { resource: 'roles', name: 'missing' } })
    expect(rbacWriteRefusal(write({ resource: 'rolebindings', object: ref('Thing', 'x') }))).toEqual({ internal: 'unsupported role reference kind: "Thing"' })
  })
})

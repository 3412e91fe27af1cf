import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../authn'
import { requestInfo } from '../request-info'
import { impersonation } from './impersonation'
import { authorizeRequest } from './request'
import { StaticRoles } from './static-roles'

const G = 'rbac.authorization.k8s.io'
const admin: UserInfo = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] }
const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] }
const roles = new StaticRoles({
  clusterRoles: [
    { metadata: { name: 'cluster-admin' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }] },
    { metadata: { name: 'system:discovery' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/version'] }] },
  ],
  clusterRoleBindings: [
    { metadata: { name: 'admins' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'kubeadm:cluster-admins' }] },
    { metadata: { name: 'discovery' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'system:discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  ],
})

function ask(user: UserInfo, method: string, target: string, headers: Record<string, string> = {}) {
  const url = new URL(target, 'http://x')
  return authorizeRequest(user, new Headers(headers), requestInfo(method, url.pathname, url.searchParams), url.searchParams, roles)
}

describe('authorizeRequest', () => {
  it('allows what a rule allows, resource or path, and refuses the rest with the 403 Status', () => {
    expect(ask(admin, 'DELETE', '/api/v1/nodes/worker-1')).toEqual({ user: admin })
    expect(ask(alice, 'GET', '/api/v1')).toEqual({ user: alice })
    expect(ask(alice, 'GET', '/version')).toEqual({ user: alice })
    expect(ask(alice, 'GET', '/apis')).toMatchObject({ refused: { code: 403, message: 'forbidden: User "alice" cannot get path "/apis"' } })
    expect(ask(alice, 'GET', '/api/v1/namespaces/bob/pods?watch=true')).toMatchObject({
      refused: { code: 403, reason: 'Forbidden', message: 'pods is forbidden: User "alice" cannot watch resource "pods" in API group "" in the namespace "bob"' },
    })
  })

  it('impersonates when every part is allowed, and answers for the first part refused', () => {
    const asAlice = ask(admin, 'GET', '/api/v1/pods', { 'impersonate-user': 'alice', 'impersonate-group': 'devs' })
    // alice (as impersonated) may not list pods: the request is refused for her, not the admin.
    expect(asAlice).toMatchObject({ refused: { message: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope' } })
    expect(ask(admin, 'GET', '/version', { 'impersonate-user': 'alice' })).toEqual({ user: { username: 'alice', groups: ['system:authenticated'] } })
    expect(ask(alice, 'GET', '/version', { 'impersonate-user': 'bob' })).toMatchObject({
      refused: { message: 'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope', details: { name: 'bob', kind: 'users' } },
    })
    expect(ask(alice, 'GET', '/version', { 'impersonate-group': 'x' })).toMatchObject({ refused: { code: 500 } })
  })
})

describe('impersonation', () => {
  it('asks nothing without headers', () => {
    expect(impersonation(alice, new Headers())).toEqual({ none: true })
  })

  it('gives a service account its groups unless groups are asked for', () => {
    const sa = impersonation(admin, new Headers({ 'impersonate-user': 'system:serviceaccount:team:bot' }))
    expect(sa).toMatchObject({
      user: { username: 'system:serviceaccount:team:bot', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'] },
      checks: [{ verb: 'impersonate', resource: 'serviceaccounts', namespace: 'team', name: 'bot' }],
    })
    const grouped = impersonation(admin, new Headers({ 'impersonate-user': 'system:serviceaccount:team:bot', 'impersonate-group': 'a' }))
    expect(grouped).toMatchObject({ user: { groups: ['a', 'system:authenticated'] } })
  })

  it('checks groups, extras and the uid, in upstream order', () => {
    const h = new Headers({ 'impersonate-user': 'bob', 'impersonate-uid': 'u1', 'impersonate-extra-scopes': 'view' })
    h.append('impersonate-group', 'a')
    h.append('impersonate-group', 'system:authenticated')
    const r = impersonation(admin, h)
    if (!('checks' in r)) throw new Error('expected checks')
    expect(r.checks.map((c) => `${c.apiGroup}/${c.resource}${c.subresource ? '/' + c.subresource : ''}:${c.name}`)).toEqual([
      '/users:bob',
      '/groups:a',
      '/groups:system:authenticated',
      'authentication.k8s.io/userextras/scopes:view',
      'authentication.k8s.io/uids:u1',
    ])
    expect(r.user).toEqual({ username: 'bob', uid: 'u1', groups: ['a', 'system:authenticated'], extra: { scopes: ['view'] } })
  })
})

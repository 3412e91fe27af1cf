import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../authn'
import { requestInfo } from '../request-info'
import { requestAttributes } from './attributes'
import { forbiddenStatus } from './forbidden'
import { goQuote } from './go-quote'

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] }
const sa: UserInfo = {
  username: 'system:serviceaccount:bob:ci',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:bob', 'system:authenticated'],
}

function forbidden(method: string, target: string, user = alice, reason = '') {
  const url = new URL(target, 'https://x')
  return forbiddenStatus(
    requestAttributes(requestInfo(method, url.pathname, url.searchParams), user, url.searchParams),
    reason,
  )
}

describe('forbiddenStatus (responsewriters.Forbidden + apierrors.NewForbidden)', () => {
  it.each([
    [
      'GET',
      '/api/v1/namespaces/bob/pods',
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "bob"',
      { kind: 'pods' },
    ],
    [
      'GET',
      '/api/v1/namespaces/bob/pods?watch=true',
      'pods is forbidden: User "alice" cannot watch resource "pods" in API group "" in the namespace "bob"',
      { kind: 'pods' },
    ],
    [
      'GET',
      '/api/v1/namespaces/bob/pods/web',
      'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "bob"',
      { name: 'web', kind: 'pods' },
    ],
    [
      'GET',
      '/api/v1/namespaces/bob/pods/web/log',
      'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "bob"',
      { name: 'web', kind: 'pods' },
    ],
    [
      'POST',
      '/api/v1/namespaces/bob/pods/web/eviction',
      'pods "web" is forbidden: User "alice" cannot create resource "pods/eviction" in API group "" in the namespace "bob"',
      { name: 'web', kind: 'pods' },
    ],
    [
      'GET',
      '/api/v1/nodes',
      'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
      { kind: 'nodes' },
    ],
    [
      'PATCH',
      '/api/v1/nodes/worker-1',
      'nodes "worker-1" is forbidden: User "alice" cannot patch resource "nodes" in API group "" at the cluster scope',
      { name: 'worker-1', kind: 'nodes' },
    ],
    [
      'GET',
      '/api/v1/nodes/worker-1/proxy/iptables-save',
      'nodes "worker-1" is forbidden: User "alice" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
      { name: 'worker-1', kind: 'nodes' },
    ],
    [
      'GET',
      '/api/v1/pods',
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope',
      { kind: 'pods' },
    ],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/bob/deployments/web/scale',
      'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments/scale" in API group "apps" in the namespace "bob"',
      { name: 'web', group: 'apps', kind: 'deployments' },
    ],
    [
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/bob/rolebindings',
      'rolebindings.rbac.authorization.k8s.io is forbidden: User "alice" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "bob"',
      { group: 'rbac.authorization.k8s.io', kind: 'rolebindings' },
    ],
    [
      'POST',
      '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster/step',
      'clocks.sim.wheelhouse.dev "cluster" is forbidden: User "alice" cannot create resource "clocks/step" in API group "sim.wheelhouse.dev" at the cluster scope',
      { name: 'cluster', group: 'sim.wheelhouse.dev', kind: 'clocks' },
    ],
    [
      'DELETE',
      '/api/v1/namespaces/kube-system',
      'namespaces "kube-system" is forbidden: User "alice" cannot delete resource "namespaces" in API group "" in the namespace "kube-system"',
      { name: 'kube-system', kind: 'namespaces' },
    ],
    // kubectl get pod web -w: the name comes from the field selector
    [
      'GET',
      '/api/v1/namespaces/bob/pods?fieldSelector=metadata.name%3Dweb&watch=true',
      'pods "web" is forbidden: User "alice" cannot watch resource "pods" in API group "" in the namespace "bob"',
      { name: 'web', kind: 'pods' },
    ],
    ['GET', '/metrics', 'forbidden: User "alice" cannot get path "/metrics"', {}],
    ['GET', '/api/v1', 'forbidden: User "alice" cannot get path "/api/v1"', {}],
  ])('%s %s', (method, target, message, details) => {
    expect(forbidden(method, target)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'Forbidden',
      details,
      code: 403,
    })
  })

  it('names a service account by its full user name', () => {
    expect(forbidden('GET', '/api/v1/namespaces/eve/secrets', sa).message).toBe(
      'secrets is forbidden: User "system:serviceaccount:bob:ci" cannot list resource "secrets" in API group "" in the namespace "eve"',
    )
  })

  it("appends the authorizer's reason after a colon", () => {
    expect(
      forbidden(
        'GET',
        '/api/v1/namespaces/bob/pods',
        alice,
        'RBAC: role.rbac.authorization.k8s.io "dev" not found',
      ).message,
    ).toBe(
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "bob": RBAC: role.rbac.authorization.k8s.io "dev" not found',
    )
  })

  it('escapes what could read as HTML and quotes as Go does', () => {
    // the path as the server routes it, decoded (Go's URL.Path; Hono's c.req.path)
    const attrs = requestAttributes(requestInfo('GET', '/<script>&', new URLSearchParams()), {
      username: 'a"b',
      groups: [],
    })
    expect(forbiddenStatus(attrs).message).toBe(
      'forbidden: User "a\\"b" cannot get path "/&lt;script&gt;&amp;"',
    )
  })
})

describe('goQuote (strconv.Quote)', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['tab\there\nnl', '"tab\\there\\nnl"'],
    ['\x00\x7f', '"\\x00\\x7f"'],
    ['\u0085 \u2028', '"\\u0085 \\u2028"'],
    ['héllo 世界 🙂', '"héllo 世界 🙂"'],
    ['\u{e0001}', '"\\U000e0001"'],
  ])('%j → %s', (s, want) => {
    expect(goQuote(s)).toBe(want)
  })
})

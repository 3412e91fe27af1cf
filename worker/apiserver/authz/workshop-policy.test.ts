// Each mode's objects, judged by the RBAC authorizer over the default policy.
import { describe, expect, it } from 'vitest'
import { ADMIN_USER } from '../authn'
import type { Obj } from '../objects'
import type { Attributes } from './attributes'
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy'
import { authorize } from './rbac'
import { StaticRoles } from './static-roles'
import type { ClusterRole, ClusterRoleBinding, RoleBinding } from './types'
import { participantObjects, participantUser, type WorkshopMode, workshopClusterObjects } from './workshop-policy'

function cluster(mode: WorkshopMode): StaticRoles {
  const objs: Obj[] = [
    ...workshopClusterObjects(mode),
    ...participantObjects(mode, { username: 'alice', namespace: 'alice', displayName: 'Alice' }),
    ...participantObjects(mode, { username: 'bob', namespace: 'bob', displayName: 'Bob' }),
  ]
  const of = (kind: string) => objs.filter((o) => o.kind === kind)
  return new StaticRoles({
    clusterRoles: [...bootstrapClusterRoles(), ...(of('ClusterRole') as ClusterRole[])],
    clusterRoleBindings: [...bootstrapClusterRoleBindings(), ...(of('ClusterRoleBinding') as ClusterRoleBinding[])],
    roleBindings: of('RoleBinding') as RoleBinding[],
  })
}

const can = (source: StaticRoles, who: string, verb: string, resource: string, namespace = '', apiGroup = '') => {
  const user = who === 'admin' ? ADMIN_USER : participantUser(who)
  const [res, sub] = resource.split('/')
  const attrs: Attributes = { user, verb, isResourceRequest: true, apiGroup, apiVersion: 'v1', resource: res!, subresource: sub ?? '', namespace, name: '', path: '' }
  return authorize(attrs, source).allowed
}

describe('namespace-per-person', () => {
  const rbac = cluster('namespace-per-person')
  it.each([
    ['alice', 'create', 'deployments', 'alice', 'apps', true],
    ['alice', 'delete', 'pods', 'alice', '', true],
    ['alice', 'get', 'secrets', 'alice', '', true],
    ['alice', 'create', 'deployments', 'bob', 'apps', false],
    ['alice', 'list', 'pods', 'bob', '', true],
    ['alice', 'get', 'secrets', 'bob', '', false],
    ['alice', 'list', 'nodes', '', '', true],
    ['alice', 'watch', 'namespaces', '', '', true],
    ['alice', 'list', 'clocks', '', 'sim.wheelhouse.dev', true],
    ['alice', 'create', 'clocks/step', '', 'sim.wheelhouse.dev', false],
    ['alice', 'update', 'nodes', '', '', false],
    ['alice', 'create', 'namespaces', '', '', false],
    ['alice', 'create', 'rolebindings', 'bob', 'rbac.authorization.k8s.io', false],
    ['admin', 'delete', 'namespaces', '', '', true],
  ])('%s %s %s in "%s" (%s): %s', (who, verb, resource, ns, group, want) => {
    expect(can(rbac, who, verb, resource, ns, group)).toBe(want)
  })

  it("gives each namespace the participant's quota and LimitRange, labelled as the workshop's", () => {
    const objs = participantObjects('namespace-per-person', { username: 'alice-smith-2', namespace: 'alice-smith-2', displayName: 'Alice Smith' })
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/alice-smith-2',
      'ServiceAccount/default',
      'RoleBinding/edit',
      'LimitRange/participant-limits',
      'ResourceQuota/participant-quota',
    ])
    expect(objs[0]!.metadata.labels).toMatchObject({ 'wheelhouse.dev/participant': 'alice-smith-2', 'app.kubernetes.io/managed-by': 'wheelhouse-workshop' })
    expect(objs[0]!.metadata.annotations).toEqual({ 'wheelhouse.dev/display-name': 'Alice Smith' })
    expect(objs[2]!.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice-smith-2' }])
    expect(objs.slice(1).every((o) => o.metadata.namespace === 'alice-smith-2')).toBe(true)
  })
})

describe('shared-admin', () => {
  const rbac = cluster('shared-admin')
  it('lets everyone do anything anywhere', () => {
    expect(can(rbac, 'alice', 'create', 'deployments', 'bob', 'apps')).toBe(true)
    expect(can(rbac, 'alice', 'get', 'secrets', 'kube-system')).toBe(true)
    expect(can(rbac, 'bob', 'delete', 'nodes')).toBe(true)
  })
  it('makes only the namespace and its account at join', () => {
    expect(participantObjects('shared-admin', { username: 'a', namespace: 'a', displayName: 'A' }).map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount'])
  })
})

describe('spectator', () => {
  const rbac = cluster('spectator')
  it('lets everyone read and nobody write, not even in their own namespace', () => {
    expect(can(rbac, 'alice', 'list', 'pods', 'bob')).toBe(true)
    expect(can(rbac, 'alice', 'list', 'nodes')).toBe(true)
    expect(can(rbac, 'alice', 'create', 'pods', 'alice')).toBe(false)
    expect(can(rbac, 'alice', 'get', 'secrets', 'alice')).toBe(false)
    expect(can(rbac, 'admin', 'create', 'pods', 'alice')).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../apiserver/authn'
import { StaticRoles } from '../apiserver/authz/static-roles'
import type { RoleBinding } from '../apiserver/authz/types'
import { RbacReadAccess } from './access'

const G = 'rbac.authorization.k8s.io'
const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] }
const admin: UserInfo = { username: 'root', groups: ['admins'] }
const binding = (namespace: string, role: string): RoleBinding => ({
  metadata: { name: `${role}-${namespace}`, namespace },
  roleRef: { apiGroup: G, kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', name: 'alice' }],
})

function setup() {
  const roleBindings = [binding('team', 'view'), binding('lists', 'list-only')]
  const source = Object.assign(
    new StaticRoles({
      clusterRoles: [
        { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'configmaps'] }] },
        { metadata: { name: 'list-only' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }] },
        { metadata: { name: 'all' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
      ],
      roleBindings,
      clusterRoleBindings: [{ metadata: { name: 'admins' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'all' }, subjects: [{ kind: 'Group', name: 'admins' }] }],
    }),
    { generation: 0 },
  )
  const access = new RbacReadAccess(source, () => ['default', 'lists', 'team'])
  return { source, roleBindings, access }
}

describe('RbacReadAccess', () => {
  it('shows everything to someone who may list and watch cluster-wide', () => {
    const { access } = setup()
    expect(access.scope(admin, '', 'pods', '', true)).toEqual({ all: true })
    expect(access.scope(admin, '', 'nodes', '', false)).toEqual({ all: true })
  })

  it('limits a subscription across namespaces to those readable, and refuses one namespace without both verbs', () => {
    const { access } = setup()
    expect(access.scope(alice, '', 'pods', '', true)).toEqual({ all: false })
    expect(access.readable(alice, '', 'pods', 'team')).toBe(true)
    expect(access.readable(alice, '', 'pods', 'default')).toBe(false)
    // list without watch is not enough: a subscription is a watch.
    expect(access.readable(alice, '', 'pods', 'lists')).toBe(false)
    expect(access.scope(alice, '', 'pods', 'lists', true)).toMatchObject({
      refused: { code: 403, message: 'pods is forbidden: User "alice" cannot watch resource "pods" in API group "" in the namespace "lists"' },
    })
    expect(access.scope(alice, '', 'pods', 'team', true)).toEqual({ all: true })
  })

  it('refuses a kind readable nowhere, and a cluster-scoped kind without cluster-wide permission', () => {
    const { access } = setup()
    expect(access.scope(alice, '', 'secrets', '', true)).toMatchObject({ refused: { message: 'secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" at the cluster scope' } })
    expect(access.scope(alice, '', 'nodes', '', false)).toMatchObject({ refused: { code: 403 } })
  })

  it('forgets its decisions when the roles change', () => {
    const { source, roleBindings, access } = setup()
    expect(access.readable(alice, '', 'pods', 'default')).toBe(false)
    roleBindings.push(binding('default', 'view'))
    // Cached until the generation moves, as the store-backed roles count RBAC writes.
    expect(access.readable(alice, '', 'pods', 'default')).toBe(false)
    source.generation++
    expect(access.readable(alice, '', 'pods', 'default')).toBe(true)
  })
})

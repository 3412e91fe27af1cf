// RBAC in the cluster object, as kube-apiserver enforces it: every request is
// authorized from the stored roles and bindings (upstream's 403 wording, nothing
// stored), the default policy is seeded, aggregated ClusterRoles follow their
// members, the access reviews answer from the same authorizer, RBAC writes cannot
// escalate, and the live feed shows each person only what they may list and watch.
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { ClientMessage, ServerMessage } from '../../worker/multiplayer/protocol'
import { api, inPlane, newCluster, type TestCluster, until } from './helpers'

const RBAC = '/apis/rbac.authorization.k8s.io/v1'
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'
const SSRR = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'
const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews'
const ALICE = 'system:serviceaccount:default:alice'
const ALICE_GROUPS = '["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"]'

/** A service account and a token for it: a non-admin identity. */
async function serviceAccount(c: TestCluster, name: string, namespace = 'default'): Promise<TestCluster> {
  await api(c, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { metadata: { name } })
  const r = await api(c, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} })
  expect(r.status, r.text).toBe(201)
  return { ...c, token: r.json.status.token }
}

async function namespace(c: TestCluster, name: string): Promise<void> {
  expect((await api(c, 'POST', '/api/v1/namespaces', { metadata: { name } })).status).toBe(201)
}

const bindRole = (name: string, kind: 'Role' | 'ClusterRole', role: string, sa: string, saNamespace = 'default') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
  subjects: [{ kind: 'ServiceAccount', name: sa, namespace: saNamespace }],
})

async function stepUntil<T>(c: TestCluster, check: () => Promise<T | undefined | false>, what: string, steps = 30): Promise<T> {
  for (let i = 0; i < steps; i++) {
    const v = await check()
    if (v) return v
    await c.stub.setClock({ stepMs: 1_000 })
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`never: ${what}`)
}

describe('RBAC', () => {
  it('validates roles and bindings as upstream: a rule without verbs, a binding of an unknown subject kind, a changed roleRef', async () => {
    const c = await newCluster()
    const role = await api(c, 'POST', `${RBAC}/namespaces/default/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'] }] })
    expect([role.status, role.json.message]).toEqual([422, 'Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value'])
    const robot = await api(c, 'POST', `${RBAC}/namespaces/default/rolebindings`, { ...bindRole('b', 'ClusterRole', 'view', 'x'), subjects: [{ kind: 'Robot', name: 'r2' }] })
    expect([robot.status, robot.json.message]).toEqual([422, 'RoleBinding.rbac.authorization.k8s.io "b" is invalid: subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'])
    // A User subject without apiGroup is defaulted to rbac.authorization.k8s.io, as upstream's v1 defaults do.
    const made = await api(c, 'POST', `${RBAC}/namespaces/default/rolebindings`, { ...bindRole('b', 'ClusterRole', 'view', 'x'), subjects: [{ kind: 'User', name: 'alice' }] })
    expect(made.status, made.text).toBe(201)
    expect(made.json.subjects[0].apiGroup).toBe('rbac.authorization.k8s.io')
    const changed = await api(c, 'PUT', `${RBAC}/namespaces/default/rolebindings/b`, { ...made.json, roleRef: { ...made.json.roleRef, name: 'edit' } })
    expect([changed.status, changed.json.message]).toEqual([422, 'RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef'])
    expect((await api(c, 'GET', `${RBAC}/namespaces/default/rolebindings/b`)).json.roleRef.name).toBe('view')
  })

  it('refuses what no rule allows with upstream 403 and stores nothing; the admin may do anything', async () => {
    const c = await newCluster()
    const alice = await serviceAccount(c, 'alice')
    const write = await api(alice, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'x' } })
    expect(write.status).toBe(403)
    expect(write.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      details: { kind: 'configmaps' },
      message: `configmaps is forbidden: User "${ALICE}" cannot create resource "configmaps" in API group "" in the namespace "default"`,
    })
    expect((await api(c, 'GET', '/api/v1/namespaces/default/configmaps/x')).status).toBe(404)
    const list = await api(alice, 'GET', '/api/v1/namespaces/bob/pods')
    expect(list.json.message).toBe(`pods is forbidden: User "${ALICE}" cannot list resource "pods" in API group "" in the namespace "bob"`)
    const node = await api(alice, 'GET', '/api/v1/nodes/worker-1')
    expect(node.json.message).toBe(`nodes "worker-1" is forbidden: User "${ALICE}" cannot get resource "nodes" in API group "" at the cluster scope`)
    const ns = await api(alice, 'GET', '/api/v1/namespaces/default')
    expect(ns.json.message).toBe(`namespaces "default" is forbidden: User "${ALICE}" cannot get resource "namespaces" in API group "" in the namespace "default"`)
    const deploy = await api(alice, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/web')
    expect(deploy.json).toMatchObject({ details: { name: 'web', group: 'apps', kind: 'deployments' } })
    expect(deploy.json.message).toBe(`deployments.apps "web" is forbidden: User "${ALICE}" cannot delete resource "deployments" in API group "apps" in the namespace "default"`)
    // The seeded policy: cluster-admin bound to the admin token's group, by kubeadm's binding.
    const crb = await api(c, 'GET', `${RBAC}/clusterrolebindings/kubeadm:cluster-admins`)
    expect(crb.json).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'kubeadm:cluster-admins' }] })
    expect((await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'x' } })).status).toBe(201)
  })

  it('puts the default policy back when the API server starts, as the rbac/bootstrap-roles hook does', async () => {
    const c = await newCluster()
    expect((await api(c, 'DELETE', `${RBAC}/clusterroles/view`)).status).toBe(200)
    expect((await api(c, 'DELETE', `${RBAC}/clusterrolebindings/kubeadm:cluster-admins`)).status).toBe(200)
    // The admin's only binding is gone: locked out, as on a real cluster.
    expect((await api(c, 'GET', '/api/v1/namespaces')).status).toBe(403)
    await runInDurableObject(c.stub, (_, state) => {
      try {
        state.abort('restart')
      } catch {}
    }).catch(() => undefined)
    // A new stub reaches the object started again.
    const again = { ...c, stub: env.CLUSTER.getByName(c.name) }
    await until(async () => (await api(again, 'GET', '/api/v1/namespaces').catch(() => ({ status: 0 }))).status === 200, 'the admin back after a restart')
    const view = await api(again, 'GET', `${RBAC}/clusterroles/view`)
    expect(view.json.rules.some((r: any) => r.resources?.includes('pods'))).toBe(true)
  })

  it('lets discovery, version and OpenAPI through for anyone authenticated, and other paths by nonResourceURLs', async () => {
    const c = await newCluster()
    const alice = await serviceAccount(c, 'alice')
    for (const path of ['/version', '/api', '/apis', '/api/v1', '/apis/apps/v1', '/openapi/v3', '/openapi/v2'])
      expect((await api(alice, 'GET', path)).status, path).toBe(200)
    const metrics = await api(alice, 'GET', '/metrics')
    expect(metrics.status).toBe(403)
    expect(metrics.json).toMatchObject({ reason: 'Forbidden', details: {}, message: `forbidden: User "${ALICE}" cannot get path "/metrics"` })
    await api(c, 'POST', `${RBAC}/clusterroles`, { metadata: { name: 'metrics-reader' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }] })
    await api(c, 'POST', `${RBAC}/clusterrolebindings`, {
      metadata: { name: 'alice-metrics' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'alice', namespace: 'default' }],
    })
    // Allowed now, and not served here: a 404, no longer a 403.
    expect((await api(alice, 'GET', '/metrics')).status).toBe(404)
    expect((await api(alice, 'POST', '/metrics')).status).toBe(403)
  })

  it('grants edit in one namespace through a RoleBinding, and only there', async () => {
    const c = await newCluster()
    await namespace(c, 'team')
    const alice = await serviceAccount(c, 'alice')
    expect((await api(c, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('alice-edit', 'ClusterRole', 'edit', 'alice'))).status).toBe(201)
    expect((await api(alice, 'POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'mine' } })).status).toBe(201)
    expect((await api(alice, 'GET', '/api/v1/namespaces/team/configmaps')).json.items.map((o: any) => o.metadata.name)).toContain('mine')
    expect((await api(alice, 'POST', '/apis/apps/v1/namespaces/team/deployments', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } })).status).toBe(201)
    expect((await api(alice, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'mine' } })).status).toBe(403)
    // edit holds no RBAC and no cluster-wide lists.
    expect((await api(alice, 'GET', `${RBAC}/namespaces/team/rolebindings`)).status).toBe(403)
    expect((await api(alice, 'GET', '/api/v1/configmaps')).json.message).toBe(`configmaps is forbidden: User "${ALICE}" cannot list resource "configmaps" in API group "" at the cluster scope`)
    // Deleting the binding takes it away at once.
    expect((await api(c, 'DELETE', `${RBAC}/namespaces/team/rolebindings/alice-edit`)).status).toBe(200)
    expect((await api(alice, 'GET', '/api/v1/namespaces/team/configmaps')).status).toBe(403)
  })

  it('limits a rule with resourceNames to the objects it names, a list by metadata.name included', async () => {
    const c = await newCluster()
    const alice = await serviceAccount(c, 'alice')
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'one' } })
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'two' } })
    await api(c, 'POST', `${RBAC}/namespaces/default/roles`, { metadata: { name: 'one-only' }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['one'], verbs: ['get', 'list', 'watch'] }] })
    await api(c, 'POST', `${RBAC}/namespaces/default/rolebindings`, bindRole('alice-one', 'Role', 'one-only', 'alice'))
    expect((await api(alice, 'GET', '/api/v1/namespaces/default/configmaps/one')).status).toBe(200)
    const two = await api(alice, 'GET', '/api/v1/namespaces/default/configmaps/two')
    expect(two.json.message).toBe(`configmaps "two" is forbidden: User "${ALICE}" cannot get resource "configmaps" in API group "" in the namespace "default"`)
    expect((await api(alice, 'GET', '/api/v1/namespaces/default/configmaps')).status).toBe(403)
    const byName = await api(alice, 'GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Done')
    expect(byName.status).toBe(200)
    expect(byName.json.items.map((o: any) => o.metadata.name)).toEqual(['one'])
    expect((await api(alice, 'GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dtwo')).status).toBe(403)
  })

  it('authorizes a subresource as resource/subresource: pods does not give pods/log', async () => {
    const c = await newCluster()
    const alice = await serviceAccount(c, 'alice')
    await api(c, 'POST', `${RBAC}/namespaces/default/roles`, { metadata: { name: 'pods' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] })
    await api(c, 'POST', `${RBAC}/namespaces/default/rolebindings`, bindRole('alice-pods', 'Role', 'pods', 'alice'))
    expect((await api(alice, 'GET', '/api/v1/namespaces/default/pods/p')).status).toBe(404)
    const log = await api(alice, 'GET', '/api/v1/namespaces/default/pods/p/log')
    expect(log.status).toBe(403)
    expect(log.json.message).toBe(`pods "p" is forbidden: User "${ALICE}" cannot get resource "pods/log" in API group "" in the namespace "default"`)
    await api(c, 'PUT', `${RBAC}/namespaces/default/roles/pods`, { metadata: { name: 'pods' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] }] })
    expect((await api(alice, 'GET', '/api/v1/namespaces/default/pods/p/log')).status).toBe(404)
  })

  it('answers SelfSubjectAccessReview, SelfSubjectRulesReview and SubjectAccessReview from the same rules', async () => {
    const c = await newCluster()
    await namespace(c, 'team')
    const alice = await serviceAccount(c, 'alice')
    await api(c, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('alice-edit', 'ClusterRole', 'edit', 'alice'))
    const ssar = (ns: string, verb = 'create', resource = 'configmaps') => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: ns, verb, resource } } })
    const yes = await api(alice, 'POST', SSAR, ssar('team'))
    expect(yes.status).toBe(201)
    expect(yes.json.status).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-edit/team" of ClusterRole "edit" to ServiceAccount "alice/default"' })
    expect((await api(alice, 'POST', SSAR, ssar('default'))).json.status).toEqual({ allowed: false })
    const path = await api(alice, 'POST', SSAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } })
    expect(path.json.status.allowed).toBe(true)
    // kubectl auth can-i --list -n team
    const rules = await api(alice, 'POST', SSRR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'team' } })
    expect(rules.status).toBe(201)
    expect(rules.json.status.incomplete).toBe(false)
    expect(rules.json.status.resourceRules).toContainEqual({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] })
    expect(rules.json.status.resourceRules.some((r: any) => r.resources.includes('deployments') && r.verbs.includes('create'))).toBe(true)
    expect(rules.json.status.nonResourceRules).toContainEqual({ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] })
    const noNs = await api(alice, 'POST', SSRR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} })
    expect(noNs.json).toMatchObject({ code: 400, reason: 'BadRequest', message: 'no namespace on request' })
    // SubjectAccessReview: the admin may ask about anyone; alice may not ask.
    const sar = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: ALICE, groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'team', verb: 'delete', group: 'apps', resource: 'deployments' } } }
    const asked = await api(c, 'POST', SAR, sar)
    expect(asked.status).toBe(201)
    expect(asked.json.status.allowed).toBe(true)
    expect((await api(alice, 'POST', SAR, sar)).status).toBe(403)
    const noUser = await api(c, 'POST', SAR, { ...sar, spec: { resourceAttributes: sar.spec.resourceAttributes } })
    expect(noUser.json.message).toBe('SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified')
    const local = await api(c, 'POST', '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec: { user: ALICE, resourceAttributes: { verb: 'get', resource: 'configmaps' } } })
    expect(local.status).toBe(201)
    expect(local.json).toMatchObject({ metadata: { namespace: 'default' }, spec: { resourceAttributes: { namespace: 'default' } }, status: { allowed: false } })
  })

  it('impersonates for those allowed to (kubectl --as), and refuses others as upstream', async () => {
    const c = await newCluster()
    const alice = await serviceAccount(c, 'alice')
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }
    const as = (who: TestCluster, headers: Record<string, string>) =>
      who.stub.fetch(new Request(`http://x/clusters/${c.name}/apis/authentication.k8s.io/v1/selfsubjectreviews`, { method: 'POST', headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(review) }))
    const admin = await as(c, { 'impersonate-user': ALICE })
    expect(admin.status).toBe(201)
    expect(((await admin.json()) as any).status.userInfo).toEqual({ username: ALICE, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] })
    const denied = await as(alice, { 'impersonate-user': 'bob' })
    expect(denied.status).toBe(403)
    expect(((await denied.json()) as any).message).toBe(`users "bob" is forbidden: User "${ALICE}" cannot impersonate resource "users" in API group "" at the cluster scope`)
    const group = await as(alice, { 'impersonate-user': ALICE, 'impersonate-group': 'system:masters' })
    expect(((await group.json()) as any).message).toBe(`serviceaccounts "alice" is forbidden: User "${ALICE}" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "default"`)
  })

  it('aggregates a new ClusterRole labelled aggregate-to-view into view, edit and admin', async () => {
    const c = await newCluster()
    const rule = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] }
    const view = await api(c, 'GET', `${RBAC}/clusterroles/view`)
    expect(view.json.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] })
    expect(view.json.rules).not.toContainEqual(rule)
    expect((await api(c, 'POST', `${RBAC}/clusterroles`, { metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [rule] })).status).toBe(201)
    for (const name of ['view', 'edit', 'admin'])
      await stepUntil(c, async () => (await api(c, 'GET', `${RBAC}/clusterroles/${name}`)).json.rules?.some((r: any) => r.resources?.includes('widgets')), `${name} holds widgets`)
    // Relabelled out of view, its rules leave again.
    await api(c, 'PUT', `${RBAC}/clusterroles/widgets-view`, { metadata: { name: 'widgets-view' }, rules: [rule] })
    await stepUntil(c, async () => !(await api(c, 'GET', `${RBAC}/clusterroles/view`)).json.rules?.some((r: any) => r.resources?.includes('widgets')), 'view without widgets')
  })

  it('refuses RBAC writes that would grant what the writer does not hold', async () => {
    const c = await newCluster()
    await namespace(c, 'team')
    const alice = await serviceAccount(c, 'alice')
    await api(c, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('alice-admin', 'ClusterRole', 'admin', 'alice'))
    const role = (name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules })
    expect((await api(alice, 'POST', `${RBAC}/namespaces/team/roles`, role('readers', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]))).status).toBe(201)
    const tooMuch = await api(alice, 'POST', `${RBAC}/namespaces/team/roles`, role('too-much', [{ apiGroups: ['', 'apps'], resources: ['nodes', 'pods'], verbs: ['list', 'get'] }]))
    expect(tooMuch.status).toBe(403)
    expect(tooMuch.json).toMatchObject({ reason: 'Forbidden', details: { name: 'too-much', group: 'rbac.authorization.k8s.io', kind: 'roles' } })
    expect(tooMuch.json.message).toBe(
      `roles.rbac.authorization.k8s.io "too-much" is forbidden: user "${ALICE}" (groups=${ALICE_GROUPS}) is attempting to grant RBAC permissions not currently held:\n` +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["list" "get"]}\n{APIGroups:["apps"], Resources:["nodes"], Verbs:["list" "get"]}\n{APIGroups:["apps"], Resources:["pods"], Verbs:["list" "get"]}',
    )
    expect((await api(c, 'GET', `${RBAC}/namespaces/team/roles/too-much`)).status).toBe(404)
    // Updates are checked too, patches included.
    const patch = await api(alice, 'PATCH', `${RBAC}/namespaces/team/roles/readers`, [{ op: 'add', path: '/rules/-', value: { apiGroups: [''], resources: ['nodes'], verbs: ['get'] } }], 'application/json-patch+json')
    expect(patch.status).toBe(403)
    // Binding a role one holds is fine; binding cluster-admin is not.
    expect((await api(alice, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('bob-view', 'ClusterRole', 'view', 'bob'))).status).toBe(201)
    const bind = await api(alice, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('bob-root', 'ClusterRole', 'cluster-admin', 'bob'))
    expect(bind.status).toBe(403)
    expect(bind.json.message).toBe(
      `rolebindings.rbac.authorization.k8s.io "bob-root" is forbidden: user "${ALICE}" (groups=${ALICE_GROUPS}) is attempting to grant RBAC permissions not currently held:\n` +
        '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}',
    )
    const missing = await api(alice, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('ghost', 'Role', 'nothing', 'bob'))
    expect(missing.json).toMatchObject({ code: 404, message: 'roles.rbac.authorization.k8s.io "nothing" not found' })
    // With the bind verb on that role, no rules need holding (BindingAuthorized).
    await api(c, 'POST', `${RBAC}/clusterroles`, { metadata: { name: 'binder' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }] })
    await api(c, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('alice-binder', 'ClusterRole', 'binder', 'alice'))
    expect((await api(alice, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('bob-root', 'ClusterRole', 'cluster-admin', 'bob'))).status).toBe(201)
  })
})

// --- the live feed -----------------------------------------------------------------

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

class Client {
  readonly messages: ServerMessage[] = []
  constructor(readonly ws: WebSocket) {
    let received = 0
    ws.addEventListener('message', (e) => {
      received += (e.data as string).length
      this.messages.push(JSON.parse(e.data as string))
      this.send({ type: 'ack', received })
    })
    ws.accept()
  }
  send(m: ClientMessage): void {
    this.ws.send(JSON.stringify(m))
  }
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[]
  }
  names(sub: string): string[] {
    return this.of('events').flatMap((m) => m.events.filter((e) => e.sub === sub).map((e) => `${e.object.metadata.namespace}/${e.object.metadata.name}`))
  }
}

async function connect(c: TestCluster): Promise<Client> {
  const r = await c.stub.fetch(
    new Request(`http://wheelhouse.test/clusters/${c.name}/live`, {
      headers: { upgrade: 'websocket', 'sec-websocket-protocol': `wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64url(c.token)}` },
    }),
  )
  expect(r.status).toBe(101)
  const client = new Client(r.webSocket!)
  await until(async () => client.of('welcome')[0], 'welcome')
  return client
}

describe('RBAC on the live feed', () => {
  it('shows each person only the namespaces they may list and watch, and refuses the rest with a 403 Status', async () => {
    const c = await newCluster()
    await namespace(c, 'team')
    const alice = await serviceAccount(c, 'alice')
    await api(c, 'POST', `${RBAC}/namespaces/team/rolebindings`, bindRole('alice-view', 'ClusterRole', 'view', 'alice'))
    // Labelled, so that configmaps others make (kube-root-ca.crt) stay out of the picture.
    const mine = (name: string) => ({ metadata: { name, labels: { test: 'rbac' } } })
    await api(c, 'POST', '/api/v1/namespaces/team/configmaps', mine('before'))
    await api(c, 'POST', '/api/v1/namespaces/default/configmaps', mine('hidden'))
    const client = await connect(alice)
    try {
      const cm = (id: string, namespace?: string): ClientMessage => ({ type: 'subscribe', sub: { id, group: '', version: 'v1', resource: 'configmaps', labelSelector: 'test=rbac', ...(namespace ? { namespace } : {}) } })
      client.send(cm('all'))
      client.send(cm('default', 'default'))
      client.send({ type: 'subscribe', sub: { id: 'nodes', group: '', version: 'v1', resource: 'nodes' } })
      client.send({ type: 'subscribe', sub: { id: 'secrets', group: '', version: 'v1', resource: 'secrets' } })
      await until(async () => client.of('synced').some((m) => m.sub === 'all') && client.of('error').length >= 3, 'synced and three refusals')
      const errors = Object.fromEntries(client.of('error').map((e) => [e.sub, e.status]))
      expect(errors.default).toMatchObject({ code: 403, reason: 'Forbidden', message: `configmaps is forbidden: User "${ALICE}" cannot list resource "configmaps" in API group "" in the namespace "default"` })
      expect(errors.nodes.message).toBe(`nodes is forbidden: User "${ALICE}" cannot list resource "nodes" in API group "" at the cluster scope`)
      // view does not read secrets anywhere: no namespace to show.
      expect(errors.secrets.message).toBe(`secrets is forbidden: User "${ALICE}" cannot list resource "secrets" in API group "" at the cluster scope`)
      expect(client.names('all')).toEqual(['team/before'])
      await api(c, 'POST', '/api/v1/namespaces/default/configmaps', mine('hidden-2'))
      await api(c, 'POST', '/api/v1/namespaces/team/configmaps', mine('after'))
      await until(async () => client.names('all').includes('team/after'), 'the team write')
      expect(client.names('all')).toEqual(['team/before', 'team/after'])
    } finally {
      client.ws.close(1000, 'done')
    }
  })

  it('shows the admin everything', async () => {
    const c = await newCluster()
    const client = await connect(c)
    try {
      client.send({ type: 'subscribe', sub: { id: 'ns', group: '', version: 'v1', resource: 'namespaces' } })
      await until(async () => client.of('synced').some((m) => m.sub === 'ns'), 'synced')
      expect(client.of('error')).toEqual([])
      expect(client.names('ns').length).toBeGreaterThanOrEqual(4)
    } finally {
      client.ws.close(1000, 'done')
    }
  })
})

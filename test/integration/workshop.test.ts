// A workshop through the Worker: create, join, the modes' rights, the leader's
// participants, revocation and join codes, reset, delete and expiry.
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { DIRECTORY_NAME } from '../../worker/directory/directory-object'
import { hasTables } from '../../worker/sim/settings'
import { until } from './helpers'
import { call, configMap, createRoom, joinRoom, post, uniqueName } from './workshop-helpers'

const directory = () => env.DIRECTORY.getByName(DIRECTORY_NAME)
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews'
const whoami = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }

describe('creating and joining a workshop', () => {
  it('answers the creator with an admin token, a join code and a kubeconfig, and records the cluster in the directory', async () => {
    const room = await createRoom({ speed: 2 })
    expect(room.adminToken).toMatch(/^wha_[A-Za-z0-9_-]{43}$/)
    expect(room.joinCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)
    expect(room.mode).toBe('namespace-per-person')
    // Plain http is the local server: kubectl goes through the TLS front on 8443.
    expect(room.kubeconfig).toContain(`    server: https://wheelhouse.test:8443/clusters/${room.name}\n`)
    expect(room.kubeconfig).toContain(`    token: "${room.adminToken}"\n`)
    expect(room.kubeconfig).toContain('--certificate-authority=.wrangler/wheelhouse/tls/ca.crt')
    const hours = (Date.parse(room.expiresAt!) - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(7.9)
    expect(hours).toBeLessThanOrEqual(8)
    expect(await directory().get(room.name)).toMatchObject({ name: room.name, nodes: 0, speed: 2, mode: 'namespace-per-person', expiresAt: Date.parse(room.expiresAt!) })
    // The group's bindings of the mode.
    const crbs = await call(room.adminToken, 'GET', room.name, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')
    const names = crbs.json.items.map((b: any) => b.metadata.name)
    expect(names).toEqual(expect.arrayContaining(['wheelhouse:participants', 'wheelhouse:participants:view']))
    expect(names).not.toContain('wheelhouse:participants:cluster-admin')
  })

  it('gives each participant a token, a username and a namespace of their own, with edit there and view elsewhere', async () => {
    const room = await createRoom()
    const alice = await joinRoom(room.name, room.joinCode, 'Alice Smith')
    expect(alice).toMatchObject({ username: 'alice-smith', namespace: 'alice-smith', mode: 'namespace-per-person' })
    expect(alice.token).toMatch(/^whp_[A-Za-z0-9_-]{43}$/)
    expect(alice.kubeconfig).toContain('    namespace: alice-smith\n')
    expect(alice.kubeconfig).toContain(`    token: "${alice.token}"\n`)
    // Typed as a person types it: lower case, spaces for dashes, O for 0 and I for 1 are all read back.
    const typed = room.joinCode.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'i')
    const alice2 = await joinRoom(room.name, typed, '  alice smith ')
    expect(alice2.username).toBe('alice-smith-2')
    const bob = await joinRoom(room.name, room.joinCode, 'Bob')

    const me = await call(alice.token, 'POST', room.name, WHOAMI, whoami)
    expect(me.json.status.userInfo).toEqual({ username: 'alice-smith', groups: ['wheelhouse:participants', 'system:authenticated'] })

    const ns = await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/alice-smith')
    expect(ns.json.metadata.labels).toMatchObject({ 'wheelhouse.dev/participant': 'alice-smith', 'app.kubernetes.io/managed-by': 'wheelhouse-workshop' })
    expect(ns.json.metadata.annotations).toMatchObject({ 'wheelhouse.dev/display-name': 'Alice Smith' })
    const rb = await call(room.adminToken, 'GET', room.name, '/apis/rbac.authorization.k8s.io/v1/namespaces/alice-smith/rolebindings/edit')
    expect(rb.json).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'alice-smith' }] })
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/bob/resourcequotas/participant-quota')).status).toBe(200)
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/bob/limitranges/participant-limits')).status).toBe(200)

    expect((await call(alice.token, 'POST', room.name, '/api/v1/namespaces/alice-smith/configmaps', configMap('mine'))).status).toBe(201)
    const intrude = await call(alice.token, 'POST', room.name, '/api/v1/namespaces/bob/configmaps', configMap('yours'))
    expect(intrude.status).toBe(403)
    expect(intrude.json.message).toBe('configmaps is forbidden: User "alice-smith" cannot create resource "configmaps" in API group "" in the namespace "bob"')
    expect((await call(bob.token, 'GET', room.name, '/api/v1/namespaces/alice-smith/configmaps/mine')).status).toBe(200)
    expect((await call(bob.token, 'GET', room.name, '/api/v1/namespaces/alice-smith/secrets')).status).toBe(403)
    expect((await call(bob.token, 'GET', room.name, '/api/v1/nodes')).status).toBe(200)
    expect((await call(bob.token, 'GET', room.name, '/apis/sim.wheelhouse.dev/v1alpha1/clocks')).status).toBe(200)
  })

  it('refuses a wrong code, a bad display name and a missing cluster in words the sign-in form can use', async () => {
    const room = await createRoom()
    const wrong = await post(`/clusters/${room.name}/join`, { joinCode: 'AAAA-AAAA-AA', displayName: 'Eve' })
    expect(wrong.status).toBe(401)
    expect(wrong.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized', message: `the join code is not valid for cluster "${room.name}"` })
    const unnamed = await post(`/clusters/${room.name}/join`, { joinCode: room.joinCode, displayName: '  ' })
    expect(unnamed.status).toBe(422)
    expect(unnamed.json).toMatchObject({ reason: 'Invalid', message: 'displayName: Invalid value: "  ": must not be empty', details: { causes: [{ field: 'displayName' }] } })
    expect((await post(`/clusters/${room.name}/join`, '{nope')).status).toBe(400)
    const missing = await post(`/clusters/${uniqueName('nobody')}/join`, { joinCode: room.joinCode, displayName: 'Eve' })
    expect(missing.status).toBe(404)
  })
})

describe('modes', () => {
  it('shared-admin makes everyone cluster-admin', async () => {
    const room = await createRoom({ mode: 'shared-admin' })
    const a = await joinRoom(room.name, room.joinCode, 'Ann')
    await joinRoom(room.name, room.joinCode, 'Ben')
    expect(a.mode).toBe('shared-admin')
    expect((await call(a.token, 'POST', room.name, '/api/v1/namespaces/ben/configmaps', configMap('hello'))).status).toBe(201)
    expect((await call(a.token, 'GET', room.name, '/api/v1/namespaces/kube-system/secrets')).status).toBe(200)
    expect((await call(room.adminToken, 'GET', room.name, '/apis/rbac.authorization.k8s.io/v1/namespaces/ann/rolebindings')).json.items).toEqual([])
  })

  it('spectator lets everyone look and nobody touch', async () => {
    const room = await createRoom({ mode: 'spectator' })
    const s = await joinRoom(room.name, room.joinCode, 'Sam')
    expect((await call(s.token, 'GET', room.name, '/api/v1/namespaces/default/pods')).status).toBe(200)
    expect((await call(s.token, 'POST', room.name, '/api/v1/namespaces/sam/configmaps', configMap('no'))).status).toBe(403)
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/sam/resourcequotas')).json.items).toEqual([])
  })
})

describe("the leader's participants", () => {
  it('lists participants, revokes one, and issues a new join code that replaces the old', async () => {
    const room = await createRoom()
    const alice = await joinRoom(room.name, room.joinCode, 'Alice')
    const bob = await joinRoom(room.name, room.joinCode, 'Bob')
    const list = await call(room.adminToken, 'GET', room.name, '/participants')
    expect(list.status).toBe(200)
    expect(list.json.items).toEqual([
      expect.objectContaining({ username: 'alice', displayName: 'Alice', namespace: 'alice', revoked: false }),
      expect.objectContaining({ username: 'bob', displayName: 'Bob', namespace: 'bob', revoked: false }),
    ])
    expect(list.text).not.toContain(bob.token)
    // Only the leader.
    const denied = await call(alice.token, 'GET', room.name, '/participants')
    expect(denied.status).toBe(403)
    expect(denied.json.message).toBe('forbidden: User "alice" cannot get path "/participants"')
    expect((await call(alice.token, 'DELETE', room.name, '/participants/bob')).status).toBe(403)

    const revoked = await call(room.adminToken, 'DELETE', room.name, '/participants/bob')
    expect(revoked.json).toMatchObject({ username: 'bob', revoked: true })
    expect((await call(bob.token, 'GET', room.name, '/api/v1/namespaces/bob/pods')).status).toBe(401)
    expect((await call(alice.token, 'GET', room.name, '/api/v1/namespaces/alice/pods')).status).toBe(200)
    expect((await call(room.adminToken, 'DELETE', room.name, '/participants/nobody')).status).toBe(404)
    // Bob joins again as someone new; his old namespace stays his old self's.
    expect((await joinRoom(room.name, room.joinCode, 'Bob')).username).toBe('bob-2')

    const fresh = await call(room.adminToken, 'POST', room.name, '/join-code')
    expect(fresh.json.joinCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/)
    expect((await post(`/clusters/${room.name}/join`, { joinCode: room.joinCode, displayName: 'Late' })).status).toBe(401)
    expect((await joinRoom(room.name, fresh.json.joinCode, 'Late')).username).toBe('late')
    // Those who joined before keep their tokens.
    expect((await call(alice.token, 'GET', room.name, '/api/v1/namespaces/alice/pods')).status).toBe(200)
  })
})

describe('reset, delete and expiry', () => {
  it('resets to the starting state: same tokens and code, participants get their namespaces back', async () => {
    const room = await createRoom({ nodes: 1, speed: 3 })
    const alice = await joinRoom(room.name, room.joinCode, 'Alice')
    expect((await call(alice.token, 'POST', room.name, '/api/v1/namespaces/alice/configmaps', configMap('work'))).status).toBe(201)
    expect((await call(room.adminToken, 'POST', room.name, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scratch' } })).status).toBe(201)
    expect((await call(alice.token, 'POST', room.name, '/reset')).status).toBe(403)

    const r = await call(room.adminToken, 'POST', room.name, '/reset')
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: room.name, kind: 'clusters' } })
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces/scratch')).status).toBe(404)
    expect((await call(alice.token, 'GET', room.name, '/api/v1/namespaces/alice/configmaps/work')).status).toBe(404)
    expect((await call(room.adminToken, 'GET', room.name, '/apis/rbac.authorization.k8s.io/v1/namespaces/alice/rolebindings/edit')).status).toBe(200)
    expect((await call(alice.token, 'POST', room.name, '/api/v1/namespaces/alice/configmaps', configMap('again'))).status).toBe(201)
    const nodes = await call(room.adminToken, 'GET', room.name, '/api/v1/nodes')
    expect(nodes.json.items.map((n: any) => n.metadata.name)).toEqual(['worker-1'])
    const clock = await call(room.adminToken, 'GET', room.name, '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')
    expect(clock.json.spec.speed).toBe(3)
    expect((await joinRoom(room.name, room.joinCode, 'Bob')).username).toBe('bob')
  })

  it('deletes a cluster for its leader only: the object is emptied and the name is free again', async () => {
    const room = await createRoom()
    const alice = await joinRoom(room.name, room.joinCode, 'Alice')
    expect((await call(alice.token, 'DELETE', room.name, '')).status).toBe(403)
    expect((await call(undefined, 'DELETE', room.name, '')).status).toBe(401)
    const r = await call(room.adminToken, 'DELETE', room.name, '')
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ status: 'Success', details: { name: room.name, kind: 'clusters' } })
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces')).status).toBe(404)
    expect((await call(alice.token, 'GET', room.name, '/api/v1/namespaces')).status).toBe(404)
    expect(await directory().get(room.name)).toBeUndefined()
    expect(await runInDurableObject(room.stub, (_, state) => hasTables(state.storage.sql))).toBe(false)
    const again = await createRoom({ name: room.name })
    expect(again.adminToken).not.toBe(room.adminToken)
    expect((await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces')).status).toBe(401)
    // With a trailing slash too: the name leaves the directory with the cluster.
    const slash = await createRoom()
    expect((await call(slash.adminToken, 'DELETE', slash.name, '/')).status).toBe(200)
    expect(await directory().get(slash.name)).toBeUndefined()
  })

  it("deletes an expired cluster on the directory's alarm", async () => {
    const room = await createRoom({ ttlHours: 1 / 3600 })
    const keeper = await createRoom({ ttlHours: 1 })
    await until(async () => (await call(room.adminToken, 'GET', room.name, '/api/v1/namespaces')).status === 404, 'the expired cluster to be deleted')
    expect(await directory().get(room.name)).toBeUndefined()
    expect(await runInDurableObject(room.stub, (_, state) => hasTables(state.storage.sql))).toBe(false)
    expect((await call(keeper.adminToken, 'GET', keeper.name, '/api/v1/namespaces')).status).toBe(200)
    expect(await directory().get(keeper.name)).toBeDefined()
  })
})

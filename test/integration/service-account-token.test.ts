// TokenRequest and service-account authentication inside workerd: tokens are
// signed per cluster, expire on the simulated clock, and die with their account.
import { describe, expect, it } from 'vitest'
import { inPlane, newCluster, type TestCluster } from './helpers'

async function api(c: TestCluster, method: string, path: string, body?: unknown, token = c.token) {
  const r = await c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  )
  return { status: r.status, json: (await r.json()) as any }
}

const SA = '/api/v1/namespaces/default/serviceaccounts'
const request = (spec: Record<string, unknown> = {}) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec })
const whoami = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews'

async function issue(c: TestCluster, name = 'default', spec: Record<string, unknown> = {}): Promise<string> {
  const r = await api(c, 'POST', `${SA}/${name}/token`, request(spec))
  expect(r.status, JSON.stringify(r.json)).toBe(201)
  return r.json.status.token
}

describe('TokenRequest', () => {
  it('issues a token for an hour of simulated time, to the API server audience', async () => {
    const c = await newCluster()
    const now = (await c.stub.clock()).now
    const r = await api(c, 'POST', `${SA}/default/token`, request())
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'default', namespace: 'default' },
      spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, boundObjectRef: null },
      status: { expirationTimestamp: new Date(Math.floor(now / 1000) * 1000 + 3600_000).toISOString().replace('.000Z', 'Z') },
    })
    expect(r.json.status.token.split('.')).toHaveLength(3)
    // The key is made once and kept with the cluster.
    const key = await inPlane(c, ({ settings }) => settings.get<string>('serviceAccountSigningKey'))
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await issue(c, 'default', { expirationSeconds: 7200, audiences: ['vault'] })
    expect(await inPlane(c, ({ settings }) => settings.get<string>('serviceAccountSigningKey'))).toBe(key)
  })

  it('refuses what upstream refuses', async () => {
    const c = await newCluster()
    const short = await api(c, 'POST', `${SA}/default/token`, request({ expirationSeconds: 300 }))
    expect(short.status).toBe(422)
    expect(short.json.message).toBe('TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes')
    const missing = await api(c, 'POST', `${SA}/nobody/token`, request())
    expect(missing.status).toBe(404)
    expect(missing.json).toMatchObject({ reason: 'NotFound', message: 'serviceaccounts "nobody" not found' })
    const kind = await api(c, 'POST', `${SA}/default/token`, request({ boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'web' } }))
    expect(kind.status).toBe(400)
    expect(kind.json.message).toBe('cannot bind token to object of type apps/v1, Kind=Deployment')
    const noSecret = await api(c, 'POST', `${SA}/default/token`, request({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'gone' } }))
    expect(noSecret.status).toBe(404)
    expect(noSecret.json.message).toBe('secrets "gone" not found')
    // The ServiceAccount admission plugin wants the pod's account to exist.
    await api(c, 'POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'other' } })
    await api(c, 'POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { serviceAccountName: 'other', containers: [{ name: 'c', image: 'nginx' }] } })
    const pod = await api(c, 'POST', `${SA}/default/token`, request({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } }))
    expect(pod.status).toBe(400)
    expect(pod.json.message).toBe('cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.')
    const name = await api(c, 'POST', `${SA}/default/token`, { ...request(), metadata: { name: 'other' } })
    expect(name.status).toBe(422)
    expect(name.json.message).toContain('metadata.name: Invalid value: "other": must match the service account name if specified')
  })
})

describe('service-account authentication', () => {
  it('lets the token in as its service account; whoami says who; the admin stays the admin', async () => {
    const c = await newCluster()
    const token = await issue(c)
    const me = await api(c, 'POST', WHOAMI, whoami, token)
    expect(me.status).toBe(201)
    const sa = (await api(c, 'GET', `${SA}/default`)).json
    expect(me.json.status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:default',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    })
    expect(me.json.status.userInfo.extra['authentication.kubernetes.io/credential-id'][0]).toMatch(/^JTI=/)
    // Authenticated is not authorized: RBAC gives a new service account nothing but discovery and reviews.
    const write = await api(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'by-sa' } }, token)
    expect(write.status).toBe(403)
    expect(write.json.message).toBe('configmaps is forbidden: User "system:serviceaccount:default:default" cannot create resource "configmaps" in API group "" in the namespace "default"')
    expect((await api(c, 'GET', '/api/v1/namespaces/default/configmaps/by-sa')).status).toBe(404)
    expect((await api(c, 'POST', WHOAMI, whoami)).json.status.userInfo).toEqual({ username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] })
  })

  it('is worthless on another cluster, and when forged', async () => {
    const a = await newCluster()
    const b = await newCluster()
    await issue(b) // b has a key of its own
    const token = await issue(a)
    const other = await api(b, 'GET', '/api/v1/namespaces', undefined, token)
    expect(other.status).toBe(401)
    expect(other.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized' })
    const [h, p] = token.split('.')
    expect((await api(a, 'GET', '/api/v1/namespaces', undefined, `${h}.${p}.AAAA`)).status).toBe(401)
    // A cluster that never issued a token has no key, and accepts none.
    const fresh = await newCluster()
    expect((await api(fresh, 'GET', '/api/v1/namespaces', undefined, token)).status).toBe(401)
  })

  it('expires on the simulated clock (with upstream leeway), not the wall clock', async () => {
    const c = await newCluster()
    const token = await issue(c, 'default', { expirationSeconds: 600 })
    await c.stub.setClock({ stepMs: 600_000 + 60_000 })
    expect((await api(c, 'POST', WHOAMI, whoami, token)).status).toBe(201)
    await c.stub.setClock({ stepMs: 1_000 })
    expect((await api(c, 'GET', '/api/v1/namespaces', undefined, token)).status).toBe(401)
  })

  it('is revoked by deleting its service account (a new one of the same name does not revive it) or its bound secret', async () => {
    const c = await newCluster()
    await api(c, 'POST', SA, { metadata: { name: 'robot' } })
    await api(c, 'POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'anchor' } })
    const token = await issue(c, 'robot')
    const bound = await issue(c, 'robot', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'anchor' } })
    expect((await api(c, 'POST', WHOAMI, whoami, bound)).status).toBe(201)
    await api(c, 'DELETE', '/api/v1/namespaces/default/secrets/anchor')
    expect((await api(c, 'GET', '/api/v1/namespaces', undefined, bound)).status).toBe(401)
    expect((await api(c, 'POST', WHOAMI, whoami, token)).status).toBe(201)
    await api(c, 'DELETE', `${SA}/robot`)
    expect((await api(c, 'GET', '/api/v1/namespaces', undefined, token)).status).toBe(401)
    await api(c, 'POST', SA, { metadata: { name: 'robot' } })
    expect((await api(c, 'GET', '/api/v1/namespaces', undefined, token)).status).toBe(401)
  })
})

// A workshop through real kubectl: the leader creates a cluster, two
// participants join with its code, each works in their own namespace, neither
// can read the other's Secrets (403 in upstream's words), `auth can-i --list`
// shows what their role gives, quotas refuse as upstream does, and the leader
// may do everything.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { creatorSecret, kubeconfig } from '../../scripts/lib/server.mjs'
import { type Kubectl, kubectl, kubectlVersions, type LocalCluster, startLocalCluster } from '../support/local-cluster'

const ROOM = 'room'
let cluster: LocalCluster
let leader: Kubectl
let alice: Kubectl
let bob: Kubectl
let created: Record<string, any>
const people: Record<string, Record<string, any>> = {}

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const r = await fetch(`${cluster.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: r.status, json: await r.json() }
}

/** A kubectl with its own kubeconfig: this token, in this namespace. */
function kubectlAs(who: string, token: string, namespace: string): Kubectl {
  const file = join(cluster.server.stateDir, `${who}.kubeconfig`)
  const text = kubeconfig({ name: ROOM, token, httpsUrl: cluster.https, caFile: join(cluster.server.stateDir, 'wheelhouse', 'tls', 'ca.crt') })
  writeFileSync(file, text.replace('    namespace: default', `    namespace: ${namespace}`))
  return kubectl(kubectlVersions().at(-1)!.bin, file)
}

beforeAll(async () => {
  cluster = await startLocalCluster('lobby')
  const { secret } = creatorSecret(cluster.server.stateDir)
  const r = await post('/clusters', { name: ROOM, nodes: 3, speed: 20 }, secret)
  expect(r.status, JSON.stringify(r.json)).toBe(201)
  created = r.json
  leader = kubectlAs('leader', created.adminToken, 'default')
  for (const name of ['Alice', 'Bob']) {
    const j = await post(`/clusters/${ROOM}/join`, { joinCode: created.joinCode, displayName: name })
    expect(j.status, JSON.stringify(j.json)).toBe(200)
    people[name] = j.json
  }
  alice = kubectlAs('alice', people.Alice!.token, people.Alice!.namespace)
  bob = kubectlAs('bob', people.Bob!.token, people.Bob!.namespace)
})
afterAll(async () => {
  await cluster?.stop()
})

describe('a workshop with real kubectl', () => {
  it('gives the creator an admin token, a join code and a kubeconfig; each participant a token and a namespace', () => {
    expect(created).toMatchObject({ name: ROOM, adminToken: expect.any(String), joinCode: expect.any(String), kubeconfig: expect.stringContaining(`/clusters/${ROOM}`) })
    expect(people.Alice).toMatchObject({ username: 'alice', namespace: 'alice', token: expect.any(String), kubeconfig: expect.stringContaining('namespace: alice') })
    expect(people.Bob).toMatchObject({ username: 'bob', namespace: 'bob' })
    // 256 bits of randomness at least: 43 base64url characters after the prefix.
    expect(people.Alice!.token.replace(/^[a-z]+_/, '').length).toBeGreaterThanOrEqual(43)
  })

  it('lets each participant work in their own namespace and read, not write, elsewhere', async () => {
    await alice('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2')
    await bob('create', 'deployment', 'api', '--image=nginx:1.27')
    await alice('rollout', 'status', 'deployment/web', '--timeout=120s')
    expect(await alice('get', 'pods', '-n', 'bob', '-o', 'name')).toMatch(/^pod\/api-/m)
    const no = await alice.try('create', 'deployment', 'intruder', '--image=nginx:1.27', '-n', 'bob')
    expect(no.code).toBe(1)
    expect(no.stderr.trim()).toBe('error: failed to create deployment: deployments.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "bob"')
    // LimitRange defaults reach the pods of a participant's namespace.
    expect(await alice('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].spec.containers[0].resources.requests.cpu}')).toBe('100m')
  })

  it("keeps each participant out of the other's Secrets, with upstream's 403", async () => {
    await alice('create', 'secret', 'generic', 'diary', '--from-literal=today=kubernetes')
    await bob('create', 'secret', 'generic', 'diary', '--from-literal=today=workshop')
    expect(await alice('get', 'secret', 'diary', '-o', 'jsonpath={.data.today}')).toBe(Buffer.from('kubernetes').toString('base64'))
    const list = await alice.try('get', 'secrets', '-n', 'bob')
    expect(list.stderr.trim()).toBe('Error from server (Forbidden): secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "bob"')
    const get = await bob.try('get', 'secret', 'diary', '-n', 'alice')
    expect(get.stderr.trim()).toBe('Error from server (Forbidden): secrets "diary" is forbidden: User "bob" cannot get resource "secrets" in API group "" in the namespace "alice"')
  })

  it('shows what the role gives with auth can-i and auth can-i --list', async () => {
    const own = await alice('auth', 'can-i', '--list')
    expect(own).toMatch(/^secrets\s+\[\]\s+\[\]\s+\[.*\bget\b.*\blist\b.*\]$/m)
    expect(own).toMatch(/^deployments\.apps\s+\[\]\s+\[\]\s+\[.*\bcreate\b.*\]$/m)
    const elsewhere = await alice('auth', 'can-i', '--list', '-n', 'bob')
    expect(elsewhere).not.toMatch(/^secrets\s/m)
    expect(elsewhere).toMatch(/^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]$/m)
    expect((await alice('auth', 'can-i', 'create', 'deployments')).trim()).toBe('yes')
    const cannot = await alice.try('auth', 'can-i', 'get', 'secrets', '-n', 'bob')
    expect([cannot.code, cannot.stdout.trim()]).toEqual([1, 'no'])
    expect((await alice.try('auth', 'can-i', 'patch', 'nodes')).stdout.trim()).toBe('no')
  })

  it('refuses what exceeds the namespace quota with upstream\'s message, and stores nothing', async () => {
    const pod = (name: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '1500m' }, limits: { cpu: '2' } } }] } })
    await alice.stdin(pod('big-1'), 'create', '-f', '-')
    const refused = await alice.stdin(pod('big-2'), 'create', '-f', '-').then(
      () => '',
      (e: Error) => e.message,
    )
    expect(refused).toContain('Error from server (Forbidden): error when creating "STDIN": pods "big-2" is forbidden: exceeded quota: participant-quota, requested: requests.cpu=1500m, used: requests.cpu=1700m, limited: requests.cpu=2')
    expect((await alice.try('get', 'pod', 'big-2')).stderr).toContain('pods "big-2" not found')
    expect(await alice('get', 'quota', 'participant-quota', '-o', 'jsonpath={.status.used.requests\\.cpu}')).toBe('1700m')
  })

  it('lets the leader do everything', async () => {
    const secrets = await leader('get', 'secrets', '-A', '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name', '--no-headers')
    expect(secrets).toMatch(/^alice\s+diary$/m)
    expect(secrets).toMatch(/^bob\s+diary$/m)
    expect((await leader('auth', 'can-i', '*', '*', '--all-namespaces')).trim()).toBe('yes')
    await leader('delete', 'deployment', 'web', '-n', 'alice')
    expect(await leader('patch', 'node', 'worker-1', '--type=merge', '-p', '{"metadata":{"annotations":{"sim.wheelhouse.dev/fault":null}}}')).toContain('node/worker-1')
  })
})

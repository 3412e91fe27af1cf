// Workshops through the Worker, as a leader's browser or script reaches them:
// create with the creator secret, join with the code, then requests with a token.
import { env } from 'cloudflare:test'
import type { ClusterDO } from '../../worker/cluster-object'
import type { ApiReply } from './helpers'
import { readReply, worker } from './helpers'

export const SECRET = 'test-creator-secret'

let seq = 0
/** A client address of its own for each caller, so per-address limits of one test do not reach another. */
export function freshAddress(): string {
  seq++
  return `198.18.${Math.floor(Math.random() * 250) + 1}.${(seq % 250) + 1}`
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${seq++}`
}

export interface Room {
  name: string
  adminToken: string
  joinCode: string
  mode: string
  kubeconfig: string
  expiresAt: string | null
  stub: DurableObjectStub<ClusterDO>
}

const reply = readReply

export async function post(path: string, body: unknown, opts: { token?: string | null; address?: string } = {}): Promise<ApiReply> {
  return reply(
    await worker.fetch(
      new Request(`http://wheelhouse.test${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'cf-connecting-ip': opts.address ?? freshAddress(),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    ),
  )
}

/** POST /clusters with the creator secret; throws unless 201. */
export async function createRoom(body: Record<string, unknown> = {}, address?: string): Promise<Room> {
  const name = (body.name as string) ?? uniqueName('room')
  const r = await post('/clusters', { nodes: 0, ...body, name }, { token: SECRET, address })
  if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.text}`)
  return { ...r.json, stub: env.CLUSTER.getByName(name) }
}

export interface Person {
  token: string
  username: string
  namespace: string
  mode: string
  kubeconfig: string
}

export async function joinRoom(name: string, joinCode: string, displayName: string, address?: string): Promise<Person> {
  const r = await post(`/clusters/${name}/join`, { joinCode, displayName }, { address })
  if (r.status !== 200) throw new Error(`join ${name} as ${displayName}: ${r.status} ${r.text}`)
  return r.json
}

/** A request to a cluster through the Worker with a token (or none). */
export async function call(token: string | undefined, method: string, name: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiReply> {
  return reply(
    await worker.fetch(
      new Request(`http://wheelhouse.test/clusters/${name}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    ),
  )
}

export const configMap = (name: string, data: Record<string, string> = { a: 'b' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data })

import { env, runInDurableObject } from 'cloudflare:test'
import { exports } from 'cloudflare:workers'
import type { ClusterDO, ClusterSpec, Plane } from '../../worker/cluster-object'
import type { StoreError, WatchEvent, WatchSink } from '../../worker/etcd/types'

export interface TestCluster {
  name: string
  stub: DurableObjectStub<ClusterDO>
  token: string
}

let seq = 0

/** A new cluster with its clock paused, so a test decides when time moves. */
export async function newCluster(spec: Partial<ClusterSpec> = {}): Promise<TestCluster> {
  const name = spec.name ?? `t${Date.now().toString(36)}-${seq++}`
  const stub = env.CLUSTER.getByName(name)
  const r = await stub.create({ name, paused: true, ...spec })
  if (!r.ok) throw new Error(r.status.message)
  return { name, stub, token: r.adminToken }
}

/** Runs fn inside the cluster object, on its loaded control plane. */
export function inPlane<T>(
  c: TestCluster,
  fn: (plane: Plane, state: DurableObjectState) => T | Promise<T>,
): Promise<T> {
  return runInDurableObject(c.stub, (instance: ClusterDO, state) => fn(instance.plane!, state))
}

/** A watch sink that keeps what it receives; `room` plays the consumer's free space. */
export class CollectingSink implements WatchSink {
  events: WatchEvent[] = []
  closed = false
  error: StoreError | undefined
  constructor(public room = 1_000_000) {}
  desiredSize(): number {
    return this.room - this.events.length
  }
  send(events: WatchEvent[]): void {
    this.events.push(...events)
  }
  close(error?: StoreError): void {
    this.closed = true
    this.error = error
  }
}

export const b64 = (s: string) => btoa(s)
export const unb64 = (s: string | undefined) => (s === undefined ? '' : atob(s))

/** The Worker's own fetch handler, called in this isolate (SELF goes through Node and is slower). */
export const worker = (
  exports as unknown as { default: { fetch(req: Request): Promise<Response> } }
).default

/**
 * POST to the cluster's etcd gateway: by default straight to the object's HTTP
 * handler (what the Worker forwards to), or through the Worker's own routing.
 */
export async function gateway<T = Record<string, any>>(
  c: TestCluster,
  verb: string,
  body: unknown,
  via: 'object' | 'worker' = 'object',
): Promise<{ status: number; json: T }> {
  const target = via === 'worker' ? worker : c.stub
  const r = await target.fetch(
    new Request(`http://wheelhouse.test/clusters/${c.name}/etcd/v3/${verb}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )
  return { status: r.status, json: (await r.json()) as T }
}

/** Waits (wall time) until fn returns something truthy: the objects talk through alarms and RPC. */
export async function until<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const v = await fn()
      if (v) return v
    } catch (err) {
      last = err
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
}

export interface ApiReply {
  status: number
  /** The body as JSON, or undefined when it is not JSON (iptables-save, logs). */
  json: any
  text: string
  headers: Headers
}

/** A request to the cluster's API as its admin, straight to the cluster object's handler. */
export async function api(
  c: TestCluster,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  accept?: string,
): Promise<ApiReply> {
  const r = await c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${path}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': contentType, ...(accept ? { accept } : {}) },
      body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
    }),
  )
  return readReply(r)
}

/** A response as the tests read it: status, the JSON body when there is one, the text, the headers. */
export async function readReply(r: Response): Promise<ApiReply> {
  const text = await r.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: r.status, json, text, headers: r.headers }
}

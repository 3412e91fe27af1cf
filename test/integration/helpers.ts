import { env, runInDurableObject, SELF } from 'cloudflare:test'
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
export function inPlane<T>(c: TestCluster, fn: (plane: Plane, state: DurableObjectState) => T | Promise<T>): Promise<T> {
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

/** POST to the cluster's etcd gateway through the Worker, as the benchmarks do. */
export async function gateway<T = Record<string, any>>(
  c: TestCluster,
  verb: string,
  body: unknown,
): Promise<{ status: number; json: T }> {
  const r = await SELF.fetch(`http://wheelhouse.test/clusters/${c.name}/etcd/v3/${verb}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: r.status, json: (await r.json()) as T }
}

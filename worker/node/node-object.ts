// A simulated node's Durable Object: its kubelet, kube-proxy and container runtime. It
// keeps its own SQLite and its own alarm, on the cluster's clock, whose state
// the cluster sends it; it reaches its cluster only through the kubelet's one
// RPC (`kubeletReport`), as a real kubelet reaches the API server. The class
// only wires storage, the alarm and RPC to the kubelet.
import { DurableObject } from 'cloudflare:workers'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/node/migrations.js'
import type { Env } from '../env'
import type {
  LogReply,
  LogRequest,
  NodeConfig,
  PodPush,
  ServeBatch,
  ServeResult,
  ProxyPush,
  ProxyRulesReply,
  RouteReply,
  RouteRequest,
} from '../resources/node-rpc'
import { Clock, type ClockState } from '../sim/clock'
import { Settings } from '../sim/settings'
import { armAlarm, TimerQueue } from '../sim/timers'
import { type ClusterClient, HEARTBEAT_TIMER, Kubelet, POD_TIMER } from './kubelet/kubelet'
import { SqliteKubeletStorage } from './kubelet-storage'
import { hostIPOf } from './kubelet/node-status'
import { KubeProxy } from './proxy/kube-proxy'
import { SqliteProxyStorage } from './proxy-storage'

export interface NodePing {
  node: string | undefined
  now: number
  speed: number
}

export class NodeDO extends DurableObject<Env> {
  #settings!: Settings
  #clock!: Clock
  #timers!: TimerQueue
  #kubelet!: Kubelet
  #proxy!: KubeProxy

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => this.#open())
  }

  #open(): void {
    migrate(drizzle(this.ctx.storage), migrations)
    this.#settings = new Settings(this.ctx.storage.sql)
    this.#clock = new Clock(this.#settings.get<ClockState>('clock'))
    this.#timers = new TimerQueue(this.ctx.storage.sql)
    this.#kubelet = new Kubelet(
      new SqliteKubeletStorage(this.ctx.storage.sql, this.#settings),
      this.#timers,
      () => this.#clock.now(),
    )
    this.#proxy = new KubeProxy(new SqliteProxyStorage(this.ctx.storage.sql, this.#settings), () =>
      this.#clock.now(),
    )
    this.#timers.on(POD_TIMER, (t) => this.#kubelet.syncPod(t.key))
    this.#timers.on(HEARTBEAT_TIMER, () => this.#kubelet.heartbeat())
  }

  #client(): ClusterClient {
    const cluster = this.#settings.get<string>('cluster')!
    // The kubelet's one RPC, typed narrowly (the stub's full type is too deep for tsc to instantiate).
    const stub = this.env.CLUSTER.getByName(cluster) as unknown as ClusterClient & {
      kubeletReport: ClusterClient['report']
    }
    return { report: (r) => stub.kubeletReport(r) }
  }

  /** The cluster created or changed this node's Node object. */
  async configure(cfg: NodeConfig): Promise<void> {
    this.#settings.set('cluster', cfg.cluster)
    this.#settings.set('node', cfg.node.metadata.name)
    this.#followClock(cfg.clock)
    this.#kubelet.configure(cfg.node)
    this.#proxy.configure(cfg.node, hostIPOf(cfg.node.spec?.podCIDR))
    await this.#rearm()
  }

  /** Pods bound here changed. False when the node cannot hear (powered off, partitioned): it relists once it can. */
  async podsChanged(pushes: PodPush[]): Promise<boolean> {
    const heard = this.#kubelet.podsChanged(pushes)
    await this.#rearm()
    return heard
  }

  /** The Node was deleted: the kubelet stops and forgets everything. */
  async stop(): Promise<void> {
    await this.ctx.storage.deleteAll()
    this.#open()
  }

  async logs(req: LogRequest): Promise<LogReply> {
    if (this.#kubelet.fault === 'poweroff')
      return {
        ok: false,
        code: 500,
        reason: 'InternalError',
        message: `Get "https://${this.#settings.get('node')}:10250/containerLogs/${req.namespace}/${req.name}": dial tcp: connect: no route to host`,
      }
    return this.#kubelet.logs(req)
  }

  /** Requests that reached pods on this node (simulated traffic). */
  async serve(batches: ServeBatch[]): Promise<ServeResult[]> {
    return this.#kubelet.serve(batches)
  }

  /** Services or EndpointSlices changed (kube-proxy's watch). False when the node cannot hear: it relists once it can. */
  async proxyChanged(push: ProxyPush): Promise<boolean> {
    return this.#proxy.changed(push)
  }

  /** New connections through this node's kube-proxy rules (simulated traffic). */
  async route(req: RouteRequest): Promise<RouteReply> {
    return this.#proxy.route(req)
  }

  /** What kube-proxy programs here, for nodes/{name}/proxy. */
  async proxyRules(opts: { counters?: boolean } = {}): Promise<ProxyRulesReply> {
    return this.#proxy.rules(opts)
  }

  /** The cluster's clock moved (speed, pause, step): follow it. */
  async syncClock(state: ClockState): Promise<void> {
    this.#followClock(state)
    await this.#rearm()
  }

  #followClock(state: ClockState): void {
    this.#clock = new Clock(state)
    this.#settings.set('clock', state)
  }

  /** What the node keeps, for bench/nodes: SQLite bytes and the size of its pod records. */
  async stats(): Promise<{ pods: number; databaseBytes: number; recordBytes: number }> {
    const row = this.ctx.storage.sql
      .exec<{
        n: number
        bytes: number | null
      }>('SELECT COUNT(*) AS n, SUM(LENGTH(record)) AS bytes FROM kubelet_pods')
      .one()
    return {
      pods: Number(row.n),
      databaseBytes: this.ctx.storage.sql.databaseSize,
      recordBytes: Number(row.bytes ?? 0),
    }
  }

  async ping(node?: string): Promise<NodePing> {
    if (node && this.#settings.get<string>('node') !== node) this.#settings.set('node', node)
    return {
      node: this.#settings.get<string>('node'),
      now: this.#clock.now(),
      speed: this.#clock.speed,
    }
  }

  override async alarm(): Promise<void> {
    try {
      await this.#timers.runDue(this.#clock.now())
      if (this.#settings.get('cluster')) await this.#kubelet.flush(this.#client())
    } finally {
      await armAlarm(this.ctx.storage, this.#timers, this.#clock)
    }
  }

  async #rearm(): Promise<void> {
    await armAlarm(this.ctx.storage, this.#timers, this.#clock)
  }
}

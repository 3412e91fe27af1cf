// The cluster's Durable Object: its etcd and its control plane. It only wires
// storage, the alarm and RPC to the layers that hold the logic.
import { DurableObject } from 'cloudflare:workers'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import { Hono } from 'hono'
import migrations from '../migrations/cluster/migrations.js'
import { hashToken, newToken, type UserInfo } from './apiserver/authn'
import { DEFAULT_MODE, type WorkshopMode, workshopClusterObjects } from './apiserver/authz/workshop-policy'
import { type ClusterLimits, LIMITS_SETTING } from './apiserver/limits/cluster-limits'
import { isWatch, RequestLimiter } from './apiserver/limits/request-limits'
import { JOIN_CODE_KEY, Participants, Workshop } from './apiserver/participants/workshop'
import { createMissing } from './apiserver/participants/provision'
import { readAttachment } from './multiplayer/attachment'
import { alreadyExists, notFound, status, statusResponse, type Status } from './apiserver/status'
import type { Env } from './env'
import { COMPACT_TIMER, LEASE_TIMER, Store } from './etcd/mvcc'
import { etcdGateway } from './etcd/server'
import { ApiServer } from './apiserver/server'
import { NAMESPACE_FINALIZE_TIMER } from './apiserver/handlers/delete'
import { finalizeNamespace } from './controllers/namespace'
import { ensurePodCIDR } from './controllers/node-ipam'
import { DEFAULT_CONTROLLERS } from './controllers'
import { CLOUD_CONTROLLERS } from './cloud'
import { seedNodePool } from './cloud/seed'
import { ControllerManager } from './controllers/framework/manager'
import { StoredDecisions } from './scheduler/explanations'
import { defaultProfile } from './scheduler/profile'
import { Scheduler } from './scheduler/scheduler'
import { applyKubeletReport } from './apiserver/kubelet-gateway'
import { NODE_ENTRY, NodeOutbox } from './apiserver/node-outbox'
import { PROXY_KINDS, ProxyFeed } from './apiserver/proxy-feed'
import { FAULT_ANNOTATION, KUBELET_ANNOTATION, type KubeletReply, type KubeletReport, type LogReply, type LogRequest, type PodPush, type ProxyPush, type ProxyRulesReply, type RouteReply, type RouteRequest, type ServeBatch, type ServeResult } from './resources/node-rpc'
import { seedCluster } from './apiserver/seed'
import { clusterNetwork } from './network'
import { findKind } from './resources/registry'
import { Clock, type ClockState, systemWall, validateSpeed, type WallSource } from './sim/clock'
import { hasTables, Settings } from './sim/settings'
import { armAlarm, TimerQueue } from './sim/timers'
import { openLive, type Live } from './multiplayer'
import { actAs, kubeletActor, requestActor, SCHEDULER_ACTOR, SESSION_HEADER } from './multiplayer/attribution'
import { LIVE_PATH } from './multiplayer/protocol'
import { upgradeToLive } from './multiplayer/upgrade'

export interface ClusterRecord {
  name: string
  uid: string
  createdAt: string
  nodes: number
  adminTokenHash: string
  /** The workshop mode (absent: namespace-per-person). */
  mode?: WorkshopMode
  /** The clock's pace and state at creation, which a reset starts from again. */
  speed?: number
  paused?: boolean
  /** When the directory deletes it (ISO); absent: never. */
  expiresAt?: string
  /** Created without seed (a bare store): a reset leaves it bare. */
  bare?: boolean
}

export interface ClusterSpec {
  name: string
  nodes?: number
  speed?: number
  /** Start with the clock paused (tests step it). */
  paused?: boolean
  /** Create the system namespaces and the Clock object (default true; false gives a bare store). */
  seed?: boolean
  /** History kept by the store, in revisions (default 50,000). */
  retainedRevisions?: number
  /** What participants may do (default namespace-per-person). */
  mode?: WorkshopMode
  /** Per-token rate, watches, body size, and what admission caps; absent: none but the 3 MiB body limit (clusters made over RPC). */
  limits?: ClusterLimits
  /** When the directory deletes it (ISO). */
  expiresAt?: string
}

export type CreateResult = { ok: true; name: string; adminToken: string; joinCode: string; mode: WorkshopMode } | { ok: false; status: Status }

/** Settings key of the cluster's ClusterLimits (admission reads the same). */
export const LIMITS_KEY = LIMITS_SETTING

/** The leader: the admin token's group, or system:masters. */
export function isClusterAdmin(user: UserInfo): boolean {
  return user.groups.includes('kubeadm:cluster-admins') || user.groups.includes('system:masters')
}

export interface ClockChange {
  speed?: number
  paused?: boolean
  /** Advance simulated time by this many ms at once. */
  stepMs?: number
}

export interface ClockView extends ClockState {
  now: number
}

export interface Plane {
  settings: Settings
  cluster: ClusterRecord
  clock: Clock
  timers: TimerQueue
  store: Store
  api: ApiServer
  outbox: NodeOutbox
  /** What the nodes' kube-proxies have yet to hear of Services and EndpointSlices. */
  proxyFeed: ProxyFeed
  scheduler: Scheduler
  controllers: ControllerManager
  /** The live feed: browser sockets, presence, attribution of writes. */
  live: Live
  /** Per-token limits (none for a cluster made over RPC without them). */
  limits: ClusterLimits | undefined
  participants: Participants
  /** Joining, and the leader's participants and join code. */
  workshop: Workshop
}

type ProxyStub = {
  proxyChanged(p: ProxyPush): Promise<boolean>
  proxyRules(opts: { counters?: boolean }): Promise<ProxyRulesReply>
}

const PODS = findKind('', 'v1', 'pods')!
const NODES = findKind('', 'v1', 'nodes')!
/** Pushes waiting changes to the kubelets; a failed push is retried by the timer's backoff. */
const KUBELET_PUSH_TIMER = 'kubelet.push'
const SCHEDULER_TIMER = 'scheduler.cycle'
/** The largest unread body of a refused request that is read to its end rather than cancelled. */
const DRAIN_LIMIT = 64 * 1024
/** Who the live feed says made a participant's namespace. */
const WORKSHOP_ACTOR = 'wheelhouse-workshop'

export class ClusterDO extends DurableObject<Env> {
  #plane: Plane | undefined
  /** Set while a kubelet's own writes are applied: they are not echoed back to it. */
  #fromKubelet = false
  readonly #app: Hono
  /** Wall time for the request limits (real requests, not simulated time); tests replace it. */
  wall: WallSource = systemWall
  readonly #limiter = new RequestLimiter(() => this.#plane?.limits)

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      // A name nobody created gets no tables: probing names stores nothing.
      if (hasTables(ctx.storage.sql)) this.#open()
    })
    this.#app = new Hono().basePath('/clusters/:cluster')
    this.#app.get('/noop', (c) => c.text('ok'))
    // A node object's own figures (storage, pod records), for bench/nodes; cluster admins only, like every route here.
    this.#app.get('/debug/nodes/:node', async (c) => c.json(await this.#nodeStub(c.req.param('node')).stats()))
    // Controller syncs so far, by controller, for bench/controllers.
    this.#app.get('/debug/controllers', (c) => c.json({ syncs: Object.fromEntries(this.#ready().controllers.syncs) }))
    this.#app.route(
      '/etcd',
      etcdGateway({ store: () => this.#ready().store, now: () => this.#ready().clock.now() }),
    )
    // Everything else is the Kubernetes API, at paths relative to the cluster's base URL.
    this.#app.all('*', (c) => {
      const base = `/clusters/${c.req.param('cluster')}`
      return this.#ready().api.handle(c.req.raw, c.req.path.slice(base.length) || '/')
    })
  }

  /** The loaded control plane, or undefined for a name nobody created (tests reach in here). */
  get plane(): Plane | undefined {
    return this.#plane
  }

  #ready(): Plane {
    if (!this.#plane) throw new Error('cluster is not created')
    return this.#plane
  }

  /** Migrates (idempotently) and loads the control plane. */
  #open(): Plane | undefined {
    migrate(drizzle(this.ctx.storage), migrations)
    const settings = new Settings(this.ctx.storage.sql)
    const cluster = settings.get<ClusterRecord>('cluster')
    if (!cluster) return undefined
    const clock = new Clock(settings.get<ClockState>('clock'))
    const timers = new TimerQueue(this.ctx.storage.sql)
    const store = new Store(this.ctx.storage.sql, {
      transact: (fn) => this.ctx.storage.transactionSync(fn),
      now: () => clock.now(),
      schedule: (kind, key, dueAt) => timers.schedule(kind, key, dueAt),
      cancel: (kind, key) => timers.cancel(kind, key),
      retainedRevisions: settings.get<number>('retainedRevisions'),
    })
    for (const kind of [LEASE_TIMER, COMPACT_TIMER]) timers.on(kind, (t) => store.onTimer(t.kind, t.key))
    const api: ApiServer = new ApiServer({
      store,
      now: () => clock.now(),
      timers: { schedule: (kind, key, dueAt) => timers.schedule(kind, key, dueAt) },
      settings,
      kubelets: {
        logs: (node, req) => this.#nodeStub(node).logs(req),
        proxyRules: (node, opts) => this.#proxyStub(node).proxyRules(opts),
      },
      // Simulated traffic and DNS: each node's kube-proxy routes, each kubelet's containers answer.
      simulation: clusterNetwork({
        objects: () => api.objects,
        dataplane: {
          route: (node, req) => this.#dataplaneStub(node).route(req),
          serve: (node, batches) => this.#dataplaneStub(node).serve(batches),
        },
        random: Math.random,
      }),
      clock: { step: async (ms) => (await this.setClock({ stepMs: ms })).now },
    })
    // First of the observers: it records who made each write as the write happens.
    const live = openLive({ ctx: this.ctx, cluster: cluster.name, store, objects: api.objects, timers, now: () => clock.now() })
    timers.on(NAMESPACE_FINALIZE_TIMER, (t) => {
      // Until empty, look again a second later (simulated).
      if (!actAs('namespace-controller', () => finalizeNamespace(api.objects, t.key, clock.now()))) timers.schedule(t.kind, t.key, clock.now() + 1000)
    })
    // The Clock object drives the clock: a write through the API changes its pace at once.
    api.objects.observe((k, o, deleted) => {
      if (deleted || k.group !== 'sim.wheelhouse.dev' || k.kind !== 'Clock') return
      if (o.spec.speed !== clock.speed) clock.setSpeed(o.spec.speed)
      if (o.spec.paused) clock.pause()
      else clock.resume()
      settings.set('clock', clock.state())
      timers.dirty = true
      this.#clockMoved()
    })
    // What kubelets must hear of: pods bound to them, and their own Node (the cluster's push, a kubelet's watch).
    const outbox = new NodeOutbox(this.ctx.storage.sql)
    const hollow = new Set(api.objects.list(NODES).items.filter((n) => n.metadata.annotations?.[KUBELET_ANNOTATION] === 'none').map((n) => n.metadata.name))
    api.objects.observe((k, o, deleted) => {
      if (this.#fromKubelet) return
      if (k === PODS && o.spec?.nodeName) {
        if (hollow.has(o.spec.nodeName)) return
        outbox.add(o.spec.nodeName, o.metadata.namespace, o.metadata.name)
      } else if (k === NODES) {
        // A hollow node has no kubelet to tell: like kubemark's, only its API object exists.
        if (!deleted && o.metadata.annotations?.[KUBELET_ANNOTATION] === 'none') return void hollow.add(o.metadata.name)
        hollow.delete(o.metadata.name)
        outbox.add(o.metadata.name, NODE_ENTRY, NODE_ENTRY)
      }
      else return
      timers.schedule(KUBELET_PUSH_TIMER, '', clock.now())
    })
    // What kube-proxies must hear of: every Service and EndpointSlice, on every node with a kubelet (their informers).
    const proxyFeed = new ProxyFeed(this.ctx.storage.sql)
    for (const n of api.objects.list(NODES).items) if (!hollow.has(n.metadata.name)) proxyFeed.watch(n.metadata.name)
    api.objects.observe((k, o, deleted) => {
      if (k === PROXY_KINDS.services || k === PROXY_KINDS.endpointslices)
        proxyFeed.changed(k === PROXY_KINDS.services ? 'services' : 'endpointslices', o.metadata.namespace, o.metadata.name)
      else if (k === NODES && !this.#fromKubelet) {
        const name = o.metadata.name
        if (deleted || hollow.has(name)) return void proxyFeed.forget(name)
        // A faulted node cannot hear: once it can, it lists everything again.
        if (o.metadata.annotations?.[FAULT_ANNOTATION]) proxyFeed.relist(name)
        else proxyFeed.watch(name)
      } else return
      timers.schedule(KUBELET_PUSH_TIMER, '', clock.now())
    })
    if (proxyFeed.behind(1).length) timers.schedule(KUBELET_PUSH_TIMER, '', clock.now())
    timers.on(KUBELET_PUSH_TIMER, () => this.#pushToNodes())
    // The scheduler: its informer is this observer, its loop the scheduler.cycle timer.
    const scheduler = new Scheduler({
      objects: api.objects,
      now: () => clock.now(),
      wake: (at, again) => {
        const t = timers.get(SCHEDULER_TIMER, '')
        if (again || !t || t.dueAt > at) timers.schedule(SCHEDULER_TIMER, '', at)
      },
      profile: defaultProfile(),
      seed: cluster.uid,
      decisions: new StoredDecisions(api.objects, () => clock.now()),
    })
    api.objects.observe((k, o, deleted) => {
      if (k === PODS) scheduler.observe('Pod', o, deleted)
      else if (k === NODES) scheduler.observe('Node', o, deleted)
      else if (k.resource === 'persistentvolumeclaims' || k.resource === 'persistentvolumes' || k.resource === 'storageclasses') scheduler.observe(k.kind, o, deleted)
    })
    timers.on(SCHEDULER_TIMER, () => void actAs(SCHEDULER_ACTOR, () => scheduler.runCycle()))
    // The controller manager: the same writes feed its controllers, whose keys wait as timers.
    const controllers = new ControllerManager([...DEFAULT_CONTROLLERS, ...CLOUD_CONTROLLERS], {
      objects: api.objects,
      queue: timers,
      now: () => clock.now(),
      apiTimers: { schedule: (kind, key, dueAt) => timers.schedule(kind, key, dueAt) },
      clockSteppedAt: () => settings.get<number>('clockSteppedAt'),
      clusterName: cluster.name,
      runAs: actAs,
    })
    api.objects.observe((k, o, deleted) => controllers.observe(k, o, deleted))
    const participants = new Participants(this.ctx.storage.sql)
    const workshop = new Workshop({
      cluster: () => cluster,
      settings,
      participants,
      objects: api.objects,
      now: () => clock.now(),
      wallNow: () => this.wall(),
      publicUrl: this.env.PUBLIC_URL || undefined,
      asSystem: (fn) => actAs(WORKSHOP_ACTOR, fn),
      revoked: (username) => this.#revoked(username),
    })
    const limits = settings.get<ClusterLimits>(LIMITS_KEY)
    this.#plane = { settings, cluster, clock, timers, store, api, outbox, proxyFeed, scheduler, controllers, live, limits, participants, workshop }
    return this.#plane
  }

  override async fetch(request: Request): Promise<Response> {
    const res = await this.#serve(request)
    // A refused request's body was never read: drain a small one, or workerd reports that the sender's
    // stream outlived the response; a large or unknown one is cancelled instead.
    if (res.status >= 400 && request.body && !request.bodyUsed) {
      const length = Number(request.headers.get('content-length') ?? NaN)
      if (length <= DRAIN_LIMIT) await request.arrayBuffer().catch(() => {})
      else await request.body.cancel().catch(() => {})
    }
    return res
  }

  async #serve(request: Request): Promise<Response> {
    const plane = this.#plane
    if (!plane) {
      const name = new URL(request.url).pathname.split('/')[2] ?? ''
      return statusResponse(notFound('clusters', decodeURIComponent(name)))
    }
    const url = new URL(request.url)
    const path = url.pathname.slice(`/clusters/${plane.cluster.name}`.length) || '/'
    // Joining needs no token: the join code is the credential, and guessing it is slowed down.
    if (path === '/join') return this.#settle(plane.workshop.join(request))
    // The admin token, a participant's token, or a service-account token of this cluster.
    const user = await plane.api.authenticate(request, plane.cluster.adminTokenHash, (hash) => plane.workshop.user(hash))
    if (!user) return statusResponse(status(401, 'Unauthorized', 'Unauthorized'))
    // Limits before any work: the token's rate, then the body's size (a body without a length is read, capped).
    const admin = isClusterAdmin(user)
    const limited = this.#limiter.rate(user.username, admin, this.wall())
    if (limited) return limited
    const sized = await this.#limiter.body(request)
    if (sized instanceof Response) return sized
    if (sized !== request) {
      plane.api.carryUser(request, sized)
      request = sized
    }
    const leader = await this.#leaderRoute(request, path, user)
    if (leader) return leader
    if (path === LIVE_PATH) {
      // A live socket is a standing watch (of many kinds): it counts against the same cap as HTTP watches.
      const refused = this.#limiter.watchAllowed(user.username, this.#socketsOf(user.username))
      if (refused) return refused
      return upgradeToLive(request, user, plane.live.hub)
    }
    // Every write this request makes is signed by its user, or by the person whose live connection it names.
    const session = request.headers.get(SESSION_HEADER)
    const by = requestActor(user.username, session ? plane.live.hub.personOf(session) : undefined)
    const watch = isWatch(url, path)
    if (watch) {
      const refused = this.#limiter.watchAllowed(user.username, this.#socketsOf(user.username))
      if (refused) return refused
    }
    try {
      const res = await actAs(by, () => this.#app.fetch(request))
      return watch ? this.#limiter.trackWatch(user.username, res) : res
    } finally {
      await this.#afterWork()
    }
  }

  /**
   * The leader's routes (admin only): the participants, a new join code, reset,
   * delete; and the object's debug and etcd routes, which bypass RBAC.
   */
  async #leaderRoute(request: Request, path: string, user: UserInfo): Promise<Response | undefined> {
    const method = request.method.toUpperCase()
    const workshop = path === '/participants' || path.startsWith('/participants/') || path === '/join-code'
    const reset = path === '/reset'
    const destroy = path === '/' && method === 'DELETE'
    const internal = path.startsWith('/debug/') || path.startsWith('/etcd/')
    if (!workshop && !reset && !destroy && !internal) return undefined
    if (!isClusterAdmin(user))
      return statusResponse(status(403, 'Forbidden', `forbidden: User "${user.username}" cannot ${method.toLowerCase()} path "${path}"`, {}))
    if (internal) return undefined
    if (reset) {
      if (method !== 'POST') return statusResponse(status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method} reset)`))
      await this.reset()
      return Response.json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: this.#ready().cluster.name, kind: 'clusters' } })
    }
    if (destroy) {
      const name = this.#ready().cluster.name
      await this.destroy()
      return Response.json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: 'clusters' } })
    }
    return this.#settle(this.#ready().workshop.leader(request, path))
  }

  /** The user's open live sockets (from their attachments, so the count survives hibernation). */
  #socketsOf(username: string): number {
    let n = 0
    for (const ws of this.ctx.getWebSockets()) if (readAttachment(ws.deserializeAttachment())?.person.user === username) n++
    return n
  }

  /** A participant's token was revoked: their watches and live sockets end now, not at their next request. */
  #revoked(username: string): void {
    this.#limiter.forget(username)
    for (const ws of this.ctx.getWebSockets()) {
      const att = readAttachment(ws.deserializeAttachment())
      if (att?.person.user !== username) continue
      try {
        ws.close(1008, 'token revoked')
      } catch {
        // already closing
      }
    }
  }

  // --- live feed sockets (hibernatable: the object may sleep between messages) ---

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.#plane?.live.hub.message(ws, message)
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    this.#plane?.live.hub.closed(ws)
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#plane?.live.hub.closed(ws)
  }

  override async alarm(): Promise<void> {
    const plane = this.#plane
    if (!plane) return
    try {
      await plane.timers.runDue(plane.clock.now())
    } finally {
      // Re-armed even when a slice throws, so no timer is stranded; the platform retries the throw.
      await armAlarm(this.ctx.storage, plane.timers, plane.clock)
    }
  }

  #nodeStub(node: string) {
    return this.env.NODE.getByName(`${this.#ready().cluster.name}/${node}`)
  }

  /** A node's data plane RPCs, typed narrowly (the stub's full type is too deep for tsc to instantiate). */
  #dataplaneStub(node: string): { route(r: RouteRequest): Promise<RouteReply>; serve(b: ServeBatch[]): Promise<ServeResult[]> } {
    return this.#nodeStub(node) as unknown as { route(r: RouteRequest): Promise<RouteReply>; serve(b: ServeBatch[]): Promise<ServeResult[]> }
  }

  /** A node's kube-proxy RPCs, typed narrowly like the data plane's. */
  #proxyStub(node: string): ProxyStub {
    return this.#nodeStub(node) as unknown as ProxyStub
  }

  /** Every kubelet hears the clock's new pace (it rides on the Node push). */
  #clockMoved(): void {
    const plane = this.#plane
    if (!plane) return
    const nodes = plane.api.objects.list(NODES).items.filter((n) => n.metadata.annotations?.[KUBELET_ANNOTATION] !== 'none')
    for (const n of nodes) plane.outbox.add(n.metadata.name, NODE_ENTRY, NODE_ENTRY)
    if (nodes.length) plane.timers.schedule(KUBELET_PUSH_TIMER, '', plane.clock.now())
  }

  #pushing: Promise<void> | undefined

  /** Sends each kubelet what it has yet to hear, one RPC per node and kind of news. */
  async #pushToNodes(): Promise<void> {
    // One push at a time; a second caller waits for it and then pushes what came meanwhile.
    while (this.#pushing) await this.#pushing
    this.#pushing = this.#pushOnce().finally(() => (this.#pushing = undefined))
    await this.#pushing
  }

  async #pushOnce(): Promise<void> {
    const plane = this.#ready()
    const { outbox, api } = plane
    let failed: unknown
    await Promise.all(
      outbox.nodes().map(async (node) => {
        const entries = outbox.entries(node)
        const stub = this.#nodeStub(node)
        try {
          const nodeEntry = entries.find((e) => e.name === NODE_ENTRY)
          if (nodeEntry) {
            let o = api.objects.get(NODES, undefined, node)
            if (!o) {
              await stub.stop()
              outbox.drop(node)
              return
            }
            this.#fromKubelet = true // node IPAM's own write: the push below carries it
            try {
              const node = o
              o = actAs('node-ipam-controller', () => ensurePodCIDR(api.objects, node))
            } finally {
              this.#fromKubelet = false
            }
            await stub.configure({ cluster: plane.cluster.name, node: o, clock: plane.clock.state() })
          }
          const pushes: PodPush[] = entries
            .filter((e) => e.name !== NODE_ENTRY)
            .map((e) => ({ namespace: e.namespace, name: e.name, pod: api.objects.get(PODS, e.namespace, e.name) }))
          if (pushes.length) await stub.podsChanged(pushes)
          outbox.done(entries)
        } catch (err) {
          failed = err
        }
      }),
    )
    // kube-proxies after kubelets: a node configured above (or back from a fault) hears its relist.
    let proxiesBehind = false
    try {
      proxiesBehind = await plane.proxyFeed.push(api.objects, (node, push) => this.#proxyStub(node).proxyChanged(push))
    } catch (err) {
      failed ??= err
    }
    if (failed) throw failed
    if (outbox.size || proxiesBehind) plane.timers.schedule(KUBELET_PUSH_TIMER, '', plane.clock.now())
  }

  async #afterWork(): Promise<void> {
    const plane = this.#plane
    if (plane?.timers.dirty) await armAlarm(this.ctx.storage, plane.timers, plane.clock)
  }

  /** Awaits work done outside the API server (joins, the leader's routes), then re-arms the alarm. */
  async #settle<T>(work: Promise<T>): Promise<T> {
    try {
      return await work
    } finally {
      await this.#afterWork()
    }
  }

  // --- RPC ------------------------------------------------------------------

  /** A kubelet's batch of writes and reads: through the API server's write path, not echoed back to it. */
  async kubeletReport(report: KubeletReport): Promise<KubeletReply> {
    const plane = this.#ready()
    this.#fromKubelet = true
    try {
      return actAs(kubeletActor(report.node), () => applyKubeletReport(plane.api.objects, report))
    } finally {
      this.#fromKubelet = false
      await this.#afterWork()
    }
  }

  async create(spec: ClusterSpec): Promise<CreateResult> {
    if (this.#plane) return { ok: false, status: alreadyExists('clusters', spec.name) }
    const speedProblem = spec.speed === undefined ? undefined : validateSpeed(spec.speed)
    if (speedProblem) return { ok: false, status: status(422, 'Invalid', `spec.speed: Invalid value: ${spec.speed}: ${speedProblem}`) }
    const adminToken = newToken('wha')
    const mode = spec.mode ?? DEFAULT_MODE
    const cluster: ClusterRecord = {
      name: spec.name,
      uid: crypto.randomUUID(),
      createdAt: new Date().toISOString(),
      nodes: spec.nodes ?? 0,
      adminTokenHash: await hashToken(adminToken),
      mode,
    }
    if (spec.speed !== undefined) cluster.speed = spec.speed
    if (spec.paused) cluster.paused = true
    if (spec.seed === false) cluster.bare = true
    if (spec.expiresAt) cluster.expiresAt = spec.expiresAt
    migrate(drizzle(this.ctx.storage), migrations)
    const joinCode = await Workshop.setJoinCode(new Settings(this.ctx.storage.sql), cluster.uid)
    this.#build(cluster, spec)
    await this.#afterWork()
    return { ok: true, name: cluster.name, adminToken, joinCode, mode }
  }

  /** Writes the cluster's settings, loads its control plane and seeds what a new cluster starts with. */
  #build(cluster: ClusterRecord, keep: { retainedRevisions?: number; limits?: ClusterLimits; joinCodeHash?: string }): Plane {
    migrate(drizzle(this.ctx.storage), migrations)
    const settings = new Settings(this.ctx.storage.sql)
    const clock = new Clock(undefined)
    if (cluster.speed !== undefined) clock.setSpeed(cluster.speed)
    if (cluster.paused) clock.pause()
    this.ctx.storage.transactionSync(() => {
      settings.set('cluster', cluster)
      settings.set('clock', clock.state())
      if (keep.retainedRevisions) settings.set('retainedRevisions', keep.retainedRevisions)
      if (keep.limits) settings.set(LIMITS_KEY, keep.limits)
      if (keep.joinCodeHash) settings.set(JOIN_CODE_KEY, keep.joinCodeHash)
    })
    const plane = this.#open()!
    if (!cluster.bare) {
      seedCluster(plane.api.objects, clock.now(), { speed: clock.speed, paused: clock.paused })
      seedNodePool(plane.api.objects, clock.now(), cluster.name, cluster.nodes)
      // The participants' group gets its mode's rights once; joining adds only the person's namespace.
      createMissing(plane.api.objects, workshopClusterObjects(cluster.mode ?? DEFAULT_MODE), clock.now())
    }
    return plane
  }

  /**
   * Back to the state of creation: the same name, uid, nodes, pace, mode, admin
   * token, join code and limits, the store empty and seeded again; participants
   * keep their tokens and get their namespaces back.
   */
  async reset(): Promise<void> {
    const plane = this.#ready()
    const keep = {
      retainedRevisions: plane.settings.get<number>('retainedRevisions'),
      limits: plane.limits,
      joinCodeHash: plane.settings.get<string>(JOIN_CODE_KEY),
    }
    const participants = plane.participants.list()
    await this.#wipe('cluster reset')
    const fresh = this.#build(plane.cluster, keep)
    for (const p of participants) fresh.participants.add(p)
    fresh.workshop.reprovision()
    await this.#afterWork()
  }

  /** Deletes the cluster: its store, its kubelets' state, its sockets. DELETE and the directory's expiry call this. */
  async destroy(): Promise<boolean> {
    if (!this.#plane) return false
    await this.#wipe('cluster deleted')
    return true
  }

  /** Empties the object (deleteAll also clears the alarm) and tells every kubelet to forget its pods. */
  async #wipe(reason: string): Promise<void> {
    const plane = this.#ready()
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.serializeAttachment(null)
        ws.close(1012, reason)
      } catch {
        // already closing
      }
    }
    const nodes = plane.api.objects
      .list(NODES)
      .items.filter((n) => n.metadata.annotations?.[KUBELET_ANNOTATION] !== 'none')
      .map((n) => n.metadata.name as string)
    this.#plane = undefined
    await this.ctx.storage.deleteAll()
    await Promise.allSettled(nodes.map((n) => this.env.NODE.getByName(`${plane.cluster.name}/${n}`).stop()))
  }

  async describe(): Promise<Omit<ClusterRecord, 'adminTokenHash'> | undefined> {
    const c = this.#plane?.cluster
    if (!c) return undefined
    const { adminTokenHash: _, ...rest } = c
    return rest
  }

  /** Changes the clock: speed, pause/resume, step. Timers re-arm to the new pace. */
  async setClock(change: ClockChange): Promise<ClockView> {
    const plane = this.#ready()
    const { clock } = plane
    const clocks = findKind('sim.wheelhouse.dev', 'v1alpha1', 'clocks')!
    const o = plane.api.objects.get(clocks, undefined, 'cluster')
    if (o && (change.speed !== undefined || change.paused !== undefined)) {
      // Through the Clock object, so watchers and the web client see the change.
      const spec = { ...o.spec }
      if (change.speed !== undefined) spec.speed = change.speed
      if (change.paused !== undefined) spec.paused = change.paused
      plane.api.objects.update(clocks, { ...o, spec }, o.metadata.resourceVersion)
    } else {
      // A bare store has no Clock object.
      if (change.speed !== undefined) clock.setSpeed(change.speed)
      if (change.paused === true) clock.pause()
      if (change.paused === false) clock.resume()
    }
    if (change.stepMs) {
      clock.step(change.stepMs)
      // A jump longer than a heartbeat period would make live nodes look silent: the node controller starts over from it.
      if (change.stepMs > 10_000) plane.settings.set('clockSteppedAt', clock.now())
    }
    plane.settings.set('clock', clock.state())
    this.#clockMoved()
    await armAlarm(this.ctx.storage, plane.timers, plane.clock)
    return { ...clock.state(), now: clock.now() }
  }

  async clock(): Promise<ClockView> {
    const { clock } = this.#ready()
    return { ...clock.state(), now: clock.now() }
  }
}

// The Kubernetes REST surface of one cluster: discovery, OpenAPI and the
// resource verbs, each in its own handler. Paths here are relative to the
// cluster's base URL (/clusters/{name}).
import type { Store } from '../etcd/mvcc'
import { StoreError } from '../etcd/types'
import { findKind } from '../resources/registry'
import { openapiV3Index, resourcesFor, servedDocument } from '../resources/schema/openapi'
import { ADMIN_USER, authenticate, type UserInfo } from './authn'
import { authorizeRequest } from './authz/request'
import { rolesOf, type StoreRoles } from './authz/store-roles'
import { ensureBootstrapPolicy } from './seed-rbac'
import { type ApiContext } from './context'
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  SERVER_VERSION,
} from './discovery'
import { ApiError, methodNotAllowed } from './errors'
import { deleteObject, type Scheduler } from './handlers/delete'
import { type Kubelets, podLogs } from './handlers/log'
import { type NodeProxies, nodeProxy } from './handlers/node-proxy'
import { patchObject } from './handlers/patch'
import { getObject, listObjects } from './handlers/read'
import { evictPod } from './handlers/eviction'
import { bindPod, getScale, putScale, review } from './handlers/subresources'
import { type ClockControl, stepClock } from './handlers/clock-step'
import { type Simulation, simulate } from './handlers/simulation'
import { createToken } from './handlers/token'
import { watchObjects } from './handlers/watch'
import { createObject, updateObject } from './handlers/write'
import { BodyError, decodeBody, parseAccept, wantsAggregatedDiscovery } from './negotiate'
import { Objects } from './objects'
import { type ClusterLimits, LIMITS_SETTING } from './admission/cluster-limits'
import { requestInfo } from './request-info'
import { authenticateServiceAccountToken, type KeyValue, SigningKeys } from './service-account-token'
import { status, statusResponse } from './status'

export interface ApiServerDeps {
  store: Store
  now(): number
  timers: Scheduler
  /** Where the service-account signing key is kept (the cluster's Settings). */
  settings: KeyValue
  /** The nodes' kubelets, for pod logs and nodes/{name}/proxy. */
  kubelets?: Kubelets & NodeProxies
  /** The simulated network, for TrafficRun and DNSLookup. */
  simulation?: Simulation
  /** The simulated clock, for clocks/step. */
  clock?: ClockControl
}

const OPENAPI_V2_PROTO = new Uint8Array([0x0a, 0x03, 0x32, 0x2e, 0x30])

const SERVICE_ACCOUNTS = findKind('', 'v1', 'serviceaccounts')!
const NAMESPACES = findKind('', 'v1', 'namespaces')!
const UID_KINDS = { ServiceAccount: SERVICE_ACCOUNTS, Pod: findKind('', 'v1', 'pods')!, Secret: findKind('', 'v1', 'secrets')! }

export class ApiServer {
  readonly objects: Objects
  readonly #keys: SigningKeys
  /** Who each authenticated request is from, until it is handled. */
  readonly #users = new WeakMap<Request, UserInfo>()
  /** The RBAC objects the authorizer reads, cached until one of them is written. */
  readonly roles: StoreRoles
  constructor(readonly deps: ApiServerDeps) {
    this.objects = new Objects(deps.store)
    this.objects.limits = () => deps.settings.get<ClusterLimits>(LIMITS_SETTING)
    this.roles = rolesOf(this.objects)
    // As kube-apiserver's rbac/bootstrap-roles hook on every start: a seeded cluster from
    // before RBAC was enforced (or one whose default roles were deleted) gets them back.
    if (this.objects.get(NAMESPACES, undefined, 'default')) ensureBootstrapPolicy(this.objects, deps.now())
    this.#keys = new SigningKeys(deps.settings)
  }

  /**
   * The user of the request's bearer token (the admin token or a service-account
   * token of this cluster), remembered for handle(); undefined means 401.
   */
  async authenticate(req: Request, adminTokenHash: string, participant?: (tokenHash: string) => UserInfo | undefined): Promise<UserInfo | undefined> {
    const user = await authenticate(req, {
      adminTokenHash,
      participant,
      serviceAccount: async (token) =>
        authenticateServiceAccountToken(token, {
          key: await this.#keys.get(false),
          now: this.deps.now(),
          uidOf: (kind, ns, name) => this.objects.get(UID_KINDS[kind], ns, name)?.metadata.uid,
        }),
    })
    if (user) this.#users.set(req, user)
    return user
  }

  /** The same request goes on as `next` (its body read into a copy): its user goes with it, without a second check. */
  carryUser(req: Request, next: Request): void {
    const user = this.#users.get(req)
    if (user) this.#users.set(next, user)
  }

  async handle(req: Request, path: string): Promise<Response> {
    try {
      return await this.#route(req, path)
    } catch (err) {
      if (err instanceof ApiError) return statusResponse(err.status)
      if (err instanceof BodyError) return statusResponse(err.status)
      if (err instanceof StoreError) return statusResponse(status(422, 'Invalid', err.message))
      console.error('apiserver internal error', { path, error: String(err), stack: (err as Error)?.stack })
      return statusResponse(status(500, 'InternalError', `Internal error occurred: ${String((err as Error)?.message ?? err)}`))
    }
  }

  async #route(req: Request, path: string): Promise<Response> {
    const url = new URL(req.url)
    const accept = parseAccept(req.headers.get('accept'))
    const method = req.method.toUpperCase()
    const info = requestInfo(method, path, url.searchParams)
    // Every request over HTTP is authorized (impersonation first); a call without an
    // authenticated user is the cluster's own (tests calling handle), as the admin.
    const decision = authorizeRequest(this.#users.get(req) ?? ADMIN_USER, req.headers, info, url.searchParams, this.roles)
    if ('refused' in decision) return statusResponse(decision.refused)
    const user = decision.user
    if (path === '/version' || path === '/version/') return Response.json(SERVER_VERSION)
    if (path === '/api' || path === '/apis') {
      const v = wantsAggregatedDiscovery(accept)
      if (v) return new Response(JSON.stringify(aggregatedDiscovery(v, path === '/api')), { headers: { 'content-type': aggregatedContentType(v) } })
      return Response.json(path === '/api' ? apiVersions() : apiGroupList())
    }
    if (path === '/openapi/v2') {
      if ((req.headers.get('accept') ?? '').includes('protobuf'))
        return new Response(OPENAPI_V2_PROTO, { headers: { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' } })
      return Response.json({ swagger: '2.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths: {}, definitions: {} })
    }
    if (path === '/openapi/v3' || path === '/openapi/v3/') return Response.json(openapiV3Index())
    if (path.startsWith('/openapi/v3/')) {
      const gv = path.slice('/openapi/v3/'.length)
      if (!resourcesFor(gv).length) return statusResponse(status(404, 'NotFound', 'the server could not find the requested resource'))
      const { doc, hash } = servedDocument(gv)
      // A URL with the current hash names an immutable document, as upstream caches it.
      const cache = url.searchParams.get('hash') === hash ? 'public, immutable' : 'no-cache, private'
      return new Response(JSON.stringify(doc), { headers: { 'content-type': 'application/json', 'cache-control': cache, etag: `"${hash}"` } })
    }
    if (!info.isResourceRequest) {
      const parts = path.split('/').filter(Boolean)
      if (parts[0] === 'api' && parts.length === 2) {
        const list = apiResourceList('', parts[1]!)
        if (list) return Response.json(list)
      }
      if (parts[0] === 'apis' && parts.length === 2) {
        const g = apiGroup(parts[1]!)
        if (g) return Response.json(g)
      }
      if (parts[0] === 'apis' && parts.length === 3) {
        const list = apiResourceList(parts[1]!, parts[2]!)
        if (list) return Response.json(list)
      }
      return statusResponse(status(404, 'NotFound', 'the server could not find the requested resource'))
    }
    const kind = findKind(info.group, info.version, info.resource)
    if (!kind) return statusResponse(status(404, 'NotFound', 'the server could not find the requested resource'))
    if (kind.namespaced && info.namespace === undefined && info.name !== undefined && info.verb !== 'list' && info.verb !== 'watch')
      return statusResponse(status(404, 'NotFound', 'the server could not find the requested resource'))
    let bodyCache: Promise<unknown> | undefined
    const ctx: ApiContext = {
      objects: this.objects,
      store: this.deps.store,
      now: () => this.deps.now(),
      req,
      url,
      info,
      kind,
      accept,
      user,
      body: () => (bodyCache ??= decodeBody(req)),
    }
    return this.#dispatch(ctx)
  }

  async #dispatch(ctx: ApiContext): Promise<Response> {
    const { info, kind } = ctx
    const sub = info.subresource
    if (kind.virtual) {
      if (info.verb !== 'create') throw methodNotAllowed()
      if (kind.kind === 'Binding') return bindPod(ctx)
      if (kind.group === 'sim.wheelhouse.dev') {
        if (!this.deps.simulation) return statusResponse(status(503, 'ServiceUnavailable', 'the simulated network is not running'))
        return simulate(ctx, this.deps.simulation)
      }
      return review(ctx)
    }
    if (sub && !kind.subresources?.[sub]) return statusResponse(status(404, 'NotFound', 'the server could not find the requested resource'))
    if (sub === 'binding') return bindPod(ctx)
    if (sub === 'eviction') return evictPod(ctx, this.deps.timers)
    if (sub === 'token') return createToken(ctx, this.#keys)
    if (sub === 'step') {
      if (!this.deps.clock) return statusResponse(status(503, 'ServiceUnavailable', 'the clock cannot be stepped here'))
      return stepClock(ctx, this.deps.clock)
    }
    if (sub === 'scale') {
      if (info.verb === 'get') return getScale(ctx)
      if (info.verb === 'update') return putScale(ctx)
      if (info.verb === 'patch') return patchObject(ctx)
      throw methodNotAllowed()
    }
    if (sub === 'proxy') {
      if (!this.deps.kubelets) return statusResponse(status(503, 'ServiceUnavailable', 'no kubelets are reachable'))
      return nodeProxy(ctx, this.deps.kubelets)
    }
    if (sub === 'log') {
      if (info.verb !== 'get') throw methodNotAllowed()
      if (!this.deps.kubelets) return statusResponse(status(503, 'ServiceUnavailable', 'no kubelets are reachable'))
      return podLogs(ctx, this.deps.kubelets)
    }
    switch (info.verb) {
      case 'get':
        return getObject(ctx)
      case 'list':
        return listObjects(ctx)
      case 'watch':
        return watchObjects(ctx)
      case 'create':
        if (info.name && !sub) throw methodNotAllowed()
        return createObject(ctx)
      case 'update':
        return updateObject(ctx)
      case 'patch':
        return patchObject(ctx)
      case 'delete':
        return deleteObject(ctx, this.deps.timers)
      default:
        throw methodNotAllowed()
    }
  }
}

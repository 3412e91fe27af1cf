// A stand-in for our API server over fetch, for testing the browser kubectl: it
// answers with what the real server answers (discovery, Tables, OpenAPI, patch
// semantics and Status errors come from the server's own pure modules), over an
// in-memory object map. What is tested is the client; the store is not ours.
import { aggregatedContentType, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from '../../../worker/apiserver/discovery'
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../../worker/apiserver/patch'
import { requestInfo } from '../../../worker/apiserver/request-info'
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from '../../../worker/apiserver/selectors'
import { toTable } from '../../../worker/apiserver/table'
import { parseAccept, wantsAggregatedDiscovery, wantsTable } from '../../../worker/apiserver/negotiate'
import { DEFAULTERS } from '../../../worker/resources/defaults'
import { findKind, kindByGVK } from '../../../worker/resources/registry'
import type { KindInfo } from '../../../worker/resources/kind'
import type { Obj as Stored } from '../../../worker/apiserver/objects'
import { openapiV3Index, resourcesFor, servedDocument } from '../../../worker/resources/schema/openapi'
import { patchSchemaFor } from '../../../worker/resources/schema/patch-meta'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>

export const NOW = Date.parse('2026-03-01T12:00:00Z')
/** A timestamp `seconds` before NOW. */
export const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z')

export interface Recorded {
  method: string
  path: string
  query: Record<string, string>
  contentType?: string
  accept?: string
  body?: unknown
}

const status = (code: number, reason: string, message: string, details?: Obj) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code })
const json = (body: unknown, code = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status: code, headers: { 'content-type': 'application/json', ...headers } })
const qualified = (k: KindInfo) => (k.group ? `${k.resource}.${k.group}` : k.resource)
const apiVersionOf = (k: KindInfo) => (k.group ? `${k.group}/${k.version}` : k.version)

export class FakeCluster {
  readonly objects = new Map<string, Obj>()
  readonly requests: Recorded[] = []
  /** Watch events to stream for the next watch request of a resource ("pods"), then the stream ends. */
  readonly watchEvents = new Map<string, { type: string; object: Obj }[]>()
  /** Log text by "ns/pod/container" (container "" for the default). */
  readonly logs = new Map<string, string>()
  /** SelfSubjectAccessReview answers: "verb resource" → allowed (default true). */
  readonly access = new Map<string, boolean>()
  /** Errors to answer instead, by "METHOD path". */
  readonly failures = new Map<string, Obj>()
  /** Keys ("pods/default/x") whose DELETE only marks the object terminating, as a graceful pod deletion does. */
  readonly graceful = new Set<string>()
  /** Keep watch streams open after the scripted events (until the client aborts). */
  holdWatchOpen = false
  rv = 100
  uids = 0
  now = NOW

  key(k: KindInfo, ns: string | undefined, name: string) {
    return `${k.group}/${k.resource}/${k.namespaced ? (ns ?? '') : ''}/${name}`
  }

  /** Adds objects as they would be stored (metadata completed). */
  add(...objs: Obj[]): this {
    for (const o of objs) {
      const k = kindByGVK(o.apiVersion, o.kind)
      if (!k) throw new Error(`no kind ${o.apiVersion} ${o.kind}`)
      const md = (o.metadata ??= {})
      if (k.namespaced) md.namespace ??= 'default'
      md.uid ??= `uid-${++this.uids}`
      md.resourceVersion ??= String(++this.rv)
      md.creationTimestamp ??= ago(3600)
      this.objects.set(this.key(k, md.namespace, md.name), o)
    }
    return this
  }

  get(apiVersion: string, kind: string, name: string, ns?: string): Obj | undefined {
    const k = kindByGVK(apiVersion, kind)!
    return this.objects.get(this.key(k, ns, name))
  }

  fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input), 'http://fake')
    const method = (init?.method ?? 'GET').toUpperCase()
    const headers = new Headers(init?.headers)
    const bodyText = typeof init?.body === 'string' ? init.body : undefined
    let body: unknown
    try {
      body = bodyText === undefined ? undefined : JSON.parse(bodyText)
    } catch {
      body = bodyText
    }
    const path = url.pathname.replace(/^\/clusters\/[^/]+/, '')
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams), contentType: headers.get('content-type') ?? undefined, accept: headers.get('accept') ?? undefined, body })
    const fail = this.failures.get(`${method} ${path}`)
    if (fail) return json(fail, fail.code)
    return this.handle(method, path, url.searchParams, headers, body, init?.signal ?? undefined)
  }

  handle(method: string, path: string, q: URLSearchParams, headers: Headers, body: unknown, signal?: AbortSignal): Response {
    const accept = parseAccept(headers.get('accept'))
    if (path === '/version') return json(SERVER_VERSION)
    if (path === '/api' || path === '/apis') {
      const v = wantsAggregatedDiscovery(accept)
      if (v) return new Response(JSON.stringify(aggregatedDiscovery(v, path === '/api')), { headers: { 'content-type': aggregatedContentType(v) } })
      return json(path === '/api' ? apiVersions() : apiGroupList())
    }
    if (path === '/openapi/v3') return json(openapiV3Index())
    if (path.startsWith('/openapi/v3/')) {
      const gv = path.slice('/openapi/v3/'.length)
      if (!resourcesFor(gv).length) return json(status(404, 'NotFound', 'the server could not find the requested resource'), 404)
      return json(servedDocument(gv).doc)
    }
    const info = requestInfo(method, path, q)
    if (!info.isResourceRequest) {
      const parts = path.split('/').filter(Boolean)
      const list = parts[0] === 'api' ? apiResourceList('', parts[1]!) : parts.length === 3 ? apiResourceList(parts[1]!, parts[2]!) : apiGroup(parts[1]!)
      return list ? json(list) : json(status(404, 'NotFound', 'the server could not find the requested resource'), 404)
    }
    const k = findKind(info.group, info.version, info.resource)
    if (!k) return json(status(404, 'NotFound', 'the server could not find the requested resource'), 404)
    const ns = info.namespace
    const notFound = (name: string) => json(status(404, 'NotFound', `${qualified(k)} "${name}" not found`, { name, group: k.group || undefined, kind: k.resource }), 404)
    if (k.virtual) return this.review(k, body as Obj)
    const table = wantsTable(accept)
    const sub = info.subresource
    const key = info.name !== undefined ? this.key(k, ns, info.name) : ''
    const existing = key ? this.objects.get(key) : undefined

    if (sub === 'log') {
      if (!existing) return notFound(info.name!)
      const container = q.get('container') ?? ''
      const previous = q.get('previous') === 'true'
      const text = this.logs.get(`${ns}/${info.name}/${container}${previous ? '/previous' : ''}`)
      if (text === undefined && previous) return json(status(400, 'BadRequest', `previous terminated container "${container}" in pod "${info.name}" not found`), 400)
      let lines = (text ?? '').split('\n')
      if ((text ?? '').endsWith('\n')) lines.pop()
      const tail = q.get('tailLines')
      if (tail !== null) lines = lines.slice(Math.max(0, lines.length - Number(tail)))
      return new Response(lines.map((l) => l + '\n').join(''), { headers: { 'content-type': 'text/plain' } })
    }
    if (sub === 'eviction') {
      if (!existing) return notFound(info.name!)
      this.objects.delete(key)
      return json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, 201)
    }
    if (sub && !k.subresources?.[sub]) return json(status(404, 'NotFound', 'the server could not find the requested resource'), 404)
    if (sub === 'scale') {
      if (!existing) return notFound(info.name!)
      if ((method === 'PATCH' || method === 'PUT') && q.get('dryRun') !== 'All') {
        const replicas = method === 'PATCH' ? (body as Obj).spec.replicas : (body as Obj).spec.replicas
        existing.spec.replicas = replicas
        existing.metadata.resourceVersion = String(++this.rv)
        existing.metadata.generation = (existing.metadata.generation ?? 1) + 1
      }
      const sel = existing.spec?.selector?.matchLabels ?? {}
      return json({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: existing.metadata.name, namespace: existing.metadata.namespace, resourceVersion: existing.metadata.resourceVersion }, spec: { replicas: existing.spec.replicas }, status: { replicas: existing.status?.replicas ?? 0, selector: Object.entries(sel).map(([a, b]) => `${a}=${b}`).join(',') } })
    }
    switch (info.verb) {
      case 'get': {
        if (!existing) return notFound(info.name!)
        return table ? json(toTable(k, [existing as Stored], this.now, { version: table, includeObject: q.get('includeObject') ?? 'Metadata', resourceVersion: existing.metadata.resourceVersion })) : json(existing)
      }
      case 'list': {
        const items = this.list(k, ns, q)
        if (table) return json(toTable(k, items as Stored[], this.now, { version: table, includeObject: q.get('includeObject') ?? 'Metadata', resourceVersion: String(this.rv) }))
        return json({ kind: `${k.kind}List`, apiVersion: apiVersionOf(k), metadata: { resourceVersion: String(this.rv) }, items: items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest) })
      }
      case 'watch':
        return this.watch(k, q, table, signal)
      case 'create': {
        const o = structuredClone(body as Obj)
        o.metadata ??= {}
        if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}abcde`
        const kk = this.key(k, ns ?? o.metadata.namespace, o.metadata.name)
        if (this.objects.has(kk)) return json(status(409, 'AlreadyExists', `${qualified(k)} "${o.metadata.name}" already exists`, { name: o.metadata.name, group: k.group || undefined, kind: k.resource }), 409)
        if (k.namespaced) o.metadata.namespace = ns ?? o.metadata.namespace ?? 'default'
        o.metadata.uid = `uid-${++this.uids}`
        o.metadata.resourceVersion = String(++this.rv)
        o.metadata.creationTimestamp = new Date(this.now).toISOString().replace('.000Z', 'Z')
        if (o.spec && k.group === 'apps') o.metadata.generation = 1
        DEFAULTERS[`${k.group}/${k.version}/${k.kind}`]?.(o)
        if (q.get('dryRun') !== 'All') this.objects.set(kk, o)
        return json(o, 201)
      }
      case 'update': {
        if (!existing) return notFound(info.name!)
        const o = structuredClone(body as Obj)
        if (o.metadata.resourceVersion && o.metadata.resourceVersion !== existing.metadata.resourceVersion)
          return json(status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(k)} "${info.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: info.name, group: k.group || undefined, kind: k.resource }), 409)
        o.metadata.resourceVersion = String(++this.rv)
        if (q.get('dryRun') !== 'All') this.objects.set(key, o)
        return json(o)
      }
      case 'patch': {
        if (!existing) return notFound(info.name!)
        const type = (headers.get('content-type') ?? '').split(';')[0]
        let next: Obj
        if (type === 'application/json-patch+json') next = applyJsonPatch(existing, body) as Obj
        else if (type === 'application/merge-patch+json') next = applyMergePatch(existing, body) as Obj
        else next = applyStrategicMergePatch(existing, body, patchSchemaFor(`${k.group}/${k.version}/${k.kind}`) ?? {}) as Obj
        const changed = JSON.stringify(next) !== JSON.stringify(existing)
        if (changed) {
          next.metadata.resourceVersion = String(++this.rv)
          if (JSON.stringify(next.spec) !== JSON.stringify(existing.spec) && next.metadata.generation) next.metadata.generation++
        }
        if (q.get('dryRun') !== 'All') this.objects.set(key, next)
        return json(next)
      }
      case 'delete': {
        if (!existing) return notFound(info.name!)
        const dry = q.get('dryRun') === 'All' || !!(body as Obj | undefined)?.dryRun?.length
        if (dry) return json(existing)
        if (this.graceful.has(`${k.resource}/${ns ?? ''}/${info.name}`)) {
          existing.metadata.deletionTimestamp = new Date(this.now).toISOString().replace('.000Z', 'Z')
          existing.metadata.resourceVersion = String(++this.rv)
          return json(existing)
        }
        this.objects.delete(key)
        return json(existing)
      }
    }
    return json(status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'), 405)
  }

  list(k: KindInfo, ns: string | undefined, q: URLSearchParams): Obj[] {
    const labels = parseLabelSelector(q.get('labelSelector'))
    const fields = parseFieldSelector(q.get('fieldSelector'), k)
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(`${k.group}/${k.resource}/${ns !== undefined && k.namespaced ? `${ns}/` : ''}`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, o]) => o)
      .filter((o) => matchLabels(labels, o.metadata.labels) && matchFields(fields, o, k))
  }

  watch(k: KindInfo, q: URLSearchParams, table: 'v1' | 'v1beta1' | undefined, signal?: AbortSignal): Response {
    const events = this.watchEvents.get(k.resource) ?? []
    this.watchEvents.delete(k.resource)
    const labels = parseLabelSelector(q.get('labelSelector'))
    const fields = parseFieldSelector(q.get('fieldSelector'), k)
    let first = true
    const lines = events
      .filter((e) => matchLabels(labels, e.object.metadata?.labels) && matchFields(fields, e.object, k))
      .map((e) => {
        const object = table ? toTable(k, [e.object as Stored], this.now, { version: table, includeObject: 'Metadata', withColumns: first, resourceVersion: e.object.metadata.resourceVersion }) : e.object
        first = false
        return JSON.stringify({ type: e.type, object }) + '\n'
      })
    const enc = new TextEncoder()
    const hold = this.holdWatchOpen
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const l of lines) c.enqueue(enc.encode(l))
        if (!hold) c.close()
        signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')))
      },
    })
    return new Response(stream, { headers: { 'content-type': 'application/json' } })
  }

  review(k: KindInfo, body: Obj): Response {
    if (k.kind === 'SelfSubjectAccessReview') {
      const a = body.spec?.resourceAttributes ?? body.spec?.nonResourceAttributes ?? {}
      const allowed = this.access.get(`${a.verb} ${a.resource ?? a.path}`) ?? true
      return json({ ...body, status: { allowed, reason: '' } }, 201)
    }
    if (k.kind === 'SelfSubjectRulesReview')
      return json({ ...body, status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false } }, 201)
    return json({ ...body, status: { userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } } }, 201)
  }
}

/** The env and captured output a test runs kubectl with. */
export function harness(cluster: FakeCluster, namespace = 'default') {
  const out: string[] = []
  const err: string[] = []
  const env = { baseUrl: '/clusters/demo', token: 'secret-token', cluster: 'demo', user: 'admin', namespace, fetch: cluster.fetch as typeof fetch, now: () => cluster.now }
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }
  return {
    env,
    io,
    out: () => out.join(''),
    err: () => err.join(''),
    reset() {
      out.length = 0
      err.length = 0
    },
  }
}

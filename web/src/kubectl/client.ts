// The API client: requests with the bearer token over fetch, Status errors,
// aggregated discovery (cached per cluster), REST mapping of the names users
// type ("deploy", "deployments.apps", "Pod") and watch streams read line by line.
import { CmdError, StatusError } from './errors'
import type { KubectlEnv, Obj } from './types'

export interface ApiResource {
  group: string
  version: string
  /** Plural, lower case: "deployments". */
  resource: string
  kind: string
  singular: string
  namespaced: boolean
  verbs: string[]
  shortNames: string[]
  categories: string[]
  subresources: { name: string; kind: string; group: string; version: string; verbs: string[] }[]
}

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'
const DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'
const DISCOVERY_TTL_MS = 10 * 60_000

export const apiVersionOf = (r: { group: string; version: string }) => (r.group ? `${r.group}/${r.version}` : r.version)
/** "deployment.apps", "pod": how kubectl names a kind in messages (GroupKind, lower case). */
export const kindName = (r: { group: string; kind: string }) => (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase())
/** "deployments.apps", "pods": GroupResource.String(). */
export const groupResource = (r: { group: string; resource: string }) => (r.group ? `${r.resource}.${r.group}` : r.resource)

type Query = Record<string, string | number | boolean | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  contentType?: string
  accept?: string
  signal?: AbortSignal
}

const discoveryCache = new Map<string, { at: number; resources: Promise<ApiResource[]> }>()

/** Status for an error answer that is not a Status object, as client-go words them. */
function statusFor(code: number, text: string): Obj {
  const known: Record<number, [string, string]> = {
    400: ['BadRequest', text || 'the server rejected our request for an unknown reason'],
    401: ['Unauthorized', 'Unauthorized'],
    403: ['Forbidden', text || 'forbidden'],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    409: ['Conflict', text || 'the server reported a conflict'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    500: ['InternalError', text || 'an error on the server has prevented the request from succeeding'],
    503: ['ServiceUnavailable', text || 'the server is currently unable to handle the request'],
  }
  const [reason, message] = known[code] ?? ['', text || `the server responded with the status code ${code} but did not return more information`]
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message }
}

export class Client {
  constructor(
    readonly env: KubectlEnv,
    readonly signal?: AbortSignal,
  ) {}

  url(path: string, query?: Query): string {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v))
    const s = q.toString()
    return `${this.env.baseUrl.replace(/\/$/, '')}${path}${s ? `?${s}` : ''}`
  }

  /** One request; answers >= 400 throw a StatusError. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', ...(this.env.headers ?? {}) }
    if (this.env.token) headers.authorization = `Bearer ${this.env.token}`
    let body: string | undefined
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
      headers['content-type'] = opts.contentType ?? 'application/json'
    }
    const doFetch = this.env.fetch ?? globalThis.fetch.bind(globalThis)
    const res = await doFetch(this.url(path, opts.query), { method, headers, body, signal: opts.signal ?? this.signal })
    if (res.status >= 400) {
      const text = await res.text()
      let parsed: Obj | undefined
      try {
        parsed = JSON.parse(text) as Obj
      } catch {
        parsed = undefined
      }
      throw new StatusError(parsed?.kind === 'Status' ? { ...parsed, code: parsed.code ?? res.status } : statusFor(res.status, text.trim()))
    }
    return res
  }

  async json(method: string, path: string, opts: RequestOptions = {}): Promise<Obj> {
    const res = await this.request(method, path, opts)
    const text = await res.text()
    return text ? (JSON.parse(text) as Obj) : {}
  }

  get(path: string, query?: Query, accept?: string): Promise<Obj> {
    return this.json('GET', path, { query, accept })
  }

  /** Every served resource, core group first, in discovery order (cached for a while per cluster). */
  resources(refresh = false): Promise<ApiResource[]> {
    const key = this.env.baseUrl
    const hit = discoveryCache.get(key)
    const now = Date.now()
    if (hit && !refresh && now - hit.at < DISCOVERY_TTL_MS) return hit.resources
    const p = this.#discover()
    discoveryCache.set(key, { at: now, resources: p })
    p.catch(() => discoveryCache.delete(key))
    return p
  }

  async #discover(): Promise<ApiResource[]> {
    const out: ApiResource[] = []
    for (const root of ['/api', '/apis']) {
      const res = await this.request('GET', root, { accept: DISCOVERY_ACCEPT })
      const type = res.headers.get('content-type') ?? ''
      const body = (await res.json()) as Obj
      if (type.includes('as=APIGroupDiscoveryList')) out.push(...fromAggregated(body))
      else out.push(...(await this.#legacy(root, body)))
    }
    return out
  }

  /** Legacy discovery (/api/v1, /apis/{g}/{v}), for servers without aggregated discovery. */
  async #legacy(root: string, body: Obj): Promise<ApiResource[]> {
    const gvs: string[] = root === '/api' ? (body.versions ?? []) : (body.groups ?? []).flatMap((g: Obj) => (g.versions ?? []).map((v: Obj) => v.groupVersion))
    const out: ApiResource[] = []
    for (const gv of gvs) {
      const list = await this.get(root === '/api' ? `/api/${gv}` : `/apis/${gv}`)
      const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv]
      for (const r of list.resources ?? []) {
        const [plural, sub] = String(r.name).split('/')
        if (sub) {
          const parent = out.find((x) => x.group === group && x.version === version && x.resource === plural)
          parent?.subresources.push({ name: sub, kind: r.kind, group: r.group ?? group, version: r.version ?? version, verbs: r.verbs ?? [] })
          continue
        }
        out.push({ group: group!, version: version!, resource: r.name, kind: r.kind, singular: r.singularName || r.kind.toLowerCase(), namespaced: !!r.namespaced, verbs: r.verbs ?? [], shortNames: r.shortNames ?? [], categories: r.categories ?? [], subresources: [] })
      }
    }
    return out
  }

  /** The served resource a user's word names (kubectl's mappingFor), or the error kubectl prints. */
  async resolve(arg: string): Promise<ApiResource> {
    let found = matchResource(await this.resources(), arg)
    if (!found) found = matchResource(await this.resources(true), arg)
    if (!found) throw new CmdError(`the server doesn't have a resource type ${JSON.stringify(arg.split('.')[0]!.toLowerCase())}`)
    return found
  }

  /** The resource serving an object read from a file (its apiVersion and kind), or kubectl's mapping error. */
  async resolveKind(obj: Obj, source: string): Promise<ApiResource> {
    const apiVersion = String(obj.apiVersion ?? '')
    const kind = String(obj.kind ?? '')
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
    const match = (list: ApiResource[]) => list.find((r) => r.group === group && r.version === version && r.kind === kind)
    const found = match(await this.resources()) ?? match(await this.resources(true))
    if (!found)
      throw new CmdError(
        `resource mapping not found for name: ${JSON.stringify(obj.metadata?.name ?? '')} namespace: ${JSON.stringify(obj.metadata?.namespace ?? '')} from ${JSON.stringify(source)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`,
      )
    return found
  }

  /** The resources of a category ("all"), in discovery order, or undefined if none has it. */
  async category(name: string): Promise<ApiResource[] | undefined> {
    const list = (await this.resources()).filter((r) => r.categories.includes(name))
    return list.length ? preferred(list) : undefined
  }

  /** /api/v1/namespaces/ns/pods/name/sub */
  path(r: Pick<ApiResource, 'group' | 'version' | 'resource' | 'namespaced'>, namespace?: string, name?: string, sub?: string): string {
    let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
    if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`
    p += `/${r.resource}`
    if (name !== undefined) p += `/${encodeURIComponent(name)}`
    if (sub) p += `/${sub}`
    return p
  }

  /** A watch: the events of a newline-delimited stream, until it ends or the signal aborts. */
  async *watch(path: string, query: Query, accept = 'application/json', signal?: AbortSignal): AsyncGenerator<{ type: string; object: Obj }> {
    const sig = signal ?? this.signal
    let res: Response
    try {
      res = await this.request('GET', path, { query: { ...query, watch: 'true' }, accept, signal: sig })
    } catch (err) {
      if (sig?.aborted) return
      throw err
    }
    for await (const line of readLines(res, sig)) {
      if (!line.trim()) continue
      yield JSON.parse(line) as { type: string; object: Obj }
    }
  }
}

/** The lines of a streamed body (the last one even without its newline); stops quietly on abort. */
export async function* readLines(res: Response, signal?: AbortSignal): AsyncGenerator<string> {
  if (!res.body) {
    const text = await res.text()
    for (const l of text.split('\n')) if (l) yield l
    return
  }
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let buf = ''
  const onAbort = () => void reader.cancel().catch(() => undefined)
  signal?.addEventListener('abort', onAbort)
  try {
    while (!signal?.aborted) {
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (err) {
        if (signal?.aborted) return
        throw err
      }
      if (chunk.done) break
      buf += decoder.decode(chunk.value, { stream: true })
      let nl: number
      while ((nl = buf.indexOf('\n')) >= 0) {
        yield buf.slice(0, nl)
        buf = buf.slice(nl + 1)
      }
    }
    if (!signal?.aborted && buf) yield buf
  } finally {
    signal?.removeEventListener('abort', onAbort)
    reader.releaseLock?.()
  }
}

function fromAggregated(list: Obj): ApiResource[] {
  const out: ApiResource[] = []
  for (const g of list.items ?? []) {
    const group = g.metadata?.name ?? ''
    for (const v of g.versions ?? []) {
      for (const r of v.resources ?? []) {
        out.push({
          group,
          version: v.version,
          resource: r.resource,
          kind: r.responseKind?.kind ?? '',
          singular: r.singularResource || String(r.responseKind?.kind ?? '').toLowerCase(),
          namespaced: r.scope === 'Namespaced',
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          subresources: (r.subresources ?? []).map((s: Obj) => ({
            name: s.subresource,
            kind: s.responseKind?.kind ?? '',
            group: s.responseKind?.group ?? group,
            version: s.responseKind?.version ?? v.version,
            verbs: s.verbs ?? [],
          })),
        })
      }
    }
  }
  return out
}

/** Only the preferred (first listed) version of each group's resource. */
function preferred(list: ApiResource[]): ApiResource[] {
  const seen = new Set<string>()
  return list.filter((r) => {
    const k = `${r.group}/${r.resource}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/**
 * kubectl's mappingFor: "resource.version.group", then "resource.group", with
 * short names expanded and the name lower-cased; plural or singular; then kinds.
 * Among several groups the first in discovery order wins (core first).
 */
export function matchResource(all: ApiResource[], arg: string): ApiResource | undefined {
  const parts = arg.split('.')
  const res = parts[0]!.toLowerCase()
  const candidates: { group?: string; version?: string }[] = []
  if (parts.length >= 3) candidates.push({ version: parts[1], group: parts.slice(2).join('.') })
  candidates.push({ group: parts.length >= 2 ? parts.slice(1).join('.') : undefined })
  for (const c of candidates) {
    const inScope = all.filter((r) => (c.group === undefined || r.group === c.group) && (c.version === undefined || r.version === c.version))
    const short = inScope.find((r) => r.shortNames.includes(res))
    const name = short ? short.resource : res
    const hit = inScope.find((r) => r.resource === name || r.singular === name)
    if (hit) return hit
  }
  // A kind: "Deployment", "Deployment.apps", "Deployment.v1.apps".
  const kind = parts[0]!
  const group = parts.length >= 3 ? parts.slice(2).join('.') : parts.length === 2 ? parts[1] : undefined
  return all.find((r) => r.kind === kind && (group === undefined || r.group === group))
}

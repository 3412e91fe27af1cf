// The page's own API calls (controls, sign-in check, clock): the cluster's
// REST API with the bearer token, and the live connection's id so the server
// attributes each write to the person who made it.
import type { Identity } from './identity'

type Obj = Record<string, any>

/** The header that names the live connection (welcome.you.id) a request comes from. */
export const SESSION_HEADER = 'x-wheelhouse-session'

export interface Api {
  base: string
  token: string
  /** The live connection's id once the feed has welcomed us. */
  session?: string
}

export function apiFor(id: Identity, origin = location.origin): Api {
  return { base: `${origin}/clusters/${id.cluster}`, token: id.token }
}

export function headers(api: Api, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { authorization: `Bearer ${api.token}`, accept: 'application/json', ...extra }
  if (api.session) h[SESSION_HEADER] = api.session
  return h
}

/** An API error as kubectl prints it: `Error from server (NotFound): pods "x" not found`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: Obj,
  ) {
    super(kubectlError(code, status))
  }
}

export function kubectlError(code: number, status: Obj): string {
  const reason = status?.reason || (code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : '')
  const message = status?.message || `the server responded with HTTP ${code}`
  return reason ? `Error from server (${reason}): ${message}` : `Error from server: ${message}`
}

export async function call(api: Api, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Obj> {
  const init: RequestInit = { method, headers: headers(api, body === undefined ? {} : { 'content-type': contentType }) }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  const r = await fetch(`${api.base}${path}`, init)
  const text = await r.text()
  let parsed: Obj = {}
  try {
    parsed = text ? JSON.parse(text) : {}
  } catch {
    parsed = { message: text.trim() }
  }
  if (!r.ok) throw new ApiError(r.status, parsed)
  return parsed
}

export const mergePatch = (api: Api, path: string, patch: Obj) => call(api, 'PATCH', path, patch, 'application/merge-patch+json')
export const jsonPatch = (api: Api, path: string, ops: Obj[]) => call(api, 'PATCH', path, ops, 'application/json-patch+json')

/** The REST path of an object, from its apiVersion, kind's plural and metadata. */
export function objectPath(apiVersion: string, resource: string, name: string, namespace?: string): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`
  return `${root}${namespace ? `/namespaces/${namespace}` : ''}/${resource}/${name}`
}

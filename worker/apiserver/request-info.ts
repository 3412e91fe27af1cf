// What a request asks for, read from its path and method, as the API server's
// RequestInfoResolver does: API group and version, namespace, resource, name,
// subresource, and the verb.

export interface RequestInfo {
  /** false for discovery, /version, /openapi, … */
  isResourceRequest: boolean
  path: string
  verb: string
  group: string
  version: string
  namespace: string | undefined
  resource: string
  name: string | undefined
  subresource: string | undefined
}

export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path.split('/').filter(Boolean)
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    group: '',
    version: '',
    namespace: undefined,
    resource: '',
    name: undefined,
    subresource: undefined,
  }
  let rest: string[]
  if (parts[0] === 'api' && parts.length >= 2) {
    info.version = parts[1]!
    rest = parts.slice(2)
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    info.group = parts[1]!
    info.version = parts[2]!
    rest = parts.slice(3)
  } else return info
  if (rest.length === 0) return info
  // /namespaces/{ns}/{resource}… but /namespaces/{name}[/status|/finalize] is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !['status', 'finalize'].includes(rest[2]!) ) {
    info.namespace = rest[1]!
    rest = rest.slice(2)
  } else if (rest[0] === 'namespaces' && rest.length >= 2) {
    info.namespace = undefined
  }
  info.isResourceRequest = true
  info.resource = rest[0]!
  info.name = rest[1]
  info.subresource = rest[2]
  const m = method.toUpperCase()
  const watch = query.get('watch') === 'true' || query.get('watch') === '1'
  if (m === 'GET' || m === 'HEAD') info.verb = info.name ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list'
  else if (m === 'POST') info.verb = 'create'
  else if (m === 'PUT') info.verb = 'update'
  else if (m === 'PATCH') info.verb = 'patch'
  else if (m === 'DELETE') info.verb = info.name ? 'delete' : 'deletecollection'
  return info
}

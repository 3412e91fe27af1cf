// What an authorizer is asked (authorizer.Attributes): who, which verb, and either a
// resource (group, resource, subresource, namespace, name) or a non-resource path.
// Built from a request as kube-apiserver's WithAuthorization filter does
// (GetAuthorizerAttributes over the RequestInfo), or from the spec of an access review.
import type { UserInfo } from '../authn'
import type { RequestInfo } from '../request-info'

export interface Attributes {
  user: UserInfo
  /** get, list, watch, create, update, patch, delete, deletecollection; a lowercase HTTP method for paths. */
  verb: string
  isResourceRequest: boolean
  /** "" is the core group. */
  apiGroup: string
  apiVersion: string
  /** e.g. pods; with the subresource it is what RBAC rules name as pods/log. */
  resource: string
  subresource: string
  /** "" at the cluster scope. */
  namespace: string
  /** "" when the request names no single object. */
  name: string
  /** The decoded URL path (Go's URL.Path), for non-resource requests (/healthz, /api, /version). */
  path: string
}

/**
 * The attributes of a request. The verb is the RequestInfo's (so what is authorized is
 * what is served); the rest follows upstream's RequestInfoFactory where ours is coarser:
 * a namespace's own URL (/api/v1/namespaces/{name}[/status|/finalize]) is in that
 * namespace, and a list or watch with `fieldSelector=metadata.name=x` names x, which is
 * how `kubectl get pod x -w` is allowed by a rule with resourceNames.
 */
export function requestAttributes(
  info: RequestInfo,
  user: UserInfo,
  query?: URLSearchParams,
): Attributes {
  const attrs: Attributes = {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path: info.path,
  }
  if (!info.isResourceRequest) return attrs
  attrs.apiGroup = info.group
  attrs.apiVersion = info.version
  attrs.resource = info.resource
  attrs.subresource = info.subresource ?? ''
  attrs.name = info.name ?? ''
  attrs.namespace = info.namespace ?? (info.resource === 'namespaces' ? attrs.name : '')
  if (!attrs.name && (info.verb === 'list' || info.verb === 'watch'))
    attrs.name = nameFromFieldSelector(query?.get('fieldSelector'))
  return attrs
}

/**
 * The x of a field selector that requires `metadata.name=x` (or `==`), as
 * fields.Selector.RequiresExactMatch finds it among and-ed terms; "" when there is none,
 * when the selector does not parse, or when x is not a valid path segment name.
 */
export function nameFromFieldSelector(selector: string | null | undefined): string {
  if (!selector) return ''
  const terms: { field: string; op: string; value: string }[] = []
  for (const part of splitUnescaped(selector, ',').sort()) {
    if (!part) continue
    const t = splitTerm(part)
    const value = t && unescape(t.rhs)
    if (!t || value === undefined) return '' // upstream drops the whole selector
    terms.push({ field: t.lhs, op: t.op, value })
  }
  const exact = terms.find((t) => t.field === 'metadata.name' && t.op !== '!=')
  return exact && validPathSegmentName(exact.value) ? exact.value : ''
}

/** fields.splitTerm: the left side runs to the first !=, == or =. */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i))
        return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) }
    }
  }
  return undefined
}

/** Splits on separators not escaped by a backslash (fields.splitTerms). */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = []
  let cur = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1]
      i++
    } else if (c === sep) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}

/** fields.UnescapeValue: undoes \\, \, and \=; undefined for a bad escape or a bare , or =. */
function unescape(s: string): string | undefined {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === ',' || c === '=') return undefined
    if (c !== '\\') {
      out += c
      continue
    }
    const next = s[i + 1]
    if (next !== '\\' && next !== ',' && next !== '=') return undefined
    out += next
    i++
  }
  return out
}

/** path.IsValidPathSegmentName: not "." or "..", no "/" or "%". */
function validPathSegmentName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%')
}

/** spec.resourceAttributes / spec.nonResourceAttributes of a (Self)SubjectAccessReview. */
export interface ReviewSpec {
  resourceAttributes?: {
    namespace?: string
    verb?: string
    group?: string
    version?: string
    resource?: string
    subresource?: string
    name?: string
  } | null
  nonResourceAttributes?: { path?: string; verb?: string } | null
}

/**
 * The attributes an access review asks about, as the registry's
 * ResourceAttributesFrom / NonResourceAttributesFrom build them (the fields as given,
 * nothing defaulted: "" is the core group, no namespace means cluster-wide or all).
 */
export function reviewAttributes(spec: ReviewSpec, user: UserInfo): Attributes {
  const r = spec.resourceAttributes
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      isResourceRequest: true,
      apiGroup: r.group ?? '',
      apiVersion: r.version ?? '',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      namespace: r.namespace ?? '',
      name: r.name ?? '',
      path: '',
    }
  }
  const n = spec.nonResourceAttributes ?? {}
  return {
    user,
    verb: n.verb ?? '',
    isResourceRequest: false,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path: n.path ?? '',
  }
}

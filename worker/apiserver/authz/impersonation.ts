// User impersonation (the WithImpersonation filter): `Impersonate-User`, `-Group`,
// `-Uid` and `Impersonate-Extra-<key>` headers ask to act as someone else, which
// `kubectl --as` / `--as-group` send. Each thing asked for is authorized on its own
// (verb impersonate on users, groups, serviceaccounts, userextras/<key>, uids) and the
// first refusal answers 403; once all are allowed the request runs as the new user.
import type { UserInfo } from '../authn'
import type { Attributes } from './attributes'

const USER = 'impersonate-user'
const GROUP = 'impersonate-group'
const UID = 'impersonate-uid'
const EXTRA = 'impersonate-extra-'
const AUTHENTICATED = 'system:authenticated'
const UNAUTHENTICATED = 'system:unauthenticated'
const ANONYMOUS = 'system:anonymous'

export type Impersonation =
  | { none: true }
  | { user: UserInfo; checks: Attributes[] }
  /** Groups, extras or a uid without a user: upstream answers 500 with this text. */
  | { error: string }

/** A ServiceAccount's username, system:serviceaccount:<ns>:<name>, split (serviceaccount.SplitUsername). */
function splitServiceAccount(username: string): { namespace: string; name: string } | undefined {
  const prefix = 'system:serviceaccount:'
  if (!username.startsWith(prefix)) return undefined
  const parts = username.slice(prefix.length).split(':')
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined
  return { namespace: parts[0], name: parts[1] }
}

/** Extra keys travel percent-encoded in header names (unescapeExtraKey). */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key)
  } catch {
    return key
  }
}

/** The headers' Header.Values: several headers of a name arrive joined by ", " in fetch. */
const values = (raw: string | null) => (raw === null ? [] : raw.split(',').map((v) => v.trim()))

/**
 * What a request's impersonation headers ask for: the user it would run as and the
 * attributes the requester must be allowed, in upstream's order (user, groups, extras, uid).
 */
export function impersonation(requester: UserInfo, headers: Headers): Impersonation {
  const username = headers.get(USER) ?? ''
  const groups = values(headers.get(GROUP)).filter(Boolean)
  const extras: [string, string][] = []
  headers.forEach((value, name) => {
    if (name.toLowerCase().startsWith(EXTRA))
      for (const v of values(value)) extras.push([unescapeExtraKey(name.toLowerCase().slice(EXTRA.length)), v])
  })
  const uid = headers.get(UID) ?? ''
  if (!username && !groups.length && !extras.length && !uid) return { none: true }
  const base = (verbOn: Partial<Attributes>): Attributes => ({
    user: requester,
    verb: 'impersonate',
    isResourceRequest: true,
    apiGroup: '',
    apiVersion: 'v1',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path: '',
    ...verbOn,
  })
  const checks: Attributes[] = []
  const sa = username ? splitServiceAccount(username) : undefined
  if (sa) checks.push(base({ resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name }))
  else if (username) checks.push(base({ resource: 'users', name: username }))
  for (const g of groups) checks.push(base({ resource: 'groups', name: g }))
  const extra: Record<string, string[]> = {}
  for (const [key, v] of extras) {
    checks.push(base({ apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v }))
    ;(extra[key] ??= []).push(v)
  }
  if (uid) checks.push(base({ apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid }))
  if (!username) return { error: `requested ${checks.length} impersonation(s) without impersonating a user` }
  // A service account's groups are known when none are asked for.
  const userGroups = sa && !groups.length ? ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`] : [...groups]
  if (username !== ANONYMOUS && !userGroups.some((g) => g === AUTHENTICATED || g === UNAUTHENTICATED))
    userGroups.push(AUTHENTICATED)
  if (username === ANONYMOUS && !userGroups.includes(UNAUTHENTICATED)) userGroups.push(UNAUTHENTICATED)
  const user: UserInfo = { username, groups: userGroups }
  if (uid) user.uid = uid
  if (extras.length) user.extra = extra
  return { user, checks }
}

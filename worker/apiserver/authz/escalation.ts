// Privilege-escalation prevention on RBAC writes (pkg/registry/rbac: the policybased
// storages, escalation_check.go, validation.ConfirmNoEscalation, Covers and CompactRules):
// nobody may write a Role or ClusterRole granting rules they do not hold themselves,
// unless they may `escalate` it, nor bind a role whose rules they do not hold, unless
// they may `bind` it. Pure: the caller supplies the user's rules and the authorizer.
import type { UserInfo } from '../authn'
import type { Attributes } from './attributes'
import { goQuote as q } from './go-quote'
import { aggregateError, type RoleSource } from './rbac'
import { rulesFor } from './rules-review'
import type { PolicyRule, RoleRef } from './types'

/** Go's %q of a []string: ["a" "b"]. */
const quoteList = (xs: readonly string[] | undefined) => `[${(xs ?? []).map(q).join(' ')}]`

/** rbacv1helpers.CompactString: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = []
  if (r.apiGroups?.length) parts.push(`APIGroups:${quoteList(r.apiGroups)}`)
  if (r.resources?.length) parts.push(`Resources:${quoteList(r.resources)}`)
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quoteList(r.nonResourceURLs)}`)
  if (r.resourceNames?.length) parts.push(`ResourceNames:${quoteList(r.resourceNames)}`)
  if (r.verbs?.length) parts.push(`Verbs:${quoteList(r.verbs)}`)
  return `{${parts.join(', ')}}`
}

/** BreakdownRule: one rule per group × resource × verb (× name), and per URL × verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = []
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? [])
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length)
          for (const name of rule.resourceNames)
            out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] })
        else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] })
      }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] })
  return out
}

const has = (set: readonly string[] | undefined, x: string) => (set ?? []).includes(x)
const hasAll = (set: readonly string[] | undefined, xs: readonly string[] | undefined) =>
  (xs ?? []).every((x) => has(set, x))

function resourceCoversAll(owner: readonly string[] | undefined, wanted: readonly string[] | undefined): boolean {
  if (has(owner, '*') || hasAll(owner, wanted)) return true
  for (const path of wanted ?? []) {
    if (has(owner, path)) continue
    const slash = path.indexOf('/')
    if (slash < 0 || !has(owner, '*/' + path.slice(slash + 1))) return false
  }
  return true
}

function urlCovers(owner: string, path: string): boolean {
  return owner === path || (owner.endsWith('*') && path.startsWith(owner.replace(/\*+$/, '')))
}

/** ruleCovers: does one owner rule cover a broken-down rule? */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs)
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups)
  const resources = resourceCoversAll(owner.resources, sub.resources)
  const urls = (sub.nonResourceURLs ?? []).every((p) => (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, p)))
  const names = sub.resourceNames?.length
    ? !owner.resourceNames?.length || hasAll(owner.resourceNames, sub.resourceNames)
    : !owner.resourceNames?.length
  return verbs && groups && resources && names && urls
}

/** validation.Covers: whether `owner` covers every part of `wanted`, and the parts it does not. */
export function covers(owner: readonly PolicyRule[], wanted: readonly PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = []
  for (const rule of wanted)
    for (const sub of breakdownRule(rule)) if (!owner.some((o) => ruleCovers(o, sub))) missing.push(sub)
  return { covered: missing.length === 0, missing }
}

/** CompactRules: simple rules (one group, one resource, nothing else) merge their verbs. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = []
  const simple = new Map<string, PolicyRule>()
  for (const r of rules) {
    const isSimple =
      !r.resourceNames?.length && !r.nonResourceURLs?.length && r.apiGroups?.length === 1 && r.resources?.length === 1
    if (!isSimple) {
      out.push(r)
      continue
    }
    const key = `${r.apiGroups![0]}\u0000${r.resources![0]}`
    const seen = simple.get(key)
    if (seen) seen.verbs = [...seen.verbs, ...r.verbs]
    else simple.set(key, { apiGroups: [...r.apiGroups!], resources: [...r.resources!], verbs: [...r.verbs] })
  }
  return [...out, ...simple.values()]
}

/**
 * ConfirmNoEscalation: undefined when the user's rules in `namespace` ("" = cluster-wide
 * bindings only) cover `rules`; else upstream's message, the missing rules compacted,
 * one per line, sorted.
 */
export function confirmNoEscalation(
  user: UserInfo,
  namespace: string,
  rules: readonly PolicyRule[],
  source: RoleSource,
): string | undefined {
  const owned = rulesFor(user, namespace, source)
  const { covered, missing } = covers(owned.rules, rules)
  if (covered) return undefined
  const lines = [...new Set(compactRules(missing).map(compactString))].sort()
  let msg = `user ${q(user.username)} (groups=${quoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`
  if (owned.errors.length) msg += `; resolution errors: [${aggregateError(owned.errors)}]`
  return msg
}

/** What an RBAC write is checked with. */
export interface RbacWrite {
  user: UserInfo
  /** roles, clusterroles, rolebindings or clusterrolebindings. */
  resource: string
  /** The request's namespace ("" for the cluster-scoped kinds). */
  namespace: string
  /** The request's object name ("" on a create). */
  name: string
  object: { rules?: PolicyRule[] | null; roleRef?: RoleRef; aggregationRule?: { clusterRoleSelectors?: unknown[] } | null }
  old?: { aggregationRule?: { clusterRoleSelectors?: unknown[] } | null }
  source: RoleSource
  /** The authorizer, for the escalate and bind verbs. */
  allows(attrs: Attributes): boolean
}

export type RbacRefusal =
  | { forbidden: string }
  /** A binding's role that does not exist: the registry's NotFound. */
  | { notFound: { resource: 'roles' | 'clusterroles'; name: string } }
  | { internal: string }

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
]
const hasAggregationRule = (o: RbacWrite['old']) => !!o?.aggregationRule?.clusterRoleSelectors?.length
const SYSTEM_MASTERS = 'system:masters'
const RBAC = 'rbac.authorization.k8s.io'

function resourceAttrs(w: RbacWrite, verb: string, resource: string, name: string): Attributes {
  return {
    user: w.user,
    verb,
    isResourceRequest: true,
    apiGroup: RBAC,
    apiVersion: '*',
    resource,
    subresource: '',
    namespace: w.namespace,
    name,
    path: '',
  }
}

/**
 * Why a create or update of an RBAC object is refused, or undefined when it may go on.
 * Roles: the writer holds every rule, or may `escalate` the resource (RoleEscalationAuthorized
 * asks with the request's name, so a create needs it without resourceNames); an
 * aggregationRule (set, changed or removed) needs full authority. Bindings: the writer may
 * `bind` the role named (BindingAuthorized), or holds all of its rules.
 */
export function rbacWriteRefusal(w: RbacWrite): RbacRefusal | undefined {
  if (w.user.groups.includes(SYSTEM_MASTERS)) return undefined
  if (w.resource === 'roles' || w.resource === 'clusterroles') {
    if (w.allows(resourceAttrs(w, 'escalate', w.resource, w.name))) return undefined
    const missing = confirmNoEscalation(w.user, w.namespace, w.object.rules ?? [], w.source)
    if (missing) return { forbidden: missing }
    if (w.resource === 'clusterroles' && (hasAggregationRule(w.object) || hasAggregationRule(w.old))) {
      if (confirmNoEscalation(w.user, w.namespace, FULL_AUTHORITY, w.source))
        return { forbidden: 'must have cluster-admin privileges to use the aggregationRule' }
    }
    return undefined
  }
  const ref = w.object.roleRef
  if (!ref || typeof ref !== 'object') return undefined // validation names the missing roleRef
  const resource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : undefined
  if (resource && w.allows({ ...resourceAttrs(w, 'bind', resource, ref.name), apiGroup: ref.apiGroup, apiVersion: '' }))
    return undefined
  if (!resource) return { internal: `unsupported role reference kind: ${q(ref.kind)}` }
  const role = resource === 'clusterroles' ? w.source.getClusterRole(ref.name) : w.source.getRole(w.namespace, ref.name)
  if (!role) return { notFound: { resource, name: ref.name } }
  const missing = confirmNoEscalation(w.user, w.namespace, role.rules ?? [], w.source)
  return missing ? { forbidden: missing } : undefined
}

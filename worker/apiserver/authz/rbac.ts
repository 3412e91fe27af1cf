// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac and the DefaultRuleResolver of
// pkg/registry/rbac/validation): the rules that apply to a user in a namespace are those
// of every ClusterRoleBinding naming them, then those of every RoleBinding in that
// namespace naming them; a request is allowed as soon as one rule allows it. RBAC never
// denies: without a rule it has no opinion, which the API server answers with 403.
import type { UserInfo } from '../authn'
import type { Attributes } from './attributes'
import { ruleAllows } from './evaluation'
import { goQuote as q } from './go-quote'
import {
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  RBAC_GROUP,
  type Role,
  type RoleBinding,
  type RoleRef,
  type Subject,
} from './types'

/**
 * Where the authorizer reads roles and bindings: one namespace's RoleBindings at a
 * time and single roles by name, so a store can answer each from a key range
 * instead of loading every RBAC object. Undefined means not found.
 */
export interface RoleSource {
  listClusterRoleBindings(): Iterable<ClusterRoleBinding>
  listRoleBindings(namespace: string): Iterable<RoleBinding>
  getRole(namespace: string, name: string): Role | undefined
  getClusterRole(name: string): ClusterRole | undefined
}

/** A rule and the binding that grants it, or an error met on the way (a missing role). */
export type Visit =
  | { rule: PolicyRule; describe: () => string; error?: undefined }
  | { error: string; rule?: undefined }

/**
 * Every rule that applies to `user` in `namespace` ("" = cluster-wide: ClusterRoleBindings
 * only), in upstream's order. A generator, so the authorizer stops reading the store at
 * the first rule that allows.
 */
export function* visitRulesFor(
  user: UserInfo,
  namespace: string,
  source: RoleSource,
): Generator<Visit> {
  for (const binding of source.listClusterRoleBindings()) {
    const subject = appliesTo(user, binding.subjects, '')
    if (!subject) continue
    const rules = roleReferenceRules(binding.roleRef, '', source)
    if (typeof rules === 'string') {
      yield { error: rules }
      continue
    }
    const describe = () =>
      `ClusterRoleBinding ${q(binding.metadata.name)} of ${binding.roleRef.kind} ${q(binding.roleRef.name)} to ${describeSubject(subject, '')}`
    for (const rule of rules) yield { rule, describe }
  }
  if (!namespace) return
  for (const binding of source.listRoleBindings(namespace)) {
    const subject = appliesTo(user, binding.subjects, namespace)
    if (!subject) continue
    const rules = roleReferenceRules(binding.roleRef, namespace, source)
    if (typeof rules === 'string') {
      yield { error: rules }
      continue
    }
    const describe = () =>
      `RoleBinding ${q(`${binding.metadata.name}/${namespace}`)} of ${binding.roleRef.kind} ${q(binding.roleRef.name)} to ${describeSubject(subject, namespace)}`
    for (const rule of rules) yield { rule, describe }
  }
}

/** The rules of a binding's role, or the error upstream's listers give when it is missing. */
function roleReferenceRules(
  ref: RoleRef,
  namespace: string,
  source: RoleSource,
): PolicyRule[] | string {
  switch (ref.kind) {
    case 'Role': {
      const role = namespace ? source.getRole(namespace, ref.name) : undefined
      return role ? (role.rules ?? []) : `role.${RBAC_GROUP} ${q(ref.name)} not found`
    }
    case 'ClusterRole': {
      const role = source.getClusterRole(ref.name)
      return role ? (role.rules ?? []) : `clusterrole.${RBAC_GROUP} ${q(ref.name)} not found`
    }
    default:
      return `unsupported role reference kind: ${q(ref.kind)}`
  }
}

/** The first subject of a binding that is this user, one of their groups, or their service account. */
export function appliesTo(
  user: UserInfo,
  subjects: Subject[] | null | undefined,
  namespace: string,
): Subject | undefined {
  return (subjects ?? []).find((s) => appliesToUser(user, s, namespace))
}

function appliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name
    case 'Group':
      return user.groups.includes(subject.name)
    case 'ServiceAccount': {
      // A RoleBinding's service account without a namespace is one of the binding's namespace.
      const ns = subject.namespace || namespace
      return !!ns && user.username === `system:serviceaccount:${ns}:${subject.name}`
    }
    default:
      return false
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount')
    return `${s.kind} ${q(`${s.name}/${s.namespace || bindingNamespace}`)}`
  return `${s.kind} ${q(s.name)}`
}

export interface Decision {
  allowed: boolean
  /** `RBAC: allowed by …` when allowed; `RBAC: <errors>` or "" when not. */
  reason: string
  /** Resolution errors met (missing roles); they never block a rule found elsewhere. */
  errors: string[]
}

/** RBACAuthorizer.Authorize. */
export function authorize(attrs: Attributes, source: RoleSource): Decision {
  const errors: string[] = []
  for (const v of visitRulesFor(attrs.user, attrs.namespace, source)) {
    if (v.rule && ruleAllows(attrs, v.rule))
      return { allowed: true, reason: `RBAC: allowed by ${v.describe()}`, errors }
    if (v.error !== undefined) errors.push(v.error)
  }
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregateError(errors)}` : '', errors }
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated in brackets. */
export function aggregateError(messages: string[]): string {
  const unique = [...new Set(messages)]
  if (messages.length === 1 || unique.length === 1) return unique[0] ?? ''
  return `[${unique.join(', ')}]`
}

/**
 * The status of a (Self)SubjectAccessReview answered by RBAC alone: RBAC never denies
 * and reports resolution errors in the reason, so `denied` and `evaluationError` stay unset.
 */
export function accessReviewStatus(decision: Decision): { allowed: boolean; reason?: string } {
  return decision.reason
    ? { allowed: decision.allowed, reason: decision.reason }
    : { allowed: decision.allowed }
}

// SelfSubjectRulesReview (`kubectl auth can-i --list`): every rule that applies to the
// user in the namespace, as RBACAuthorizer.RulesFor lists them and the registry's REST
// converts them. The server does not merge or split rules; kubectl's printer breaks them
// down per resource and compacts them.
import type { UserInfo } from '../authn'
import { aggregateError, type RoleSource, visitRulesFor } from './rbac'
import type { PolicyRule } from './types'

export interface ResourceRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
}

export interface NonResourceRule {
  verbs: string[]
  nonResourceURLs?: string[]
}

export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[]
  nonResourceRules: NonResourceRule[]
  /** RBAC always knows all of its rules. */
  incomplete: boolean
  /** Set when a binding names a missing role; the rules found are still listed. */
  evaluationError?: string
}

/** DefaultRuleResolver.RulesFor: the rules and any resolution errors. */
export function rulesFor(
  user: UserInfo,
  namespace: string,
  source: RoleSource,
): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = []
  const errors: string[] = []
  for (const v of visitRulesFor(user, namespace, source)) {
    if (v.rule) rules.push(v.rule)
    else errors.push(v.error)
  }
  return { rules, errors }
}

/**
 * The status of a SelfSubjectRulesReview for `spec.namespace`. A rule with resources is
 * a resource rule, one with nonResourceURLs a non-resource rule (a rule with both is
 * both); empty lists are left out, as the JSON of the v1 types omits them.
 */
export function subjectRulesReviewStatus(
  user: UserInfo,
  namespace: string,
  source: RoleSource,
): SubjectRulesReviewStatus {
  const { rules, errors } = rulesFor(user, namespace, source)
  const resourceRules: ResourceRule[] = []
  const nonResourceRules: NonResourceRule[] = []
  for (const r of rules) {
    if (r.resources?.length) {
      const rr: ResourceRule = { verbs: r.verbs }
      if (r.apiGroups?.length) rr.apiGroups = r.apiGroups
      rr.resources = r.resources
      if (r.resourceNames?.length) rr.resourceNames = r.resourceNames
      resourceRules.push(rr)
    }
    if (r.nonResourceURLs?.length)
      nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })
  }
  const status: SubjectRulesReviewStatus = { resourceRules, nonResourceRules, incomplete: false }
  if (errors.length) status.evaluationError = aggregateError(errors)
  return status
}

/** The registry refuses a review without a namespace (400 BadRequest). */
export const NO_NAMESPACE_MESSAGE = 'no namespace on request'

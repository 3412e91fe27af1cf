// Does one PolicyRule allow a request? pkg/apis/rbac/v1/evaluation_helpers.go and
// RuleAllows of plugin/pkg/auth/authorizer/rbac. Matching is exact and case-sensitive;
// "*" is the only wildcard, except for "*/subresource" and a trailing "*" on a path.
import type { Attributes } from './attributes'
import type { PolicyRule } from './types'

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb)
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === '*' || g === group)
}

/**
 * `combined` is resource or resource/subresource. A rule's "pods" never covers
 * "pods/log"; "*" covers everything, and "*\/log" every resource's log.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true
    if (subresource && r === '*/' + subresource) return true
  }
  return false
}

/**
 * A rule with resourceNames allows only requests naming one of them, so it never
 * allows a list, watch or create that names no object (a list or watch that selects
 * metadata.name does name one).
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? []
  return names.length === 0 || names.includes(name)
}

/** "*" is every path; "/apis/*" every path that starts with "/apis/" (not "/apis" itself). */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true
  }
  return false
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false
  if (!attrs.isResourceRequest) return nonResourceURLMatches(rule, attrs.path)
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource
  return (
    apiGroupMatches(rule, attrs.apiGroup) &&
    resourceMatches(rule, combined, attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  )
}

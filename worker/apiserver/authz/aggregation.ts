// ClusterRole aggregation (pkg/controller/clusterroleaggregation): a ClusterRole with an
// aggregationRule has, as its rules, the rules of every other ClusterRole its selectors
// match, selector by selector, roles by name, each distinct rule once. The controller
// recomputes every aggregated role on any ClusterRole change, so chains (view → edit →
// admin) settle; aggregateClusterRoles does the same to a fixed point.
import { labelSelectorRequirements, matchLabels } from '../selectors'
import type { ClusterRole, PolicyRule } from './types'

/** The rules `role` should have, or undefined when it is not an aggregated role. */
export function aggregatedRules(
  role: ClusterRole,
  all: readonly ClusterRole[],
): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors
  if (!role.aggregationRule) return undefined
  const rules: PolicyRule[] = []
  const byName = [...all].sort((a, b) =>
    a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
  )
  for (const selector of selectors ?? []) {
    const reqs = labelSelectorRequirements(selector)
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !matchLabels(reqs, other.metadata.labels))
        continue
      for (const rule of other.rules ?? [])
        if (!rules.some((r) => sameRule(r, rule))) rules.push(rule)
    }
  }
  return rules
}

/**
 * Every ClusterRole with its aggregated rules filled in, as they stand once the
 * controller has settled. Roles without an aggregationRule are returned as given.
 */
export function aggregateClusterRoles<R extends ClusterRole>(roles: readonly R[]): R[] {
  let current = roles.map((r) => r)
  // Each pass fills one more link of a chain. Roles that aggregate each other would
  // swap rules forever (as the controller would keep rewriting them): the pass limit ends it.
  for (let pass = 0; pass <= roles.length; pass++) {
    let changed = false
    current = current.map((role) => {
      const rules = aggregatedRules(role, current)
      if (!rules || sameRules(rules, role.rules ?? [])) return role
      changed = true
      return { ...role, rules }
    })
    if (!changed) break
  }
  return current
}

/** equality.Semantic.DeepEqual on rules: a missing list is an empty one. */
export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameList(a.verbs, b.verbs) &&
    sameList(a.apiGroups, b.apiGroups) &&
    sameList(a.resources, b.resources) &&
    sameList(a.resourceNames, b.resourceNames) &&
    sameList(a.nonResourceURLs, b.nonResourceURLs)
  )
}

function sameRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  return a.length === b.length && a.every((r, i) => sameRule(r, b[i]!))
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? []
  const y = b ?? []
  return x.length === y.length && x.every((v, i) => v === y[i])
}

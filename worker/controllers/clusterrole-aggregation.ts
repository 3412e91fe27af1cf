// The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation): a
// ClusterRole with an aggregationRule gets, as its rules, the rules of every ClusterRole
// its selectors match, so a new role labelled aggregate-to-view extends view (and, as
// view aggregates into edit and edit into admin, those too). Any ClusterRole write may
// change what any aggregated role should hold; one sync settles them all, chains
// included (aggregation.ts), and writes only the roles whose rules differ.
import { aggregateClusterRoles, sameRule } from '../apiserver/authz/aggregation'
import type { ClusterRole, PolicyRule } from '../apiserver/authz/types'
import { type Controller, type ControllerContext, type KindRef, type Obj } from './framework/types'

export const CLUSTER_ROLES: KindRef = 'rbac.authorization.k8s.io/v1/clusterroles'
/** The one key: every aggregated role is recomputed together. */
export const AGGREGATION_KEY = 'clusterroles'

const sameRules = (a: readonly PolicyRule[], b: readonly PolicyRule[]) =>
  a.length === b.length && a.every((r, i) => sameRule(r, b[i]!))

/** The aggregated roles whose rules should change, with the rules they should have. */
export function aggregationUpdates(roles: readonly Obj[]): { role: Obj; rules: PolicyRule[] }[] {
  const settled = aggregateClusterRoles(roles as unknown as (ClusterRole & Obj)[])
  const out: { role: Obj; rules: PolicyRule[] }[] = []
  settled.forEach((r, i) => {
    const before = roles[i]!
    if (!before.aggregationRule) return
    const rules = r.rules ?? []
    if (!sameRules(rules, before.rules ?? [])) out.push({ role: before, rules })
  })
  return out
}

export function syncAggregation(ctx: ControllerContext): void {
  for (const { role, rules } of aggregationUpdates(ctx.list(CLUSTER_ROLES)))
    ctx.update(CLUSTER_ROLES, { ...role, rules })
}

export const clusterRoleAggregationController: Controller = {
  name: 'clusterrole-aggregation',
  component: 'clusterrole-aggregation-controller',
  watches: {
    [CLUSTER_ROLES]: () => [AGGREGATION_KEY],
  },
  sync: (_key, ctx) => syncAggregation(ctx),
}

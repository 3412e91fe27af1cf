import { describe, expect, it } from 'vitest'
import { aggregateClusterRoles, aggregatedRules } from './aggregation'
import type { ClusterRole, PolicyRule } from './types'

const hammer: PolicyRule[] = [
  { verbs: ['hammer'], resources: ['nails'] },
  { verbs: ['hammer'], resources: ['wedges'] },
]
const chisel: PolicyRule[] = [{ verbs: ['chisel'], resources: ['mortises'] }]
const saw: PolicyRule[] = [{ verbs: ['saw'], resources: ['boards'] }]
const role = (name: string, labels: Record<string, string>, rules: PolicyRule[]): ClusterRole => ({
  metadata: { name, labels },
  rules,
})
const combined = (selectors: Record<string, string>[], ...rules: PolicyRule[][]): ClusterRole => ({
  metadata: { name: 'combined' },
  aggregationRule: { clusterRoleSelectors: selectors.map((matchLabels) => ({ matchLabels })) },
  rules: rules.flat(),
})

// Upstream's TestSyncClusterRole cases (clusterroleaggregation_controller_test.go).
describe('aggregatedRules (ClusterRoleAggregationController.syncClusterRole)', () => {
  it.each<[string, ClusterRole[], PolicyRule[]]>([
    [
      'remove dead rules',
      [role('hammer', { foo: 'bar' }, hammer), combined([{ foo: 'bar' }], saw)],
      hammer,
    ],
    [
      'strip rules',
      [role('hammer', { foo: 'not-bar' }, hammer), combined([{ foo: 'bar' }], hammer)],
      [],
    ],
    [
      'select properly and put in order',
      [
        role('hammer', { foo: 'bar' }, hammer),
        role('chisel', { foo: 'bar' }, chisel),
        role('saw', { foo: 'not-bar' }, saw),
        combined([{ foo: 'bar' }]),
      ],
      [...chisel, ...hammer],
    ],
    [
      'select properly with multiple selectors',
      [
        role('hammer', { foo: 'bar' }, hammer),
        role('chisel', { foo: 'bar' }, chisel),
        role('saw', { foo: 'not-bar' }, saw),
        combined([{ foo: 'bar' }, { foo: 'not-bar' }]),
      ],
      [...chisel, ...hammer, ...saw],
    ],
    [
      'select properly remove duplicates',
      [
        role('hammer', { foo: 'bar' }, hammer),
        role('chisel', { foo: 'bar' }, chisel),
        role('saw', { foo: 'bar' }, saw),
        role('other-saw', { foo: 'not-bar' }, saw),
        combined([{ foo: 'bar' }, { foo: 'not-bar' }]),
      ],
      [...chisel, ...hammer, ...saw],
    ],
    [
      'no diff',
      [role('hammer', { foo: 'bar' }, hammer), combined([{ foo: 'bar' }], hammer)],
      hammer,
    ],
    // a missing list equals an empty one when telling duplicates apart
    [
      'rules equal up to empty lists are one rule',
      [
        role('a', { foo: 'bar' }, [{ verbs: ['get'], resources: ['x'], resourceNames: [] }]),
        role('b', { foo: 'bar' }, [{ verbs: ['get'], resources: ['x'] }]),
        combined([{ foo: 'bar' }]),
      ],
      [{ verbs: ['get'], resources: ['x'], resourceNames: [] }],
    ],
  ])('%s', (_, roles, want) => {
    const target = roles.find((r) => r.metadata.name === 'combined')!
    expect(aggregatedRules(target, roles)).toEqual(want)
  })

  it('does not aggregate a role into itself, and leaves roles without a rule alone', () => {
    const self: ClusterRole = {
      ...combined([{ foo: 'bar' }], saw),
      metadata: { name: 'combined', labels: { foo: 'bar' } },
    }
    expect(aggregatedRules(self, [self])).toEqual([])
    expect(aggregatedRules(role('hammer', {}, hammer), [])).toBeUndefined()
  })

  it('matches matchExpressions too', () => {
    const r: ClusterRole = {
      metadata: { name: 'c' },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        ],
      },
    }
    expect(
      aggregatedRules(r, [role('x', { tier: 'b' }, saw), role('y', { tier: 'c' }, hammer), r]),
    ).toEqual(saw)
  })
})

describe('aggregateClusterRoles', () => {
  it('settles chains of aggregated roles, whatever their order', () => {
    const view: ClusterRole = {
      metadata: { name: 'view', labels: { edit: 'true' } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { view: 'true' } }] },
    }
    const edit: ClusterRole = {
      metadata: { name: 'edit', labels: { admin: 'true' } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { edit: 'true' } }] },
    }
    const admin: ClusterRole = {
      metadata: { name: 'admin' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { admin: 'true' } }] },
    }
    const roles = [
      admin,
      edit,
      view,
      role('to-view', { view: 'true' }, saw),
      role('to-edit', { edit: 'true' }, chisel),
      role('to-admin', { admin: 'true' }, hammer),
    ]
    const out = new Map(aggregateClusterRoles(roles).map((r) => [r.metadata.name, r.rules]))
    expect(out.get('view')).toEqual(saw)
    // by name: "to-edit" before "view"
    expect(out.get('edit')).toEqual([...chisel, ...saw])
    // by name: "edit" before "to-admin"
    expect(out.get('admin')).toEqual([...chisel, ...saw, ...hammer])
    expect(out.get('to-view')).toBe(saw)
  })

  it('ends on a cycle of aggregated roles', () => {
    const a: ClusterRole = {
      metadata: { name: 'a', labels: { b: 'true' } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }] },
      rules: saw,
    }
    const b: ClusterRole = {
      metadata: { name: 'b', labels: { a: 'true' } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { b: 'true' } }] },
      rules: hammer,
    }
    const out = aggregateClusterRoles([a, b])
    expect(out).toHaveLength(2)
  })
})

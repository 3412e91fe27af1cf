import { describe, expect, it } from 'vitest'
import { aggregationUpdates } from './clusterrole-aggregation'
import type { PolicyRule } from '../apiserver/authz/types'
import type { Obj } from './framework/types'

const VIEW = 'rbac.authorization.k8s.io/aggregate-to-view'
const EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit'
const role = (name: string, labels: Record<string, string>, rules: PolicyRule[] | null, aggregateFrom?: string): Obj => ({
  metadata: { name, labels, resourceVersion: '1' },
  rules,
  ...(aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregateFrom]: 'true' } }] } } : {}),
})
const pods = { apiGroups: [''], resources: ['pods'], verbs: ['get'] }
const widgets = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }

describe('aggregationUpdates', () => {
  it('fills an aggregated role from the roles its selectors match, chains included', () => {
    const updates = aggregationUpdates([
      role('edit', {}, null, EDIT),
      role('view', { [EDIT]: 'true' }, [pods], VIEW),
      role('pods-view', { [VIEW]: 'true' }, [pods]),
      role('widgets-view', { [VIEW]: 'true' }, [widgets]),
    ])
    expect(updates.map((u) => [u.role.metadata.name, u.rules])).toEqual([
      ['edit', [pods, widgets]],
      ['view', [pods, widgets]],
    ])
  })

  it('writes nothing when every aggregated role is up to date, and empties one whose members went', () => {
    expect(aggregationUpdates([role('view', {}, [pods], VIEW), role('pods-view', { [VIEW]: 'true' }, [pods])])).toEqual([])
    expect(aggregationUpdates([role('view', {}, [pods], VIEW)])).toEqual([{ role: role('view', {}, [pods], VIEW), rules: [] }])
  })
})

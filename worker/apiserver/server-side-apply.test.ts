import { describe, expect, it } from 'vitest'
import { patchSchemaFor } from '../resources/schema/patch-meta'
import { conflictMessage, fieldSet, serverSideApply, updateManagedFields } from './server-side-apply'

const schema = patchSchemaFor('apps/v1/Deployment')
const deploy = (image: string, replicas?: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } },
  },
})
const T = '2026-11-23T12:00:00Z'

describe('server-side apply', () => {
  it('records what an applier sets, keying containers by name', () => {
    const fs = fieldSet(deploy('nginx:1.25', 3), schema) as any
    expect(fs['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']).toEqual({ '.': {}, 'f:name': {}, 'f:image': {} })
    expect(fs['f:metadata']).toEqual({ 'f:labels': { 'f:app': {} } })
  })

  it('creates, then reports a conflict with a manager that changed a field, then forces', () => {
    const created = serverSideApply({ live: undefined, applied: deploy('nginx:1.25', 3), manager: 'kubectl', force: false, apiVersion: 'apps/v1', time: T, schema })
    expect(created.managedFields).toHaveLength(1)
    const live = { ...created.object, metadata: { ...created.object.metadata, managedFields: created.managedFields } }
    const scaled: Record<string, any> = { ...live, spec: { ...(live as any).spec, replicas: 5 } }
    scaled.metadata = { ...scaled.metadata, managedFields: updateManagedFields(live, scaled, 'kube-controller-manager', 'apps/v1', T, schema) }
    const again = serverSideApply({ live: scaled, applied: deploy('nginx:1.26', 3), manager: 'kubectl', force: false, apiVersion: 'apps/v1', time: T, schema })
    expect(again.conflicts).toEqual([{ manager: 'kube-controller-manager', field: '.spec.replicas' }])
    expect(conflictMessage(again.conflicts, 'apps/v1')).toBe('Apply failed with 1 conflict: conflict with "kube-controller-manager" using apps/v1: .spec.replicas')
    const forced = serverSideApply({ live: scaled, applied: deploy('nginx:1.26', 3), manager: 'kubectl', force: true, apiVersion: 'apps/v1', time: T, schema })
    expect(forced.conflicts).toEqual([])
    expect(forced.object.spec.replicas).toBe(3)
    expect(forced.object.spec.template.spec.containers[0].image).toBe('nginx:1.26')
    expect(forced.managedFields.map((e) => e.manager)).toEqual(['kubectl'])
  })

  it('drops a field the applier stops applying, unless another manager owns it', () => {
    const a = serverSideApply({ live: undefined, applied: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } }, manager: 'kubectl', force: false, apiVersion: 'v1', time: T, schema: undefined })
    const live = { ...a.object, metadata: { ...a.object.metadata, managedFields: a.managedFields } }
    const b = serverSideApply({ live, applied: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, manager: 'kubectl', force: false, apiVersion: 'v1', time: T, schema: undefined })
    expect(b.object.data).toEqual({ a: '1' })
  })

  it('does not report a conflict when the applier agrees on the value (co-ownership)', () => {
    const a = serverSideApply({ live: undefined, applied: deploy('nginx:1.25', 3), manager: 'one', force: false, apiVersion: 'apps/v1', time: T, schema })
    const live = { ...a.object, metadata: { ...a.object.metadata, managedFields: a.managedFields } }
    const b = serverSideApply({ live, applied: deploy('nginx:1.25', 3), manager: 'two', force: false, apiVersion: 'apps/v1', time: T, schema })
    expect(b.conflicts).toEqual([])
  })
})

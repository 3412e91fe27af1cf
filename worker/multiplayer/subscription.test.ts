import { describe, expect, it } from 'vitest'
import type { KeyValue, WatchEvent } from '../etcd/types'
import { parseSubscription, restoreTarget, transition, type Target } from './subscription'

const sub = (more: Record<string, unknown> = {}) => ({ id: 's1', group: '', version: 'v1', resource: 'pods', ...more })

describe('parseSubscription', () => {
  it.each([
    ['a kind that is not served', sub({ resource: 'nopes' }), 404, 'NotFound', 'watch nopes'],
    ['a create-only kind', sub({ group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }), 404, 'NotFound', 'selfsubjectaccessreviews'],
    ['a namespace on a cluster-scoped kind', sub({ resource: 'nodes', namespace: 'default' }), 422, 'Invalid', 'subscription.namespace: Invalid value: "default": nodes are not namespaced'],
    ['a malformed namespace', sub({ namespace: 'Not_OK' }), 422, 'Invalid', 'subscription.namespace'],
    ['a bad label selector', sub({ labelSelector: 'app in (' }), 400, 'BadRequest', ''],
    ['a field the kind cannot select on', sub({ fieldSelector: 'spec.nope=x' }), 400, 'BadRequest', 'field label not supported: spec.nope'],
    ['a resourceVersion that is not a number', sub({ resourceVersion: '12a' }), 400, 'BadRequest', 'resourceVersion: Invalid value: "12a": must be a non-negative integer'],
    ['an id with a space', sub({ id: 'a b' }), 422, 'Invalid', 'subscription.id'],
    ['a missing id', sub({ id: undefined }), 422, 'Invalid', 'subscription.id'],
    ['a numeric version', sub({ version: 1 }), 422, 'Invalid', 'subscription.version'],
    ['no object at all', null, 400, 'BadRequest', 'subscription: Required value'],
  ])('refuses %s', (_, raw, code, reason, message) => {
    const r = parseSubscription(raw)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect([r.status.code, r.status.reason]).toEqual([code, reason])
    expect(r.status.message).toContain(message)
  })

  it('accepts a namespaced, selected subscription and keeps only what identifies it', () => {
    const r = parseSubscription(sub({ namespace: 'default', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=worker-1', resourceVersion: '42' }))
    expect(r).toMatchObject({ ok: true, resourceVersion: 42 })
    if (!r.ok) return
    expect(r.target.sub).toEqual({ id: 's1', group: '', version: 'v1', resource: 'pods', namespace: 'default', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=worker-1' })
    expect(r.target.kindPrefix).toBe('/registry/core/pods/')
    expect(r.target.prefix).toBe('/registry/core/pods/default/')
  })

  it('reads resourceVersion "0" and "" as a list first, like a watch', () => {
    for (const rv of ['0', '']) {
      const r = parseSubscription(sub({ resourceVersion: rv }))
      expect(r.ok && r.resourceVersion).toBeUndefined()
    }
  })

  it('stores events.k8s.io Events with core Events', () => {
    const r = parseSubscription(sub({ group: 'events.k8s.io', resource: 'events' }))
    expect(r.ok && r.target.kindPrefix).toBe('/registry/core/events/')
  })
})

const kv = (name: string, rev: number, labels: Record<string, string> = {}, ns = 'default'): KeyValue => ({
  key: `/registry/core/configmaps/${ns}/${name}`,
  value: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels } }),
  createRevision: rev,
  modRevision: rev,
  version: 1,
  lease: 0,
})
const put = (now: KeyValue, prev?: KeyValue): WatchEvent => (prev ? { type: 'PUT', kv: now, prevKv: prev } : { type: 'PUT', kv: now })
const del = (prev: KeyValue, rev: number): WatchEvent => ({ type: 'DELETE', kv: { ...prev, value: '', modRevision: rev }, prevKv: prev })

const target = (more: Record<string, unknown> = {}): Target => restoreTarget({ id: 't', group: '', version: 'v1', resource: 'configmaps', ...more } as never)!
const see = (t: Target, e: WatchEvent) =>
  transition(
    t,
    e,
    () => (e.type === 'PUT' ? JSON.parse(e.kv.value) : undefined),
    () => (e.prevKv ? JSON.parse(e.prevKv.value) : undefined),
  )

describe('transition', () => {
  const blue = { color: 'blue' }
  const red = { color: 'red' }
  it.each([
    ['a new object', target(), put(kv('a', 5)), { type: 'ADDED', of: 'now' }],
    ['a changed object', target(), put(kv('a', 6), kv('a', 5)), { type: 'MODIFIED', of: 'now' }],
    ['a deleted object', target(), del(kv('a', 5), 7), { type: 'DELETED', of: 'before' }],
    ['another namespace', target({ namespace: 'default' }), put(kv('a', 5, {}, 'other')), undefined],
    ['its own namespace', target({ namespace: 'default' }), put(kv('a', 5)), { type: 'ADDED', of: 'now' }],
    ['an object entering the selection', target({ labelSelector: 'color=blue' }), put(kv('a', 6, blue), kv('a', 5, red)), { type: 'ADDED', of: 'now' }],
    ['an object leaving the selection', target({ labelSelector: 'color=blue' }), put(kv('a', 6, red), kv('a', 5, blue)), { type: 'DELETED', of: 'before' }],
    ['an object staying selected', target({ labelSelector: 'color=blue' }), put(kv('a', 6, blue), kv('a', 5, blue)), { type: 'MODIFIED', of: 'now' }],
    ['an object staying out', target({ labelSelector: 'color=blue' }), put(kv('a', 6, red), kv('a', 5, red)), undefined],
    ['a selected object deleted', target({ labelSelector: 'color=blue' }), del(kv('a', 5, blue), 7), { type: 'DELETED', of: 'before' }],
    ['an unselected object deleted', target({ labelSelector: 'color=blue' }), del(kv('a', 5, red), 7), undefined],
    ['a field selector on the name', target({ fieldSelector: 'metadata.name=b' }), put(kv('a', 5)), undefined],
  ])('%s', (_, t, e, want) => {
    expect(see(t, e)).toEqual(want)
  })

  it('decodes nothing for a subscription without selectors', () => {
    const boom = () => {
      throw new Error('decoded')
    }
    expect(transition(target(), put(kv('a', 6), kv('a', 5)), boom, boom)).toEqual({ type: 'MODIFIED', of: 'now' })
  })
})

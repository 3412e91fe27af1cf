// fieldValidation inside workerd: Strict refuses unknown fields, Warn warns and
// drops them, Ignore drops them silently; on create, update and every patch type.
import { describe, expect, it } from 'vitest'
import { newCluster, type TestCluster } from './helpers'

async function api(c: TestCluster, method: string, path: string, body?: unknown, contentType = 'application/json') {
  const r = await c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${path}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  )
  return { status: r.status, warning: r.headers.get('warning'), json: (await r.json()) as any }
}

const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments'
const CMS = '/api/v1/namespaces/default/configmaps'

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { 'free.form/label': 'kept' }, annotations: { 'any-key': 'kept' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', bogus: 'x' }] } },
    bogusSpec: 1,
  },
  bogusTop: true,
})

describe('fieldValidation', () => {
  it('Warn: 201 with a Warning per unknown field, none of them stored; maps untouched', async () => {
    const c = await newCluster()
    const r = await api(c, 'POST', `${DEPLOYS}?fieldValidation=Warn`, deployment('warned'))
    expect(r.status).toBe(201)
    expect(r.warning).toContain('299 - "unknown field \\"spec.template.spec.containers[0].bogus\\""')
    expect(r.warning).toContain('unknown field \\"bogusTop\\"')
    expect(r.warning).toContain('unknown field \\"spec.bogusSpec\\"')
    expect(r.json.bogusTop).toBeUndefined()
    const got = (await api(c, 'GET', `${DEPLOYS}/warned`)).json
    expect(got.bogusTop).toBeUndefined()
    expect(got.spec.bogusSpec).toBeUndefined()
    expect(got.spec.template.spec.containers[0]).not.toHaveProperty('bogus')
    expect(got.spec.template.spec.containers[0].image).toBe('nginx')
    expect(got.metadata.labels).toEqual({ 'free.form/label': 'kept' })
    // The deployment controller may have added its revision annotation by now; ours is kept as sent.
    const { 'deployment.kubernetes.io/revision': _, ...annotations } = got.metadata.annotations
    expect(annotations).toEqual({ 'any-key': 'kept' })
    // No fieldValidation at all is Warn, as upstream defaults it.
    const cm = await api(c, 'POST', CMS, { metadata: { name: 'cm' }, data: { 'any.key': 'v' }, datta: { x: '1' } })
    expect(cm.status).toBe(201)
    expect(cm.warning).toBe('299 - "unknown field \\"datta\\""')
    expect((await api(c, 'GET', `${CMS}/cm`)).json).toMatchObject({ data: { 'any.key': 'v' } })
    expect((await api(c, 'GET', `${CMS}/cm`)).json).not.toHaveProperty('datta')
  })

  it('Ignore: no warning, still pruned', async () => {
    const c = await newCluster()
    const r = await api(c, 'POST', `${DEPLOYS}?fieldValidation=Ignore`, deployment('ignored'))
    expect(r.status).toBe(201)
    expect(r.warning).toBeNull()
    const got = (await api(c, 'GET', `${DEPLOYS}/ignored`)).json
    expect(got.bogusTop).toBeUndefined()
    expect(got.spec.template.spec.containers[0]).not.toHaveProperty('bogus')
  })

  it('Strict: 400 naming the field, nothing stored', async () => {
    const c = await newCluster()
    const r = await api(c, 'POST', `${DEPLOYS}?fieldValidation=Strict`, deployment('strict'))
    expect(r.status).toBe(400)
    expect(r.json.message).toContain('strict decoding error: unknown field "spec.template.spec.containers[0].bogus"')
    expect((await api(c, 'GET', `${DEPLOYS}/strict`)).status).toBe(404)
  })

  it('prunes on update and on every kind of patch', async () => {
    const c = await newCluster()
    const created = await api(c, 'POST', CMS, { metadata: { name: 'p' }, data: { a: '1' } })
    const put = await api(c, 'PUT', `${CMS}/p?fieldValidation=Warn`, { ...created.json, extra: 1 })
    expect(put.status).toBe(200)
    expect(put.warning).toContain('unknown field \\"extra\\"')
    expect((await api(c, 'GET', `${CMS}/p`)).json).not.toHaveProperty('extra')
    const patches: [string, unknown][] = [
      ['application/merge-patch+json', { merged: 1, data: { b: '2' } }],
      ['application/strategic-merge-patch+json', { strategic: 1, data: { c: '3' } }],
      ['application/json-patch+json', [{ op: 'add', path: '/jsonPatched', value: 1 }]],
    ]
    for (const [type, patch] of patches) {
      const r = await api(c, 'PATCH', `${CMS}/p?fieldValidation=Ignore`, patch, type)
      expect(r.status, type).toBe(200)
      expect(r.warning).toBeNull()
    }
    const apply = await api(c, 'PATCH', `${CMS}/p?fieldManager=test&fieldValidation=Warn&force=true`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, applied: 1, data: { d: '4' } }, 'application/apply-patch+yaml')
    expect(apply.status).toBe(200)
    expect(apply.warning).toContain('unknown field \\"applied\\"')
    const got = (await api(c, 'GET', `${CMS}/p`)).json
    expect(got.data).toEqual({ a: '1', b: '2', c: '3', d: '4' })
    for (const f of ['merged', 'strategic', 'jsonPatched', 'applied']) expect(got).not.toHaveProperty(f)
  })
})

// Bad input gets the right 4xx Status and changes nothing: one table, each case
// checked for its code and reason, and for the store's revision standing still.
import { describe, expect, it } from 'vitest'
import { inPlane, newCluster, type TestCluster } from './helpers'

interface Case {
  name: string
  method: string
  path: string
  body?: string | object
  contentType?: string
  code: number
  reason: string
  message?: string | RegExp
}

const cm = (extra: object = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', ...extra }, data: { a: 'b' } })
const pod = (spec: object, name = 'p') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec })
const deploy = (spec: object) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec })
const goodTemplate = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }
const NS = '/api/v1/namespaces/default'

const CASES: Case[] = [
  { name: 'malformed JSON', method: 'POST', path: `${NS}/configmaps`, body: '{"kind":', code: 400, reason: 'BadRequest' },
  { name: 'JSON array body', method: 'POST', path: `${NS}/configmaps`, body: '[1,2]', code: 400, reason: 'BadRequest' },
  { name: 'JSON string body', method: 'POST', path: `${NS}/configmaps`, body: '"x"', code: 400, reason: 'BadRequest' },
  { name: 'malformed YAML', method: 'POST', path: `${NS}/configmaps`, body: 'a: [b', contentType: 'application/yaml', code: 400, reason: 'BadRequest' },
  { name: 'unknown content type', method: 'POST', path: `${NS}/configmaps`, body: 'x', contentType: 'text/plain', code: 415, reason: 'UnsupportedMediaType' },
  { name: 'wrong apiVersion', method: 'POST', path: `${NS}/configmaps`, body: { ...cm(), apiVersion: 'v2' }, code: 400, reason: 'BadRequest', message: /does not match the expected API version/ },
  { name: 'wrong kind', method: 'POST', path: `${NS}/configmaps`, body: { ...cm(), kind: 'Secret' }, code: 400, reason: 'BadRequest', message: /does not match the expected kind/ },
  { name: 'namespace mismatch', method: 'POST', path: `${NS}/configmaps`, body: cm({ namespace: 'other' }), code: 400, reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' },
  { name: 'missing name', method: 'POST', path: `${NS}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, code: 422, reason: 'Invalid', message: /metadata.name: Required value/ },
  { name: 'upper-case name', method: 'POST', path: `${NS}/configmaps`, body: cm({ name: 'Bad' }), code: 422, reason: 'Invalid', message: /metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/ },
  { name: 'name too long', method: 'POST', path: `${NS}/configmaps`, body: cm({ name: 'a'.repeat(254) }), code: 422, reason: 'Invalid', message: /must be no more than 253 characters/ },
  { name: 'namespace name with a dot', method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, code: 422, reason: 'Invalid', message: /RFC 1123 label/ },
  { name: 'bad label key', method: 'POST', path: `${NS}/configmaps`, body: cm({ labels: { 'bad key': 'v' } }), code: 422, reason: 'Invalid' },
  { name: 'bad label value', method: 'POST', path: `${NS}/configmaps`, body: cm({ labels: { k: 'bad value!' } }), code: 422, reason: 'Invalid' },
  { name: 'labels not a map', method: 'POST', path: `${NS}/configmaps`, body: cm({ labels: ['x'] }), code: 400, reason: 'BadRequest', message: /^ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array/ },
  { name: 'annotation not a string', method: 'POST', path: `${NS}/configmaps`, body: cm({ annotations: { a: 1 } }), code: 400, reason: 'BadRequest', message: /cannot be handled as a ConfigMap/ },
  { name: 'replicas as a string', method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deploy({ replicas: '3', selector: { matchLabels: { app: 'a' } }, template: goodTemplate }), code: 400, reason: 'BadRequest', message: /Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32/ },
  { name: 'unknown field under Strict', method: 'POST', path: `${NS}/configmaps?fieldValidation=Strict`, body: { ...cm(), datta: {} }, code: 400, reason: 'BadRequest', message: 'strict decoding error: unknown field "datta"' },
  { name: 'nested unknown field under Strict', method: 'POST', path: `${NS}/pods?fieldValidation=Strict`, body: pod({ containers: [{ name: 'c', image: 'x', imagee: 'y' }] }), code: 400, reason: 'BadRequest', message: 'strict decoding error: unknown field "spec.containers[0].imagee"' },
  { name: 'bad fieldValidation value', method: 'POST', path: `${NS}/configmaps?fieldValidation=Loose`, body: cm(), code: 400, reason: 'BadRequest' },
  { name: 'PATCH with an unknown content type', method: 'PATCH', path: `${NS}/configmaps/existing`, body: { data: {} }, contentType: 'application/json', code: 415, reason: 'UnsupportedMediaType' },
  { name: 'malformed JSON patch', method: 'PATCH', path: `${NS}/configmaps/existing`, body: '{"op":"add"}', contentType: 'application/json-patch+json', code: 400, reason: 'BadRequest' },
  { name: 'JSON patch whose test fails', method: 'PATCH', path: `${NS}/configmaps/existing`, body: [{ op: 'test', path: '/data/a', value: 'zzz' }, { op: 'replace', path: '/data/a', value: 'c' }], contentType: 'application/json-patch+json', code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
  { name: 'merge patch making the object invalid', method: 'PATCH', path: `${NS}/configmaps/existing`, body: { metadata: { labels: { 'bad key': 'v' } } }, contentType: 'application/merge-patch+json', code: 422, reason: 'Invalid' },
  { name: 'strategic patch of a missing object', method: 'PATCH', path: `${NS}/configmaps/ghost`, body: { data: { a: 'b' } }, contentType: 'application/strategic-merge-patch+json', code: 404, reason: 'NotFound' },
  { name: 'patch with a stale resourceVersion', method: 'PATCH', path: `${NS}/configmaps/existing`, body: { metadata: { resourceVersion: '1' }, data: { a: 'z' } }, contentType: 'application/merge-patch+json', code: 409, reason: 'Conflict' },
  { name: 'bad configmap key', method: 'POST', path: `${NS}/configmaps`, body: { ...cm(), data: { 'bad key': 'v' } }, code: 422, reason: 'Invalid' },
  { name: 'resourceVersion on create', method: 'POST', path: `${NS}/configmaps`, body: cm({ resourceVersion: '5' }), code: 400, reason: 'BadRequest' },
  { name: 'create in a missing namespace', method: 'POST', path: '/api/v1/namespaces/nope/configmaps', body: cm(), code: 404, reason: 'NotFound', message: 'namespaces "nope" not found' },
  { name: 'pod without containers', method: 'POST', path: `${NS}/pods`, body: pod({}), code: 422, reason: 'Invalid', message: /spec.containers: Required value/ },
  { name: 'container without image', method: 'POST', path: `${NS}/pods`, body: pod({ containers: [{ name: 'c' }] }), code: 422, reason: 'Invalid', message: /spec.containers\[0\].image: Required value/ },
  { name: 'duplicate container names', method: 'POST', path: `${NS}/pods`, body: pod({ containers: [{ name: 'c', image: 'x' }, { name: 'c', image: 'y' }] }), code: 422, reason: 'Invalid', message: /Duplicate value/ },
  { name: 'bad restartPolicy', method: 'POST', path: `${NS}/pods`, body: pod({ restartPolicy: 'Sometimes', containers: [{ name: 'c', image: 'x' }] }), code: 422, reason: 'Invalid', message: /Unsupported value: "Sometimes"/ },
  { name: 'bad imagePullPolicy', method: 'POST', path: `${NS}/pods`, body: pod({ containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Maybe' }] }), code: 422, reason: 'Invalid' },
  { name: 'deployment without selector', method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deploy({ template: goodTemplate }), code: 422, reason: 'Invalid', message: /spec.selector: Required value/ },
  { name: 'deployment selector not matching template', method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deploy({ selector: { matchLabels: { app: 'b' } }, template: goodTemplate }), code: 422, reason: 'Invalid', message: /`selector` does not match template `labels`/ },
  { name: 'negative replicas', method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deploy({ replicas: -1, selector: { matchLabels: { app: 'a' } }, template: goodTemplate }), code: 422, reason: 'Invalid' },
  { name: 'service without ports', method: 'POST', path: `${NS}/services`, body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { a: 'b' } } }, code: 422, reason: 'Invalid', message: /spec.ports: Required value/ },
  { name: 'service of an unknown type', method: 'POST', path: `${NS}/services`, body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'Magic', ports: [{ port: 80 }] } }, code: 422, reason: 'Invalid' },
  { name: 'unknown resource', method: 'GET', path: `${NS}/widgets`, code: 404, reason: 'NotFound' },
  { name: 'unknown group', method: 'GET', path: '/apis/nope.example.com/v1/things', code: 404, reason: 'NotFound' },
  { name: 'missing object', method: 'GET', path: `${NS}/configmaps/ghost`, code: 404, reason: 'NotFound', message: 'configmaps "ghost" not found' },
  { name: 'missing deployment names its group', method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments/ghost', code: 404, reason: 'NotFound', message: 'deployments.apps "ghost" not found' },
  { name: 'unknown subresource', method: 'GET', path: `${NS}/configmaps/x/shape`, code: 404, reason: 'NotFound' },
  { name: 'POST to a named object', method: 'POST', path: `${NS}/configmaps/x`, body: cm(), code: 405, reason: 'MethodNotAllowed' },
  { name: 'GET on a review kind', method: 'GET', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', code: 405, reason: 'MethodNotAllowed' },
  { name: 'bad label selector', method: 'GET', path: `${NS}/configmaps?labelSelector=a%20in%20b`, code: 400, reason: 'BadRequest', message: /unable to parse requirement/ },
  { name: 'unsupported field selector', method: 'GET', path: `${NS}/pods?fieldSelector=spec.containers%3Dx`, code: 400, reason: 'BadRequest', message: 'field label not supported: spec.containers' },
  { name: 'negative limit', method: 'GET', path: `${NS}/configmaps?limit=-3`, code: 400, reason: 'BadRequest' },
  { name: 'garbage continue token', method: 'GET', path: `${NS}/configmaps?limit=1&continue=zzz`, code: 400, reason: 'BadRequest' },
  { name: 'bad resourceVersionMatch', method: 'GET', path: `${NS}/configmaps?resourceVersion=1&resourceVersionMatch=Sometimes`, code: 400, reason: 'BadRequest' },
  { name: 'non-numeric resourceVersion', method: 'GET', path: `${NS}/configmaps?resourceVersion=abc&resourceVersionMatch=Exact`, code: 400, reason: 'BadRequest' },
  { name: 'watch with non-numeric resourceVersion', method: 'GET', path: `${NS}/configmaps?watch=true&resourceVersion=abc`, code: 400, reason: 'BadRequest' },
  { name: 'sendInitialEvents without NotOlderThan', method: 'GET', path: `${NS}/configmaps?watch=true&sendInitialEvents=true`, code: 422, reason: 'Invalid' },
  { name: 'PUT of a missing object', method: 'PUT', path: `${NS}/configmaps/ghost`, body: { ...cm(), metadata: { name: 'ghost' } }, code: 404, reason: 'NotFound' },
  { name: 'PUT with a different name', method: 'PUT', path: `${NS}/configmaps/existing`, body: cm({ name: 'other' }), code: 400, reason: 'BadRequest' },
  { name: 'PUT with a stale resourceVersion', method: 'PUT', path: `${NS}/configmaps/existing`, body: { ...cm(), metadata: { name: 'existing', resourceVersion: '1' } }, code: 409, reason: 'Conflict', message: /Operation cannot be fulfilled on configmaps "existing": the object has been modified/ },
  { name: 'DELETE of a missing object', method: 'DELETE', path: `${NS}/configmaps/ghost`, code: 404, reason: 'NotFound' },
  { name: 'DELETE with a wrong uid precondition', method: 'DELETE', path: `${NS}/configmaps/existing`, body: { preconditions: { uid: 'not-it' } }, code: 409, reason: 'Conflict', message: /Precondition failed: UID in precondition/ },
  { name: 'DELETE with a bad propagationPolicy', method: 'DELETE', path: `${NS}/configmaps/existing`, body: { propagationPolicy: 'Sideways' }, code: 422, reason: 'Invalid' },
  { name: 'DELETE with malformed options', method: 'DELETE', path: `${NS}/configmaps/existing`, body: '{oops', code: 400, reason: 'BadRequest' },
  { name: 'create that already exists', method: 'POST', path: `${NS}/configmaps`, body: cm({ name: 'existing' }), code: 409, reason: 'AlreadyExists', message: 'configmaps "existing" already exists' },
  { name: 'body over the size limit', method: 'POST', path: `${NS}/configmaps`, body: { ...cm(), data: { big: 'x'.repeat(3.5 * 1024 * 1024) } }, code: 413, reason: 'RequestEntityTooLarge' },
  { name: 'access review without attributes', method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} }, code: 422, reason: 'Invalid' },
  { name: 'binding without a target', method: 'POST', path: `${NS}/pods/existing-pod/binding`, body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'existing-pod' } }, code: 422, reason: 'Invalid' },
  { name: 'scale to negative replicas', method: 'PUT', path: '/apis/apps/v1/namespaces/default/deployments/existing/scale', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'existing' }, spec: { replicas: -2 } }, code: 422, reason: 'Invalid' },
]

async function call(c: TestCluster, k: Case): Promise<Response> {
  const body = k.body === undefined ? undefined : typeof k.body === 'string' ? k.body : JSON.stringify(k.body)
  return c.stub.fetch(
    new Request(`http://x/clusters/${c.name}${k.path}`, {
      method: k.method,
      headers: { authorization: `Bearer ${c.token}`, ...(k.contentType || body ? { 'content-type': k.contentType ?? 'application/json' } : {}) },
      body,
    }),
  )
}

/** The store's revision once it has stood still for a while (background work done). */
async function settled(c: TestCluster): Promise<number> {
  let last = -1
  for (let still = 0; still < 4; ) {
    await new Promise((r) => setTimeout(r, 40))
    const rev = await inPlane(c, ({ store }) => store.currentRevision())
    still = rev === last ? still + 1 : 0
    last = rev
  }
  return last
}

describe('bad input', () => {
  it(`has at least 50 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50)
  })

  it.each(CASES)('$name → $code $reason, store unchanged', async (k) => {
    const c = await newCluster()
    // Something to update, delete, bind and scale.
    const seed = async (path: string, body: object) => {
      const r = await call(c, { name: 'seed', method: 'POST', path, body, code: 201, reason: '' })
      expect(r.status, await r.clone().text()).toBe(201)
    }
    await seed(`${NS}/configmaps`, cm({ name: 'existing' }))
    await seed(`${NS}/pods`, pod({ containers: [{ name: 'c', image: 'nginx' }] }, 'existing-pod'))
    await seed('/apis/apps/v1/namespaces/default/deployments', { ...deploy({ selector: { matchLabels: { app: 'a' } }, template: goodTemplate }), metadata: { name: 'existing' } })
    // The controllers and the scheduler act on the seeds from the alarm: let them finish first.
    const before = await settled(c)
    const r = await call(c, k)
    const text = await r.text()
    expect(r.status, text).toBe(k.code)
    const s = JSON.parse(text) as { kind: string; status: string; reason: string; code: number; message: string }
    expect(s).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: k.reason, code: k.code })
    if (typeof k.message === 'string') expect(s.message).toContain(k.message)
    else if (k.message) expect(s.message).toMatch(k.message)
    expect(await inPlane(c, ({ store }) => store.currentRevision())).toBe(before)
  })
})

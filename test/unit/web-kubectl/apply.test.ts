// kubectl apply: client-side apply as kubectl 1.32 does it. The request bodies
// expected here are the ones real kubectl 1.32 sent for the same manifests to
// the same answers (captured with serve-fake.mjs), byte for byte.
import { describe, expect, it } from 'vitest'
import { applyManifest } from '../../../web/src/kubectl/index'
import { harness } from './fake-cluster'
import { demoCluster } from './fixtures'
import { run } from './run'

const V1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.25
        env:
        - name: A
          value: "1"
        - name: B
          value: "2"
        ports:
        - containerPort: 80
      - name: sidecar
        image: busybox
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
data:
  a: "1"
  b: "2"
`

const V2 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
    tier: back
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api
  strategy:
    type: Recreate
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.26
        env:
        - name: B
          value: "3"
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
data:
  a: "1"
`

const SETTINGS_RED = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: red
`

const WARNING = 'Warning: resource configmaps/settings is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n'

const bodies = (c: ReturnType<typeof demoCluster>) => c.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH').map((r) => (typeof r.body === 'string' ? r.body : JSON.stringify(r.body)))

describe('kubectl apply', () => {
  it('creates, configures with a three-way strategic merge patch, then reports unchanged', async () => {
    const c = demoCluster()
    const first = await run('apply -f -', c, { stdin: V1 })
    expect(first).toMatchObject({ code: 0, out: 'deployment.apps/api created\nconfigmap/conf created\n', err: '' })
    const second = await run('apply -f -', c, { stdin: V2 })
    expect(second).toMatchObject({ code: 0, out: 'deployment.apps/api configured\nconfigmap/conf configured\n', err: '' })
    const third = await run('kubectl apply -f -', c, { stdin: V2 })
    expect(third).toMatchObject({ code: 0, out: 'deployment.apps/api unchanged\nconfigmap/conf unchanged\n', err: '' })
    expect(bodies(c)).toEqual([
      "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"Deployment\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"labels\\\":{\\\"app\\\":\\\"api\\\"},\\\"name\\\":\\\"api\\\",\\\"namespace\\\":\\\"default\\\"},\\\"spec\\\":{\\\"replicas\\\":2,\\\"selector\\\":{\\\"matchLabels\\\":{\\\"app\\\":\\\"api\\\"}},\\\"template\\\":{\\\"metadata\\\":{\\\"labels\\\":{\\\"app\\\":\\\"api\\\"}},\\\"spec\\\":{\\\"containers\\\":[{\\\"env\\\":[{\\\"name\\\":\\\"A\\\",\\\"value\\\":\\\"1\\\"},{\\\"name\\\":\\\"B\\\",\\\"value\\\":\\\"2\\\"}],\\\"image\\\":\\\"nginx:1.25\\\",\\\"name\\\":\\\"api\\\",\\\"ports\\\":[{\\\"containerPort\\\":80}]},{\\\"image\\\":\\\"busybox\\\",\\\"name\\\":\\\"sidecar\\\"}]}}}}\\n\"},\"labels\":{\"app\":\"api\"},\"name\":\"api\",\"namespace\":\"default\"},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"api\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"api\"}},\"spec\":{\"containers\":[{\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}],\"image\":\"nginx:1.25\",\"name\":\"api\",\"ports\":[{\"containerPort\":80}]},{\"image\":\"busybox\",\"name\":\"sidecar\"}]}}}}",
      "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"1\",\"b\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{\\\"a\\\":\\\"1\\\",\\\"b\\\":\\\"2\\\"},\\\"kind\\\":\\\"ConfigMap\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"name\\\":\\\"conf\\\",\\\"namespace\\\":\\\"default\\\"}}\\n\"},\"name\":\"conf\",\"namespace\":\"default\"}}",
      "{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"apps/v1\\\",\\\"kind\\\":\\\"Deployment\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"labels\\\":{\\\"app\\\":\\\"api\\\",\\\"tier\\\":\\\"back\\\"},\\\"name\\\":\\\"api\\\",\\\"namespace\\\":\\\"default\\\"},\\\"spec\\\":{\\\"replicas\\\":3,\\\"selector\\\":{\\\"matchLabels\\\":{\\\"app\\\":\\\"api\\\"}},\\\"strategy\\\":{\\\"type\\\":\\\"Recreate\\\"},\\\"template\\\":{\\\"metadata\\\":{\\\"labels\\\":{\\\"app\\\":\\\"api\\\"}},\\\"spec\\\":{\\\"containers\\\":[{\\\"env\\\":[{\\\"name\\\":\\\"B\\\",\\\"value\\\":\\\"3\\\"}],\\\"image\\\":\\\"nginx:1.26\\\",\\\"name\\\":\\\"api\\\",\\\"ports\\\":[{\\\"containerPort\\\":80}]}]}}}}\\n\"},\"labels\":{\"tier\":\"back\"}},\"spec\":{\"replicas\":3,\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":\"Recreate\"},\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"api\"}],\"containers\":[{\"$setElementOrder/env\":[{\"name\":\"B\"}],\"env\":[{\"name\":\"B\",\"value\":\"3\"},{\"$patch\":\"delete\",\"name\":\"A\"}],\"image\":\"nginx:1.26\",\"name\":\"api\"},{\"$patch\":\"delete\",\"name\":\"sidecar\"}]}}}}",
      "{\"data\":{\"b\":null},\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{\\\"a\\\":\\\"1\\\"},\\\"kind\\\":\\\"ConfigMap\\\",\\\"metadata\\\":{\\\"annotations\\\":{},\\\"name\\\":\\\"conf\\\",\\\"namespace\\\":\\\"default\\\"}}\\n\"}}}",
    ])
  })

  it('sends the field manager and strict field validation kubectl sends', async () => {
    const r = await run('apply -f -', demoCluster(), { stdin: V1 })
    const post = r.cluster.requests.find((q) => q.method === 'POST')!
    expect(post.path).toBe('/apis/apps/v1/namespaces/default/deployments')
    expect(post.query).toEqual({ fieldManager: 'kubectl-client-side-apply', fieldValidation: 'Strict' })
    r.cluster.requests.length = 0
    await run('apply -f -', r.cluster, { stdin: V2 })
    const patch = r.cluster.requests.find((q) => q.method === 'PATCH')!
    expect(patch.contentType).toBe('application/strategic-merge-patch+json')
  })

  it.each([
    ['apply -f - --dry-run=server', 'configmap/settings configured (server dry run)\n', WARNING],
    ['apply -f - --dry-run=client', 'configmap/settings configured (dry run)\n', ''],
    ['apply -f -', 'configmap/settings configured\n', WARNING],
    ['apply -f - --dry-run=server -o name', 'configmap/settings\n', WARNING],
  ])('%s on an object created without apply', async (line, out, err) => {
    const r = await run(line, demoCluster(), { stdin: SETTINGS_RED })
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: 0, out, err })
  })

  it('keeps the other keys when the live object has no last-applied annotation (nothing to delete)', async () => {
    const r = await run('apply -f -', demoCluster(), { stdin: SETTINGS_RED })
    expect(bodies(r.cluster)).toEqual(['{"data":{"color":"red"},"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"v1\\",\\"data\\":{\\"color\\":\\"red\\"},\\"kind\\":\\"ConfigMap\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"settings\\",\\"namespace\\":\\"default\\"}}\\n"}}}'])
  })

  it.each([
    ['apply', '', 'error: must specify one of -f and -k\n'],
    ['apply -f -', '', 'error: no objects passed to apply\n'],
    ['apply -f nofile.yaml', '', 'error: the path "nofile.yaml" does not exist\n'],
    ['apply -f -', 'a: b: c', 'error: error parsing STDIN: error converting YAML to JSON: yaml: mapping values are not allowed in this context\n'],
    ['apply -f -', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n', 'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n'],
  ])('%s refuses bad input as kubectl does (%j)', async (line, stdin, err) => {
    const r = await run(line, demoCluster(), { stdin })
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: 1, out: '', err })
  })

  it('applyManifest applies several documents as `apply -f -`', async () => {
    const c = demoCluster()
    const h = harness(c)
    expect(await applyManifest(V1, h.env, h.io)).toBe(0)
    expect(h.out()).toBe('deployment.apps/api created\nconfigmap/conf created\n')
    expect(c.get('v1', 'ConfigMap', 'conf', 'default')?.data).toEqual({ a: '1', b: '2' })
  })

  it('applyManifest prints server errors as kubectl does', async () => {
    const c = demoCluster()
    c.failures.set('POST /api/v1/namespaces/default/configmaps', { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'namespaces "default" is being terminated', reason: 'Forbidden', code: 403 })
    const h = harness(c)
    expect(await applyManifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n', h.env, h.io)).toBe(1)
    expect(h.err()).toBe('Error from server (Forbidden): error when creating "STDIN": namespaces "default" is being terminated\n')
  })
})

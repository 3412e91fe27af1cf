// The browser kubectl against the real API server (a cluster object in
// workerd, through the Worker's routing), to hold the unit tests' fake to the
// real answers: discovery, Tables, apply's patches, scale, label, describe,
// delete, explain, auth. Commands run as the page runs them: fetch with the
// bearer token against /clusters/<name>.
import { describe, expect, it } from 'vitest'
import { kubectl } from '../../web/src/kubectl/index'
import { newCluster, until, worker } from './helpers'

async function terminal() {
  const c = await newCluster({ nodes: 2 })
  const env = {
    baseUrl: `/clusters/${c.name}`,
    token: c.token,
    cluster: c.name,
    user: 'admin',
    namespace: 'default',
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => worker.fetch(new Request(new URL(String(input), 'http://wheelhouse.test'), init))) as typeof fetch,
  }
  return async (line: string, stdin?: string, signal?: AbortSignal, seen?: (out: string) => void) => {
    let out = ''
    let err = ''
    const code = await kubectl(line, env, { out: (t) => void ((out += t), seen?.(out)), err: (t) => void (err += t) }, { stdin, signal })
    return { code, out, err }
  }
}

const DEPLOYMENT = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: blue
`

describe('browser kubectl against the API server', () => {
  it('reads discovery, Tables and objects', async () => {
    const k = await terminal()
    const nodes = await k('get nodes')
    expect(nodes.code).toBe(0)
    expect(nodes.out).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/)
    expect(nodes.out).toMatch(/^worker-1\s+/m)
    expect((await k('get ns default -o name')).out).toBe('namespace/default\n')
    expect((await k('get pods')).err).toBe('No resources found in default namespace.\n')
    expect((await k('get foo')).err).toBe('error: the server doesn\'t have a resource type "foo"\n')
    expect((await k('get pod nope')).err).toBe('Error from server (NotFound): pods "nope" not found\n')
    const apiResources = await k('api-resources')
    expect(apiResources.out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m)
    expect((await k('auth can-i create pods')).out).toBe('yes\n')
    expect((await k('explain deployment.spec.strategy')).out).toContain('FIELD: strategy <DeploymentStrategy>')
  }, 60_000)

  it('applies, then configures with a strategic merge patch, then reports unchanged', async () => {
    const k = await terminal()
    expect(await k('apply -f -', DEPLOYMENT('nginx:1.26', 2))).toEqual({ code: 0, out: 'deployment.apps/web created\nconfigmap/settings created\n', err: '' })
    expect(await k('apply -f -', DEPLOYMENT('nginx:1.26', 2))).toEqual({ code: 0, out: 'deployment.apps/web unchanged\nconfigmap/settings unchanged\n', err: '' })
    expect(await k('apply -f -', DEPLOYMENT('nginx:1.27', 3))).toEqual({ code: 0, out: 'deployment.apps/web configured\nconfigmap/settings unchanged\n', err: '' })
    expect((await k('get deploy web -o jsonpath={.spec.replicas}/{.spec.template.spec.containers[0].image}')).out).toBe('3/nginx:1.27')
    expect(await k('apply -f -', DEPLOYMENT('nginx:1.27', 3))).toMatchObject({ out: 'deployment.apps/web unchanged\nconfigmap/settings unchanged\n' })
    const describe = await k('describe deploy web')
    expect(describe.out).toMatch(/^Name:\s+web\nNamespace:\s+default\n/)
    expect(describe.out).toMatch(/^Replicas:\s+3 desired/m)
  }, 60_000)

  it('creates, scales, labels, sets images, taints and deletes', async () => {
    const k = await terminal()
    expect((await k('create deployment api --image=nginx:1.26 --replicas=2')).out).toBe('deployment.apps/api created\n')
    expect((await k('create configmap c --from-literal=a=1')).out).toBe('configmap/c created\n')
    expect((await k('get cm c -o yaml')).out).toMatch(/^data:\n {2}a: "1"\n/m)
    expect((await k('scale deploy api --replicas=4')).out).toBe('deployment.apps/api scaled\n')
    expect((await k('label deploy api tier=front')).out).toBe('deployment.apps/api labeled\n')
    expect((await k('annotate deploy api owner=team-a')).out).toBe('deployment.apps/api annotated\n')
    expect((await k('set image deploy/api nginx=nginx:1.27')).out).toBe('deployment.apps/api image updated\n')
    expect((await k("get deploy api -o 'jsonpath={.spec.replicas} {.metadata.labels.tier} {.spec.template.spec.containers[0].image}'")).out).toBe('4 front nginx:1.27')
    expect((await k('taint nodes worker-1 dedicated=infra:NoSchedule')).out).toBe('node/worker-1 tainted\n')
    expect((await k('taint nodes worker-1 dedicated-')).out).toBe('node/worker-1 untainted\n')
    expect((await k('cordon worker-2')).out).toBe('node/worker-2 cordoned\n')
    expect((await k('uncordon worker-2')).out).toBe('node/worker-2 uncordoned\n')
    expect((await k('delete cm c')).out).toBe('configmap "c" deleted\n')
    expect((await k('get cm c')).err).toBe('Error from server (NotFound): configmaps "c" not found\n')
  }, 60_000)

  it('get -w prints the list, then a row per change, until Ctrl-C', async () => {
    const k = await terminal()
    // Every namespace has the root CA publisher's ConfigMap, listed first as real kubectl would.
    await until(async () => (await k('get cm kube-root-ca.crt')).code === 0, 'kube-root-ca.crt')
    await k('create configmap one --from-literal=a=1')
    const ctl = new AbortController()
    let lines = ''
    const watching = k('get cm -w', undefined, ctl.signal, (o) => (lines = o))
    await until(async () => lines.includes('one'), 'the list row')
    await k('create configmap two --from-literal=a=1 --from-literal=b=2')
    await until(async () => lines.includes('two'), 'the watch row')
    ctl.abort()
    const r = await watching
    expect(r.out).toMatch(/^NAME\s+DATA\s+AGE\nkube-root-ca\.crt\s+1\s+\S+\none\s+1\s+\S+\ntwo\s+2\s+\S+\n$/)
    expect(r.code).toBe(1)
  }, 60_000)
})

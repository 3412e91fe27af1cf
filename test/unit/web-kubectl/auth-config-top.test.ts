// kubectl auth can-i / whoami, config and top. auth is byte for byte what real
// kubectl 1.32 printed for the same answers; config is the signed-in identity's
// kubeconfig in `kubectl config view`'s layout; top is a requests view (see top.ts).
import { describe, expect, it } from 'vitest'
import { harness } from './fake-cluster'
import { demoCluster } from './fixtures'
import { kubectl } from '../../../web/src/kubectl/index'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "auth can-i --list", code: 0, out: `Resources   Non-Resource URLs   Resource Names   Verbs
*.*         []                  []               [*]
            [*]                 []               [*]
`, err: `` },
  { line: "auth can-i get pods", code: 0, out: `yes
`, err: `` },
  { line: "auth whoami", code: 0, out: `ATTRIBUTE   VALUE
Username    kubernetes-admin
Groups      [system:masters system:authenticated]
`, err: `` },
  { line: "auth can-i create nodes -n x", code: 0, out: `yes
`, err: `Warning: resource 'nodes' is not namespace scoped

` },
  { line: "auth can-i frob foos", code: 0, out: `yes
`, err: `Warning: the server doesn't have a resource type 'foos'

Warning: verb 'frob' is not a known verb

` },
  { line: "auth can-i get /healthz", code: 0, out: `yes
`, err: `` },
  { line: "auth can-i", code: 1, out: ``, err: `error: you must specify two arguments: verb resource or verb resource/resourceName.
See 'kubectl auth can-i -h' for help and examples.
` },
  { line: "auth can-i '*' '*'", code: 0, out: `yes
`, err: `` },
  { line: "auth can-i get deployments.apps/web", code: 0, out: `yes
`, err: `` },
  { line: "auth can-i list pods -A", code: 0, out: `yes
`, err: `` },
  { line: "config view", code: 0, out: `apiVersion: v1
clusters:
- cluster:
    server: /clusters/demo
  name: wheelhouse-demo
contexts:
- context:
    cluster: wheelhouse-demo
    namespace: default
    user: wheelhouse-demo-admin
  name: wheelhouse-demo
current-context: wheelhouse-demo
kind: Config
preferences: {}
users:
- name: wheelhouse-demo-admin
  user:
    token: REDACTED
`, err: `` },
  { line: "config view --raw", code: 0, out: `apiVersion: v1
clusters:
- cluster:
    server: /clusters/demo
  name: wheelhouse-demo
contexts:
- context:
    cluster: wheelhouse-demo
    namespace: default
    user: wheelhouse-demo-admin
  name: wheelhouse-demo
current-context: wheelhouse-demo
kind: Config
preferences: {}
users:
- name: wheelhouse-demo-admin
  user:
    token: secret-token
`, err: `` },
  { line: "config get-contexts", code: 0, out: `CURRENT   NAME              CLUSTER           AUTHINFO                NAMESPACE
*         wheelhouse-demo   wheelhouse-demo   wheelhouse-demo-admin   default
`, err: `` },
  { line: "config get-contexts nope", code: 1, out: `CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE`, err: `error: context nope not found
` },
  { line: "config current-context", code: 0, out: `wheelhouse-demo
`, err: `` },
  { line: "config view -o jsonpath='{.users[0].name}'", code: 0, out: `wheelhouse-demo-admin`, err: `` },
  { line: "config use-context nope", code: 1, out: ``, err: `error: no context exists with the name: "nope"
` },
  { line: "top nodes", code: 0, out: `NAME       CPU(requests)   CPU(%)   MEMORY(requests)   MEMORY(%)
worker-1   100m            2%       128Mi              0%
worker-2   100m            2%       128Mi              0%
`, err: `note: this cluster has no metrics-server (real kubectl says "error: Metrics API not available"); showing resource requests, not usage
` },
  { line: "top pods", code: 0, out: `NAME                  CPU(requests)   MEMORY(requests)
web-7d4b9c8f6-abcde   100m            128Mi
web-7d4b9c8f6-fghij   100m            128Mi
`, err: `note: this cluster has no metrics-server (real kubectl says "error: Metrics API not available"); showing resource requests, not usage
` },
  { line: "top pods -A", code: 0, out: `NAMESPACE   NAME                  CPU(requests)   MEMORY(requests)
default     web-7d4b9c8f6-abcde   100m            128Mi
default     web-7d4b9c8f6-fghij   100m            128Mi
`, err: `note: this cluster has no metrics-server (real kubectl says "error: Metrics API not available"); showing resource requests, not usage
` },
  { line: "top pod --containers", code: 0, out: `POD                   NAME    CPU(requests)   MEMORY(requests)
web-7d4b9c8f6-abcde   nginx   100m            128Mi
web-7d4b9c8f6-fghij   nginx   100m            128Mi
`, err: `note: this cluster has no metrics-server (real kubectl says "error: Metrics API not available"); showing resource requests, not usage
` },
  { line: "top nodes --sort-by=memory --no-headers", code: 0, out: `worker-1   100m   2%    128Mi   0%
worker-2   100m   2%    128Mi   0%
`, err: `note: this cluster has no metrics-server (real kubectl says "error: Metrics API not available"); showing resource requests, not usage
` },
]

describe('kubectl auth, config, top', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('can-i says no and exits 1 when the review denies', async () => {
    const c = demoCluster()
    c.access.set('delete nodes', false)
    const r = await run('auth can-i delete nodes', c)
    expect(r).toMatchObject({ code: 1, out: 'no\n' })
    const review = c.requests.find((q) => q.path.endsWith('/selfsubjectaccessreviews'))!
    expect(review.body).toMatchObject({ kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'default', verb: 'delete', group: '', resource: 'nodes' } } })
  })

  it('config set-context --current --namespace changes the terminal\'s namespace', async () => {
    const h = harness(demoCluster())
    expect(await kubectl('config set-context --current --namespace=kube-system', h.env, h.io)).toBe(0)
    expect(h.out()).toBe('Context "wheelhouse-demo" modified.\n')
    expect(h.env.namespace).toBe('kube-system')
    h.reset()
    await kubectl('get cm', h.env, h.io)
    expect(h.err()).toBe('No resources found in kube-system namespace.\n')
  })
})

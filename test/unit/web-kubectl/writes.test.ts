// kubectl create (generators and -f), delete and scale: output and errors as
// real kubectl 1.32 printed them for the same answers, and the requests sent.
import { describe, expect, it } from 'vitest'
import { demoCluster } from './fixtures'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "create deployment web2 --image=nginx:1.27 --dry-run=client -o yaml", code: 0, out: `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web2
  name: web2
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web2
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web2
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        resources: {}
status: {}
`, err: `` },
  { line: "create deployment web2 --image=nginx:1.27 --replicas=3 --port=80 --dry-run=client -o json", code: 0, out: `{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web2",
        "creationTimestamp": null,
        "labels": {
            "app": "web2"
        }
    },
    "spec": {
        "replicas": 3,
        "selector": {
            "matchLabels": {
                "app": "web2"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web2"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx:1.27",
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
`, err: `` },
  { line: "create namespace dev --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: null
  name: dev
spec: {}
status: {}
`, err: `` },
  { line: "create configmap c1 --from-literal=a=1 --from-literal=b=two --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
data:
  a: "1"
  b: two
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c1
`, err: `` },
  { line: "create secret generic s1 --from-literal=user=admin --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
data:
  user: YWRtaW4=
kind: Secret
metadata:
  creationTimestamp: null
  name: s1
`, err: `` },
  { line: "create service clusterip svc1 --tcp=80:8080 --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: svc1
  name: svc1
spec:
  ports:
  - name: 80-8080
    port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: svc1
  type: ClusterIP
status:
  loadBalancer: {}
`, err: `` },
  { line: "create service nodeport np1 --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: np1
  name: np1
spec:
  ports:
  - name: 80-8080
    nodePort: 30080
    port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: np1
  type: NodePort
status:
  loadBalancer: {}
`, err: `` },
  { line: "create service loadbalancer lb1 --tcp=80 --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: lb1
  name: lb1
spec:
  ports:
  - name: "80"
    port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: lb1
  type: LoadBalancer
status:
  loadBalancer: {}
`, err: `` },
  { line: "create deployment web3 --image=busybox --dry-run=client -o yaml -- sleep 3600", code: 0, out: `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web3
  name: web3
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web3
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web3
    spec:
      containers:
      - command:
        - sleep
        - "3600"
        image: busybox
        name: busybox
        resources: {}
status: {}
`, err: `` },
  { line: "create deployment web2 --image=nginx", code: 0, out: `deployment.apps/web2 created
`, err: `` },
  { line: "create namespace dev", code: 0, out: `namespace/dev created
`, err: `` },
  { line: "create configmap c1 --from-literal=a=1", code: 0, out: `configmap/c1 created
`, err: `` },
  { line: "create secret generic s1 --from-literal=a=1", code: 0, out: `secret/s1 created
`, err: `` },
  { line: "create service clusterip svc1 --tcp=80:8080", code: 0, out: `service/svc1 created
`, err: `` },
  { line: "create deployment web --image=nginx", code: 1, out: ``, err: `error: failed to create deployment: deployments.apps "web" already exists
` },
  { line: "create deployment", code: 1, out: ``, err: `error: required flag(s) "image" not set
` },
  { line: "create deployment x", code: 1, out: ``, err: `error: required flag(s) "image" not set
` },
  { line: "create deployment a b --image=x", code: 1, out: ``, err: `error: exactly one NAME is required, got 2
See 'kubectl create deployment -h' for help and examples
` },
  { line: "create configmap c2 --from-literal=a", code: 1, out: ``, err: `error: invalid literal source a, expected key=value
` },
  { line: "create service clusterip x", code: 1, out: ``, err: `error: at least one tcp port specifier must be provided
` },
  { line: "create -f -", code: 1, out: ``, err: `error: no objects passed to create
` },
  { line: "create foo", code: 1, out: ``, err: `error: Unexpected args: [foo]
See 'kubectl create -h' for help and examples
` },
  { line: "create ns default", code: 1, out: ``, err: `Error from server (AlreadyExists): namespaces "default" already exists
` },
  { line: "create secret generic dup --from-literal=a=1 --from-literal=a=2", code: 1, out: ``, err: `error: cannot add key a, another key by that name already exists
` },
  { line: "create deployment web9 --image=nginx --dry-run=server", code: 0, out: `deployment.apps/web9 created (server dry run)
`, err: `` },
  { line: "scale deploy web --replicas=3", code: 0, out: `deployment.apps/web scaled
`, err: `` },
  { line: "scale deploy web --replicas=3 --dry-run=server", code: 0, out: `deployment.apps/web scaled (server dry run)
`, err: `` },
  { line: "scale deploy nope --replicas=3", code: 1, out: ``, err: `error: no objects passed to scale deployments.apps "nope" not found
` },
  { line: "scale deploy web", code: 1, out: ``, err: `error: required flag(s) "replicas" not set
` },
  { line: "scale deploy web --replicas=-1", code: 1, out: ``, err: `error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0
` },
  { line: "scale deploy web --replicas=3 --current-replicas=5", code: 1, out: ``, err: `error: Expected replicas to be 5, was 2
` },
  { line: "scale pod big --replicas=2", code: 1, out: ``, err: `Error from server (NotFound): the server could not find the requested resource
` },
  { line: "scale deploy web --replicas=3 --dry-run=client", code: 0, out: `deployment.apps/web scaled (dry run)
`, err: `` },
  { line: "delete pod nope", code: 1, out: ``, err: `Error from server (NotFound): pods "nope" not found
` },
  { line: "delete pods", code: 1, out: ``, err: `error: resource(s) were provided, but no name was specified
` },
  { line: "delete", code: 1, out: ``, err: `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'
` },
  { line: "delete pod big", code: 0, out: `pod "big" deleted
`, err: `` },
  { line: "delete pod big --dry-run=server", code: 0, out: `pod "big" deleted (server dry run)
`, err: `` },
  { line: "delete pod big --dry-run=client", code: 0, out: `pod "big" deleted (dry run)
`, err: `` },
  { line: "delete pods --all --dry-run=server", code: 0, out: `pod "big" deleted (server dry run)
pod "web-7d4b9c8f6-abcde" deleted (server dry run)
pod "web-7d4b9c8f6-fghij" deleted (server dry run)
`, err: `` },
  { line: "delete pods -l app=web --dry-run=server -o name", code: 0, out: `pod/web-7d4b9c8f6-abcde
pod/web-7d4b9c8f6-fghij
`, err: `` },
  { line: "delete pods -l app=none", code: 0, out: `No resources found
`, err: `` },
  { line: "delete ns default --dry-run=server -n kube-system", code: 0, out: `namespace "default" deleted (server dry run)
`, err: `Warning: deleting cluster-scoped resources, not scoped to the provided namespace
` },
  { line: "delete pod big --grace-period=0 --force --dry-run=server", code: 0, out: `pod "big" force deleted (server dry run)
`, err: `Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.
` },
  { line: "delete pod big -o yaml", code: 1, out: ``, err: `error: unexpected -o output mode: yaml. We only support '-o name'
` },
]

describe('kubectl create, delete, scale', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('create deployment posts the generated object with kubectl-create as field manager', async () => {
    const r = await run('create deployment web2 --image=nginx:1.27 --replicas=2')
    const post = r.cluster.requests.find((q) => q.method === 'POST')!
    expect(post.path).toBe('/apis/apps/v1/namespaces/default/deployments')
    expect(post.query).toEqual({ fieldManager: 'kubectl-create', fieldValidation: 'Strict' })
    expect(post.body).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web2', labels: { app: 'web2' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web2' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } })
    expect(r.cluster.get('apps/v1', 'Deployment', 'web2', 'default')?.spec.replicas).toBe(2)
  })

  it('create -f creates every object of the manifest', async () => {
    const r = await run('create -f -', demoCluster(), { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n' })
    expect(r).toMatchObject({ code: 1, out: 'configmap/a created\n', err: 'Error from server (AlreadyExists): error when creating "STDIN": configmaps "settings" already exists\n' })
  })

  it('scale patches the scale subresource with a merge patch', async () => {
    const r = await run('scale deploy/web --replicas=5')
    const patch = r.cluster.requests.find((q) => q.method === 'PATCH')!
    expect(patch).toMatchObject({ path: '/apis/apps/v1/namespaces/default/deployments/web/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } } })
    expect(r.cluster.get('apps/v1', 'Deployment', 'web', 'default')?.spec.replicas).toBe(5)
  })

  it('delete sends background propagation (and the grace period when given), then waits for the object to go', async () => {
    const c = demoCluster()
    c.graceful.add('pods/default/big')
    c.watchEvents.set('pods', [{ type: 'DELETED', object: c.get('v1', 'Pod', 'big', 'default')! }])
    const r = await run('delete pod big --grace-period=5', c)
    expect(r).toMatchObject({ code: 0, out: 'pod "big" deleted\n', err: '' })
    const del = c.requests.find((q) => q.method === 'DELETE')!
    expect(del.body).toEqual({ propagationPolicy: 'Background', gracePeriodSeconds: 5 })
    const watch = c.requests.find((q) => q.query.watch === 'true')!
    expect(watch.query.fieldSelector).toBe('metadata.name=big')
  })

  it('delete --wait=false does not wait', async () => {
    const c = demoCluster()
    c.graceful.add('pods/default/big')
    const r = await run('delete pod big --wait=false', c)
    expect(r.out).toBe('pod "big" deleted\n')
    expect(c.requests.some((q) => q.query.watch === 'true')).toBe(false)
  })

  it('delete is interrupted by Ctrl-C while it waits', async () => {
    const c = demoCluster()
    c.graceful.add('pods/default/big')
    const ctl = new AbortController()
    setTimeout(() => ctl.abort(), 50)
    const r = await run('delete pod big', c, { signal: ctl.signal })
    expect(r.out).toBe('pod "big" deleted\n')
    expect(r.code).toBe(1)
  })
})

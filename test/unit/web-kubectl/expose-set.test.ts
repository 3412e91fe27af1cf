// kubectl expose and set image: as real kubectl 1.32 printed them for the same
// answers; set image's patch is the one real kubectl sent.
import { describe, expect, it } from 'vitest'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "expose deploy web --port=8080 --target-port=80 --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  ports:
  - port: 8080
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
`, err: `` },
  { line: "expose deploy web --name=web2", code: 0, out: `service/web2 exposed
`, err: `` },
  { line: "expose deploy web", code: 1, out: ``, err: `Error from server (AlreadyExists): services "web" already exists
` },
  { line: "expose pod big", code: 1, out: ``, err: `error: couldn't find port via --port flag or introspection
` },
  { line: "expose pod web-7d4b9c8f6-abcde --name=p1 --type=NodePort --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
    pod-template-hash: 7d4b9c8f6
  name: p1
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
    pod-template-hash: 7d4b9c8f6
  type: NodePort
status:
  loadBalancer: {}
`, err: `` },
  { line: "expose node worker-1 --port=80", code: 1, out: ``, err: `error: cannot expose a Node
` },
  { line: "expose svc web --name=web3 --dry-run=client -o yaml", code: 0, out: `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web3
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
status:
  loadBalancer: {}
`, err: `` },
  { line: "set image deploy/web nginx=nginx:1.28", code: 0, out: `deployment.apps/web image updated
`, err: `` },
  { line: "set image deploy/web nginx=nginx:1.27", code: 0, out: ``, err: `` },
  { line: "set image deploy/web nope=x", code: 1, out: ``, err: `error: unable to find container named "nope"
` },
  { line: "set image deploy/web", code: 1, out: ``, err: `error: at least one image update is required
` },
  { line: "set image pod/big big=busybox:2 --dry-run=server", code: 0, out: `pod/big image updated (server dry run)
`, err: `` },
  { line: "set image deploy/web '*=nginx:2' --dry-run=server", code: 0, out: `deployment.apps/web image updated (server dry run)
`, err: `` },
]

describe('kubectl expose, set image', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('expose creates the Service the object implies', async () => {
    const r = await run('expose deploy web --name=web2 --port=8080 --target-port=80 --type=NodePort')
    expect(r.cluster.get('v1', 'Service', 'web2', 'default')).toMatchObject({ metadata: { labels: { app: 'web' } }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ protocol: 'TCP', port: 8080, targetPort: 80 }] } })
  })

  it('set image sends the strategic merge patch kubectl sends', async () => {
    const r = await run('set image deploy/web nginx=nginx:1.28')
    const patch = r.cluster.requests.find((q) => q.method === 'PATCH')!
    expect(JSON.stringify(patch.body)).toBe('{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.28","name":"nginx"}]}}}}')
    expect(patch.query).toEqual({ fieldManager: 'kubectl-set' })
  })
})

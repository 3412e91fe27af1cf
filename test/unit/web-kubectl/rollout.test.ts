// kubectl rollout: status, history, undo, restart, pause, resume, as real
// kubectl 1.32 printed them for the same answers.
import { describe, expect, it } from 'vitest'
import { ago } from './fake-cluster'
import { demoCluster, richCluster } from './fixtures'
import { type Golden, run } from './run'

const DEMO: Golden[] = [
  { line: "rollout history deploy/web", code: 0, out: `deployment.apps/web 
REVISION  CHANGE-CAUSE
1         <none>

`, err: `` },
  { line: "rollout history deploy/web --revision=1", code: 0, out: `deployment.apps/web with revision #1
Pod Template:
  Labels:	app=web
	pod-template-hash=7d4b9c8f6
  Containers:
   nginx:
    Image:	nginx:1.27
    Port:	80/TCP
    Host Port:	0/TCP
    Limits:
      memory:	256Mi
    Requests:
      cpu:	100m
      memory:	128Mi
    Environment:	<none>
    Mounts:	<none>
  Volumes:	<none>
  Node-Selectors:	<none>
  Tolerations:	<none>

`, err: `` },
  { line: "rollout history deploy/web --revision=3", code: 1, out: ``, err: `error: unable to find the specified revision
` },
  { line: "rollout undo deploy/web", code: 1, out: ``, err: `error: no rollout history found for deployment "web"
` },
  { line: "rollout undo deploy/web --to-revision=1", code: 0, out: `deployment.apps/web skipped rollback (current template already matches revision 1)
`, err: `` },
  { line: "rollout undo deploy/web --to-revision=5", code: 1, out: ``, err: `error: unable to find specified revision 5 in history
` },
  { line: "rollout status rs/web-7d4b9c8f6", code: 1, out: ``, err: `error: no status viewer has been implemented for ReplicaSet.apps
` },
  { line: "rollout resume deploy/web", code: 1, out: ``, err: `error: deployments.apps "web" is not paused
` },
  { line: "rollout foo", code: 1, out: ``, err: `error: unknown command "foo"
See 'kubectl rollout -h' for help and examples
` },
  { line: "rollout status deploy/web", code: 0, out: `deployment "web" successfully rolled out
`, err: `` },
]

const RICH: Golden[] = [
  { line: "rollout history deploy/api", code: 0, out: `deployment.apps/api 
REVISION  CHANGE-CAUSE
1         kubectl create deployment api --image=nginx:1.26
2         kubectl set image deploy/api api=nginx:1.27

`, err: `` },
  { line: "rollout history deploy/api --revision=2", code: 0, out: `deployment.apps/api with revision #2
Pod Template:
  Labels:	app=api
	pod-template-hash=6b7c8d9f0
  Annotations:	kubernetes.io/change-cause: kubectl set image deploy/api api=nginx:1.27
  Containers:
   api:
    Image:	nginx:1.27
    Port:	<none>
    Host Port:	<none>
    Environment:	<none>
    Mounts:	<none>
  Volumes:	<none>
  Node-Selectors:	<none>
  Tolerations:	<none>

`, err: `` },
  { line: "rollout undo deploy/api --dry-run=client", code: 0, out: `deployment.apps/api Pod Template:
  Labels:	app=api
	pod-template-hash=5f6c7d8b9
  Containers:
   api:
    Image:	nginx:1.26
    Port:	<none>
    Host Port:	<none>
    Environment:	<none>
    Mounts:	<none>
  Volumes:	<none>
  Node-Selectors:	<none>
  Tolerations:	<none>
 (dry run)
`, err: `` },
  { line: "rollout undo deploy/api --to-revision=2", code: 0, out: `deployment.apps/api skipped rollback (current template already matches revision 2)
`, err: `` },
  { line: "rollout undo deploy/frozen", code: 1, out: ``, err: `error: no rollout history found for deployment "frozen"
` },
  { line: "rollout pause deploy/frozen", code: 1, out: ``, err: `error: deployments.apps "frozen" is already paused
` },
  { line: "rollout restart deploy/frozen", code: 1, out: ``, err: `error: deployments.apps "frozen" can't restart paused deployment (run rollout resume first)
` },
  { line: "rollout resume deploy/api", code: 1, out: ``, err: `error: deployments.apps "api" is not paused
` },
  { line: "rollout undo deploy/api", code: 0, out: `deployment.apps/api rolled back
`, err: `` },
  { line: "rollout undo deploy/api --dry-run=server", code: 0, out: `deployment.apps/api rolled back (server dry run)
`, err: `` },
  { line: "rollout pause deploy/api", code: 0, out: `deployment.apps/api paused
`, err: `` },
  { line: "rollout resume deploy/frozen", code: 0, out: `deployment.apps/frozen resumed
`, err: `` },
]

describe('kubectl rollout', () => {
  it.each(DEMO)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it.each(RICH)('$line (two revisions, a paused deployment)', async (g) => {
    const r = await run(g.line, richCluster())
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('undo patches the template and annotations of the previous revision back (JSON patch)', async () => {
    const r = await run('rollout undo deploy/api', richCluster())
    const patch = r.cluster.requests.find((q) => q.method === 'PATCH')!
    expect(patch.contentType).toBe('application/json-patch+json')
    expect(patch.body).toEqual([
      { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always' } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'kubectl create deployment api --image=nginx:1.26' } },
    ])
  })

  it('restart stamps restartedAt with the cluster clock', async () => {
    const r = await run('rollout restart deploy/web')
    const patch = r.cluster.requests.find((q) => q.method === 'PATCH')!
    expect(patch.body).toEqual({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-03-01T12:00:00Z' } } } } })
    expect(patch.query).toEqual({ fieldManager: 'kubectl-rollout' })
  })

  it('status follows the watch until the rollout is done', async () => {
    const c = demoCluster()
    const d = c.get('apps/v1', 'Deployment', 'web', 'default')!
    d.metadata.generation = 2
    const step = (status: Record<string, number>) => ({ type: 'MODIFIED', object: { ...structuredClone(d), status: { ...d.status, observedGeneration: 2, ...status } } })
    c.watchEvents.set('deployments', [step({ updatedReplicas: 1, replicas: 3, availableReplicas: 2 }), step({ updatedReplicas: 2, replicas: 3, availableReplicas: 2 }), step({ updatedReplicas: 2, replicas: 2, availableReplicas: 1 }), step({ updatedReplicas: 2, replicas: 2, availableReplicas: 2 })])
    const r = await run('rollout status deployment/web', c)
    expect(r.out).toBe(
      'Waiting for deployment spec update to be observed...\n' +
        'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n' +
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n' +
        'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...\n' +
        'deployment "web" successfully rolled out\n',
    )
    expect(r.code).toBe(0)
    const list = c.requests.find((q) => q.path.endsWith('/deployments') && !q.query.watch)!
    expect(list.query).toEqual({ fieldSelector: 'metadata.name=web', limit: '500', resourceVersion: '0' })
  })

  it('status fails when the progress deadline passed', async () => {
    const c = demoCluster()
    const d = c.get('apps/v1', 'Deployment', 'web', 'default')!
    d.status.conditions[1] = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', lastUpdateTime: ago(1) }
    const r = await run('rollout status deploy/web', c)
    expect(r).toMatchObject({ code: 1, out: '', err: 'error: deployment "web" exceeded its progress deadline\n' })
  })
})

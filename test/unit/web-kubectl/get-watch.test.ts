// kubectl get -w / --watch-only / --output-watch-events: the first listing, then
// one row per watch event, widths kept from the header. Expectations are real
// kubectl 1.32's output against the same answers (serve-fake.mjs, scenarios
// "watch" and "watch-big"), byte for byte.
import { describe, expect, it } from 'vitest'
import { demoCluster, scriptBigWatch, scriptPodWatch } from './fixtures'
import { type Golden, run } from './run'

const PODS: Golden[] = [
  { line: 'get pods -w', code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE
big                   0/1     Pending   0          2m
web-7d4b9c8f6-abcde   1/1     Running   0          10m
web-7d4b9c8f6-fghij   1/1     Running   0          10m
web-7d4b9c8f6-abcde   0/1     Running   1          10m
big                   0/1     Pending   0          2m
web-7d4b9c8f6-klmno   0/1     ContainerCreating   0          1s
`, err: '' },
  { line: 'get pods -w -o name', code: 0, out: `pod/big
pod/web-7d4b9c8f6-abcde
pod/web-7d4b9c8f6-fghij
pod/web-7d4b9c8f6-abcde
pod/big
pod/web-7d4b9c8f6-klmno
`, err: '' },
  { line: 'get pods --watch-only', code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE
web-7d4b9c8f6-abcde   0/1     Running   1          10m
big                   0/1     Pending   0          2m
web-7d4b9c8f6-klmno   0/1     ContainerCreating   0          1s
`, err: '' },
  { line: 'get pods -w --output-watch-events', code: 0, out: `EVENT      NAME                  READY   STATUS    RESTARTS   AGE
ADDED      big                   0/1     Pending   0          2m
ADDED      web-7d4b9c8f6-abcde   1/1     Running   0          10m
ADDED      web-7d4b9c8f6-fghij   1/1     Running   0          10m
MODIFIED   web-7d4b9c8f6-abcde   0/1     Running   1          10m
DELETED    big                   0/1     Pending   0          2m
ADDED      web-7d4b9c8f6-klmno   0/1     ContainerCreating   0          1s
`, err: '' },
  { line: 'get pods -w -o wide', code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES
big                   0/1     Pending   0          2m    <none>       <none>     <none>           <none>
web-7d4b9c8f6-abcde   1/1     Running   0          10m   10.244.1.5   worker-1   <none>           <none>
web-7d4b9c8f6-fghij   1/1     Running   0          10m   10.244.2.7   worker-2   <none>           <none>
web-7d4b9c8f6-abcde   0/1     Running   1          10m   10.244.1.5   worker-1   <none>           <none>
big                   0/1     Pending   0          2m    <none>       <none>     <none>           <none>
web-7d4b9c8f6-klmno   0/1     ContainerCreating   0          1s    10.244.2.8   worker-2   <none>           <none>
`, err: '' },
  { line: 'get pods -w --show-labels', code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE   LABELS
big                   0/1     Pending   0          2m    run=big
web-7d4b9c8f6-abcde   1/1     Running   0          10m   app=web,pod-template-hash=7d4b9c8f6
web-7d4b9c8f6-fghij   1/1     Running   0          10m   app=web,pod-template-hash=7d4b9c8f6
web-7d4b9c8f6-abcde   0/1     Running   1          10m   app=web,pod-template-hash=7d4b9c8f6
big                   0/1     Pending   0          2m    run=big
web-7d4b9c8f6-klmno   0/1     ContainerCreating   0          1s    app=web,pod-template-hash=7d4b9c8f6
`, err: '' },
  { line: 'get pods -l app=web -w', code: 0, out: `NAME                  READY   STATUS    RESTARTS   AGE
web-7d4b9c8f6-abcde   1/1     Running   0          10m
web-7d4b9c8f6-fghij   1/1     Running   0          10m
web-7d4b9c8f6-abcde   0/1     Running   1          10m
web-7d4b9c8f6-klmno   0/1     ContainerCreating   0          1s
`, err: '' },
  { line: `get pods -w -o 'jsonpath={.metadata.name}{"\\n"}'`, code: 0, out: `big
web-7d4b9c8f6-abcde
web-7d4b9c8f6-fghij
web-7d4b9c8f6-abcde
big
web-7d4b9c8f6-klmno
`, err: '' },
]

// A named object: the watch starts at resourceVersion 0, so its first event replays
// what the GET printed and is dropped.
const BIG: Golden[] = [
  { line: 'get pod big -w', code: 0, out: `NAME   READY   STATUS    RESTARTS   AGE
big    0/1     Pending   0          2m
big    0/1     Pending   0          2m
`, err: '' },
  { line: 'get pod big -w --show-labels', code: 0, out: `NAME   READY   STATUS    RESTARTS   AGE   LABELS
big    0/1     Pending   0          2m    run=big
big    0/1     Pending   0          2m    run=big,tier=batch
`, err: '' },
  { line: 'get pod big --watch-only', code: 0, out: `NAME   READY   STATUS    RESTARTS   AGE
big    0/1     Pending   0          2m
`, err: '' },
  { line: 'get pod big -w -o name', code: 0, out: `pod/big
pod/big
`, err: '' },
  { line: 'get pod big -w --output-watch-events', code: 0, out: `EVENT      NAME   READY   STATUS    RESTARTS   AGE
ADDED      big    0/1     Pending   0          2m
MODIFIED   big    0/1     Pending   0          2m
`, err: '' },
]

function podWatch() {
  const c = demoCluster()
  scriptPodWatch(c)
  return c
}

function bigWatch() {
  const c = demoCluster()
  scriptBigWatch(c)
  return c
}

describe('kubectl get -w prints as kubectl 1.32 does', () => {
  for (const g of PODS) {
    it(g.line, async () => {
      const r = await run(g.line, podWatch())
      expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
    })
  }
  for (const g of BIG) {
    it(g.line, async () => {
      const r = await run(g.line, bigWatch())
      expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
    })
  }
})

describe('kubectl get -w requests', () => {
  it('watches a list from the list resourceVersion with its selectors, asking for Table rows', async () => {
    const { cluster } = await run('get pods -l app=web -w', podWatch())
    const w = cluster.requests.find((q) => q.query.watch === 'true')!
    expect(w.path).toBe('/api/v1/namespaces/default/pods')
    expect(w.query).toMatchObject({ labelSelector: 'app=web', resourceVersion: String(cluster.rv) })
    expect(w.accept).toContain('as=Table')
  })

  it('watches a named object by field selector from resourceVersion 0', async () => {
    const { cluster } = await run('get pod big -w', bigWatch())
    const w = cluster.requests.find((q) => q.query.watch === 'true')!
    expect(w.query).toMatchObject({ fieldSelector: 'metadata.name=big', resourceVersion: '0' })
  })

  it('refuses several types, as kubectl does', async () => {
    const r = await run('get pods,svc -w', podWatch())
    expect(r.err).toBe('error: you may only specify a single resource type\n')
    expect(r.code).toBe(1)
  })

  it('stops on Ctrl-C with exit code 1 (kubectl\'s interrupt handler)', async () => {
    const c = podWatch()
    c.holdWatchOpen = true
    const ctl = new AbortController()
    const running = run('get pods -w', c, { signal: ctl.signal })
    await new Promise((r) => setTimeout(r, 20))
    ctl.abort()
    const r = await running
    expect(r.out.split('\n')).toHaveLength(8)
    expect(r.err).toBe('')
    expect(r.code).toBe(1)
  })
})

// kubectl taint, cordon, uncordon and drain: as real kubectl 1.32 printed them
// for the same answers (upstream's drain filters and their messages included).
import { describe, expect, it } from 'vitest'
import { richCluster } from './fixtures'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "taint nodes worker-1 gpu=true:NoSchedule", code: 0, out: `node/worker-1 tainted
`, err: `` },
  { line: "taint nodes worker-1 gpu=true", code: 1, out: ``, err: `error: invalid taint spec: gpu=true, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
See 'kubectl taint -h' for help and examples
` },
  { line: "taint nodes worker-1 gpu-", code: 1, out: ``, err: `error: taint "gpu" not found
` },
  { line: "taint node worker-1 gpu=true:Bad", code: 1, out: ``, err: `error: invalid taint effect: Bad, unsupported taint effect
See 'kubectl taint -h' for help and examples
` },
  { line: "taint pods big a=b:NoSchedule", code: 1, out: ``, err: `error: invalid resource type pods, only node types are supported
` },
  { line: "taint nodes worker-1", code: 1, out: ``, err: `error: at least one taint update is required
` },
  { line: "taint nodes --all a=b:NoExecute --dry-run=server", code: 0, out: `node/worker-1 tainted
node/worker-2 tainted
node/worker-3 tainted
`, err: `` },
  { line: "taint nodes worker-1 a=b:NoSchedule a-", code: 1, out: ``, err: `error: can not both modify and remove the following taint(s) in the same command: a=
` },
  { line: "taint nodes nope a=b:NoSchedule", code: 1, out: ``, err: `Error from server (NotFound): nodes "nope" not found
` },
  { line: "taint nodes worker-3 dedicated-", code: 0, out: `node/worker-3 untainted
`, err: `` },
  { line: "taint nodes worker-3 dedicated=infra:NoExecute", code: 1, out: ``, err: `error: node worker-3 already has dedicated taint(s) with same effect(s) and --overwrite is false
` },
  { line: "taint nodes worker-3 dedicated=x:NoExecute --overwrite", code: 0, out: `node/worker-3 modified
`, err: `` },
  { line: "taint nodes worker-3 dedicated=x:NoSchedule", code: 0, out: `node/worker-3 tainted
`, err: `` },
  { line: "cordon worker-1", code: 0, out: `node/worker-1 cordoned
`, err: `` },
  { line: "cordon worker-3", code: 0, out: `node/worker-3 already cordoned
`, err: `` },
  { line: "cordon", code: 1, out: ``, err: `error: USAGE: cordon NODE [flags]
See 'kubectl cordon -h' for help and examples
` },
  { line: "uncordon worker-1", code: 0, out: `node/worker-1 already uncordoned
`, err: `` },
  { line: "uncordon worker-3 --dry-run=server", code: 0, out: `node/worker-3 uncordoned (server dry run)
`, err: `` },
  { line: "cordon nope", code: 1, out: ``, err: `Error from server (NotFound): nodes "nope" not found
` },
  { line: "drain worker-1 --dry-run=client", code: 0, out: `node/worker-1 cordoned (dry run)
evicting pod default/web-7d4b9c8f6-abcde (dry run)
node/worker-1 drained (dry run)
`, err: `` },
  { line: "drain worker-2 --dry-run=server", code: 0, out: `node/worker-2 cordoned (server dry run)
evicting pod default/web-7d4b9c8f6-fghij (server dry run)
node/worker-2 drained (server dry run)
`, err: `` },
  { line: "drain", code: 1, out: ``, err: `error: USAGE: drain NODE [flags]
See 'kubectl drain -h' for help and examples
` },
  { line: "drain nope", code: 1, out: ``, err: `Error from server (NotFound): nodes "nope" not found
` },
  { line: "drain worker-3 --dry-run=server", code: 1, out: `node/worker-3 already cordoned (server dry run)
`, err: `error: unable to drain node "worker-3" due to error: cannot delete Pods with local storage (use --delete-emptydir-data to override): default/crash, continuing command...
There are pending nodes to be drained:
 worker-3
cannot delete Pods with local storage (use --delete-emptydir-data to override): default/crash
` },
  { line: "drain worker-3 --dry-run=client --force --delete-emptydir-data", code: 0, out: `node/worker-3 already cordoned (dry run)
evicting pod default/crash (dry run)
node/worker-3 drained (dry run)
`, err: `Warning: deleting Pods that declare no controller: default/crash
` },
  { line: "drain worker-3 --dry-run=client --delete-emptydir-data", code: 1, out: `node/worker-3 already cordoned (dry run)
`, err: `error: unable to drain node "worker-3" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/crash, continuing command...
There are pending nodes to be drained:
 worker-3
cannot delete cannot delete Pods that declare no controller (use --force to override): default/crash
` },
  { line: "drain worker-1", code: 0, out: `node/worker-1 cordoned
evicting pod default/web-7d4b9c8f6-abcde
pod/web-7d4b9c8f6-abcde evicted
node/worker-1 drained
`, err: `` },
]

describe('kubectl taint, cordon, uncordon, drain', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line, richCluster())
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('taint sends the whole new taint list', async () => {
    const r = await run('taint nodes worker-3 gpu=a100:PreferNoSchedule', richCluster())
    const patch = r.cluster.requests.find((q) => q.method === 'PATCH')!
    expect(patch.contentType).toBe('application/strategic-merge-patch+json')
    expect(patch.body).toEqual({
      spec: {
        taints: [
          { key: 'gpu', value: 'a100', effect: 'PreferNoSchedule' },
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: r.cluster.get('v1', 'Node', 'worker-3')!.spec.taints[1].timeAdded },
          { key: 'dedicated', value: 'infra', effect: 'NoExecute' },
        ],
      },
    })
  })

  it('cordon and uncordon patch spec.unschedulable', async () => {
    const c = richCluster()
    await run('cordon worker-1', c)
    expect(c.get('v1', 'Node', 'worker-1')?.spec.unschedulable).toBe(true)
    await run('uncordon worker-1', c)
    expect(c.get('v1', 'Node', 'worker-1')?.spec.unschedulable).toBeUndefined()
  })

  it('drain evicts through pods/eviction with the grace period and waits for the pod to go', async () => {
    const r = await run('drain worker-1 --grace-period=10', richCluster())
    const ev = r.cluster.requests.find((q) => q.path.endsWith('/eviction'))!
    expect(ev).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/pods/web-7d4b9c8f6-abcde/eviction', body: { kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'web-7d4b9c8f6-abcde', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 10 } } })
    expect(r.cluster.get('v1', 'Pod', 'web-7d4b9c8f6-abcde', 'default')).toBeUndefined()
  })

  it('drain --disable-eviction deletes instead', async () => {
    const r = await run('drain worker-1 --disable-eviction', richCluster())
    expect(r.out).toBe('node/worker-1 cordoned\npod/web-7d4b9c8f6-abcde deleted\nnode/worker-1 drained\n')
    expect(r.cluster.requests.some((q) => q.method === 'DELETE')).toBe(true)
  })
})

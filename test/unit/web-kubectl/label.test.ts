// kubectl label and annotate: pairs, --overwrite, --list, removal, merge
// patches; output as real kubectl 1.32 printed it for the same answers.
import { describe, expect, it } from 'vitest'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "label pod big env=test", code: 0, out: `pod/big labeled
`, err: `` },
  { line: "label pod big run=x", code: 1, out: ``, err: `error: 'run' already has a value (big), and --overwrite is false
` },
  { line: "label pod big run=x --overwrite", code: 0, out: `pod/big labeled
`, err: `` },
  { line: "label pod big run-", code: 0, out: `pod/big unlabeled
`, err: `` },
  { line: "label pod big run- --overwrite", code: 0, out: `pod/big labeled
`, err: `` },
  { line: "label pod big nope-", code: 0, out: `label "nope" not found.
pod/big not labeled
`, err: `` },
  { line: "label pod big run=big", code: 0, out: `pod/big not labeled
`, err: `` },
  { line: "label pod big", code: 1, out: ``, err: `error: at least one label update is required
` },
  { line: "label pods --all a=b --dry-run=server", code: 0, out: `pod/big labeled (server dry run)
pod/web-7d4b9c8f6-abcde labeled (server dry run)
pod/web-7d4b9c8f6-fghij labeled (server dry run)
`, err: `` },
  { line: "label pod big 'x=bad value'", code: 1, out: ``, err: `error: invalid label value: "x=bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
` },
  { line: "label pod big a=b c", code: 1, out: ``, err: `error: all resources must be specified before label changes: c
` },
  { line: "label pod big --list", code: 0, out: `run=big
`, err: `` },
  { line: "label pods -l app=web --list", code: 0, out: `Listing labels for Pod./web-7d4b9c8f6-abcde:
 app=web
 pod-template-hash=7d4b9c8f6
Listing labels for Pod./web-7d4b9c8f6-fghij:
 app=web
 pod-template-hash=7d4b9c8f6
`, err: `` },
  { line: "annotate pod big note=hi", code: 0, out: `pod/big annotated
`, err: `` },
  { line: "annotate deploy web deployment.kubernetes.io/revision=2", code: 1, out: ``, err: `error: --overwrite is false but found the following declared annotation(s): 'deployment.kubernetes.io/revision' already has a value (1)
` },
  { line: "annotate pod big note=hi -o name --dry-run=server", code: 0, out: `pod/big
`, err: `` },
  { line: "annotate pod big a=1 a-", code: 1, out: ``, err: `error: can not both modify and remove the following annotation(s) in the same command: a
` },
  { line: "label node worker-1 disk=ssd --dry-run=client", code: 0, out: `node/worker-1 labeled (dry run)
`, err: `` },
  { line: "label nope", code: 1, out: ``, err: `error: at least one label update is required
` },
  { line: "label pod nope a=b", code: 1, out: ``, err: `Error from server (NotFound): pods "nope" not found
` },
]

describe('kubectl label, annotate', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line)
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('sends a JSON merge patch of only what changed', async () => {
    const r = await run('label deploy web tier=front app-')
    const patch = r.cluster.requests.find((q) => q.method === 'PATCH')!
    expect(patch).toMatchObject({ path: '/apis/apps/v1/namespaces/default/deployments/web', contentType: 'application/merge-patch+json', body: { metadata: { labels: { tier: 'front', app: null } } } })
    expect(r.cluster.get('apps/v1', 'Deployment', 'web', 'default')?.metadata.labels).toEqual({ tier: 'front' })
  })

  it('annotate sets and removes annotations', async () => {
    const r = await run('annotate pod big owner=team-a')
    expect(r.cluster.get('v1', 'Pod', 'big', 'default')?.metadata.annotations).toEqual({ owner: 'team-a' })
    await run('annotate pod big owner-', r.cluster)
    expect(r.cluster.get('v1', 'Pod', 'big', 'default')?.metadata.annotations).toEqual({})
  })
})

// The controller manager through real kubectl: Deployments roll out, scale,
// roll back and go away with everything they own; namespaces empty; drain
// evicts and cordons. The clock runs fast, as a workshop would run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Kubectl,
  kubectl,
  kubectlVersions,
  type LocalCluster,
  startLocalCluster,
} from '../support/local-cluster'

let cluster: LocalCluster
let k: Kubectl
beforeAll(async () => {
  cluster = await startLocalCluster('ctrl')
  k = kubectl(kubectlVersions().at(-1)!.bin, cluster.kubeconfigFile)
  await k('patch', 'clock', 'cluster', '--type=merge', '-p', '{"spec":{"speed":20}}')
})
afterAll(async () => {
  await cluster?.stop()
})

const until = (args: string[], check: (out: string) => boolean, ms = 120_000) =>
  k.poll(args, check, ms)

const podsOf = async (selector: string) =>
  (
    await k(
      'get',
      'pods',
      '-l',
      selector,
      '--no-headers',
      '-o',
      'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,STATUS:.status.phase,DELETING:.metadata.deletionTimestamp',
    )
  )
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/))

describe('controllers with real kubectl', () => {
  it('creates a deployment and rollout status returns once it is available', async () => {
    await until(['get', 'nodes'], (o) => (o.match(/ Ready /g) ?? []).length === 3)
    await k('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3')
    const out = await k('rollout', 'status', 'deployment/web', '--timeout=120s')
    expect(out).toContain('deployment "web" successfully rolled out')
    expect(await k('get', 'deployment', 'web')).toMatch(/web\s+3\/3\s+3\s+3/)
    expect((await podsOf('app=web')).filter((p) => p[2] === 'Running')).toHaveLength(3)
  })

  it('rolls out a new image with set image, keeps history, and undoes to the old ReplicaSet', async () => {
    const before = (await k('get', 'rs', '-l', 'app=web', '-o', 'name')).trim()
    await k('set', 'image', 'deployment/web', 'nginx=nginx:1.26')
    expect(await k('rollout', 'status', 'deployment/web', '--timeout=120s')).toContain(
      'successfully rolled out',
    )
    const history = await k('rollout', 'history', 'deployment/web')
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/)
    await k('rollout', 'undo', 'deployment/web')
    expect(await k('rollout', 'status', 'deployment/web', '--timeout=120s')).toContain(
      'successfully rolled out',
    )
    expect(
      await k(
        'get',
        'deployment',
        'web',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ),
    ).toBe('nginx:1.25')
    // undo reused the first ReplicaSet, now at revision 3.
    expect((await k('get', 'rs', '-l', 'app=web', '-o', 'name')).trim().split('\n')).toContain(
      before.split('\n')[0],
    )
    expect(await k('rollout', 'history', 'deployment/web')).toMatch(/2\s+<none>\n3\s+<none>/)
  })

  it('scales 3 → 10 → 2', async () => {
    await k('scale', 'deployment/web', '--replicas=10')
    await until(['get', 'deployment', 'web', '--no-headers'], (o) => /web\s+10\/10/.test(o))
    await k('scale', 'deployment/web', '--replicas=2')
    await until(['get', 'deployment', 'web', '--no-headers'], (o) => /web\s+2\/2/.test(o))
    await until(
      ['get', 'pods', '-l', 'app=web', '--no-headers'],
      (o) => o.trim().split('\n').length === 2,
    )
  })

  it('deleting the deployment leaves no ReplicaSets or pods', async () => {
    await k('delete', 'deployment', 'web')
    await until(['get', 'rs,pods', '-l', 'app=web', '--no-headers'], (o) => o.trim() === '')
  })

  it('drain evicts the pods of a node and cordons it', async () => {
    await k('create', 'deployment', 'spread', '--image=nginx:1.27', '--replicas=6')
    await k('rollout', 'status', 'deployment/spread', '--timeout=120s')
    const onNode = (await podsOf('app=spread')).filter((p) => p[1] === 'worker-1').length
    await k('drain', 'worker-1', '--ignore-daemonsets', '--timeout=120s')
    expect(await k('get', 'node', 'worker-1', '--no-headers')).toMatch(/Ready,SchedulingDisabled/)
    await until(['get', 'deployment', 'spread', '--no-headers'], (o) => /spread\s+6\/6/.test(o))
    const pods = await podsOf('app=spread')
    expect(pods.filter((p) => p[1] === 'worker-1' && p[3] === '<none>')).toHaveLength(0)
    expect(onNode).toBeGreaterThanOrEqual(0)
    await k('uncordon', 'worker-1')
  })

  it('deleting a namespace removes everything inside', async () => {
    await k('create', 'namespace', 'temp')
    await k('create', 'deployment', 'inside', '--image=nginx:1.27', '--replicas=2', '-n', 'temp')
    await until(
      ['get', 'pods', '-n', 'temp', '--no-headers'],
      (o) => (o.match(/Running/g) ?? []).length === 2,
    )
    await k('delete', 'namespace', 'temp', '--timeout=120s')
    expect((await k.try('get', 'namespace', 'temp')).stderr).toContain('NotFound')
  })
})

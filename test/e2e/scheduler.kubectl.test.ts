// The scheduler seen through real kubectl: pods without a node are placed,
// a pod that fits nowhere says why in upstream words, taints keep pods away.
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
  cluster = await startLocalCluster('sched')
  k = kubectl(kubectlVersions().at(-1)!.bin, cluster.kubeconfigFile)
  await k('patch', 'clock', 'cluster', '--type=merge', '-p', '{"spec":{"speed":20}}')
})
afterAll(async () => {
  await cluster?.stop()
})

const until = (args: string[], check: (out: string) => boolean, ms = 90_000) =>
  k.poll(args, check, ms)

describe('scheduler with real kubectl', () => {
  it('runs kubectl run on a node of its choosing', async () => {
    await until(['get', 'nodes'], (o) => (o.match(/ Ready /g) ?? []).length === 3)
    await k('run', 'web', '--image=nginx:1.27')
    const out = await until(['get', 'pod', 'web', '-o', 'wide'], (o) => /1\/1\s+Running/.test(o))
    expect(out).toMatch(/worker-[123]/)
    expect(await k('describe', 'pod', 'web')).toMatch(
      /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/web to worker-[123]/,
    )
  })

  it('keeps a pod that asks for more CPU than any node has Pending, and describe says why', async () => {
    await k(
      'run',
      'huge',
      '--image=nginx:1.27',
      '--overrides={"spec":{"containers":[{"name":"huge","image":"nginx:1.27","resources":{"requests":{"cpu":"64"}}}]}}',
    )
    await until(['describe', 'pod', 'huge'], (o) => o.includes('FailedScheduling'))
    const described = await k('describe', 'pod', 'huge')
    expect(described).toMatch(/Status:\s+Pending/)
    expect(described).toMatch(
      /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\./,
    )
    expect(await k('get', 'schedulingdecision', 'huge')).toMatch(
      /huge\s+Unschedulable\s+<none>\s+\d/,
    )
  })

  it('sends only tolerating pods to a tainted node', async () => {
    await k('taint', 'node', 'worker-3', 'dedicated=gpu:NoSchedule')
    for (let i = 0; i < 6; i++)
      await k('run', `plain-${i}`, '--image=busybox:1.36', '--', 'sleep', '3600')
    await k(
      'run',
      'gpu',
      '--image=busybox:1.36',
      '--overrides={"spec":{"tolerations":[{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}],"nodeSelector":{"kubernetes.io/hostname":"worker-3"}}}',
      '--',
      'sleep',
      '3600',
    )
    const out = await until(
      [
        'get',
        'pods',
        '-o',
        'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName',
        '--no-headers',
      ],
      (o) =>
        o.split('\n').filter((l) => /^(plain|gpu)/.test(l) && !l.includes('<none>')).length === 7,
    )
    const nodes = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/) as [string, string]),
    )
    expect(nodes.gpu).toBe('worker-3')
    for (let i = 0; i < 6; i++) expect(nodes[`plain-${i}`]).not.toBe('worker-3')
  })

  it('spreads a Deployment with required anti-affinity on hostname one per node, and leaves the extra replica Pending', async () => {
    await k('taint', 'node', 'worker-3', 'dedicated-')
    await k.stdin(
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: solo}
spec:
  replicas: 4
  selector: {matchLabels: {app: solo}}
  template:
    metadata: {labels: {app: solo}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: solo}}
            topologyKey: kubernetes.io/hostname
      containers: [{name: app, image: busybox:1.36, command: [sleep, '3600']}]
`,
      'apply',
      '-f',
      '-',
    )
    const out = await until(
      ['get', 'pods', '-l', 'app=solo', '--no-headers', '-o', 'custom-columns=NODE:.spec.nodeName'],
      (o) =>
        o.trim().split('\n').length === 4 &&
        o.split('\n').filter((l) => /worker/.test(l)).length === 3,
    )
    expect(
      new Set(
        out
          .split('\n')
          .filter((l) => /worker/.test(l))
          .map((l) => l.trim()),
      ).size,
    ).toBe(3)
    const pending = (
      await k(
        'get',
        'pods',
        '-l',
        'app=solo',
        '--field-selector=status.phase=Pending',
        '-o',
        'name',
      )
    ).trim()
    expect(await k('describe', pending)).toMatch(
      /0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\./,
    )
  })

  it('balances 6 replicas 2/2/2 over zones with a topology spread constraint', async () => {
    await k.stdin(
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: zoned}
spec:
  replicas: 6
  selector: {matchLabels: {app: zoned}}
  template:
    metadata: {labels: {app: zoned}}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: zoned}}
      containers: [{name: app, image: busybox:1.36, command: [sleep, '3600']}]
`,
      'apply',
      '-f',
      '-',
    )
    const out = await until(
      [
        'get',
        'pods',
        '-l',
        'app=zoned',
        '--no-headers',
        '-o',
        'custom-columns=NODE:.spec.nodeName',
      ],
      (o) => o.split('\n').filter((l) => /worker/.test(l)).length === 6,
    )
    const perNode = new Map<string, number>()
    for (const n of out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean))
      perNode.set(n, (perNode.get(n) ?? 0) + 1)
    expect([...perNode.values()].sort()).toEqual([2, 2, 2])
  })
})

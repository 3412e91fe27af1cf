import { describe, expect, it } from 'vitest'
import { newPodTopologySpreadScore, podTopologySpreadScore } from './pod-topology-spread'
import { makeNode, makePod, runScore } from './test-fixtures'

const web = (n: number, labels: Record<string, string> = { app: 'web' }) =>
  Array.from({ length: n }, (_, i) => makePod({ name: `web-${i}`, labels }))
const spread = (topologyKey: string, extra: object = {}) => ({
  maxSkew: 1,
  topologyKey,
  whenUnsatisfiable: 'ScheduleAnyway',
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
})
const podWith = (constraints: object[], spec: object = {}) =>
  makePod({ labels: { app: 'web' }, spec: { topologySpreadConstraints: constraints, ...spec } })

describe('PodTopologySpread score', () => {
  it.each([
    {
      // zones a (3 pods) and b (0): 3 × log(2 + 2) = 4.16 → 4; normalised 100 × (4 + 0 − s) / 4
      name: 'zone constraint',
      constraints: [spread('zone')],
      nodes: [
        makeNode('n1', { labels: { zone: 'a' }, pods: web(2) }),
        makeNode('n2', { labels: { zone: 'a' }, pods: web(1) }),
        makeNode('n3', { labels: { zone: 'b' } }),
      ],
      raw: { n1: 4, n2: 4, n3: 0 },
      want: { n1: 0, n2: 0, n3: 100 },
    },
    {
      // weight log(3 + 2): 2 pods → 3.22 → 3, 1 pod → 1.61 → 2; normalised 0, 33, 100
      name: 'hostname constraint',
      constraints: [spread('kubernetes.io/hostname')],
      nodes: [
        makeNode('n1', { pods: web(2) }),
        makeNode('n2', { pods: [...web(1), ...web(3, { app: 'db' })] }),
        makeNode('n3'),
      ],
      raw: { n1: 3, n2: 2, n3: 0 },
      want: { n1: 0, n2: 33, n3: 100 },
    },
    {
      name: 'nodes without the key are ignored and score 0',
      constraints: [spread('zone')],
      nodes: [
        makeNode('n1', { labels: { zone: 'a' }, pods: web(1) }),
        makeNode('n2', { labels: { zone: 'b' } }),
        makeNode('n4', { pods: web(5) }),
      ],
      // log(4) → 1; maxSkew 2 would add 1 to each
      raw: { n1: 1, n2: 0, n4: 0 },
      want: { n1: 0, n2: 100, n4: 0 },
    },
    {
      name: 'no matching pods anywhere: every node 100',
      constraints: [spread('zone')],
      nodes: [makeNode('n1', { labels: { zone: 'a' } }), makeNode('n2', { labels: { zone: 'b' } })],
      raw: { n1: 0, n2: 0 },
      want: { n1: 100, n2: 100 },
    },
    {
      name: 'an empty selector counts no pods',
      constraints: [spread('zone', { labelSelector: {} })],
      nodes: [
        makeNode('n1', { labels: { zone: 'a' }, pods: web(3) }),
        makeNode('n2', { labels: { zone: 'b' } }),
      ],
      raw: { n1: 0, n2: 0 },
      want: { n1: 100, n2: 100 },
    },
    {
      name: 'terminating and other-namespace pods do not count',
      constraints: [spread('kubernetes.io/hostname')],
      nodes: [
        makeNode('n1', {
          pods: [
            makePod({
              labels: { app: 'web' },
              metadata: { deletionTimestamp: '2030-01-01T00:00:00Z' },
            }),
            makePod({ labels: { app: 'web' }, namespace: 'other' }),
          ],
        }),
        makeNode('n2', { pods: web(1) }),
      ],
      raw: { n1: 0, n2: 1 },
      want: { n1: 100, n2: 0 },
    },
  ])('$name', ({ constraints, nodes, raw, want }) => {
    expect(runScore(podTopologySpreadScore, podWith(constraints), nodes)).toEqual({
      raw,
      normalized: want,
    })
  })

  it('matchLabelKeys narrows the selector to the pod’s own values', () => {
    const pod = makePod({
      labels: { app: 'web', hash: 'v2' },
      spec: {
        topologySpreadConstraints: [spread('kubernetes.io/hostname', { matchLabelKeys: ['hash'] })],
      },
    })
    const nodes = [
      makeNode('n1', { pods: web(2, { app: 'web', hash: 'v1' }) }),
      makeNode('n2', { pods: web(1, { app: 'web', hash: 'v2' }) }),
    ]
    // log(4) for the 2 hosts: n2 1.39 → 1
    expect(runScore(podTopologySpreadScore, pod, nodes)?.raw).toEqual({ n1: 0, n2: 1 })
  })

  it.each([
    { policy: 'Honor', raw: { n1: 0, n3: 0 } },
    // n2 (outside the pod's nodeSelector) counts toward zone a: 5 × log(4) = 6.93 → 7
    { policy: 'Ignore', raw: { n1: 7, n3: 0 } },
  ])('nodeAffinityPolicy $policy', ({ policy, raw }) => {
    const pod = podWith([spread('zone', { nodeAffinityPolicy: policy })], {
      nodeSelector: { disk: 'ssd' },
    })
    const nodes = [
      makeNode('n1', { labels: { zone: 'a', disk: 'ssd' } }),
      makeNode('n2', { labels: { zone: 'a' }, pods: web(5) }),
      makeNode('n3', { labels: { zone: 'b', disk: 'ssd' } }),
    ]
    expect(runScore(podTopologySpreadScore, pod, nodes, [nodes[0]!, nodes[2]!])?.raw).toEqual(raw)
  })

  it('applies the system defaults to a ReplicaSet’s pod, selecting its exact labels', () => {
    const labels = { app: 'web', 'pod-template-hash': 'x' }
    const owner = {
      kind: 'ReplicaSet',
      name: 'web-x',
      controller: true,
      apiVersion: 'apps/v1',
      uid: 'u',
    }
    const pod = makePod({ labels, metadata: { ownerReferences: [owner] } })
    const nodes = [
      makeNode('n1', { labels: { 'topology.kubernetes.io/zone': 'a' }, pods: web(1, labels) }),
      makeNode('n2', { labels: { 'topology.kubernetes.io/zone': 'a' }, pods: web(1) }),
      makeNode('n3'),
    ]
    // hostname (maxSkew 3, log 5) + zone (maxSkew 5, log 4; n3 has no zone):
    // n1 1.61 + 2 + 1.39 + 4 = 9, n2 2 + 1.39 + 4 = 7, n3 2 → 100 × (11 − s) / 9
    expect(runScore(podTopologySpreadScore, pod, nodes)).toEqual({
      raw: { n1: 9, n2: 7, n3: 2 },
      normalized: { n1: 22, n2: 44, n3: 100 },
    })
  })

  it('skips pods with nothing to spread', () => {
    const nodes = [makeNode('n1')]
    expect(
      runScore(podTopologySpreadScore, makePod({ labels: { app: 'web' } }), nodes),
    ).toBeUndefined()
    const hard = spread('zone', { whenUnsatisfiable: 'DoNotSchedule' })
    expect(runScore(podTopologySpreadScore, podWith([hard]), nodes)).toBeUndefined()
    const notController = { kind: 'ReplicaSet', name: 'x', controller: false }
    const pod = makePod({ labels: { app: 'web' }, metadata: { ownerReferences: [notController] } })
    expect(runScore(podTopologySpreadScore, pod, nodes)).toBeUndefined()
  })

  it('takes a real default selector when given one', () => {
    const plugin = newPodTopologySpreadScore({
      defaultSelector: () => ({ empty: false, matches: (l) => l?.app === 'web' }),
    })
    const nodes = [makeNode('n1', { pods: web(1) }), makeNode('n2')]
    // hostname only (no zones): n1 1 × log 4 + 2 = 3.39 → 3, n2 2
    expect(runScore(plugin, makePod(), nodes)?.raw).toEqual({ n1: 3, n2: 2 })
  })
})

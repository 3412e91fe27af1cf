import { describe, expect, it } from 'vitest'
import { interPodAffinityScore, newInterPodAffinityScore } from './inter-pod-affinity'
import { makeNode, makePod, runScore } from './test-fixtures'

const term = (app: string, topologyKey: string, extra: object = {}) => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
  ...extra,
})
const affinity = (a: object) =>
  makePod({ name: 'incoming', labels: { app: 'frontend' }, spec: { affinity: a } })
const zoned = (name: string, zone: string, pods: object[] = []) =>
  makeNode(name, { labels: { zone }, pods })

describe('InterPodAffinity score', () => {
  it('adds preferred affinity and takes preferred anti-affinity by domain', () => {
    const pod = affinity({
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, podAffinityTerm: term('db', 'zone') },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 5, podAffinityTerm: term('web', 'kubernetes.io/hostname') },
        ],
      },
    })
    const nodes = [
      zoned('n1', 'a', [makePod({ labels: { app: 'web' } })]),
      zoned('n2', 'a', [makePod({ labels: { app: 'db' } })]),
      zoned('n3', 'b'),
    ]
    // zone a +10; host n1 −5 → 5, 10, 0 → min–max 50, 100, 0
    expect(runScore(interPodAffinityScore, pod, nodes)).toEqual({
      raw: { n1: 5, n2: 10, n3: 0 },
      normalized: { n1: 50, n2: 100, n3: 0 },
    })
  })

  it('counts existing pods’ required affinity (weight 1) and preferred anti-affinity', () => {
    const required = makePod({
      spec: {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [term('frontend', 'zone')],
          },
        },
      },
    })
    const repelling = makePod({
      spec: {
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 20, podAffinityTerm: term('frontend', 'kubernetes.io/hostname') },
            ],
          },
        },
      },
    })
    const nodes = [zoned('n1', 'a', [repelling]), zoned('n2', 'a'), zoned('n3', 'b', [required])]
    // −20, 0, +1: 100 × 20/21 = 95.2 → 95
    expect(runScore(interPodAffinityScore, affinity({}), nodes)).toEqual({
      raw: { n1: -20, n2: 0, n3: 1 },
      normalized: { n1: 0, n2: 95, n3: 100 },
    })
    const noHard = newInterPodAffinityScore({ hardPodAffinityWeight: 0 })
    expect(runScore(noHard, affinity({}), nodes)?.raw).toEqual({ n1: -20, n2: 0, n3: 0 })
    const ignoring = newInterPodAffinityScore({ ignorePreferredTermsOfExistingPods: true })
    expect(runScore(ignoring, affinity({}), nodes)).toBeUndefined()
  })

  it.each([
    { name: 'own namespace by default', extra: {}, want: undefined },
    { name: 'listed namespaces', extra: { namespaces: ['other'] }, want: { n1: 100, n2: 0 } },
    {
      name: 'namespaceSelector {} is every namespace',
      extra: { namespaceSelector: {} },
      want: { n1: 100, n2: 0 },
    },
    {
      name: 'namespaceSelector by the metadata.name label',
      extra: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } },
      want: { n1: 100, n2: 0 },
    },
  ])('namespaces: $name', ({ extra, want }) => {
    const pod = affinity({
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, podAffinityTerm: term('db', 'zone', extra) },
        ],
      },
    })
    const nodes = [
      zoned('n1', 'a', [makePod({ labels: { app: 'db' }, namespace: 'other' })]),
      zoned('n2', 'b'),
    ]
    expect(runScore(interPodAffinityScore, pod, nodes)?.normalized).toEqual(want)
  })

  it('counts pods on nodes that did not pass filtering', () => {
    const pod = affinity({
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 3, podAffinityTerm: term('db', 'zone') },
        ],
      },
    })
    const nodes = [
      zoned('n1', 'a'),
      zoned('n2', 'a', [makePod({ labels: { app: 'db' } })]),
      zoned('n3', 'b'),
    ]
    expect(runScore(interPodAffinityScore, pod, nodes, [nodes[0]!, nodes[2]!])).toEqual({
      raw: { n1: 3, n3: 0 },
      normalized: { n1: 100, n3: 0 },
    })
  })

  it('equal sums normalise to 0', () => {
    const pod = affinity({
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 3, podAffinityTerm: term('db', 'zone') },
        ],
      },
    })
    const nodes = [zoned('n1', 'a', [makePod({ labels: { app: 'db' } })]), zoned('n2', 'a')]
    expect(runScore(interPodAffinityScore, pod, nodes)?.normalized).toEqual({ n1: 0, n2: 0 })
  })
})

import { describe, expect, it } from 'vitest'
import { Code, type Obj, type Status } from '../../framework/types'
import { makeNode, makePod, runFilter, type NodeCase } from '../helper/testing'
import { InterPodAffinity } from './inter-pod-affinity'

const AFFINITY = "node(s) didn't match pod affinity rules"
const ANTI = "node(s) didn't match pod anti-affinity rules"
const EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules"
const HOST = 'kubernetes.io/hostname'

const term = (labels: Record<string, string>, topologyKey = 'zone', extra: Obj = {}) => ({
  labelSelector: { matchLabels: labels },
  topologyKey,
  ...extra,
})
const affinity = (...terms: Obj[]) => ({
  podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms },
})
const anti = (...terms: Obj[]) => ({
  podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms },
})
const pod = (name: string, labels: Record<string, string>, aff?: Obj, namespace?: string) =>
  makePod({ name, labels, namespace, spec: aff ? { affinity: aff } : {} })
const zoned = (name: string, zone: string | undefined, pods: Obj[] = []): NodeCase => ({
  node: makeNode(name, { labels: zone ? { zone } : {} }),
  pods,
})

/** Each node's verdict in short: 'ok' or the failing reason. */
const verdicts = (got: Record<string, Status>) =>
  Object.fromEntries(
    Object.entries(got).map(([n, s]) => [n, s.code === Code.Success ? 'ok' : s.reasons[0]]),
  )

describe('InterPodAffinity filter', () => {
  const db = pod('db', { app: 'db' })
  const cases: { name: string; pod: Obj; nodes: NodeCase[]; want: Record<string, string> }[] = [
    {
      name: 'no terms and no existing anti-affinity',
      pod: pod('new', { app: 'web' }),
      nodes: [zoned('n1', 'a', [db])],
      want: { n1: 'ok' },
    },
    {
      name: 'affinity: only the zone holding a matching pod',
      pod: pod('new', { app: 'web' }, affinity(term({ app: 'db' }))),
      nodes: [zoned('n1', 'a', [db]), zoned('n2', 'a'), zoned('n3', 'b')],
      want: { n1: 'ok', n2: 'ok', n3: AFFINITY },
    },
    {
      name: 'affinity: a node without the topology label fails',
      pod: pod('new', { app: 'web' }, affinity(term({ app: 'db' }))),
      nodes: [zoned('n1', 'a', [db]), zoned('n2', undefined)],
      want: { n1: 'ok', n2: AFFINITY },
    },
    {
      name: 'affinity to pods that exist nowhere',
      pod: pod('new', { app: 'web' }, affinity(term({ app: 'db' }))),
      nodes: [zoned('n1', 'a'), zoned('n2', 'b')],
      want: { n1: AFFINITY, n2: AFFINITY },
    },
    {
      name: 'self-affinity, first pod of its group: any labelled node',
      pod: pod('new', { app: 'web' }, affinity(term({ app: 'web' }))),
      nodes: [zoned('n1', 'a', [db]), zoned('n2', 'b'), zoned('n3', undefined)],
      want: { n1: 'ok', n2: 'ok', n3: AFFINITY },
    },
    {
      name: 'self-affinity once a group member exists: its zone only',
      pod: pod('new', { app: 'web' }, affinity(term({ app: 'web' }))),
      nodes: [zoned('n1', 'a', [pod('web-0', { app: 'web' })]), zoned('n2', 'b')],
      want: { n1: 'ok', n2: AFFINITY },
    },
    {
      name: 'a pod counts for affinity only if it matches every term',
      pod: pod('new', { app: 'web' }, affinity(term({ app: 'db' }), term({ tier: 'back' }, HOST))),
      nodes: [zoned('n1', 'a', [db]), zoned('n2', 'a', [pod('both', { app: 'db', tier: 'back' })])],
      want: { n1: AFFINITY, n2: 'ok' },
    },
    {
      name: 'a term without labelSelector matches no pod',
      pod: pod('new', { app: 'web' }, affinity({ topologyKey: 'zone' })),
      nodes: [zoned('n1', 'a', [db])],
      want: { n1: AFFINITY },
    },
    {
      name: 'affinity looks in the pod’s own namespace by default',
      pod: pod('new', { app: 'web' }, affinity(term({ app: 'db' }))),
      nodes: [
        zoned('n1', 'a', [pod('db', { app: 'db' }, undefined, 'other')]),
        zoned('n2', 'b', [db]),
      ],
      want: { n1: AFFINITY, n2: 'ok' },
    },
    {
      name: 'affinity with namespaces lists',
      pod: pod(
        'new',
        { app: 'web' },
        affinity(term({ app: 'db' }, 'zone', { namespaces: ['other'] })),
      ),
      nodes: [
        zoned('n1', 'a', [pod('db', { app: 'db' }, undefined, 'other')]),
        zoned('n2', 'b', [db]),
      ],
      want: { n1: 'ok', n2: AFFINITY },
    },
    {
      name: 'an empty namespaceSelector means every namespace',
      pod: pod(
        'new',
        { app: 'web' },
        affinity(term({ app: 'db' }, 'zone', { namespaceSelector: {} })),
      ),
      nodes: [zoned('n1', 'a', [pod('db', { app: 'db' }, undefined, 'other')]), zoned('n2', 'b')],
      want: { n1: 'ok', n2: AFFINITY },
    },
    {
      name: 'namespaceSelector on the namespace name label',
      pod: pod(
        'new',
        { app: 'web' },
        affinity(
          term({ app: 'db' }, 'zone', {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } },
          }),
        ),
      ),
      nodes: [
        zoned('n1', 'a', [pod('db', { app: 'db' }, undefined, 'other')]),
        zoned('n2', 'b', [db]),
      ],
      want: { n1: 'ok', n2: AFFINITY },
    },
    {
      name: 'anti-affinity by hostname',
      pod: pod('new', { app: 'web' }, anti(term({ app: 'web' }, HOST))),
      nodes: [zoned('n1', 'a', [pod('web-0', { app: 'web' })]), zoned('n2', 'a')],
      want: { n1: ANTI, n2: 'ok' },
    },
    {
      name: 'anti-affinity by zone',
      pod: pod('new', { app: 'web' }, anti(term({ app: 'web' }))),
      nodes: [zoned('n1', 'a', [pod('web-0', { app: 'web' })]), zoned('n2', 'a'), zoned('n3', 'b')],
      want: { n1: ANTI, n2: ANTI, n3: 'ok' },
    },
    {
      name: 'anti-affinity: a node without the topology label passes',
      pod: pod('new', { app: 'web' }, anti(term({ app: 'web' }))),
      nodes: [
        zoned('n1', 'a', [pod('web-0', { app: 'web' })]),
        zoned('n2', undefined, [pod('web-1', { app: 'web' })]),
      ],
      want: { n1: ANTI, n2: 'ok' },
    },
    {
      name: 'existing pods’ anti-affinity keeps the incoming pod out of their domain',
      pod: pod('new', { app: 'web' }),
      nodes: [
        zoned('n1', 'a', [pod('loner', { app: 'loner' }, anti(term({ app: 'web' }, HOST)))]),
        zoned('n2', 'a'),
      ],
      want: { n1: EXISTING, n2: 'ok' },
    },
    {
      name: 'existing pods’ anti-affinity by zone',
      pod: pod('new', { app: 'web' }),
      nodes: [
        zoned('n1', 'a', [pod('loner', { app: 'loner' }, anti(term({ app: 'web' })))]),
        zoned('n2', 'a'),
        zoned('n3', 'b'),
      ],
      want: { n1: EXISTING, n2: EXISTING, n3: 'ok' },
    },
    {
      name: 'existing pods’ anti-affinity is scoped to their own namespace',
      pod: pod('new', { app: 'web' }),
      nodes: [
        zoned('n1', 'a', [
          pod('loner', { app: 'loner' }, anti(term({ app: 'web' }, HOST)), 'other'),
        ]),
      ],
      want: { n1: 'ok' },
    },
    {
      name: 'affinity is checked before anti-affinity',
      pod: pod(
        'new',
        { app: 'web' },
        { ...affinity(term({ app: 'db' })), ...anti(term({ app: 'web' })) },
      ),
      nodes: [zoned('n1', 'a', [db, pod('web-0', { app: 'web' })]), zoned('n2', 'b')],
      want: { n1: ANTI, n2: AFFINITY },
    },
  ]
  it.each(cases)('$name', ({ pod, nodes, want }) => {
    expect(verdicts(runFilter(InterPodAffinity, pod, nodes))).toEqual(want)
  })

  it('reports upstream’s codes', () => {
    const got = runFilter(
      InterPodAffinity,
      pod(
        'new',
        { app: 'web' },
        { ...affinity(term({ app: 'db' })), ...anti(term({ app: 'web' }, HOST)) },
      ),
      [
        zoned('n1', 'a', [pod('db', { app: 'db' }), pod('web-0', { app: 'web' })]),
        zoned('n2', 'b', [pod('loner', { app: 'db' }, anti(term({ app: 'web' }, HOST)))]),
        zoned('n3', 'c'),
      ],
    )
    expect(got.n1).toEqual({ code: Code.Unschedulable, reasons: [ANTI] })
    expect(got.n3).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: [AFFINITY] })
  })
})

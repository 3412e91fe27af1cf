import { describe, expect, it } from 'vitest'
import { Code, type Obj, type Status } from '../../framework/types'
import { makeNode, makePod, runFilter, type NodeCase } from '../helper/testing'
import { PodTopologySpread } from './pod-topology-spread'

const MISMATCH = "node(s) didn't match pod topology spread constraints"
const MISSING_LABEL =
  "node(s) didn't match pod topology spread constraints (missing required label)"

const constraint = (topologyKey: string, extra: Obj = {}) => ({
  maxSkew: 1,
  topologyKey,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
})
const incoming = (
  constraints: Obj[],
  spec: Obj = {},
  labels: Record<string, string> = { app: 'web' },
) => makePod({ name: 'new', labels, spec: { topologySpreadConstraints: constraints, ...spec } })
const web = (n: number, extra: Obj = {}) =>
  Array.from({ length: n }, (_, i) =>
    makePod({ name: `web-${i}`, labels: { app: 'web' }, ...extra }),
  )
const zoned = (name: string, zone: string | undefined, pods: Obj[] = [], spec?: Obj): NodeCase => ({
  node: makeNode(name, { labels: zone ? { zone } : {}, spec }),
  pods,
})

/** Each node's verdict in short: 'ok', 'skew' or 'label'. */
const verdicts = (got: Record<string, Status>) =>
  Object.fromEntries(
    Object.entries(got).map(([n, s]) => [
      n,
      s.code === Code.Success ? 'ok' : s.reasons[0] === MISSING_LABEL ? 'label' : 'skew',
    ]),
  )

describe('PodTopologySpread filter', () => {
  const cases: { name: string; pod: Obj; nodes: NodeCase[]; want: Record<string, string> }[] = [
    {
      name: 'no pods yet: every zone fits',
      pod: incoming([constraint('zone')]),
      nodes: [zoned('n1', 'a'), zoned('n2', 'b')],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'the crowded zone fails',
      pod: incoming([constraint('zone')]),
      nodes: [
        zoned('n1', 'a', web(2)),
        zoned('n2', 'a', web(1)),
        zoned('n3', 'b'),
        zoned('n4', 'b', web(1)),
      ],
      want: { n1: 'skew', n2: 'skew', n3: 'ok', n4: 'ok' },
    },
    {
      name: 'skew within maxSkew 2',
      pod: incoming([constraint('zone', { maxSkew: 2 })]),
      nodes: [zoned('n1', 'a', web(1)), zoned('n2', 'b')],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'a node without the topology label is unresolvable, and its pods do not count',
      pod: incoming([constraint('zone')]),
      nodes: [zoned('n1', 'a'), zoned('n2', undefined, web(5))],
      want: { n1: 'ok', n2: 'label' },
    },
    {
      name: 'pods in other namespaces and non-matching pods do not count',
      pod: incoming([constraint('zone')]),
      nodes: [
        zoned('n1', 'a', [
          ...web(3, { namespace: 'other' }),
          makePod({ name: 'db', labels: { app: 'db' } }),
        ]),
        zoned('n2', 'b'),
      ],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'terminating pods do not count',
      pod: incoming([constraint('zone')]),
      nodes: [
        zoned(
          'n1',
          'a',
          web(2).map((p) => ({
            ...p,
            metadata: { ...p.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' },
          })),
        ),
        zoned('n2', 'b'),
      ],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'a pod its own selector does not match adds no skew',
      pod: incoming([constraint('zone')], {}, { app: 'other' }),
      nodes: [zoned('n1', 'a', web(1)), zoned('n2', 'b')],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'minDomains above the eligible domains makes the global minimum 0',
      pod: incoming([constraint('zone', { minDomains: 3 })]),
      nodes: [zoned('n1', 'a', web(1)), zoned('n2', 'b', web(1))],
      want: { n1: 'skew', n2: 'skew' },
    },
    {
      name: 'minDomains met leaves the real minimum',
      pod: incoming([constraint('zone', { minDomains: 2 })]),
      nodes: [zoned('n1', 'a', web(1)), zoned('n2', 'b', web(1))],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'nodeAffinityPolicy Honor (default): nodes outside the nodeSelector do not form domains',
      pod: incoming([constraint('zone')], { nodeSelector: { pool: 'x' } }),
      nodes: [
        { node: makeNode('n1', { labels: { zone: 'a', pool: 'x' } }), pods: web(1) },
        { node: makeNode('n2', { labels: { zone: 'b' } }) },
      ],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'nodeAffinityPolicy Ignore: they do',
      pod: incoming([constraint('zone', { nodeAffinityPolicy: 'Ignore' })], {
        nodeSelector: { pool: 'x' },
      }),
      nodes: [
        { node: makeNode('n1', { labels: { zone: 'a', pool: 'x' } }), pods: web(1) },
        { node: makeNode('n2', { labels: { zone: 'b' } }) },
      ],
      want: { n1: 'skew', n2: 'ok' },
    },
    {
      name: 'nodeTaintsPolicy Ignore (default): tainted nodes form domains',
      pod: incoming([constraint('zone')]),
      nodes: [
        zoned('n1', 'a', web(1)),
        zoned('n2', 'b', [], { taints: [{ key: 'k', effect: 'NoSchedule' }] }),
      ],
      want: { n1: 'skew', n2: 'ok' },
    },
    {
      name: 'nodeTaintsPolicy Honor: untolerated tainted nodes do not',
      pod: incoming([constraint('zone', { nodeTaintsPolicy: 'Honor' })]),
      nodes: [
        zoned('n1', 'a', web(1)),
        zoned('n2', 'b', [], { taints: [{ key: 'k', effect: 'NoSchedule' }] }),
      ],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'matchLabelKeys narrows the count to the pod’s own revision',
      pod: incoming(
        [constraint('zone', { matchLabelKeys: ['rev'] })],
        {},
        {
          app: 'web',
          rev: '2',
        },
      ),
      nodes: [zoned('n1', 'a', web(3, { labels: { app: 'web', rev: '1' } })), zoned('n2', 'b')],
      want: { n1: 'ok', n2: 'ok' },
    },
    {
      name: 'selector matchExpressions',
      pod: incoming([
        constraint('zone', {
          labelSelector: {
            matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }],
          },
        }),
      ]),
      nodes: [
        zoned('n1', 'a', [makePod({ name: 'api', labels: { app: 'api' } })]),
        zoned('n2', 'b'),
      ],
      want: { n1: 'skew', n2: 'ok' },
    },
    {
      name: 'two constraints: zone and hostname both hold',
      pod: incoming([constraint('zone'), constraint('kubernetes.io/hostname')]),
      nodes: [zoned('n1', 'a', web(1)), zoned('n2', 'a'), zoned('n3', 'b'), zoned('n4', 'b')],
      want: { n1: 'skew', n2: 'skew', n3: 'ok', n4: 'ok' },
    },
    {
      name: 'a node lacking any constraint’s key counts for none',
      pod: incoming([constraint('zone'), constraint('rack')]),
      nodes: [
        { node: makeNode('n1', { labels: { zone: 'a', rack: 'r1' } }) },
        { node: makeNode('n2', { labels: { zone: 'b' } }), pods: web(4) },
        { node: makeNode('n3', { labels: { zone: 'b', rack: 'r2' } }) },
      ],
      want: { n1: 'ok', n2: 'label', n3: 'ok' },
    },
    {
      name: 'ScheduleAnyway constraints are not filters',
      pod: incoming([constraint('zone', { whenUnsatisfiable: 'ScheduleAnyway' })]),
      nodes: [zoned('n1', 'a', web(5)), zoned('n2', 'b'), zoned('n3', undefined)],
      want: { n1: 'ok', n2: 'ok', n3: 'ok' },
    },
  ]
  it.each(cases)('$name', ({ pod, nodes, want }) => {
    expect(verdicts(runFilter(PodTopologySpread, pod, nodes))).toEqual(want)
  })

  it('reports upstream’s codes and reasons', () => {
    const got = runFilter(PodTopologySpread, incoming([constraint('zone')]), [
      zoned('n1', 'a', web(2)),
      zoned('n2', 'b'),
      zoned('n3', undefined),
    ])
    expect(got.n1).toEqual({ code: Code.Unschedulable, reasons: [MISMATCH] })
    expect(got.n3).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: [MISSING_LABEL] })
  })
})

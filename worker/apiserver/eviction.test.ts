import { describe, expect, it } from 'vitest'
import { budgetFigures, evictionVerdict } from './eviction'

type O = Record<string, any>
const pod = (name: string, ready = true, extra: O = {}): O => ({
  metadata: {
    name,
    namespace: 'default',
    labels: { app: 'web' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', uid: 'rs', controller: true }],
    ...extra.metadata,
  },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    ...extra.status,
  },
})
const pdb = (spec: O, name = 'web'): O => ({
  metadata: { name, generation: 1 },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
})
const replicas = (n: number) => () => n

describe('budgetFigures', () => {
  const three = [pod('a'), pod('b'), pod('c')]
  const cases = [
    {
      name: 'minAvailable 2 of 3 healthy',
      pdb: pdb({ minAvailable: 2 }),
      pods: three,
      want: [3, 2, 1],
    },
    {
      name: 'maxUnavailable 1 of 3',
      pdb: pdb({ maxUnavailable: 1 }),
      pods: three,
      want: [3, 2, 1],
    },
    {
      name: 'maxUnavailable 1 while one is replaced (its replacement not yet created)',
      pdb: pdb({ maxUnavailable: 1 }),
      pods: [pod('a'), pod('b'), pod('c', true, { metadata: { deletionTimestamp: 'x' } })],
      want: [2, 2, 0],
    },
    {
      name: 'minAvailable 50% of 3 rounds up',
      pdb: pdb({ minAvailable: '50%' }),
      pods: three,
      want: [3, 2, 1],
    },
    {
      name: 'status from a current disruption controller wins',
      pdb: {
        ...pdb({ minAvailable: 1 }),
        status: {
          observedGeneration: 1,
          disruptionsAllowed: 0,
          currentHealthy: 5,
          desiredHealthy: 5,
        },
      },
      pods: three,
      want: [5, 5, 0],
    },
    {
      name: 'a null selector covers nothing',
      pdb: { metadata: { name: 'x' }, spec: { minAvailable: 1 } },
      pods: three,
      want: [0, 1, 0],
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const b = budgetFigures(c.pdb, c.pods, replicas(3))
      expect([b.currentHealthy, b.desiredHealthy, b.allowed]).toEqual(c.want)
    })
})

describe('evictionVerdict', () => {
  it("spends a disruption per eviction, then refuses in upstream's words", () => {
    const b = [budgetFigures(pdb({ minAvailable: 2 }), [pod('a'), pod('b'), pod('c')], replicas(3))]
    expect(evictionVerdict(pod('a'), b).allowed).toBe(true)
    expect(evictionVerdict(pod('b'), b)).toEqual({
      allowed: false,
      code: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      cause: 'The disruption budget web needs 2 healthy pods and has 2 currently',
    })
  })
  const blocked = () => [
    budgetFigures(pdb({ minAvailable: 3 }), [pod('a'), pod('b'), pod('c')], replicas(3)),
  ]
  const cases = [
    {
      name: 'a pod under no budget',
      pod: { ...pod('x'), metadata: { name: 'x', labels: { app: 'db' } } },
      want: true,
    },
    {
      name: 'a finished pod',
      pod: pod('a', false, { status: { phase: 'Succeeded' } }),
      want: true,
    },
    { name: 'a pending pod', pod: pod('a', false, { status: { phase: 'Pending' } }), want: true },
    {
      name: 'a terminating pod',
      pod: pod('a', true, { metadata: { deletionTimestamp: 'x' } }),
      want: true,
    },
    { name: 'a healthy pod of an exhausted budget', pod: pod('a'), want: false },
  ]
  for (const c of cases)
    it(c.name, () => expect(evictionVerdict(c.pod, blocked()).allowed).toBe(c.want))
  it('an unhealthy pod: only while the budget is healthy (IfHealthyBudget), always with AlwaysAllow', () => {
    const pods = [pod('a'), pod('b'), pod('c', false)]
    expect(
      evictionVerdict(pod('c', false), [budgetFigures(pdb({ minAvailable: 3 }), pods, replicas(3))])
        .allowed,
    ).toBe(false)
    expect(
      evictionVerdict(pod('c', false), [budgetFigures(pdb({ minAvailable: 2 }), pods, replicas(3))])
        .allowed,
    ).toBe(true)
    expect(
      evictionVerdict(pod('c', false), [
        budgetFigures(
          pdb({ minAvailable: 3, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
          pods,
          replicas(3),
        ),
      ]).allowed,
    ).toBe(true)
  })
  it('two budgets over one pod: 500', () => {
    const pods = [pod('a')]
    const v = evictionVerdict(pod('a'), [
      budgetFigures(pdb({ minAvailable: 0 }, 'one'), pods, replicas(1)),
      budgetFigures(pdb({ minAvailable: 0 }, 'two'), pods, replicas(1)),
    ])
    expect(v).toMatchObject({ allowed: false, code: 500 })
  })
})

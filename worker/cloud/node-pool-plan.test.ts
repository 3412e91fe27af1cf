import { describe, expect, it } from 'vitest'
import type { Obj } from '../controllers/framework/types'
import {
  type Candidate,
  type Member,
  chooseForRemoval,
  freeNames,
  poolStatus,
  zonesForNew,
} from './node-pool-plan'
import { T0, at } from './test-context'

type R = Record<string, any>
const ZONES = ['zone-a', 'zone-b', 'zone-c']
const member = (
  name: string,
  zone: string,
  ready: string | null = 'True',
  phase = 'Running',
): Member => ({
  inst: { metadata: { name }, spec: { zone }, status: { phase } },
  node: ready
    ? { metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready }] } }
    : undefined,
})
const cand = (name: string, zone: string, utilization: number, registered = true): Candidate => ({
  ...member(name, zone, registered ? 'True' : null),
  utilization,
})

describe('zonesForNew', () => {
  const cases = [
    {
      name: 'from 3 even: round-robin',
      members: [member('w1', 'zone-a'), member('w2', 'zone-b'), member('w3', 'zone-c')],
      n: 2,
      want: ['zone-a', 'zone-b'],
    },
    {
      name: 'an uneven pool evens out first',
      members: [member('w1', 'zone-a'), member('w2', 'zone-a')],
      n: 3,
      want: ['zone-b', 'zone-c', 'zone-b'],
    },
    {
      name: 'a VM in an unlisted zone does not count',
      members: [member('w1', 'zone-d')],
      n: 1,
      want: ['zone-a'],
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(zonesForNew(ZONES, c.members, c.n)).toEqual(c.want))
})

describe('freeNames', () => {
  it('the lowest free numbers', () => {
    const taken = new Set(['worker-1', 'worker-2', 'worker-3', 'worker-5'])
    expect(freeNames('worker', 3, (n) => taken.has(n))).toEqual([
      'worker-4',
      'worker-6',
      'worker-7',
    ])
  })
})

describe('chooseForRemoval', () => {
  const pick = (cs: Candidate[], n: number, zones = ZONES) =>
    chooseForRemoval(cs, zones, n).map((r) => `${r.member.inst.metadata.name}: ${r.why}`)
  it('5 → 3: the newest of the fuller zones, least utilized first', () => {
    const cs = [
      cand('worker-1', 'zone-a', 0.5),
      cand('worker-2', 'zone-b', 0.5),
      cand('worker-3', 'zone-c', 0.5),
      cand('worker-4', 'zone-a', 0.1),
      cand('worker-5', 'zone-b', 0.1),
    ]
    expect(pick(cs, 2)).toEqual([
      "worker-5: zone-b holds the most of the pool's nodes (2) and it is the least utilized there (0.1)",
      "worker-4: zone-a holds the most of the pool's nodes (2) and it is the least utilized there (0.1)",
    ])
  })
  it('a VM not yet registered goes first, then a zone dropped from the pool', () => {
    const cs = [
      cand('worker-1', 'zone-a', 0),
      cand('worker-2', 'zone-d', 0.9),
      cand('worker-3', 'zone-b', 0, false),
    ]
    expect(pick(cs, 2)).toEqual([
      'worker-3: it has not registered a node yet, so there is nothing to drain',
      "worker-2: its zone zone-d is no longer one of the pool's zones",
    ])
  })
  it('utilization decides within a zone, the newest on a tie', () => {
    const cs = [
      cand('worker-1', 'zone-a', 0.2),
      cand('worker-4', 'zone-a', 0.6),
      cand('worker-7', 'zone-a', 0.2),
    ]
    expect(pick(cs, 1)[0]).toMatch(/^worker-7:/)
  })
})

describe('poolStatus', () => {
  const pool = (replicas: number, conditions?: R[]): Obj => ({
    metadata: { name: 'default', generation: 2 },
    spec: { replicas, zones: ZONES },
    status: { conditions },
  })
  it('counts per zone; scaling up while VMs boot', () => {
    const st = poolStatus(
      pool(5),
      [
        member('w1', 'zone-a'),
        member('w2', 'zone-b'),
        member('w3', 'zone-c'),
        member('w4', 'zone-a', null, 'Provisioning'),
        member('w5', 'zone-b', null, 'Provisioning'),
      ],
      { draining: [] },
      T0,
    )
    expect(st).toMatchObject({ observedGeneration: 2, replicas: 5, readyReplicas: 3 })
    expect(st.zones).toEqual([
      { zone: 'zone-a', replicas: 2, readyReplicas: 1 },
      { zone: 'zone-b', replicas: 2, readyReplicas: 1 },
      { zone: 'zone-c', replicas: 1, readyReplicas: 1 },
    ])
    expect(
      st.conditions.map((c: Obj) => `${c.type}=${c.status} ${c.reason}: ${c.message}`),
    ).toEqual([
      'Ready=False NodesNotReady: 3 of 5 nodes are ready',
      'Scaling=True ScalingUp: 3 of 5 nodes ready, 2 booting',
    ])
  })
  it('a registered node its kubelet has not reported on is still booting; a VM whose Node was deleted is not', () => {
    const fresh: Member = {
      inst: { metadata: { name: 'w2' }, spec: { zone: 'zone-b' }, status: { phase: 'Running' } },
      node: { metadata: { name: 'w2' }, status: {} },
    }
    const lost: Member = {
      inst: { metadata: { name: 'w3' }, spec: { zone: 'zone-c' }, status: { phase: 'Running' } },
    }
    expect(
      poolStatus(pool(2), [member('w1', 'zone-a'), fresh], { draining: [] }, T0).conditions[1]
        .reason,
    ).toBe('ScalingUp')
    expect(
      poolStatus(pool(2), [member('w1', 'zone-a'), lost], { draining: [] }, T0).conditions.map(
        (c: R) => c.reason,
      ),
    ).toEqual(['NodesNotReady', 'Stable'])
  })
  it('draining, with what holds it up', () => {
    const st = poolStatus(
      pool(1),
      [member('w1', 'zone-a'), member('w2', 'zone-b')],
      { draining: ['w2'], blocked: 'default/web-1: no' },
      T0,
    )
    expect(st.conditions[1]).toMatchObject({
      reason: 'ScalingDown',
      message: 'draining w2: default/web-1: no',
    })
  })
  it('stable keeps its transition time', () => {
    const old = [
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: at(-50),
        reason: 'NodesReady',
        message: '',
      },
    ]
    const st = poolStatus(pool(1, old), [member('w1', 'zone-a')], { draining: [] }, T0)
    expect(st.conditions).toEqual([
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: at(-50),
        reason: 'NodesReady',
        message: '1 of 1 nodes are ready',
      },
      {
        type: 'Scaling',
        status: 'False',
        lastTransitionTime: '2025-01-01T00:00:00Z',
        reason: 'Stable',
        message: '1 nodes, as desired',
      },
    ])
  })
})

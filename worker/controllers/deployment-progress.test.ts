import { describe, expect, it } from 'vitest'
import { rfc3339 } from '../apiserver/context'
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  newCondition,
  setCondition,
  type Condition,
} from './deployment-progress'
import type { Obj } from './framework/types'

const NOW = Date.parse('2024-05-01T10:00:00Z')

function deployment(
  replicas: number,
  status: Record<string, any> = {},
  extra: Record<string, any> = {},
): Obj {
  return {
    metadata: { name: 'web', namespace: 'default', generation: 2 },
    spec: {
      replicas,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      progressDeadlineSeconds: 600,
      ...extra,
    },
    status,
  }
}

const rs = (spec: number, replicas: number, ready: number, available: number): Obj => ({
  metadata: { name: `rs-${spec}-${replicas}` },
  spec: { replicas: spec },
  status: { replicas, readyReplicas: ready, availableReplicas: available },
})

describe('calculateStatus', () => {
  const cases: {
    name: string
    d: Obj
    newRS: Obj | undefined
    old: Obj[]
    want: Record<string, any>
    available: [string, string]
  }[] = [
    {
      name: 'all available',
      d: deployment(3),
      newRS: rs(3, 3, 3, 3),
      old: [],
      want: {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      },
      available: ['True', 'MinimumReplicasAvailable'],
    },
    {
      name: 'mid-rollout: 8 of 10 available is enough',
      d: deployment(10),
      newRS: rs(5, 5, 2, 2),
      old: [rs(6, 6, 6, 6)],
      want: {
        observedGeneration: 2,
        replicas: 11,
        updatedReplicas: 5,
        readyReplicas: 8,
        availableReplicas: 8,
        unavailableReplicas: 3,
      },
      available: ['True', 'MinimumReplicasAvailable'],
    },
    {
      name: 'too few available',
      d: deployment(10),
      newRS: rs(10, 10, 7, 7),
      old: [],
      want: {
        observedGeneration: 2,
        replicas: 10,
        updatedReplicas: 10,
        readyReplicas: 7,
        availableReplicas: 7,
        unavailableReplicas: 3,
      },
      available: ['False', 'MinimumReplicasUnavailable'],
    },
    {
      name: 'scaling down: more available than asked is not negative unavailability',
      d: deployment(2),
      newRS: rs(2, 5, 5, 5),
      old: [],
      want: {
        observedGeneration: 2,
        replicas: 5,
        updatedReplicas: 5,
        readyReplicas: 5,
        availableReplicas: 5,
      },
      available: ['True', 'MinimumReplicasAvailable'],
    },
    {
      name: 'no new ReplicaSet (paused mid-change), collisionCount kept',
      d: deployment(2, { collisionCount: 1 }),
      newRS: undefined,
      old: [rs(2, 2, 2, 2)],
      want: {
        observedGeneration: 2,
        replicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        collisionCount: 1,
      },
      available: ['True', 'MinimumReplicasAvailable'],
    },
    {
      name: 'Recreate allows no unavailability',
      d: deployment(3, {}, { strategy: { type: 'Recreate' } }),
      newRS: rs(3, 3, 2, 2),
      old: [],
      want: {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
        unavailableReplicas: 1,
      },
      available: ['False', 'MinimumReplicasUnavailable'],
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const { conditions, ...rest } = calculateStatus([...c.old, c.newRS], c.newRS, c.d, NOW)
      expect(rest).toEqual(c.want)
      expect(conditions).toHaveLength(1)
      expect(conditions[0]).toMatchObject({
        type: 'Available',
        status: c.available[0],
        reason: c.available[1],
        lastUpdateTime: rfc3339(NOW),
      })
    })

  it('keeps other conditions and an unchanged Available as they were', () => {
    const earlier = rfc3339(NOW - 60_000)
    const available: Condition = {
      ...newCondition(NOW - 60_000, 'Available', 'True', 'MinimumReplicasAvailable', 'x'),
      lastTransitionTime: earlier,
    }
    const progressing = newCondition(
      NOW - 60_000,
      'Progressing',
      'True',
      'NewReplicaSetAvailable',
      'y',
    )
    const s = calculateStatus(
      [rs(1, 1, 1, 1)],
      rs(1, 1, 1, 1),
      deployment(1, { conditions: [available, progressing] }),
      NOW,
    )
    expect(s.conditions).toEqual([available, progressing])
  })
})

describe('setCondition', () => {
  it('keeps lastTransitionTime when only the reason changes, and replaces in place of the old one', () => {
    const s: Record<string, any> = {}
    setCondition(s, newCondition(NOW, 'Progressing', 'True', 'NewReplicaSetCreated', 'a'))
    setCondition(s, newCondition(NOW + 5000, 'Progressing', 'True', 'ReplicaSetUpdated', 'b'))
    expect(s.conditions).toEqual([
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: 'b',
        lastUpdateTime: rfc3339(NOW + 5000),
        lastTransitionTime: rfc3339(NOW),
      },
    ])
    setCondition(
      s,
      newCondition(NOW + 9000, 'Progressing', 'False', 'ProgressDeadlineExceeded', 'c'),
    )
    expect(s.conditions[0].lastTransitionTime).toBe(rfc3339(NOW + 9000))
  })
})

describe('progress predicates', () => {
  const cases: {
    name: string
    d: Obj
    s: Record<string, any>
    complete: boolean
    progressing: boolean
  }[] = [
    {
      name: 'complete',
      d: deployment(3),
      s: { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 },
      complete: true,
      progressing: true,
    },
    {
      name: 'generation not yet observed',
      d: deployment(3),
      s: { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 },
      complete: false,
      progressing: true,
    },
    {
      name: 'more updated',
      d: deployment(3, { updatedReplicas: 1 }),
      s: { updatedReplicas: 2 },
      complete: false,
      progressing: true,
    },
    {
      name: 'fewer old',
      d: deployment(3, { replicas: 5, updatedReplicas: 2 }),
      s: { replicas: 4, updatedReplicas: 2 },
      complete: false,
      progressing: true,
    },
    {
      name: 'more ready',
      d: deployment(3, { readyReplicas: 1 }),
      s: { readyReplicas: 2 },
      complete: false,
      progressing: true,
    },
    {
      name: 'nothing moved',
      d: deployment(3, { replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
      s: { replicas: 4, updatedReplicas: 1, availableReplicas: 3 },
      complete: false,
      progressing: false,
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(deploymentComplete(c.d, c.s)).toBe(c.complete)
      expect(deploymentProgressing(c.d, c.s)).toBe(c.progressing)
    })

  const progressingAt = (ms: number, reason = 'ReplicaSetUpdated') => ({
    conditions: [newCondition(ms, 'Progressing', 'True', reason, '')],
  })
  const timeouts: { name: string; d: Obj; s: Record<string, any>; want: boolean }[] = [
    { name: 'deadline passed', d: deployment(3), s: progressingAt(NOW - 601_000), want: true },
    {
      name: 'exactly at the deadline: not yet',
      d: deployment(3),
      s: progressingAt(NOW - 600_000),
      want: false,
    },
    {
      name: 'completed rollouts never time out',
      d: deployment(3),
      s: progressingAt(NOW - 9e6, 'NewReplicaSetAvailable'),
      want: false,
    },
    {
      name: 'already timed out',
      d: deployment(3),
      s: progressingAt(NOW, 'ProgressDeadlineExceeded'),
      want: true,
    },
    {
      name: 'no deadline',
      d: deployment(3, {}, { progressDeadlineSeconds: 2147483647 }),
      s: progressingAt(NOW - 9e9),
      want: false,
    },
    { name: 'no condition', d: deployment(3), s: {}, want: false },
  ]
  for (const c of timeouts)
    it(`timed out: ${c.name}`, () => expect(deploymentTimedOut(c.d, c.s, NOW)).toBe(c.want))
})

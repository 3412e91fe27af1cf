import { describe, expect, it } from 'vitest'
import { budgetFigures } from '../apiserver/eviction'
import type { Obj } from '../controllers/framework/types'
import { formatUtilization, planDrain, podsToDrain, utilizationOf } from './drain'

type R = Record<string, any>
const pod = (name: string, extra: R = {}): Obj => ({
  metadata: { name, namespace: 'default', labels: { app: 'web' }, ...extra.metadata },
  spec: {
    nodeName: 'worker-5',
    containers: [{ name: 'c', resources: { requests: { cpu: '500m', memory: '1Gi' } } }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], ...extra.status },
})
const ds = pod('ds', {
  metadata: {
    labels: { app: 'agent' },
    ownerReferences: [{ kind: 'DaemonSet', name: 'x', controller: true }],
  },
})
const mirror = pod('mirror', {
  metadata: { annotations: { 'kubernetes.io/config.mirror': 'abc' } },
})
const done = pod('done', { status: { phase: 'Succeeded' } })

describe('podsToDrain', () => {
  it('leaves DaemonSet, mirror and finished pods', () => {
    expect(podsToDrain([pod('a'), ds, mirror, done]).map((p) => p.metadata.name)).toEqual(['a'])
  })
})

describe('planDrain', () => {
  it('evicts what budgets allow, waits for terminating pods, reports the refusals', () => {
    const pods = [pod('a'), pod('b'), pod('c', { metadata: { deletionTimestamp: 'x' } }), ds]
    const budgets = [
      budgetFigures(
        {
          metadata: { name: 'web' },
          spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 1 },
        },
        pods,
        () => undefined,
      ),
    ]
    const plan = planDrain(pods, budgets)
    expect(plan.evict.map((p) => p.metadata.name)).toEqual(['a'])
    expect(plan.blocked).toEqual([
      {
        pod: pods[1],
        message:
          "Cannot evict pod as it would violate the pod's disruption budget. (The disruption budget web needs 1 healthy pods and has 1 currently)",
      },
    ])
    expect(plan.remaining).toBe(3)
  })
  it('past its deadline a drain evicts regardless', () => {
    const pods = [pod('a'), pod('b')]
    const budgets = [
      budgetFigures(
        {
          metadata: { name: 'web' },
          spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 2 },
        },
        pods,
        () => undefined,
      ),
    ]
    expect(planDrain(pods, budgets, true).evict).toHaveLength(2)
  })
  it('a node with only DaemonSet pods is drained', () => {
    expect(planDrain([ds, mirror, done], [])).toEqual({ evict: [], blocked: [], remaining: 0 })
  })
})

describe('utilizationOf', () => {
  it('requested share of allocatable, the higher one named, printed as CA prints UtilInfo', () => {
    const node = {
      metadata: { name: 'worker-5' },
      status: { allocatable: { cpu: '4', memory: '16Gi' } },
    }
    const u = utilizationOf(node, [pod('a'), pod('b'), ds])
    expect(u).toEqual({ cpu: 0.25, memory: 0.13, utilization: 0.25, resource: 'cpu' })
    expect(formatUtilization(u)).toBe('{0.25 0.13 0 0.25 cpu}')
  })
})

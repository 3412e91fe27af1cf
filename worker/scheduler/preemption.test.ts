// Preemption with the real default plugins: which victims, on which node, and
// the words when nothing helps.
import { describe, expect, it } from 'vitest'
import { newNodeInfo, newSnapshot } from './framework/node-info'
import type { Obj } from './framework/types'
import { defaultProfile } from './profile'
import { preempt } from './preemption'
import { scheduleOne } from './schedule-one'

const node = (name: string, pods: Obj[] = [], taints?: Obj[]) =>
  newNodeInfo(
    {
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: { taints },
      status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } },
    },
    pods,
  )
const pod = (name: string, cpu: string, priority = 0, nodeName?: string): Obj => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: {
    priority,
    nodeName,
    containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu } } }],
  },
  status: { phase: 'Running' },
})

function run(incoming: Obj, nodes: ReturnType<typeof node>[]) {
  const snapshot = newSnapshot(nodes)
  const profile = defaultProfile()
  const ex = scheduleOne(incoming, snapshot, profile)
  expect(ex.chosen).toBeUndefined()
  return { ex, result: preempt(incoming, snapshot, profile, ex) }
}

describe('preemption', () => {
  it('evicts only the lower-priority pods it must, giving back the most important first', () => {
    const { result } = run(pod('vip', '3', 1000), [
      node('a', [pod('low', '2', 0, 'a'), pod('mid', '1', 100, 'a')]),
    ])
    expect(result.node).toBe('a')
    expect(result.victims.map((v) => v.metadata.name)).toEqual(['low'])
  })

  it('prefers the node whose victims matter least', () => {
    const { result } = run(pod('vip', '3', 1000), [
      node('a', [pod('mid', '2', 100, 'a')]),
      node('b', [pod('low', '2', 0, 'b')]),
    ])
    expect(result).toMatchObject({ node: 'b', victims: [{ metadata: { name: 'low' } }] })
  })

  it('never evicts pods of equal or higher priority', () => {
    const { ex, result } = run(pod('peer', '3', 100), [node('a', [pod('mid', '2', 100, 'a')])])
    expect(result.node).toBeUndefined()
    expect(`${ex.message} ${result.message}`).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    )
  })

  it('says preemption is not helpful where the filter cannot be resolved', () => {
    const { ex, result } = run(pod('big', '64', 1000), [
      node('a', [pod('low', '1', 0, 'a')]),
      node('b', [], [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
    ])
    expect(`${ex.message} ${result.message}`).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    )
  })

  it('does not preempt for a pod with preemptionPolicy Never', () => {
    const p = pod('polite', '3', 1000)
    p.spec.preemptionPolicy = 'Never'
    expect(run(p, [node('a', [pod('low', '2', 0, 'a')])]).result).toEqual({
      victims: [],
      message: 'preemption: not eligible due to preemptionPolicy=Never.',
    })
  })

  it('spares pods a PodDisruptionBudget protects when another node can make room', () => {
    const guarded = pod('guarded', '2', 0, 'a')
    guarded.metadata.labels = { app: 'db' }
    const budget = {
      namespace: 'default',
      covers: (p: Obj) => p.metadata.labels?.app === 'db',
      allowed: 0,
    }
    const snapshot = newSnapshot([node('a', [guarded]), node('b', [pod('free', '2', 0, 'b')])])
    const profile = defaultProfile()
    const incoming = pod('vip', '3', 1000)
    const ex = scheduleOne(incoming, snapshot, profile)
    expect(preempt(incoming, snapshot, profile, ex, [budget])).toMatchObject({
      node: 'b',
      victims: [{ metadata: { name: 'free' } }],
    })
  })
})

import { describe, expect, it } from 'vitest'
import { NODES, type Obj } from '../controllers/framework/types'
import { initializeNode, reconcileNodeLabels, syncCloudNode } from './cloud-node'
import { registeredNode } from './instance'
import { INSTANCES } from './provider'
import { T0, testContext } from './test-context'

const inst: Obj = {
  metadata: { name: 'worker-4' },
  spec: { pool: 'default', zone: 'zone-b', machineType: 'standard-4' },
}

describe('initializeNode', () => {
  it('provider ID, zone, region and instance type (GA and beta keys), uninitialized taint gone', () => {
    const n = initializeNode(registeredNode(inst, undefined), inst, 'c1')
    expect(n.spec).toEqual({ providerID: 'wheelhouse://c1/zone-b/worker-4' })
    expect(n.metadata.labels).toMatchObject({
      'topology.kubernetes.io/zone': 'zone-b',
      'failure-domain.beta.kubernetes.io/zone': 'zone-b',
      'topology.kubernetes.io/region': 'region-1',
      'failure-domain.beta.kubernetes.io/region': 'region-1',
      'node.kubernetes.io/instance-type': 'standard-4',
      'beta.kubernetes.io/instance-type': 'standard-4',
    })
  })
  it("keeps the pool's own taints and a provider ID already set", () => {
    const reg = registeredNode(inst, {
      metadata: { name: 'default' },
      spec: { taints: [{ key: 'gpu', effect: 'NoSchedule' }] },
    })
    reg.spec.providerID = 'wheelhouse://other/zone-b/worker-4'
    const n = initializeNode(reg, inst, 'c1')
    expect(n.spec).toEqual({
      providerID: 'wheelhouse://other/zone-b/worker-4',
      taints: [{ key: 'gpu', effect: 'NoSchedule' }],
    })
  })
})

describe('reconcileNodeLabels', () => {
  const cases = [
    {
      name: 'GA missing: copied from beta',
      labels: { 'failure-domain.beta.kubernetes.io/zone': 'z' },
      want: { 'failure-domain.beta.kubernetes.io/zone': 'z', 'topology.kubernetes.io/zone': 'z' },
    },
    {
      name: 'both there: nothing',
      labels: { 'failure-domain.beta.kubernetes.io/zone': 'z', 'topology.kubernetes.io/zone': 'y' },
      want: undefined,
    },
    { name: 'no beta: nothing', labels: { 'kubernetes.io/hostname': 'n' }, want: undefined },
  ]
  for (const c of cases)
    it(c.name, () =>
      expect(reconcileNodeLabels({ metadata: { name: 'n', labels: c.labels } })).toEqual(c.want),
    )
})

describe('syncCloudNode', () => {
  it('initializes a registered node and says so', () => {
    const f = testContext(T0, [
      [INSTANCES, inst],
      [NODES, registeredNode(inst, undefined)],
    ])
    syncCloudNode('worker-4', f.ctx)
    expect(f.writes).toEqual(['update nodes worker-4'])
    expect(f.events).toEqual(['Normal Synced worker-4: Node synced successfully'])
    expect(f.get(NODES, undefined, 'worker-4')!.spec.providerID).toBe(
      'wheelhouse://c1/zone-b/worker-4',
    )
  })
  it('leaves a tainted node without an Instance (not ours) alone', () => {
    const f = testContext(T0, [[NODES, registeredNode(inst, undefined)]])
    syncCloudNode('worker-4', f.ctx)
    expect(f.writes).toEqual([])
  })
  it('an initialized node: nothing to do', () => {
    const f = testContext(T0, [
      [INSTANCES, inst],
      [NODES, initializeNode(registeredNode(inst, undefined), inst, 'c1')],
    ])
    syncCloudNode('worker-4', f.ctx)
    expect(f.writes).toEqual([])
    expect(f.events).toEqual([])
  })
})

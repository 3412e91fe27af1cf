import { describe, expect, it } from 'vitest'
import { NODES, type Obj } from '../controllers/framework/types'
import { lifecycleAction, syncCloudNodeLifecycle } from './cloud-node-lifecycle'
import { INSTANCES } from './provider'
import { T0, testContext } from './test-context'

type R = Record<string, any>
const node = (
  ready: string | undefined,
  taints: R[] = [],
  providerID = 'wheelhouse://c1/zone-a/worker-2',
): Obj => ({
  metadata: { name: 'worker-2' },
  spec: { providerID, taints },
  status: ready ? { conditions: [{ type: 'Ready', status: ready }] } : {},
})
const inst = (phase: string): Obj => ({
  metadata: { name: 'worker-2' },
  spec: { zone: 'zone-a' },
  status: { phase },
})
const SHUTDOWN = { key: 'node.cloudprovider.kubernetes.io/shutdown', effect: 'NoSchedule' }

describe('lifecycleAction', () => {
  const cases = [
    { name: 'ready, VM running', node: node('True'), inst: inst('Running'), want: undefined },
    {
      name: 'ready even without its VM: the kubelet still talks, wait',
      node: node('True'),
      inst: undefined,
      want: undefined,
    },
    {
      name: 'ready again: shutdown taint goes',
      node: node('True', [SHUTDOWN]),
      inst: inst('Running'),
      want: 'untaint',
    },
    { name: 'not ready, VM gone: delete', node: node('Unknown'), inst: undefined, want: 'delete' },
    {
      name: 'never reported, VM gone: delete',
      node: node(undefined),
      inst: undefined,
      want: 'delete',
    },
    {
      name: 'not ready, VM stopped: taint',
      node: node('Unknown'),
      inst: inst('Terminated'),
      want: 'taint',
    },
    {
      name: 'not ready, VM stopping: taint',
      node: node('False'),
      inst: inst('Stopping'),
      want: 'taint',
    },
    {
      name: 'already tainted',
      node: node('Unknown', [SHUTDOWN]),
      inst: inst('Terminated'),
      want: undefined,
    },
    {
      name: "not ready, VM running: the node controller's business",
      node: node('Unknown'),
      inst: inst('Running'),
      want: undefined,
    },
  ]
  for (const c of cases) it(c.name, () => expect(lifecycleAction(c.node, c.inst)).toBe(c.want))
})

describe('syncCloudNodeLifecycle', () => {
  it("deletes a node whose VM is gone, with upstream's event", () => {
    const f = testContext(T0, [[NODES, node('Unknown')]])
    syncCloudNodeLifecycle('worker-2', f.ctx)
    expect(f.events).toEqual([
      'Normal DeletingNode worker-2: Deleting node worker-2 because it does not exist in the cloud provider',
    ])
    expect(f.get(NODES, undefined, 'worker-2')).toBeUndefined()
  })
  it('taints a node whose VM is stopped, and untaints it when Ready again', () => {
    const f = testContext(T0, [
      [NODES, node('Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }])],
      [INSTANCES, inst('Terminated')],
    ])
    syncCloudNodeLifecycle('worker-2', f.ctx)
    expect(f.get(NODES, undefined, 'worker-2')!.spec.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      SHUTDOWN,
    ])
    const n = f.get(NODES, undefined, 'worker-2')!
    f.store.set(`${NODES}||worker-2`, {
      ...n,
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    })
    syncCloudNodeLifecycle('worker-2', f.ctx)
    expect(f.get(NODES, undefined, 'worker-2')!.spec.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    ])
  })
  it('leaves nodes of other origins and other clusters alone', () => {
    for (const providerID of ['', 'gce://p/z/worker-2', 'wheelhouse://other/zone-a/worker-2']) {
      const f = testContext(T0, [[NODES, node('Unknown', [], providerID)]])
      syncCloudNodeLifecycle('worker-2', f.ctx)
      expect(f.writes).toEqual([])
    }
  })
})

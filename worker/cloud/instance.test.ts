import { describe, expect, it } from 'vitest'
import { NODES, type Obj } from '../controllers/framework/types'
import {
  registeredNode,
  stepInstance,
  syncInstance,
  VM_PROVISIONING_MS,
  VM_STOPPING_MS,
} from './instance'
import { INSTANCES, NODEPOOLS } from './provider'
import { T0, at, testContext } from './test-context'

type R = Record<string, any>
const inst = (phase?: string, sinceS = 0, spec: R = {}): Obj => ({
  metadata: { name: 'worker-4', labels: { 'sim.wheelhouse.dev/nodepool': 'default' } },
  spec: { pool: 'default', zone: 'zone-a', machineType: 'standard-4', running: true, ...spec },
  status: phase
    ? { phase, lastPhaseTransitionTime: at(sinceS), providerID: 'wheelhouse://c1/zone-a/worker-4' }
    : {},
})
const node = (extra: R = {}): Obj => ({
  metadata: {
    name: 'worker-4',
    labels: { 'sim.wheelhouse.dev/nodepool': 'default' },
    annotations: {},
    ...extra.metadata,
  },
  spec: { providerID: 'wheelhouse://c1/zone-a/worker-4', ...extra.spec },
  status: extra.status ?? {},
})

describe('stepInstance', () => {
  const cases: { name: string; inst: Obj; node?: Obj; nowS: number; want: R }[] = [
    {
      name: 'new: provisioning, boot due in 30 s',
      inst: inst(),
      nowS: 0,
      want: { phase: 'Provisioning', requeueMs: VM_PROVISIONING_MS },
    },
    {
      name: 'new but not to run: terminated',
      inst: inst(undefined, 0, { running: false }),
      nowS: 0,
      want: { phase: 'Terminated' },
    },
    {
      name: 'still provisioning',
      inst: inst('Provisioning', 0),
      nowS: 10,
      want: { requeueMs: 20_000 },
    },
    {
      name: 'booted: running, the kubelet registers',
      inst: inst('Provisioning', 0),
      nowS: 30,
      want: { phase: 'Running', register: true },
    },
    {
      name: 'booted again: its node powers on',
      inst: inst('Provisioning', 0),
      node: node(),
      nowS: 30,
      want: { phase: 'Running', power: 'on' },
    },
    {
      name: 'stop asked: stopping, the node powers off',
      inst: inst('Running', 0, { running: false }),
      node: node(),
      nowS: 100,
      want: { phase: 'Stopping', power: 'off', requeueMs: VM_STOPPING_MS },
    },
    {
      name: 'stopping done',
      inst: inst('Stopping', 100, { running: false }),
      nowS: 115,
      want: { phase: 'Terminated' },
    },
    {
      name: 'start asked while stopped',
      inst: inst('Terminated', 100),
      nowS: 200,
      want: { phase: 'Provisioning', requeueMs: VM_PROVISIONING_MS },
    },
    {
      name: 'running: learns its address from the node',
      inst: inst('Running', 0),
      node: node({ status: { addresses: [{ type: 'InternalIP', address: '172.18.0.6' }] } }),
      nowS: 40,
      want: { internalIP: '172.18.0.6' },
    },
    {
      name: 'running and known: nothing',
      inst: inst('Running', 0),
      node: node(),
      nowS: 40,
      want: {},
    },
  ]
  for (const c of cases)
    it(c.name, () => {
      const got = stepInstance(c.inst, c.node, T0 + c.nowS * 1000, 'c1')
      // What changed: the phase (with its transition time), the address, and the step's actions.
      const { status, ...actions } = got
      const flat: R = Object.fromEntries(Object.entries(actions).filter(([, v]) => v !== undefined))
      if (status && status.phase !== c.inst.status.phase) flat.phase = status.phase
      if (status && status.internalIP !== c.inst.status.internalIP)
        flat.internalIP = status.internalIP
      expect(flat).toEqual(c.want)
      if (got.status?.phase && got.status.phase !== c.inst.status.phase)
        expect(got.status.lastPhaseTransitionTime).toBe(at(c.nowS))
    })
})

describe('registeredNode', () => {
  it("as a kubelet with --cloud-provider=external and the pool's labels and taints registers it", () => {
    const pool = {
      metadata: { name: 'gpu' },
      spec: {
        labels: { team: 'ml' },
        taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
      },
    }
    const n = registeredNode(
      {
        metadata: { name: 'gpu-1' },
        spec: { pool: 'gpu', zone: 'zone-b', machineType: 'highmem-4' },
      },
      pool,
    )
    expect(n.metadata.labels).toEqual({
      team: 'ml',
      'kubernetes.io/hostname': 'gpu-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': 'amd64',
      'sim.wheelhouse.dev/nodepool': 'gpu',
    })
    expect(n.metadata.annotations['sim.wheelhouse.dev/capacity']).toBe('cpu=4,memory=32Gi,pods=110')
    expect(n.spec.taints).toEqual([
      { key: 'gpu', value: 'true', effect: 'NoSchedule' },
      {
        key: 'node.cloudprovider.kubernetes.io/uninitialized',
        value: 'true',
        effect: 'NoSchedule',
      },
    ])
  })
})

describe('syncInstance', () => {
  it('a booted VM registers its Node', () => {
    const f = testContext(T0 + 30_000, [
      [INSTANCES, inst('Provisioning', 0)],
      [NODEPOOLS, { metadata: { name: 'default' }, spec: {} }],
    ])
    syncInstance('worker-4', f.ctx)
    expect(f.writes).toEqual(['updateStatus instances worker-4', 'create nodes worker-4'])
    expect(f.get(INSTANCES, undefined, 'worker-4')!.status.phase).toBe('Running')
    expect(f.get(NODES, undefined, 'worker-4')!.spec.taints.map((t: Obj) => t.key)).toEqual([
      'node.cloudprovider.kubernetes.io/uninitialized',
    ])
  })
  it('a deleted VM takes its kubelet down', () => {
    const f = testContext(T0, [[NODES, node()]])
    syncInstance('worker-4', f.ctx)
    expect(
      f.get(NODES, undefined, 'worker-4')!.metadata.annotations['sim.wheelhouse.dev/fault'],
    ).toBe('poweroff')
  })
  it('a Node of other origins is left alone', () => {
    const f = testContext(T0, [[NODES, { metadata: { name: 'worker-4' }, spec: {} }]])
    syncInstance('worker-4', f.ctx)
    expect(f.writes).toEqual([])
  })
  it('a VM started again clears the fault its stop set', () => {
    const f = testContext(T0 + 30_000, [
      [INSTANCES, inst('Provisioning', 0)],
      [NODES, node({ metadata: { annotations: { 'sim.wheelhouse.dev/fault': 'poweroff' } } })],
    ])
    syncInstance('worker-4', f.ctx)
    expect(f.get(NODES, undefined, 'worker-4')!.metadata.annotations).toEqual({})
  })
})

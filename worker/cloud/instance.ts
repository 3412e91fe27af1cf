// The simulated cloud's VMs: an Instance provisions for a while, boots, and its
// kubelet (started with --cloud-provider=external) registers its Node, tainted
// uninitialized until the cloud node controller has seen it; the node outbox
// then starts that kubelet. spec.running=false stops the VM (the kubelet stops
// with it: the Node's poweroff fault), true starts it again; a deleted Instance
// takes its kubelet down the same way, and the cloud node lifecycle controller
// then removes the Node.
import { rfc3339 } from '../apiserver/context'
import {
  type Controller,
  type ControllerContext,
  NODES,
  type Obj,
} from '../controllers/framework/types'
import { capacityOf } from '../resources/machine-types'
import { FAULT_ANNOTATION } from '../resources/node-rpc'
import {
  INSTANCES,
  NODEPOOLS,
  POOL_LABEL,
  TAINT_UNINITIALIZED,
  instanceNameOf,
  providerIDOf,
} from './provider'

/** From creation (or start) to a booted VM whose kubelet registers. */
export const VM_PROVISIONING_MS = 30_000
/** From stop request to a stopped VM. */
export const VM_STOPPING_MS = 15_000

export type Phase = 'Provisioning' | 'Running' | 'Stopping' | 'Terminated'

/** What one look at an Instance calls for. */
export interface InstanceStep {
  /** The Instance's new status, when it changes. */
  status?: Record<string, any>
  /** The VM booted for the first time: its kubelet registers the Node. */
  register?: boolean
  /** Power the Node's kubelet off (VM stopping) or back on (VM booted again). */
  power?: 'off' | 'on'
  requeueMs?: number
}

const internalIPOf = (node: Obj | undefined): string | undefined =>
  (node?.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address

/**
 * The VM's next step: phase changes after their delays, measured from
 * status.lastPhaseTransitionTime. The address is learnt from the Node: the
 * simulated kubelet takes its host IP from its pod CIDR.
 */
export function stepInstance(
  inst: Obj,
  node: Obj | undefined,
  now: number,
  cluster: string,
): InstanceStep {
  const st: Record<string, any> = inst.status ?? {}
  const phase: Phase | undefined = st.phase
  const wantOn = inst.spec?.running !== false
  const since = Date.parse(st.lastPhaseTransitionTime ?? '') || now
  const providerID = providerIDOf(cluster, inst.spec?.zone, inst.metadata.name)
  const to = (p: Phase): Record<string, any> => ({
    ...st,
    phase: p,
    lastPhaseTransitionTime: rfc3339(now),
    providerID,
  })
  const ours = node && instanceNameOf(node, cluster) === inst.metadata.name
  switch (phase) {
    case undefined:
      return wantOn
        ? { status: to('Provisioning'), requeueMs: VM_PROVISIONING_MS }
        : { status: to('Terminated') }
    case 'Provisioning':
      if (!wantOn) return { status: to('Terminated') }
      if (now < since + VM_PROVISIONING_MS) return { requeueMs: since + VM_PROVISIONING_MS - now }
      // A restarted VM's kubelet finds its Node still there; a new one registers it.
      return {
        status: to('Running'),
        ...(node ? (ours ? { power: 'on' as const } : {}) : { register: true }),
      }
    case 'Running': {
      if (!wantOn)
        return {
          status: to('Stopping'),
          power: ours ? 'off' : undefined,
          requeueMs: VM_STOPPING_MS,
        }
      const ip = ours ? internalIPOf(node) : undefined
      const fixes: Record<string, any> = {}
      if (ip && ip !== st.internalIP) fixes.internalIP = ip
      if (st.providerID !== providerID) fixes.providerID = providerID
      return Object.keys(fixes).length ? { status: { ...st, ...fixes } } : {}
    }
    case 'Stopping':
      if (now < since + VM_STOPPING_MS) return { requeueMs: since + VM_STOPPING_MS - now }
      return { status: to('Terminated'), ...(wantOn ? { requeueMs: 0 } : {}) }
    case 'Terminated':
      return wantOn ? { status: to('Provisioning'), requeueMs: VM_PROVISIONING_MS } : {}
  }
  return {}
}

/**
 * The Node as the VM's kubelet registers it: hostname and platform labels, the
 * pool's labels and taints (--node-labels, --register-with-taints), the
 * machine type's capacity, and the uninitialized taint of an external cloud
 * provider. Zone, region and instance type come later, from the cloud node controller.
 */
export function registeredNode(inst: Obj, pool: Obj | undefined): Obj {
  const name = inst.metadata.name
  const labels: Record<string, string> = {
    ...(pool?.spec?.labels ?? {}),
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  }
  if (inst.spec?.pool) labels[POOL_LABEL] = inst.spec.pool
  const taints = [
    ...(pool?.spec?.taints ?? []),
    { key: TAINT_UNINITIALIZED, value: 'true', effect: 'NoSchedule' },
  ]
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: { 'sim.wheelhouse.dev/capacity': capacityOf(inst.spec?.machineType) ?? '' },
    },
    spec: { taints },
  }
}

function withFault(node: Obj, fault: string | undefined): Obj {
  const annotations = { ...(node.metadata.annotations ?? {}) }
  if (fault) annotations[FAULT_ANNOTATION] = fault
  else delete annotations[FAULT_ANNOTATION]
  return { ...node, metadata: { ...node.metadata, annotations } }
}

export function syncInstance(name: string, ctx: ControllerContext): void {
  const cluster = ctx.clusterName ?? 'kubernetes'
  const inst = ctx.get(INSTANCES, undefined, name)
  const node = ctx.get(NODES, undefined, name)
  if (!inst) {
    // The VM is gone (deleted from the console or by its pool): its kubelet with it.
    if (
      node &&
      instanceNameOf(node, cluster) === name &&
      node.metadata.annotations?.[FAULT_ANNOTATION] !== 'poweroff'
    )
      ctx.update(NODES, withFault(node, 'poweroff'))
    return
  }
  const step = stepInstance(inst, node, ctx.now, cluster)
  if (step.status) ctx.updateStatus(INSTANCES, { ...inst, status: step.status })
  if (step.register) {
    const pool = inst.spec?.pool ? ctx.get(NODEPOOLS, undefined, inst.spec.pool) : undefined
    ctx.create(NODES, registeredNode(inst, pool))
  }
  if (step.power && node) {
    const fault = step.power === 'off' ? 'poweroff' : undefined
    if (node.metadata.annotations?.[FAULT_ANNOTATION] !== fault)
      ctx.update(NODES, withFault(node, fault))
  }
  if (step.requeueMs !== undefined) ctx.requeueAfter(name, step.requeueMs)
}

/** Keys: the Instance's name; a Node of ours wakes its Instance (its address, its registration). */
export const instanceController: Controller = {
  name: 'instance',
  component: 'wheelhouse-cloud',
  watches: {
    [INSTANCES]: (o) => [o.metadata.name],
    [NODES]: (o) => (instanceNameOf(o, undefined) === o.metadata.name ? [o.metadata.name] : []),
  },
  sync: syncInstance,
}

// Test fixtures for plugin tables: terse pods and nodes, and a runner that
// drives one filter plugin through PreFilter and Filter as the framework does.
import { newNodeInfo, newSnapshot } from '../../framework/node-info'
import { Code, CycleState, success } from '../../framework/types'
import type { FilterPlugin, Obj, Status } from '../../framework/types'

export interface PodOpts {
  name?: string
  namespace?: string
  labels?: Record<string, string>
  nodeName?: string
  spec?: Obj
  /** Requests of one container, e.g. { cpu: '500m', memory: '1Gi' }. */
  requests?: Record<string, string>
}

export function makePod(o: PodOpts = {}): Obj {
  const spec: Obj = {
    containers: [{ name: 'c', image: 'nginx', resources: { requests: o.requests ?? {} } }],
    ...o.spec,
  }
  if (o.nodeName) spec.nodeName = o.nodeName
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name ?? 'p', namespace: o.namespace ?? 'default', labels: o.labels ?? {} },
    spec,
    status: { phase: 'Pending' },
  }
}

export interface NodeOpts {
  labels?: Record<string, string>
  spec?: Obj
  allocatable?: Record<string, string>
}

export function makeNode(name: string, o: NodeOpts = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: o.spec ?? {},
    status: { allocatable: o.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' } },
  }
}

/** A node and the pods already on it. */
export interface NodeCase {
  node: Obj
  pods?: Obj[]
}

/** Each node's verdict, by name, as the framework would reach it with this one plugin. */
export function runFilter(
  plugin: FilterPlugin,
  pod: Obj,
  nodes: NodeCase[],
): Record<string, Status> {
  const infos = nodes.map((n) => newNodeInfo(n.node, n.pods ?? []))
  const state = new CycleState()
  const pre = plugin.preFilter?.(state, pod, newSnapshot(infos))
  const out: Record<string, Status> = {}
  for (const info of infos) {
    if (pre?.code === Code.Skip) out[info.name] = success()
    else if (pre && pre.code !== Code.Success) out[info.name] = pre
    else out[info.name] = plugin.filter(state, pod, info)
  }
  return out
}

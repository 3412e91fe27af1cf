// NodeInfo from a Node and the pods on it, with kube-scheduler's arithmetic
// for a pod's requests: the larger of its biggest init container and the sum
// of its containers, plus the pod overhead; non-zero defaults for scoring.
import { parseQuantity } from '../../resources/quantity'
import type { NodeInfo, Obj, Resources, Snapshot } from './types'

/** kube-scheduler's defaults for a container that requests nothing, used by scoring only. */
export const DEFAULT_MILLI_CPU_REQUEST = 100
export const DEFAULT_MEMORY_REQUEST = 200 * 2 ** 20

export const emptyResources = (): Resources => ({
  milliCPU: 0,
  memory: 0,
  ephemeralStorage: 0,
  pods: 0,
  scalar: {},
})

/** A resource list (requests, limits, allocatable) in scheduler units. */
export function toResources(list: Record<string, string | number> | undefined): Resources {
  const r = emptyResources()
  for (const [name, q] of Object.entries(list ?? {})) {
    const v = parseQuantity(q) ?? 0
    if (name === 'cpu') r.milliCPU = Math.round(v * 1000)
    else if (name === 'memory') r.memory = v
    else if (name === 'ephemeral-storage') r.ephemeralStorage = v
    else if (name === 'pods') r.pods = v
    else r.scalar[name] = v
  }
  return r
}

function add(a: Resources, b: Resources): void {
  a.milliCPU += b.milliCPU
  a.memory += b.memory
  a.ephemeralStorage += b.ephemeralStorage
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = (a.scalar[k] ?? 0) + v
}

function max(a: Resources, b: Resources): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU)
  a.memory = Math.max(a.memory, b.memory)
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage)
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = Math.max(a.scalar[k] ?? 0, v)
}

/** The pod's effective requests; with nonZero, containers without cpu/memory requests count the defaults. */
export function podRequests(pod: Obj, nonZero = false): Resources {
  const one = (c: Obj) => {
    const r = toResources(c.resources?.requests)
    if (nonZero) {
      if (c.resources?.requests?.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST
      if (c.resources?.requests?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST
    }
    return r
  }
  const sum = emptyResources()
  for (const c of pod.spec?.containers ?? []) add(sum, one(c))
  // Restartable init containers (sidecars) run alongside the app: they add up.
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') add(sum, one(c))
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy !== 'Always') max(sum, one(c))
  if (pod.spec?.overhead) add(sum, toResources(pod.spec.overhead))
  sum.pods = 1
  return sum
}

/** Whether a pod still holds its node's resources (not Succeeded or Failed). */
export const isActivePod = (pod: Obj) =>
  pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed'

export function hostPorts(pod: Obj): string[] {
  const out: string[] = []
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? [])
      if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`)
  return out
}

export function newNodeInfo(node: Obj, pods: Obj[] = []): NodeInfo {
  const info: NodeInfo = {
    node,
    name: node.metadata.name,
    pods: [],
    podsWithAffinity: [],
    podsWithRequiredAntiAffinity: [],
    requested: emptyResources(),
    nonZeroRequested: emptyResources(),
    allocatable: toResources(node.status?.allocatable),
    usedPorts: new Set(),
    imageSizes: new Map(),
  }
  for (const img of node.status?.images ?? [])
    for (const n of img.names ?? []) info.imageSizes.set(n, img.sizeBytes ?? 0)
  for (const p of pods) addPod(info, p)
  return info
}

/** Places a pod on the node's books (bound, or assumed by the scheduler ahead of its binding). */
export function addPod(info: NodeInfo, pod: Obj): void {
  if (!isActivePod(pod)) return
  info.pods.push(pod)
  const a = pod.spec?.affinity
  if (a?.podAffinity || a?.podAntiAffinity) info.podsWithAffinity.push(pod)
  if (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length)
    info.podsWithRequiredAntiAffinity.push(pod)
  add(info.requested, podRequests(pod))
  add(info.nonZeroRequested, podRequests(pod, true))
  info.requested.pods++
  info.nonZeroRequested.pods++
  for (const port of hostPorts(pod)) info.usedPorts.add(port)
}

export function newSnapshot(nodes: NodeInfo[]): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]))
  return { nodes, get: (name) => byName.get(name) }
}

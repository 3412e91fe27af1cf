// The scheduler's cache: each node's NodeInfo, kept from the store's writes
// rather than re-listed every cycle. It holds a compact copy of each bound
// pod (what the plugins read: labels, affinity, requests, ports), and the pods
// the scheduler has assumed on a node before its binding is written.
import { newNodeInfo, newSnapshot } from './framework/node-info'
import type { NodeInfo, Obj, Snapshot } from './framework/types'

/** What plugins read of a placed pod; the rest of it stays in the store. */
export function compactPod(pod: Obj): Obj {
  const m = pod.metadata
  return {
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      labels: m.labels,
      ownerReferences: m.ownerReferences,
      deletionTimestamp: m.deletionTimestamp,
    },
    spec: {
      nodeName: pod.spec?.nodeName,
      affinity: pod.spec?.affinity,
      priority: pod.spec?.priority,
      overhead: pod.spec?.overhead,
      containers: (pod.spec?.containers ?? []).map((c: Obj) => ({
        name: c.name,
        image: c.image,
        resources: c.resources,
        ports: c.ports,
      })),
      initContainers: (pod.spec?.initContainers ?? []).map((c: Obj) => ({
        name: c.name,
        resources: c.resources,
        restartPolicy: c.restartPolicy,
      })),
    },
    status: { phase: pod.status?.phase },
  }
}

const keyOf = (pod: Obj) => `${pod.metadata.namespace}/${pod.metadata.name}`

export class SchedulerCache {
  readonly #nodes = new Map<string, Obj>()
  /** Pods by node, then by namespace/name. */
  readonly #pods = new Map<string, Map<string, Obj>>()
  readonly #infos = new Map<string, NodeInfo>()
  /** Which node each placed pod is on, to move or drop it on change. */
  readonly #placed = new Map<string, string>()

  get nodeCount(): number {
    return this.#nodes.size
  }

  setNode(node: Obj): void {
    this.#nodes.set(node.metadata.name, node)
    this.#infos.delete(node.metadata.name)
  }

  removeNode(name: string): void {
    this.#nodes.delete(name)
    this.#infos.delete(name)
  }

  /** A pod bound (or assumed) on a node, or its update; a pod that finished or left frees its place. */
  setPod(pod: Obj): void {
    const key = keyOf(pod)
    const node: string | undefined = pod.spec?.nodeName
    const old = this.#placed.get(key)
    if (old && old !== node) this.removePod(key)
    if (!node) return
    let pods = this.#pods.get(node)
    if (!pods) this.#pods.set(node, (pods = new Map()))
    pods.set(key, compactPod(pod))
    this.#placed.set(key, node)
    this.#infos.delete(node)
  }

  removePod(key: string): void {
    const node = this.#placed.get(key)
    if (!node) return
    this.#pods.get(node)?.delete(key)
    this.#placed.delete(key)
    this.#infos.delete(node)
  }

  /** NodeInfos of every node, rebuilt only where something changed. */
  snapshot(): Snapshot {
    const infos: NodeInfo[] = []
    for (const [name, node] of this.#nodes) {
      let info = this.#infos.get(name)
      if (!info) {
        info = newNodeInfo(node, [...(this.#pods.get(name)?.values() ?? [])])
        this.#infos.set(name, info)
      }
      infos.push(info)
    }
    return newSnapshot(infos)
  }

  /** Places a pod on a node's books at once, ahead of its binding write, so the next cycle sees it. */
  assume(pod: Obj, node: string): void {
    this.setPod({ ...pod, spec: { ...pod.spec, nodeName: node } })
  }
}

// The scheduler's cache: each node's NodeInfo, kept from the store's writes
// rather than re-listed every cycle. It holds a compact copy of each bound
// pod (what the plugins read: labels, affinity, requests, ports, claims), and the pods
// the scheduler has assumed on a node before its binding is written.
import { newNodeInfo } from './framework/node-info'
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
      // Claims and unshareable disks: what VolumeRestrictions counts.
      volumes: (pod.spec?.volumes ?? []).filter(
        (v: Obj) =>
          v.persistentVolumeClaim || v.gcePersistentDisk || v.awsElasticBlockStore || v.rbd || v.iscsi,
      ),
    },
    status: { phase: pod.status?.phase },
  }
}

const keyOf = (pod: Obj) => `${pod.metadata.namespace}/${pod.metadata.name}`

export class SchedulerCache {
  readonly #nodes = new Map<string, Obj>()
  /** Pods by node, then by namespace/name. */
  readonly #pods = new Map<string, Map<string, Obj>>()
  /** Which node each placed pod is on, to move or drop it on change. */
  readonly #placed = new Map<string, string>()
  /** The snapshot handed to cycles, kept from one to the next: only changed nodes are rebuilt. */
  #list: NodeInfo[] = []
  readonly #byName = new Map<string, NodeInfo>()
  readonly #index = new Map<string, number>()
  readonly #dirty = new Set<string>()
  #snapshot: Snapshot | undefined
  #nodesVersion = 0

  get nodeCount(): number {
    return this.#nodes.size
  }

  setNode(node: Obj): void {
    const name = node.metadata.name
    if (!this.#nodes.has(name)) this.#snapshot = undefined
    this.#nodes.set(name, node)
    this.#nodesVersion++
    this.#dirty.add(name)
  }

  removeNode(name: string): void {
    this.#nodes.delete(name)
    this.#nodesVersion++
    this.#dirty.delete(name)
    this.#snapshot = undefined
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
    this.#dirty.add(node)
  }

  removePod(key: string): void {
    const node = this.#placed.get(key)
    if (!node) return
    this.#pods.get(node)?.delete(key)
    this.#placed.delete(key)
    this.#dirty.add(node)
  }

  #build(name: string): NodeInfo {
    return newNodeInfo(this.#nodes.get(name)!, [...(this.#pods.get(name)?.values() ?? [])])
  }

  /** NodeInfos of every node; the same object across cycles, with changed nodes rebuilt in place. */
  snapshot(): Snapshot {
    if (!this.#snapshot) {
      this.#list = [...this.#nodes.keys()].map((name) => this.#build(name))
      this.#byName.clear()
      this.#index.clear()
      this.#list.forEach((info, i) => {
        this.#byName.set(info.name, info)
        this.#index.set(info.name, i)
      })
      this.#dirty.clear()
      const byName = this.#byName
      this.#snapshot = {
        nodes: this.#list,
        get: (name) => byName.get(name),
        nodesVersion: this.#nodesVersion,
      }
      return this.#snapshot
    }
    for (const name of this.#dirty) {
      const i = this.#index.get(name)
      if (i === undefined || !this.#nodes.has(name)) continue
      const info = this.#build(name)
      this.#list[i] = info
      this.#byName.set(name, info)
    }
    this.#dirty.clear()
    this.#snapshot.nodesVersion = this.#nodesVersion
    return this.#snapshot
  }

  /** Places a pod on a node's books at once, ahead of its binding write, so the next cycle sees it. */
  assume(pod: Obj, node: string): void {
    this.setPod({ ...pod, spec: { ...pod.spec, nodeName: node } })
  }
}

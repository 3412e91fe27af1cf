// The API server's side of the kubelet's one RPC: a batch of a node's writes
// (node status, Lease renewal, pod statuses, events, final pod removals) and
// reads (ConfigMaps, Secrets, claims and volumes, its pods), applied through the same preparation
// and resourceVersion preconditions as any client's /status writes.
import type { KubeletReply, KubeletReport } from '../resources/node-rpc'
import { recordEvent } from './events'
import { findKind } from '../resources/registry'
import { rfc3339 } from './context'
import type { Obj, Objects } from './objects'
import { prepareForCreate, prepareForUpdate } from './prepare'

const NODES = findKind('', 'v1', 'nodes')!
const PODS = findKind('', 'v1', 'pods')!
const LEASES = findKind('coordination.k8s.io', 'v1', 'leases')!
const CONFIGMAPS = findKind('', 'v1', 'configmaps')!
const SECRETS = findKind('', 'v1', 'secrets')!
const READABLE = {
  configmaps: CONFIGMAPS,
  secrets: SECRETS,
  persistentvolumeclaims: findKind('', 'v1', 'persistentvolumeclaims')!,
  persistentvolumes: findKind('', 'v1', 'persistentvolumes')!,
}

export const NODE_LEASE_NAMESPACE = 'kube-node-lease'
/** Pod conditions the kubelet does not own: kept as the scheduler and controllers wrote them. */
const KUBELET_CONDITIONS = new Set([
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
])

/** metav1.MicroTime: RFC 3339 with microseconds. */
export const microTime = (ms: number) =>
  new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

function same(a: Obj, b: Obj): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function writeStatus(objects: Objects, k: typeof PODS, old: Obj, status: Obj): void {
  const next = { ...old, status }
  prepareForUpdate(k, next, old, 'status')
  if (same(next.status, old.status ?? {})) return
  objects.update(k, next, old.metadata.resourceVersion)
}

function renewLease(
  objects: Objects,
  node: Obj,
  renew: NonNullable<KubeletReport['renewLease']>,
): void {
  const name: string = node.metadata.name
  const old = objects.get(LEASES, NODE_LEASE_NAMESPACE, name)
  const spec = {
    holderIdentity: name,
    leaseDurationSeconds: renew.leaseDurationSeconds,
    renewTime: microTime(renew.renewTime),
  }
  if (old) {
    objects.update(LEASES, { ...old, spec: { ...old.spec, ...spec } }, old.metadata.resourceVersion)
    return
  }
  const lease: Obj = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }],
    },
    spec,
  }
  prepareForCreate(LEASES, lease, renew.renewTime)
  objects.create(LEASES, lease)
}

/** Applies one kubelet batch. */
export function applyKubeletReport(objects: Objects, r: KubeletReport): KubeletReply {
  const node = objects.get(NODES, undefined, r.node)
  if (!node) return { registered: false, reads: [] }
  if (r.nodeStatus) {
    const status = { ...node.status, ...r.nodeStatus }
    // volumesInUse is the kubelet's alone: left out, it means none (omitempty), not "unchanged".
    if (!r.nodeStatus.volumesInUse) delete status.volumesInUse
    writeStatus(objects, NODES, node, status)
  }
  if (r.renewLease) renewLease(objects, node, r.renewLease)
  for (const p of r.pods ?? []) {
    const pod = objects.get(PODS, p.namespace, p.name)
    if (!pod || pod.metadata.uid !== p.uid) continue
    const kept = (pod.status?.conditions ?? []).filter((c: Obj) => !KUBELET_CONDITIONS.has(c.type))
    const conditions = [...(p.status.conditions ?? []), ...kept]
    // Upstream's order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
    writeStatus(objects, PODS, pod, { ...pod.status, ...p.status, conditions })
  }
  for (const e of r.events ?? []) recordEvent(objects, e, { component: 'kubelet', host: r.node })
  for (const d of r.deletePods ?? []) {
    const pod = objects.get(PODS, d.namespace, d.name)
    if (!pod || pod.metadata.uid !== d.uid || !pod.metadata.deletionTimestamp) continue
    if (pod.metadata.finalizers?.length) {
      // Finalizers still hold it: it goes once they are removed.
      objects.update(
        PODS,
        { ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: 0 } },
        pod.metadata.resourceVersion,
      )
      continue
    }
    objects.remove(PODS, pod)
  }
  const reads = (r.reads ?? []).map((read) => {
    const k = READABLE[read.resource]
    return objects.get(k, k.namespaced ? read.namespace : undefined, read.name) ?? null
  })
  const reply: KubeletReply = { registered: true, reads }
  if (r.relist) reply.pods = podsOnNode(objects, r.node)
  return reply
}

/** Every pod bound to the node (a kubelet's relist). */
export function podsOnNode(objects: Objects, node: string): Obj[] {
  return objects.list(PODS, { fields: [{ field: 'spec.nodeName', op: '=', value: node }] }).items
}

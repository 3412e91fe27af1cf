// The API server's side of the kubelet's one RPC: a batch of a node's writes
// (node status, Lease renewal, pod statuses, events, final pod removals) and
// reads (ConfigMaps, Secrets, its pods), applied through the same preparation
// and resourceVersion preconditions as any client's /status writes.
import type { KubeletEvent, KubeletReply, KubeletReport } from '../resources/node-rpc'
import { findKind } from '../resources/registry'
import { rfc3339 } from './context'
import type { Obj, Objects } from './objects'
import { prepareForCreate, prepareForUpdate } from './prepare'

const NODES = findKind('', 'v1', 'nodes')!
const PODS = findKind('', 'v1', 'pods')!
const LEASES = findKind('coordination.k8s.io', 'v1', 'leases')!
const EVENTS = findKind('', 'v1', 'events')!
const CONFIGMAPS = findKind('', 'v1', 'configmaps')!
const SECRETS = findKind('', 'v1', 'secrets')!

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

/** FNV-1a over the event's identity: equal events share a name, so repeats count up as upstream's correlator does. */
function eventName(e: KubeletEvent, node: string): string {
  const key = [
    node,
    e.involvedObject.kind,
    e.involvedObject.namespace,
    e.involvedObject.name,
    e.involvedObject.uid,
    e.involvedObject.fieldPath,
    e.reason,
    e.message,
    e.type,
  ].join('\u0000')
  let h1 = 0x811c9dc5
  let h2 = 0xcbf29ce4
  for (let i = 0; i < key.length; i++) {
    h1 = Math.imul(h1 ^ key.charCodeAt(i), 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ key.charCodeAt(i), 0x01000193 + 2) >>> 0
  }
  return `${e.involvedObject.name}.${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`
}

export function recordEvent(objects: Objects, e: KubeletEvent, node: string): void {
  const namespace = e.involvedObject.namespace || 'default'
  const name = eventName(e, node)
  const old = objects.get(EVENTS, namespace, name)
  if (old) {
    objects.update(
      EVENTS,
      { ...old, count: (old.count ?? 1) + 1, lastTimestamp: rfc3339(e.time) },
      old.metadata.resourceVersion,
    )
    return
  }
  const ev: Obj = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: e.involvedObject,
    reason: e.reason,
    message: e.message,
    type: e.type,
    source: { component: 'kubelet', host: node },
    firstTimestamp: rfc3339(e.time),
    lastTimestamp: rfc3339(e.time),
    count: 1,
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: node,
  }
  prepareForCreate(EVENTS, ev, e.time)
  objects.create(EVENTS, ev)
}

/** Applies one kubelet batch; `now` is the cluster's simulated now. */
export function applyKubeletReport(objects: Objects, now: number, r: KubeletReport): KubeletReply {
  const node = objects.get(NODES, undefined, r.node)
  if (!node) return { registered: false, reads: [] }
  if (r.nodeStatus) writeStatus(objects, NODES, node, { ...node.status, ...r.nodeStatus })
  if (r.renewLease) renewLease(objects, node, r.renewLease)
  for (const p of r.pods ?? []) {
    const pod = objects.get(PODS, p.namespace, p.name)
    if (!pod || pod.metadata.uid !== p.uid) continue
    const kept = (pod.status?.conditions ?? []).filter((c: Obj) => !KUBELET_CONDITIONS.has(c.type))
    const conditions = [...(p.status.conditions ?? []), ...kept]
    // Upstream's order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
    writeStatus(objects, PODS, pod, { ...pod.status, ...p.status, conditions })
  }
  for (const e of r.events ?? []) recordEvent(objects, e, r.node)
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
  const reads = (r.reads ?? []).map(
    (read) =>
      objects.get(
        read.resource === 'configmaps' ? CONFIGMAPS : SECRETS,
        read.namespace,
        read.name,
      ) ?? null,
  )
  const reply: KubeletReply = { registered: true, reads }
  if (r.relist) reply.pods = podsOnNode(objects, r.node)
  void now
  return reply
}

/** Every pod bound to the node (a kubelet's relist). */
export function podsOnNode(objects: Objects, node: string): Obj[] {
  return objects.list(PODS, { fields: [{ field: 'spec.nodeName', op: '=', value: node }] }).items
}

// The kubelet: keeps the pods pushed to it, runs each through the pod worker
// when it is due, renews the node Lease, posts node and pod status, and sends
// all of one run's writes to the cluster as one batch. Faults: a powered-off
// node runs nothing and says nothing; a partitioned one runs its pods but its
// reports never arrive. It reaches storage, timers and the cluster through the
// small interfaces below; the node object supplies them.
import {
  FAULT_ANNOTATION,
  type Fault,
  type KubeletEvent,
  type KubeletReply,
  type KubeletReport,
  type LogReply,
  type LogRequest,
  type ObjectRead,
  type PodPush,
  type ServeBatch,
  type ServeResult,
} from '../../resources/node-rpc'
import { DEFAULT_BANDWIDTH_BYTES_PER_SEC } from '../../sim/registry/catalog'
import {
  hardwareOf,
  hostIPOf,
  LEASE_DURATION_S,
  LEASE_RENEW_MS,
  nodeStatus,
  STATUS_REPORT_MS,
  withoutHeartbeat,
} from './node-status'
import { containerLogs } from './container-logs'
import { serveRequests } from './serving'
import * as R from './events'
import { newPodRecord, type PodRecord } from './pod-record'
import { podStatus } from './pod-status'
import { powerOff, powerOn, terminatePod } from './pod-interruptions'
import { type ImageCache, syncPod } from './pod-worker'
import { attachedOf, volumesInUse } from './pod-volumes'

type Obj = Record<string, any>

export interface KubeletStorage {
  pod(uid: string): PodRecord | undefined
  podByName(namespace: string, name: string): PodRecord | undefined
  pods(): PodRecord[]
  putPod(rec: PodRecord): void
  deletePod(uid: string): void
  images: ImageCache & { list(): { ref: string; digest: string; sizeBytes: number }[] }
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
}

export interface KubeletTimers {
  schedule(kind: string, key: string, dueAt: number): void
  cancel(kind: string, key: string): void
}

export interface ClusterClient {
  report(r: KubeletReport): Promise<KubeletReply>
}

export const POD_TIMER = 'kubelet.pod'
export const HEARTBEAT_TIMER = 'kubelet.heartbeat'
const MAX_QUEUED_EVENTS = 500

interface NodeState {
  node: Obj
  boot: number
  readySince: number
  lastStatus?: string
  lastStatusAt?: number
  /** Pod statuses the cluster has not acknowledged, by uid: hash of the last one it has. */
  fault?: Fault
}

export class Kubelet {
  #events: KubeletEvent[] = []
  #dirty = new Set<string>()
  #fetched = new Map<string, Obj | null>()
  #needFetch = new Map<string, ObjectRead>()
  #relist = false
  #renew = false

  constructor(
    readonly store: KubeletStorage,
    readonly timers: KubeletTimers,
    readonly now: () => number,
  ) {}

  get state(): NodeState | undefined {
    return this.store.get<NodeState>('kubelet')
  }

  get fault(): Fault {
    return this.state?.fault
  }

  /** The cluster created or changed our Node. */
  configure(node: Obj): void {
    const now = this.now()
    const prev = this.state
    const fault = faultOf(node)
    const st: NodeState = prev ?? { node, boot: now, readySince: now }
    const attachedBefore = attachedOf(prev?.node)
    st.node = node
    if (!prev) {
      this.#relist = true
      this.timers.schedule(HEARTBEAT_TIMER, 'node', now)
      this.#started(node, now)
    }
    if (fault !== prev?.fault) {
      if (fault === 'poweroff')
        for (const rec of this.store.pods()) this.#save(powerOffRec(rec, now))
      if (prev?.fault === 'poweroff') {
        st.boot = now
        st.readySince = now
        this.#started(node, now)
        this.#nodeEvent(
          node,
          R.Rebooted,
          `Node ${node.metadata.name} has been rebooted, boot id: ${now}`,
          'Warning',
          now,
        )
        for (const rec of this.store.pods()) {
          powerOn(rec, now)
          this.#save(rec)
          this.timers.schedule(POD_TIMER, rec.uid, now)
        }
      }
      // Coming back from a fault, the kubelet catches up with what it missed.
      if (!fault && prev?.fault) {
        this.#relist = true
        st.lastStatus = undefined
        this.timers.schedule(HEARTBEAT_TIMER, 'node', now)
      }
      st.fault = fault
    }
    this.store.set('kubelet', st)
    // Volumes newly attached to us: pods waiting for them mount now.
    if ([...attachedOf(node)].some((v) => !attachedBefore.has(v)))
      for (const rec of this.store.pods())
        if (rec.awaitingAttach && rec.sandboxAt === undefined) {
          rec.mountRetryAt = now
          this.#save(rec)
          this.timers.schedule(POD_TIMER, rec.uid, now)
        }
  }

  /** Pods bound to us changed (the cluster's push; ignored while we cannot hear it). */
  podsChanged(pushes: PodPush[]): boolean {
    if (!this.state || this.fault) return false
    for (const p of pushes) this.#apply(p)
    return true
  }

  #apply(p: PodPush): void {
    const now = this.now()
    const rec = this.store.podByName(p.namespace, p.name)
    if (!p.pod || (rec && p.pod.metadata.uid !== rec.uid)) {
      // Gone from the API (force-deleted, or replaced by a namesake): stop and forget it.
      if (rec) {
        this.store.deletePod(rec.uid)
        this.timers.cancel(POD_TIMER, rec.uid)
      }
      if (!p.pod) return
    }
    const current = p.pod.metadata.uid === rec?.uid ? rec : undefined
    const pod = trimmed(p.pod)
    const r = current ?? newPodRecord(pod, now)
    r.pod = pod
    const del = p.pod.metadata.deletionTimestamp
    // The deadline is the API's deletionTimestamp, however late the kubelet heard of it.
    if (del)
      terminatePod(
        r,
        now,
        Math.max(
          now,
          Date.parse(del) || now + (p.pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000,
        ),
      )
    this.#save(r)
    this.timers.schedule(POD_TIMER, r.uid, now)
  }

  /** What a starting kubelet says about its node, as upstream's does. */
  #started(node: Obj, now: number): void {
    const name = node.metadata.name
    this.#nodeEvent(node, R.Starting, 'Starting kubelet.', 'Normal', now)
    for (const reason of [
      R.NodeHasSufficientMemory,
      R.NodeHasNoDiskPressure,
      R.NodeHasSufficientPID,
      R.NodeReady,
    ])
      this.#nodeEvent(node, reason, `Node ${name} status is now: ${reason}`, 'Normal', now)
  }

  #nodeEvent(
    node: Obj,
    reason: string,
    message: string,
    type: 'Normal' | 'Warning',
    time: number,
  ): void {
    // Upstream's kubelet names its node by name where a uid would go.
    const name = node.metadata.name
    this.#events.push({
      involvedObject: { apiVersion: 'v1', kind: 'Node', name, uid: name },
      reason,
      message,
      type,
      time,
    })
  }

  #save(rec: PodRecord): void {
    this.store.putPod(rec)
    this.#dirty.add(rec.uid)
  }

  #world(st: NodeState) {
    const hw = hardwareOf(st.node)
    const cidr: string = st.node.spec?.podCIDR ?? '10.244.0.0/24'
    const prefix = cidr.split('.').slice(0, 3).join('.')
    return {
      nodeName: st.node.metadata.name as string,
      hostIP: hostIPOf(cidr),
      allocatable: { cpu: hw.cpu, memory: hw.memory },
      bandwidthBytesPerSec: DEFAULT_BANDWIDTH_BYTES_PER_SEC,
      images: this.store.images,
      volumesAttached: attachedOf(st.node),
      lookup: (resource: ObjectRead['resource'], namespace: string, name: string) =>
        this.#fetched.get(`${resource}/${namespace}/${name}`),
      allocateIP: () => {
        const used = new Set(this.store.pods().map((p) => p.podIP))
        for (let i = 2; i < 255; i++) if (!used.has(`${prefix}.${i}`)) return `${prefix}.${i}`
        return `${prefix}.254`
      },
      emit: (e: KubeletEvent) => {
        if (this.#events.length < MAX_QUEUED_EVENTS) this.#events.push(e)
      },
    }
  }

  /** The pod timer fired: advance the pod. */
  syncPod(uid: string): void {
    const st = this.state
    const rec = this.store.pod(uid)
    if (!st || !rec || st.fault === 'poweroff') return
    const now = this.now()
    const r = syncPod(rec, now, this.#world(st))
    if (r.fetch)
      for (const read of r.fetch)
        this.#needFetch.set(`${read.resource}/${read.namespace}/${read.name}`, read)
    if (r.fetch) rec.awaitingFetch = true
    else delete rec.awaitingFetch
    this.#save(rec)
    if (r.wakeAt !== undefined) this.timers.schedule(POD_TIMER, uid, r.wakeAt)
  }

  /** The heartbeat timer fired: renew the Lease (the report carries it) and come back in 10 s. */
  heartbeat(): void {
    const st = this.state
    if (!st || st.fault === 'poweroff') return
    this.#renew = true
    this.timers.schedule(HEARTBEAT_TIMER, 'node', this.now() + LEASE_RENEW_MS)
  }

  /** Sends what this run produced, as one batch; pods that waited on ConfigMaps or Secrets go on once they arrive. */
  async flush(client: ClusterClient): Promise<void> {
    for (let round = 0; round < 2; round++) {
      const report = this.#report()
      if (!report) return
      const reads = report.reads ?? []
      let reply: KubeletReply
      try {
        reply = await client.report(report)
      } catch (err) {
        this.#retryLater(report)
        throw err
      }
      this.#afterReply(report, reply)
      if (!reads.length) return
      reads.forEach((r, i) =>
        this.#fetched.set(`${r.resource}/${r.namespace}/${r.name}`, reply.reads[i] ?? null),
      )
      for (const rec of this.store.pods()) if (rec.awaitingFetch) this.syncPod(rec.uid)
      this.#fetched.clear()
    }
  }

  #report(): KubeletReport | undefined {
    const st = this.state
    if (!st || st.fault) {
      // Powered off: nothing to say. Partitioned: nothing gets through; the statuses stay dirty until it heals.
      this.#events = st?.fault === 'partition' ? this.#events.slice(-MAX_QUEUED_EVENTS) : []
      this.#renew = false
      return undefined
    }
    const now = this.now()
    const report: KubeletReport = { node: st.node.metadata.name }
    if (this.#renew) report.renewLease = { renewTime: now, leaseDurationSeconds: LEASE_DURATION_S }
    const images = this.store.images.list().map((i) => ({
      names: [i.ref.replace(/:[^:/]+$/, '') + '@' + i.digest, i.ref],
      sizeBytes: i.sizeBytes,
    }))
    const status = nodeStatus({
      node: st.node,
      boot: st.boot,
      heartbeat: now,
      readySince: st.readySince,
      images,
      volumesInUse: volumesInUse(this.store.pods()),
    })
    const key = withoutHeartbeat(status)
    if (key !== st.lastStatus || now - (st.lastStatusAt ?? 0) >= STATUS_REPORT_MS)
      report.nodeStatus = status
    const hostIP = hostIPOf(st.node.spec?.podCIDR)
    for (const uid of this.#dirty) {
      const rec = this.store.pod(uid)
      if (!rec) continue
      if (rec.finished) {
        ;(report.deletePods ??= []).push({ namespace: rec.namespace, name: rec.name, uid })
        continue
      }
      const s = podStatus(rec, now, hostIP)
      const hash = JSON.stringify(s)
      if (rec.reported === hash) continue
      rec.pendingHash = hash
      this.store.putPod(rec)
      ;(report.pods ??= []).push({ namespace: rec.namespace, name: rec.name, uid, status: s })
    }
    if (this.#events.length) report.events = this.#events
    if (this.#needFetch.size) report.reads = [...this.#needFetch.values()]
    if (this.#relist) report.relist = true
    this.#events = []
    this.#needFetch.clear()
    this.#dirty.clear()
    this.#renew = false
    const empty =
      !report.renewLease &&
      !report.nodeStatus &&
      !report.pods &&
      !report.events &&
      !report.reads &&
      !report.relist &&
      !report.deletePods
    return empty ? undefined : report
  }

  #retryLater(report: KubeletReport): void {
    for (const p of report.pods ?? []) this.#dirty.add(p.uid)
    for (const p of report.deletePods ?? []) this.#dirty.add(p.uid)
    for (const r of report.reads ?? [])
      this.#needFetch.set(`${r.resource}/${r.namespace}/${r.name}`, r)
    if (report.relist) this.#relist = true
  }

  #afterReply(report: KubeletReport, reply: KubeletReply): void {
    const st = this.state!
    if (report.nodeStatus) {
      st.lastStatus = withoutHeartbeat(report.nodeStatus)
      st.lastStatusAt = this.now()
      this.store.set('kubelet', st)
    }
    for (const p of report.pods ?? []) {
      const rec = this.store.pod(p.uid)
      if (!rec) continue
      rec.reported = rec.pendingHash
      this.store.putPod(rec)
    }
    for (const p of report.deletePods ?? []) {
      this.store.deletePod(p.uid)
      this.timers.cancel(POD_TIMER, p.uid)
    }
    if (report.relist && reply.pods) {
      this.#relist = false
      const seen = new Set<string>()
      for (const pod of reply.pods) {
        seen.add(`${pod.metadata.namespace}/${pod.metadata.name}`)
        this.#apply({ namespace: pod.metadata.namespace, name: pod.metadata.name, pod })
      }
      for (const rec of this.store.pods())
        if (!seen.has(`${rec.namespace}/${rec.name}`))
          this.#apply({ namespace: rec.namespace, name: rec.name })
    }
  }

  /** Whether there is anything to send (the node object flushes after RPCs that change pods). */
  get pending(): boolean {
    return (
      this.#dirty.size > 0 || this.#events.length > 0 || this.#needFetch.size > 0 || this.#relist
    )
  }

  /** Requests that reached pods here (simulated traffic), one result per batch. */
  serve(batches: ServeBatch[]): ServeResult[] {
    const now = this.now()
    return batches.map((b) => {
      if (this.fault) {
        const total = b.clients.reduce((n, c) => n + c.count, 0)
        return { answered: 0, refused: 0, timedOut: total }
      }
      const rec = this.store.podByName(b.namespace, b.name)
      const { result, changed } = serveRequests(rec, b, now)
      if (changed && rec) this.store.putPod(rec)
      return result
    })
  }

  logs(req: LogRequest): LogReply {
    return containerLogs(
      this.store.podByName(req.namespace, req.name),
      req,
      this.now(),
      this.fault === 'poweroff',
    )
  }
}

/** What the kubelet keeps of a pod: no managedFields or last-applied copy, which it never reads. */
function trimmed(pod: Obj): Obj {
  const { managedFields: _, ...metadata } = pod.metadata
  const annotations = { ...metadata.annotations }
  delete annotations['kubectl.kubernetes.io/last-applied-configuration']
  return {
    ...pod,
    metadata: { ...metadata, annotations },
    status: { qosClass: pod.status?.qosClass },
  }
}

function faultOf(node: Obj): Fault {
  const f = node.metadata?.annotations?.[FAULT_ANNOTATION]
  return f === 'poweroff' || f === 'partition' ? f : undefined
}

function powerOffRec(rec: PodRecord, now: number): PodRecord {
  powerOff(rec, now)
  return rec
}

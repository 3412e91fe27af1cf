// The scheduler on the cluster object: it hears of pods and nodes from the
// store's writes (its informers), keeps its queue and cache, and runs cycles
// from the alarm in batches, binding through the same write path as the
// pods/binding subresource and reporting as upstream does (Scheduled,
// FailedScheduling, PodScheduled=False) plus an explanation per attempt.
// A pod whose claims must be bound first (VolumeBinding's PreBind) is parked,
// assumed on its node, until the PV controller has bound them.
import { recordEvent } from '../apiserver/events'
import { writeBinding } from '../apiserver/handlers/subresources'
import type { Obj, Objects } from '../apiserver/objects'
import { findKind } from '../resources/registry'
import { SchedulerCache } from './cache'
import {
  CycleState,
  type ObjectUpdate,
  type PreBindPlugin,
  type Snapshot,
  type VolumeListers,
} from './framework/types'
import { summarize, type DecisionStore } from './explanations'
import { type Explanation, type Profile, scheduleOne, seededRandom } from './schedule-one'
import { labelSelectorMatches } from './plugins/helper/label-selector'
import { type Budget, preempt } from './preemption'
import { type QueuedPod, SchedulingQueue } from './queue'

const rfc3339 = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

const PODS = findKind('', 'v1', 'pods')!
const NODES = findKind('', 'v1', 'nodes')!
const PDBS = findKind('policy', 'v1', 'poddisruptionbudgets')!
const PVCS = findKind('', 'v1', 'persistentvolumeclaims')!
const PVS = findKind('', 'v1', 'persistentvolumes')!
const STORAGE_CLASSES = findKind('storage.k8s.io', 'v1', 'storageclasses')!
const STORAGE_KINDS = new Set(['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'])

export const SCHEDULER_NAME = 'default-scheduler'
/** Pods per alarm slice, and the wall time a slice may take. */
const BATCH = 200
const SLICE_WALL_MS = 2_000

export interface SchedulerDeps {
  objects: Objects
  now(): number
  /**
   * Asks for a cycle at (simulated) time `at`, unless one is due sooner; `again`
   * comes from the end of a cycle, whose own timer is about to be retired, and
   * must be kept whatever it says.
   */
  wake(at: number, again?: boolean): void
  profile: Profile
  /** Ties break by a generator seeded from this and the pod's name: a replayed run decides the same. */
  seed: string
  decisions?: DecisionStore
}

const keyOf = (pod: Obj) => `${pod.metadata.namespace}/${pod.metadata.name}`

/** A pod waiting at PreBind on its node, as upstream's binding goroutine waits for its volumes. */
interface Parked {
  uid: string
  node: string
  plugin: PreBindPlugin
  pending: unknown
  since: number
  qp: QueuedPod
  ex: Explanation
}

/** A pod this scheduler should place: pending, ours, not being deleted, not gated. */
export function wantsScheduling(pod: Obj): boolean {
  return (
    !pod.spec?.nodeName &&
    (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME &&
    !pod.metadata.deletionTimestamp &&
    !(pod.spec?.schedulingGates?.length > 0) &&
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed'
  )
}

export class Scheduler {
  readonly queue = new SchedulingQueue()
  readonly cache = new SchedulerCache()
  #loaded = false
  /** Set while the scheduler writes, so its own writes do not requeue what it just decided. */
  #writing = false
  #startIndex = 0
  readonly #parked = new Map<string, Parked>()
  /** The claims, volumes and classes the volume plugins read, straight from the store. */
  readonly #listers: VolumeListers = {
    claim: (ns, name) => this.deps.objects.get(PVCS, ns, name),
    volume: (name) => this.deps.objects.get(PVS, undefined, name),
    storageClass: (name) => this.deps.objects.get(STORAGE_CLASSES, undefined, name),
    volumes: () => this.deps.objects.list(PVS).items,
  }

  constructor(readonly deps: SchedulerDeps) {}

  /** Pods waiting at PreBind for their claims, by namespace/name. */
  get parked(): ReadonlyMap<string, { node: string; since: number }> {
    return this.#parked
  }

  /** Fills the cache and queue from the store, once (after a restart, too). */
  #load(): void {
    if (this.#loaded) return
    this.#loaded = true
    const now = this.deps.now()
    for (const n of this.deps.objects.list(NODES).items) this.cache.setNode(n)
    for (const p of this.deps.objects.list(PODS).items) this.#pod(p, false, now)
  }

  /** The store wrote k/o: the scheduler's informer. */
  observe(kind: string, o: Obj, deleted: boolean): void {
    if (!this.#loaded) {
      // Nothing to keep current before the first cycle loads everything; just make sure one comes.
      if (kind === 'Pod' && !deleted && wantsScheduling(o)) this.deps.wake(this.deps.now())
      return
    }
    const now = this.deps.now()
    if (kind === 'Node') {
      if (deleted) this.cache.removeNode(o.metadata.name)
      else this.cache.setNode(o)
      this.#clusterEvent(now)
    } else if (kind === 'Pod') this.#pod(o, deleted, now)
    else if (STORAGE_KINDS.has(kind) && !this.#writing) {
      // A claim, volume or class changed: pods VolumeBinding, VolumeZone or VolumeRestrictions
      // turned away may fit now, and parked pods may have their claims bound.
      this.#clusterEvent(now)
      if (this.#parked.size) this.deps.wake(now)
    }
  }

  #pod(pod: Obj, deleted: boolean, now: number): void {
    const key = keyOf(pod)
    const parked = this.#parked.get(key)
    if (parked && (deleted || pod.metadata.uid !== parked.uid || !wantsScheduling(pod))) {
      // Deleted (or bound by someone else) while waiting: give its place on the node back.
      this.#parked.delete(key)
      this.cache.removePod(key)
    } else if (parked) return
    if (deleted) {
      this.queue.delete(key)
      this.deps.decisions?.forget(pod.metadata.namespace, pod.metadata.name)
      if (pod.spec?.nodeName) {
        this.cache.removePod(key)
        this.#clusterEvent(now)
      }
      return
    }
    if (pod.spec?.nodeName) {
      this.queue.delete(key)
      this.cache.setPod(pod)
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
        this.#clusterEvent(now)
      return
    }
    if (this.#writing) return
    if (wantsScheduling(pod)) {
      this.queue.add(key, pod.spec?.priority ?? 0, now)
      this.deps.wake(now)
    } else this.queue.delete(key)
  }

  /** Something changed that may let unschedulable pods fit. */
  #clusterEvent(now: number): void {
    this.queue.moveAllToActiveOrBackoff(now)
    const at = this.queue.nextWake(now)
    if (at !== undefined) this.deps.wake(at)
  }

  /** One slice of scheduling from the alarm; returns how many pods were bound and left unschedulable. */
  runCycle(wall: () => number = () => Date.now()): { scheduled: number; unschedulable: number } {
    this.#load()
    const now = this.deps.now()
    const started = wall()
    let scheduled = 0
    let unschedulable = 0
    scheduled += this.#checkParked(now)
    for (const qp of this.queue.pop(BATCH, now)) {
      if (wall() - started > SLICE_WALL_MS) {
        this.queue.add(qp.key, qp.priority, now)
        continue
      }
      const [ns, name] = qp.key.split('/') as [string, string]
      const pod = this.deps.objects.get(PODS, ns, name)
      if (!pod || !wantsScheduling(pod)) continue
      const snapshot = this.cache.snapshot()
      snapshot.volumes = this.#listers
      const state = new CycleState()
      const ex = scheduleOne(pod, snapshot, this.deps.profile, {
        startIndex: this.#startIndex,
        random: seededRandom(`${this.deps.seed}/${qp.key}/${qp.attempts}`),
        state,
      })
      this.#startIndex = (this.#startIndex + ex.evaluated) % Math.max(1, snapshot.nodes.length)
      if (ex.chosen) {
        const pre = this.#preBind(pod, ex, state, snapshot, qp, now)
        if (pre !== 'bind') continue
        if (this.#bind(pod, ex, now)) scheduled++
        else this.queue.retry(qp, now)
      } else {
        // PostFilter: preemption may make room; either way the pod waits for the next cluster event.
        const pre = preempt(pod, snapshot, this.deps.profile, ex, this.#budgets())
        if (pre.node) this.#preempt(pod, pre.node, pre.victims, now)
        this.#failed(pod, ex, now, pre.node ? ex.message : `${ex.message} ${pre.message}`)
        this.queue.unschedulable(qp, now)
        unschedulable++
      }
    }
    let at = this.queue.nextWake(this.deps.now())
    for (const p of this.#parked.values()) {
      const deadline = p.since + p.plugin.waitTimeoutMs
      at = at === undefined ? deadline : Math.min(at, deadline)
    }
    if (at !== undefined) this.deps.wake(at, true)
    return { scheduled, unschedulable }
  }

  /**
   * PreBind: the plugins' API writes (claims' selected node, PVs pre-bound),
   * then either the binding at once or, while the PV controller works, a
   * parked pod assumed on its node. Upstream blocks a binding goroutine here;
   * we look again whenever claims or volumes change (checkParked).
   */
  #preBind(
    pod: Obj,
    ex: Explanation,
    state: CycleState,
    snapshot: Snapshot,
    qp: QueuedPod,
    now: number,
  ): 'bind' | 'parked' | 'failed' {
    const node = ex.chosen!
    for (const plugin of this.deps.profile.preBind ?? []) {
      const r = plugin.preBind(state, pod, node, snapshot)
      if (r.status) {
        this.#bindingFailed(pod, ex, plugin, r.status.reasons.join(', '), qp, now)
        return 'failed'
      }
      if (r.updates?.length && !this.#write(r.updates)) {
        this.queue.retry(qp, now)
        return 'failed'
      }
      if (r.pending === undefined) continue
      this.cache.assume(pod, node)
      this.#parked.set(qp.key, {
        uid: pod.metadata.uid,
        node,
        plugin,
        pending: r.pending,
        since: now,
        qp,
        ex,
      })
      return 'parked'
    }
    return 'bind'
  }

  /** Writes a PreBind plugin's updates; false on a conflict (the pod is tried again). */
  #write(updates: ObjectUpdate[]): boolean {
    this.#writing = true
    try {
      for (const u of updates)
        this.deps.objects.update(
          u.resource === 'persistentvolumeclaims' ? PVCS : PVS,
          u.object as Obj,
          u.object.metadata.resourceVersion,
        )
      return true
    } catch {
      return false
    } finally {
      this.#writing = false
    }
  }

  /** Parked pods whose claims are now bound get their binding; failed or timed-out ones go back. */
  #checkParked(now: number): number {
    let bound = 0
    for (const [key, p] of [...this.#parked]) {
      const [ns, name] = key.split('/') as [string, string]
      const pod = this.deps.objects.get(PODS, ns, name)
      if (!pod || pod.metadata.uid !== p.uid || !wantsScheduling(pod)) {
        this.#parked.delete(key)
        this.cache.removePod(key)
        continue
      }
      const node = this.cache.snapshot().get(p.node)?.node
      const s = p.plugin.checkPreBind(p.pending, node, this.#listers, now - p.since)
      if (!s) continue
      this.#parked.delete(key)
      if (s.code !== 'Success') {
        this.cache.removePod(key)
        this.#bindingFailed(pod, p.ex, p.plugin, s.reasons.join(', '), p.qp, now)
      } else if (this.#bind(pod, p.ex, now)) bound++
      else this.queue.retry(p.qp, now)
    }
    return bound
  }

  /** A PreBind error: SchedulerError, as upstream's handleSchedulingFailure reports it, and a retry. */
  #bindingFailed(
    pod: Obj,
    ex: Explanation,
    plugin: PreBindPlugin,
    message: string,
    qp: QueuedPod,
    now: number,
  ): void {
    this.#failed(pod, ex, now, `running PreBind plugin "${plugin.name}": ${message}`, 'SchedulerError')
    this.queue.retry(qp, now)
  }

  #bind(pod: Obj, ex: Explanation, now: number): boolean {
    const node = ex.chosen!
    this.#writing = true
    try {
      this.cache.assume(pod, node)
      writeBinding(this.deps.objects, pod, node, now)
      this.#event(pod, 'Normal', 'Scheduled', `Successfully assigned ${keyOf(pod)} to ${node}`, now)
      this.deps.decisions?.record(pod, summarize(ex, now))
      return true
    } catch {
      // The pod changed under us (a conflict): forget the assumption and try again later.
      this.cache.removePod(keyOf(pod))
      return false
    } finally {
      this.#writing = false
    }
  }

  /**
   * The PodDisruptionBudgets, with the disruptions each still allows: its
   * status.disruptionsAllowed when the disruption controller has written it,
   * else counted here from the healthy pods it covers.
   */
  #budgets(): Budget[] {
    const pdbs = this.deps.objects.list(PDBS).items
    if (!pdbs.length) return []
    return pdbs.map((pdb) => {
      const ns = pdb.metadata.namespace
      const covers = (p: Obj) => labelSelectorMatches(pdb.spec?.selector, p.metadata.labels ?? {})
      let allowed = pdb.status?.disruptionsAllowed
      if (allowed === undefined) {
        const pods = this.deps.objects
          .list(PODS, { namespace: ns })
          .items.filter((p) => covers(p) && !p.metadata.deletionTimestamp)
        const healthy = pods.filter((p) =>
          p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'),
        ).length
        const count = (v: unknown) =>
          typeof v === 'string' && v.endsWith('%')
            ? Math.ceil((pods.length * Number(v.slice(0, -1))) / 100)
            : Number(v ?? 0)
        allowed =
          pdb.spec?.maxUnavailable !== undefined
            ? count(pdb.spec.maxUnavailable) - (pods.length - healthy)
            : healthy - count(pdb.spec?.minAvailable ?? 1)
      }
      return { namespace: ns, covers, allowed: Math.max(0, allowed ?? 0) }
    })
  }

  /** Evicts the victims gracefully (DisruptionTarget, then deletion) and nominates the node for the preemptor. */
  #preempt(pod: Obj, node: string, victims: Record<string, any>[], now: number): void {
    this.#writing = true
    try {
      for (const v of victims) {
        const full = this.deps.objects.get(PODS, v.metadata.namespace, v.metadata.name)
        if (!full || full.metadata.deletionTimestamp) continue
        const grace = full.spec?.terminationGracePeriodSeconds ?? 30
        const conditions = [
          ...(full.status?.conditions ?? []).filter((c: Obj) => c.type !== 'DisruptionTarget'),
          {
            type: 'DisruptionTarget',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: rfc3339(now),
            reason: 'PreemptionByScheduler',
            message: `${SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
          },
        ]
        const metadata = {
          ...full.metadata,
          deletionTimestamp: rfc3339(now + grace * 1000),
          deletionGracePeriodSeconds: grace,
        }
        if (grace === 0) this.deps.objects.remove(PODS, full)
        else
          this.deps.objects.update(
            PODS,
            { ...full, metadata, status: { ...full.status, conditions } },
            full.metadata.resourceVersion,
          )
        this.#event(
          full,
          'Normal',
          'Preempted',
          `Preempted by pod ${pod.metadata.uid} on node ${node}`,
          now,
        )
      }
      const fresh = this.deps.objects.get(PODS, pod.metadata.namespace, pod.metadata.name)
      if (fresh && fresh.status?.nominatedNodeName !== node)
        this.deps.objects.update(
          PODS,
          { ...fresh, status: { ...fresh.status, nominatedNodeName: node } },
          fresh.metadata.resourceVersion,
        )
    } finally {
      this.#writing = false
    }
  }

  #failed(pod: Obj, ex: Explanation, now: number, text?: string, reason = 'Unschedulable'): void {
    const message = text ?? ex.message ?? `0/${ex.nodes} nodes are available.`
    // A pod re-read after a nomination has a newer revision.
    pod = this.deps.objects.get(PODS, pod.metadata.namespace, pod.metadata.name) ?? pod
    this.#writing = true
    try {
      const conds: Obj[] = (pod.status?.conditions ?? []).filter(
        (c: Obj) => c.type !== 'PodScheduled',
      )
      const old = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled')
      const cond = {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime:
          old?.status === 'False'
            ? old.lastTransitionTime
            : new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        reason,
        message,
      }
      if (JSON.stringify(old) !== JSON.stringify(cond)) {
        const next = { ...pod, status: { ...pod.status, conditions: [...conds, cond] } }
        this.deps.objects.update(PODS, next, pod.metadata.resourceVersion)
      }
      this.#event(pod, 'Warning', 'FailedScheduling', message, now)
      this.deps.decisions?.record(pod, summarize(ex, now))
    } catch {
      // A conflict: the pod changed and is back in the queue through the informer.
    } finally {
      this.#writing = false
    }
  }

  #event(pod: Obj, type: 'Normal' | 'Warning', reason: string, message: string, now: number): void {
    recordEvent(
      this.deps.objects,
      {
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          namespace: pod.metadata.namespace,
          uid: pod.metadata.uid,
        },
        reason,
        message,
        type,
        time: now,
      },
      { component: SCHEDULER_NAME },
    )
  }
}

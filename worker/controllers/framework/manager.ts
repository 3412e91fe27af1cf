// The controller manager on the cluster object: writes to the store reach
// each controller's watch functions (its informers' event handlers), which
// name keys; a key waits in the persistent work queue (one timer per
// controller and key, so it is deduplicated and survives restarts) and is
// synced from the alarm. A sync that throws is retried with the timers'
// back-off; requeueAfter asks for another look at a simulated time.
import type { Scheduler } from '../../apiserver/handlers/delete'
import type { Objects } from '../../apiserver/objects'
import type { KindInfo } from '../../resources/kind'
import type { Timer, TimerHandler } from '../../sim/timers'
import { controllerContext, refOf } from './context'
import type { Controller, Obj } from './types'

export interface WorkQueue {
  schedule(kind: string, key: string, dueAt: number): void
  get(kind: string, key: string): Timer | undefined
  on(kind: string, handler: TimerHandler): void
}

export interface ManagerDeps {
  objects: Objects
  queue: WorkQueue
  now(): number
  /** The API server's own timers (namespace finalization after a delete). */
  apiTimers: Scheduler
  /** When the clock was last stepped, if ever. */
  clockSteppedAt?(): number | undefined
  /** The cluster's name, for the cloud controllers. */
  clusterName?: string
  /** Runs a sync as its controller's component, so the writes it makes are attributed to it. */
  runAs?<T>(component: string, fn: () => T): T
}

export const timerKind = (c: Controller) => `controller.${c.name}`

export class ControllerManager {
  /** The controller and key being synced: its own writes do not enqueue it again. */
  #current: { controller: Controller; key: string } | undefined
  /** Syncs run, by controller, for the benchmarks. */
  readonly syncs = new Map<string, number>()

  constructor(
    readonly controllers: Controller[],
    readonly deps: ManagerDeps,
  ) {
    for (const c of controllers) deps.queue.on(timerKind(c), (t) => this.#sync(c, t.key))
  }

  /** Enqueues key for c at `at`, unless it is already due sooner. */
  enqueue(c: Controller, key: string, at: number): void {
    const kind = timerKind(c)
    const cur = this.#current
    if (cur?.controller === c && cur.key === key && at > this.deps.now()) {
      // A requeue of the key being synced replaces its timer (which would otherwise be retired after the sync).
      this.deps.queue.schedule(kind, key, at)
      return
    }
    const t = this.deps.queue.get(kind, key)
    if (!t || t.dueAt > at) this.deps.queue.schedule(kind, key, at)
  }

  /** The store wrote o (of kind k): every controller watching k hears of it. */
  observe(k: KindInfo, o: Obj, deleted: boolean): void {
    const ref = refOf(k)
    const now = this.deps.now()
    for (const c of this.controllers) {
      const keysFor = c.watches[ref]
      if (!keysFor) continue
      for (const key of keysFor(o, undefined, deleted)) {
        // Its own writes need no second look at the key it is syncing.
        if (this.#current?.controller === c && this.#current.key === key) continue
        this.enqueue(c, key, now)
      }
    }
  }

  #sync(c: Controller, key: string): void {
    const now = this.deps.now()
    const outer = this.#current
    this.#current = { controller: c, key }
    const sync = () =>
      c.sync(
        key,
        controllerContext({
          objects: this.deps.objects,
          now,
          clockSteppedAt: this.deps.clockSteppedAt?.(),
          clusterName: this.deps.clusterName,
          timers: this.deps.apiTimers,
          component: c.component,
          requeueAfter: (k, ms) => this.enqueue(c, k, now + Math.max(0, ms)),
        }),
      )
    try {
      if (this.deps.runAs) this.deps.runAs(c.component, sync)
      else sync()
      this.syncs.set(c.name, (this.syncs.get(c.name) ?? 0) + 1)
    } finally {
      this.#current = outer
    }
  }
}

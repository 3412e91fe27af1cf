// A simulated node's Durable Object: its kubelet, container runtime and
// kube-proxy (with the nodes issue). It keeps its own SQLite and its own
// alarm, on the cluster's clock, whose state the cluster sends it.
import { DurableObject } from 'cloudflare:workers'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/node/migrations.js'
import type { Env } from '../env'
import { Clock, type ClockState } from '../sim/clock'
import { Settings } from '../sim/settings'
import { armAlarm, TimerQueue } from '../sim/timers'

export interface NodePing {
  node: string | undefined
  now: number
  speed: number
}

export class NodeDO extends DurableObject<Env> {
  #settings!: Settings
  #clock!: Clock
  #timers!: TimerQueue

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      migrate(drizzle(ctx.storage), migrations)
      this.#settings = new Settings(ctx.storage.sql)
      this.#clock = new Clock(this.#settings.get<ClockState>('clock'))
      this.#timers = new TimerQueue(ctx.storage.sql)
    })
  }

  /** The cluster's clock moved (speed, pause, step): follow it. */
  async syncClock(state: ClockState): Promise<void> {
    this.#clock = new Clock(state)
    this.#settings.set('clock', state)
    await armAlarm(this.ctx.storage, this.#timers, this.#clock)
  }

  async ping(node?: string): Promise<NodePing> {
    if (node && this.#settings.get<string>('node') !== node) this.#settings.set('node', node)
    return { node: this.#settings.get<string>('node'), now: this.#clock.now(), speed: this.#clock.speed }
  }

  override async alarm(): Promise<void> {
    try {
      await this.#timers.runDue(this.#clock.now())
    } finally {
      await armAlarm(this.ctx.storage, this.#timers, this.#clock)
    }
  }
}

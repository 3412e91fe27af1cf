// The live feed, wired to a cluster object: the attribution of every write
// through the API server (recorded as the write happens, pruned after the
// store's compaction on a timer) and the hub of browser sockets, rebuilt from
// their attachments whenever the object (re)starts.
import { rolesOf } from '../apiserver/authz/store-roles'
import type { Objects } from '../apiserver/objects'
import { findKind } from '../resources/registry'
import { RbacReadAccess } from './access'
import type { Store } from '../etcd/mvcc'
import { AttributionLog } from './attribution-log'
import { currentActor } from './attribution'
import { LiveHub } from './hub'

export const LIVE_PRUNE_TIMER = 'live.prune'
const NAMESPACES = findKind('', 'v1', 'namespaces')!

export interface LiveWiring {
  ctx: DurableObjectState
  cluster: string
  store: Store
  objects: Objects
  timers: {
    on(kind: string, handler: () => void): void
    schedule(kind: string, key: string, dueAt: number): void
  }
  /** Simulated now, for the prune timer. */
  now(): number
}

export interface Live {
  readonly hub: LiveHub<WebSocket>
  readonly attribution: AttributionLog
  /**
   * Forgets the hub's memory and makes it again from the sockets' attachments:
   * what waking from hibernation does (the constructor runs again). Tests use
   * it to check that nothing lives only in memory, with a wall clock of their own.
   */
  reload(wallNow?: () => number): void
}

/**
 * Call before any other observer of the objects is registered: a delete's
 * revision is read from the store as the observer runs, so no write may come
 * between the delete and this observer.
 */
export function openLive(w: LiveWiring): Live {
  const attribution = new AttributionLog(w.ctx.storage.sql)
  let pruneAnnounced = 0
  // Each person sees what RBAC lets them list and watch, from the roles the API server reads.
  const access = new RbacReadAccess(rolesOf(w.objects), () => w.objects.list(NAMESPACES).items.map((n) => n.metadata.name as string))
  w.objects.observe((_k, o, deleted) => {
    const by = currentActor()
    if (by !== undefined) attribution.record(deleted ? w.store.currentRevision() : Number(o.metadata.resourceVersion), by)
    const compacted = w.store.compactRevision()
    if (compacted > pruneAnnounced && attribution.needsPrune(compacted)) {
      pruneAnnounced = compacted
      w.timers.schedule(LIVE_PRUNE_TIMER, '', w.now())
    }
  })
  w.timers.on(LIVE_PRUNE_TIMER, () => {
    if (!attribution.pruneStep(w.store.compactRevision())) w.timers.schedule(LIVE_PRUNE_TIMER, '', w.now())
  })
  const makeHub = (wallNow: () => number = () => Date.now()) => {
    const hub = new LiveHub<WebSocket>({
      cluster: w.cluster,
      host: { accept: (ws, tags) => w.ctx.acceptWebSocket(ws, tags), sockets: (tag) => w.ctx.getWebSockets(tag) },
      feed: { store: w.store, writersOf: (revisions) => attribution.writersOf(revisions), actor: currentActor, wallNow },
      timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      access,
    })
    hub.rebuild()
    return hub
  }
  let hub = makeHub()
  return {
    get hub() {
      return hub
    },
    attribution,
    reload(wallNow) {
      hub.dispose()
      hub = makeHub(wallNow)
    },
  }
}

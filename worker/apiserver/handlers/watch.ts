// WATCH: newline-delimited {type, object} events from the store's watch, with
// selector transitions (an object leaving the selection is DELETED for this
// watcher), bookmarks, sendInitialEvents, 410 for compacted revisions, and
// one-row Tables when the client asked for Tables.
import { prefixRange } from '../../etcd/keys'
import { eventStream, STREAMING_HEADERS } from '../../etcd/server/streaming'
import { StoreError, type WatchEvent, type WatchHandle } from '../../etcd/types'
import { apiVersionOf, storagePrefix } from '../../resources/kind'
import { type ApiContext, queryFlag } from '../context'
import { ApiError, badRequestError } from '../errors'
import { wantsTable } from '../negotiate'
import { decodeObject, type Obj } from '../objects'
import { matchFields, matchLabels } from '../selectors'
import { status } from '../status'
import { toTable } from '../table'
import { selectorsOf } from './read'

const BOOKMARK_EVERY_MS = 5_000

export function watchObjects(ctx: ApiContext): Response {
  const { labels, fields } = selectorsOf(ctx)
  const q = ctx.url.searchParams
  const rvParam = q.get('resourceVersion')
  if (rvParam && !/^\d+$/.test(rvParam)) throw badRequestError(`resourceVersion: Invalid value: "${rvParam}": must be a non-negative integer`)
  const sendInitial = q.get('sendInitialEvents')
  const bookmarks = queryFlag(ctx.url, 'allowWatchBookmarks')
  if (sendInitial === 'true' && (q.get('resourceVersionMatch') !== 'NotOlderThan' || !bookmarks))
    throw new ApiError(status(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and resourceVersionMatch is NotOlderThan with allowWatchBookmarks`))
  const table = wantsTable(ctx.accept)
  const includeObject = q.get('includeObject') ?? 'Metadata'
  const nameFilter = ctx.info.name
  const selected = (o: Obj | undefined) =>
    !!o && (!nameFilter || o.metadata.name === nameFilter) && (!labels.length || matchLabels(labels, o.metadata.labels)) && (!fields.length || matchFields(fields, o, ctx.kind))
  const timeoutSeconds = Number(q.get('timeoutSeconds') ?? 0)

  let first = true
  let handle: WatchHandle | undefined
  const timers: ReturnType<typeof setTimeout>[] = []
  const out = eventStream({ pull: () => handle?.pull(), cancel: () => close() })
  const close = () => {
    handle?.cancel()
    for (const t of timers) clearTimeout(t)
    out.close()
  }
  const emit = (type: string, object: unknown) => {
    let obj = object
    if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
      obj = toTable(ctx.kind, [object as Obj], ctx.now(), { version: table, includeObject, withColumns: first, resourceVersion: (object as Obj).metadata.resourceVersion })
      first = false
    }
    out.send({ type, object: obj })
  }
  const bookmark = (rv: number, initialEnd = false) =>
    emit('BOOKMARK', {
      kind: ctx.kind.kind,
      apiVersion: apiVersionOf(ctx.kind),
      metadata: { resourceVersion: String(rv), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
    })

  const toWatchEvent = (e: WatchEvent) => {
    const now = e.type === 'PUT' ? decodeObject(e.kv, ctx.kind) : undefined
    const before = e.prevKv ? decodeObject(e.prevKv, ctx.kind) : undefined
    const wasIn = selected(before)
    const isIn = selected(now)
    if (e.type === 'DELETE') {
      if (wasIn && before) emit('DELETED', { ...before, metadata: { ...before.metadata, resourceVersion: String(e.kv.modRevision) } })
      return
    }
    if (isIn && now) emit(wasIn ? 'MODIFIED' : 'ADDED', now)
    else if (wasIn && before) emit('DELETED', { ...before, metadata: { ...before.metadata, resourceVersion: String(e.kv.modRevision) } })
  }

  try {
    const range = prefixRange(storagePrefix(ctx.kind, ctx.info.namespace))
    let start: number
    if (!rvParam || rvParam === '0' || sendInitial === 'true') {
      // Unset or "0": the current state as ADDED events, then what follows.
      const page = ctx.objects.list(ctx.kind, { namespace: ctx.info.namespace, labels, fields })
      for (const o of page.items) if (selected(o)) emit('ADDED', o)
      start = Number(page.resourceVersion) + 1
      if (sendInitial === 'true') bookmark(Number(page.resourceVersion), true)
    } else start = Number(rvParam) + 1
    handle = ctx.store.watch(range, { startRevision: start, prevKv: true }, {
      desiredSize: out.desiredSize,
      send: (events) => {
        for (const e of events) toWatchEvent(e)
      },
      close: (error) => {
        if (error) emit('ERROR', status(410, 'Expired', error.message))
        close()
      },
    })
  } catch (err) {
    if (err instanceof StoreError && err.code === 'Compacted') {
      emit('ERROR', status(410, 'Expired', `too old resource version: ${rvParam} (${ctx.store.compactRevision()})`))
      close()
    } else throw err
  }
  if (!out.closed && bookmarks) {
    const tick = () => {
      if (out.closed) return
      bookmark(ctx.store.currentRevision())
      timers.push(setTimeout(tick, BOOKMARK_EVERY_MS))
    }
    timers.push(setTimeout(tick, BOOKMARK_EVERY_MS))
  }
  // Transport timeouts are wall time: they bound a connection, not simulated work.
  if (!out.closed && timeoutSeconds > 0) timers.push(setTimeout(close, timeoutSeconds * 1000))
  return new Response(out.stream, { headers: { 'content-type': 'application/json', ...STREAMING_HEADERS } })
}

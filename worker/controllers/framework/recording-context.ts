// A ControllerContext over a Map, for table tests (upstream's fake
// clientset): writes are applied and listed, status updates change only
// status, events and requeues are recorded, resourceVersions count up.
import type { ControllerContext, KindRef, Obj } from './types'

export interface Recording {
  ctx: ControllerContext
  /** "verb kind name", in order: create, update, updateStatus, delete. */
  writes: string[]
  events: { name: string; type: string; reason: string; message: string }[]
  requeues: [string, number][]
  get(kind: KindRef, namespace: string | undefined, name: string): Obj | undefined
}

export function recordingContext(
  objs: [KindRef, Obj][],
  now = Date.parse('2025-01-01T00:00:00Z'),
): Recording {
  const store = new Map<string, Obj>()
  const id = (k: KindRef, ns: string | undefined, n: string) => `${k}|${ns ?? ''}|${n}`
  let rv = 100
  const put = (k: KindRef, o: Obj) => {
    const saved = structuredClone(o)
    saved.metadata.resourceVersion = String(++rv)
    store.set(id(k, o.metadata.namespace, o.metadata.name), saved)
    return structuredClone(saved)
  }
  for (const [k, o] of objs) put(k, o)
  const rec: Recording = {
    writes: [],
    events: [],
    requeues: [],
    get: (k, ns, n) => store.get(id(k, ns, n)),
    ctx: {
      now,
      get: (k, ns, n) => structuredClone(store.get(id(k, ns, n))),
      list: (k, opts) =>
        [...store.entries()]
          .filter(([key]) => key.startsWith(`${k}|`))
          .map(([, o]) => structuredClone(o))
          .filter((o) => !opts?.namespace || o.metadata.namespace === opts.namespace),
      create(k, o) {
        rec.writes.push(`create ${k} ${o.metadata.name}`)
        return put(k, { ...o, metadata: { uid: `uid-${o.metadata.name}`, ...o.metadata } })
      },
      update(k, o) {
        rec.writes.push(`update ${k} ${o.metadata.name}`)
        const saved = put(k, o)
        // An object being deleted goes once its last finalizer is removed, as through the API.
        if (saved.metadata.deletionTimestamp && !saved.metadata.finalizers?.length)
          store.delete(id(k, o.metadata.namespace, o.metadata.name))
        return saved
      },
      updateStatus(k, o) {
        rec.writes.push(`updateStatus ${k} ${o.metadata.name}`)
        const cur = store.get(id(k, o.metadata.namespace, o.metadata.name))!
        return put(k, { ...cur, status: o.status })
      },
      delete(k, ns, n) {
        rec.writes.push(`delete ${k} ${n}`)
        const cur = store.get(id(k, ns, n))
        if (!cur) return
        if (cur.metadata.finalizers?.length)
          put(k, {
            ...cur,
            metadata: { ...cur.metadata, deletionTimestamp: new Date(now).toISOString() },
          })
        else store.delete(id(k, ns, n))
      },
      event: (o, type, reason, message) =>
        rec.events.push({ name: o.metadata.name, type, reason, message }),
      requeueAfter: (key, ms) => rec.requeues.push([key, ms]),
    },
  }
  return rec
}

// A recording ControllerContext for the cloud controllers' table tests, as
// upstream's fake clientset: objects in a Map, writes, events and requeues
// listed. Deletion follows the API's rules that matter here: an object with
// finalizers, or a pod bound to a node, is marked deleting; others go at once.
import type {
  ControllerContext,
  DeleteOptions,
  KindRef,
  ListOptions,
  Obj,
} from '../controllers/framework/types'
import { PODS } from '../controllers/framework/types'

export const T0 = Date.parse('2025-01-01T00:00:00Z')
export const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z')

const pathValue = (o: Obj, path: string): string | undefined => {
  let v: any = o
  for (const part of path.split('.')) v = v?.[part]
  return v === undefined ? undefined : String(v)
}

export function testContext(now: number, objs: [KindRef, Obj][], clusterName = 'c1') {
  const store = new Map<string, Obj>()
  const id = (k: KindRef, ns: string | undefined, n: string) => `${k}|${ns ?? ''}|${n}`
  const writes: string[] = []
  const events: string[] = []
  const requeues: [string, number][] = []
  let seq = 0
  const put = (k: KindRef, o: Obj) => {
    const c = structuredClone(o)
    c.metadata.resourceVersion = String(++seq)
    store.set(id(k, c.metadata.namespace, c.metadata.name), c)
    return structuredClone(c)
  }
  for (const [k, o] of objs)
    put(k, { ...o, metadata: { uid: `uid-${o.metadata.name}`, ...o.metadata } })
  const write = (verb: string, k: KindRef, o: Obj) => {
    writes.push(`${verb} ${k.split('/').pop()} ${o.metadata.name}`)
    if (o.metadata.deletionTimestamp && !o.metadata.finalizers?.length) {
      store.delete(id(k, o.metadata.namespace, o.metadata.name))
      return o
    }
    return put(k, o)
  }
  const ctx: ControllerContext = {
    now,
    clusterName,
    get: (k, ns, n) => {
      const o = store.get(id(k, ns, n))
      return o && structuredClone(o)
    },
    list: (k, opts: ListOptions = {}) =>
      [...store.entries()]
        .filter(([key]) => key.startsWith(`${k}|`))
        .map(([, o]) => structuredClone(o))
        .filter((o) => !opts.namespace || o.metadata.namespace === opts.namespace)
        .filter((o) => Object.entries(opts.fields ?? {}).every(([f, v]) => pathValue(o, f) === v))
        .filter((o) =>
          Object.entries((opts.labelSelector as Obj)?.matchLabels ?? {}).every(
            ([l, v]) => o.metadata.labels?.[l] === v,
          ),
        ),
    create: (k, o) =>
      write('create', k, {
        ...o,
        metadata: {
          uid: `uid-${o.metadata.name}`,
          creationTimestamp: new Date(now).toISOString(),
          ...o.metadata,
        },
      }),
    update: (k, o) => write('update', k, o),
    updateStatus: (k, o) => write('updateStatus', k, o),
    delete: (k, ns, n, opts: DeleteOptions = {}) => {
      const o = store.get(id(k, ns, n))
      if (!o || (opts.uid && o.metadata.uid !== opts.uid)) return
      writes.push(`delete ${k.split('/').pop()} ${n}`)
      if (o.metadata.finalizers?.length || (k === PODS && o.spec?.nodeName)) {
        o.metadata.deletionTimestamp ??= new Date(now).toISOString()
        put(k, o)
      } else store.delete(id(k, ns, n))
    },
    event: (o, type, reason, message) =>
      events.push(`${type} ${reason} ${o.metadata.name}: ${message}`),
    requeueAfter: (key, ms) => requeues.push([key, ms]),
  }
  return {
    ctx,
    store,
    writes,
    events,
    requeues,
    get: (k: KindRef, ns: string | undefined, n: string) => store.get(id(k, ns, n)),
  }
}

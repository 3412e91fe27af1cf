// The patch `kubectl apply` sends (strategicpatch.CreateThreeWayMergePatch):
// deletions are what the last-applied configuration had and the new one drops,
// the delta is what the new one sets that the live object does not have; lists
// with a merge key are diffed item by item, with $setElementOrder, $patch:
// delete and $retainKeys as upstream writes them. Patch strategies and merge
// keys come from the server's OpenAPI v3 schemas.
import { child, items, patchMeta, type SchemaNode } from '../openapi'
import type { Obj } from '../types'

/** Where the schema lookups happen: the document and the node for the current value. */
export interface Schema {
  doc: Obj
  node?: SchemaNode
}

interface DiffOptions {
  ignoreDeletions?: boolean
  ignoreChangesAndAdditions?: boolean
  setElementOrder?: boolean
  buildRetainKeys?: boolean
}

const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
/** reflect.TypeOf of a decoded JSON value. */
const typeOf = (v: unknown) => (v === null || v === undefined ? 'nil' : Array.isArray(v) ? 'slice' : typeof v)
/** fmt.Sprintf("%v") of a scalar, as merge keys and scalar lists are compared. */
const str = (v: unknown) => (v === null || v === undefined ? '<nil>' : String(v))

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]))
  }
  return false
}

const sub = (s: Schema, key: string): Schema => ({ doc: s.doc, node: child(s.doc, s.node, key) })
const elem = (s: Schema): Schema => ({ doc: s.doc, node: items(s.doc, s.node) })

function strategyOf(s: Schema, key: string): { retainKeys: boolean; strategy: string; mergeKey?: string } {
  const m = patchMeta(child(s.doc, s.node, key))
  return { retainKeys: m.strategies.includes('retainKeys'), strategy: m.strategies.find((x) => x !== 'retainKeys') ?? '', mergeKey: m.mergeKey }
}

function diffMaps(original: Obj, modified: Obj, schema: Schema, o: DiffOptions): Obj {
  const patch: Obj = {}
  const retain: string[] = []
  for (const [key, mv] of Object.entries(modified)) {
    if (o.buildRetainKeys && mv !== null) retain.push(key)
    if (!(key in original)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv
      continue
    }
    const ov = original[key]
    if (typeOf(ov) !== typeOf(mv)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mv
      continue
    }
    if (isMap(ov)) {
      const m = strategyOf(schema, key)
      if (m.strategy === 'replace') {
        if (!o.ignoreChangesAndAdditions) patch[key] = mv
      } else {
        const p = diffMaps(ov, mv as Obj, sub(schema, key), { ...o, buildRetainKeys: m.retainKeys })
        if (Object.keys(p).length) patch[key] = p
      }
    } else if (Array.isArray(ov)) {
      const m = strategyOf(schema, key)
      if (m.strategy === 'merge') {
        const { add, remove, order } = diffLists(ov, mv as unknown[], sub(schema, key), m.mergeKey ?? '', { ...o, buildRetainKeys: m.retainKeys })
        if (add.length) patch[key] = add
        if (remove.length) patch[`$deleteFromPrimitiveList/${key}`] = remove
        if (order.length) patch[`$setElementOrder/${key}`] = order
      } else if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv
    } else if (!o.ignoreChangesAndAdditions && !deepEqual(ov, mv)) patch[key] = mv
  }
  if (!o.ignoreDeletions) for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null
  const extra = Object.entries(original).some(([k, v]) => v !== null && !(k in modified))
  if (retain.length && (Object.keys(patch).length || extra)) patch.$retainKeys = [...retain].sort()
  return patch
}

function diffLists(original: unknown[], modified: unknown[], schema: Schema, mergeKey: string, o: DiffOptions): { add: unknown[]; remove: unknown[]; order: unknown[] } {
  const first = [...original, ...modified].find((v) => v !== null && v !== undefined)
  if (isMap(first)) {
    const key = (v: unknown) => str((v as Obj)[mergeKey])
    const byKey = (list: unknown[]) => [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    const os = byKey(original)
    const ms = byKey(modified)
    let patch: Obj[] = []
    const deletions: Obj[] = []
    let i = 0
    let j = 0
    while (i < os.length || j < ms.length) {
      const ok = i < os.length ? key(os[i]) : undefined
      const mk = j < ms.length ? key(ms[j]) : undefined
      if (ok !== undefined && mk !== undefined && ok === mk) {
        const p = diffMaps(os[i] as Obj, ms[j] as Obj, elem(schema), o)
        if (Object.keys(p).length) patch.push({ ...p, [mergeKey]: (ms[j] as Obj)[mergeKey] })
        i++
        j++
      } else if (ok === undefined || (mk !== undefined && ok > mk)) {
        if (!o.ignoreChangesAndAdditions) patch.push(ms[j] as Obj)
        j++
      } else {
        if (!o.ignoreDeletions) deletions.push({ $patch: 'delete', [mergeKey]: (os[i] as Obj)[mergeKey] })
        i++
      }
    }
    const index = (v: Obj) => modified.findIndex((m) => key(m) === key(v))
    patch = patch.map((p, n) => ({ p, n })).sort((a, b) => index(a.p) - index(b.p) || a.n - b.n).map((x) => x.p)
    const orderSame = original.length === modified.length && modified.every((m, n) => key(m) === key(original[n]))
    const all = [...patch, ...deletions]
    const order = o.setElementOrder && ((!o.ignoreChangesAndAdditions && (all.length > 0 || !orderSame)) || (!o.ignoreDeletions && all.length > 0)) ? modified.map((m) => ({ [mergeKey]: (m as Obj)[mergeKey] })) : []
    return { add: all, remove: [], order }
  }
  // Scalars: compared by their string forms, sorted.
  const os = original.map(str).sort()
  const ms = modified.map(str).sort()
  const add: string[] = []
  const remove: string[] = []
  let i = 0
  let j = 0
  while (i < os.length || j < ms.length) {
    const a = os[i]
    const b = ms[j]
    if (a !== undefined && b !== undefined && a === b) {
      i++
      j++
    } else if (a === undefined || (b !== undefined && a > b)) {
      if (!o.ignoreChangesAndAdditions) add.push(b!)
      j++
    } else {
      if (!o.ignoreDeletions) remove.push(a)
      i++
    }
  }
  const position = (v: string) => modified.findIndex((m) => str(m) === v)
  add.sort((x, y) => position(x) - position(y))
  const order = o.setElementOrder && ((!o.ignoreDeletions && remove.length > 0) || (!o.ignoreChangesAndAdditions && !deepEqual(original, modified))) ? modified : []
  return { add, remove: [...new Set(remove)], order }
}

/** mergeMap of the deletions with the delta (both patches): union, delta winning, list items combined. */
function mergePatches(base: Obj, delta: Obj, schema: Schema): Obj {
  const out: Obj = { ...base }
  for (const [k, v] of Object.entries(delta)) {
    const b = out[k]
    if (!(k in out) || k.startsWith('$') || typeOf(b) !== typeOf(v)) out[k] = v
    else if (isMap(b)) out[k] = mergePatches(b, v as Obj, sub(schema, k))
    else if (Array.isArray(b)) {
      const m = strategyOf(schema, k)
      if (m.strategy !== 'merge') out[k] = v
      else if (m.mergeKey && isMap([...b, ...(v as unknown[])][0])) {
        const key = m.mergeKey
        const bs = b as Obj[]
        const merged = (v as Obj[]).map((y) => {
          const x = bs.find((e) => e.$patch === undefined && str(e[key]) === str(y[key]))
          return x ? mergePatches(x, y, elem(sub(schema, k))) : y
        })
        out[k] = [...merged, ...bs.filter((x) => !merged.some((y) => str(y[key]) === str(x[key])))]
      } else out[k] = [...new Set([...(b as unknown[]), ...(v as unknown[])])]
    } else out[k] = v
  }
  return out
}

/** The three-way strategic merge patch of original (last applied), modified (the new configuration) and current (live). */
export function threeWayMergePatch(original: Obj, modified: Obj, current: Obj, schema: Schema): Obj {
  const delta = diffMaps(current, modified, schema, { ignoreDeletions: true, setElementOrder: true })
  const deletions = diffMaps(original, modified, schema, { ignoreChangesAndAdditions: true, setElementOrder: true })
  return mergePatches(deletions, delta, schema)
}

/** RFC 7386 three-way merge patch, for kinds without a schema (CreateThreeWayJSONMergePatch). */
export function threeWayJsonMergePatch(original: Obj, modified: Obj, current: Obj): Obj {
  const delta = diffMaps(current, modified, { doc: {} }, { ignoreDeletions: true })
  const deletions = diffMaps(original, modified, { doc: {} }, { ignoreChangesAndAdditions: true })
  return mergePatches(deletions, delta, { doc: {} })
}

/** CreateTwoWayMergePatch: what turns original into modified (set image, rollout). */
export function twoWayMergePatch(original: Obj, modified: Obj, schema: Schema): Obj {
  return diffMaps(original, modified, schema, { setElementOrder: true })
}

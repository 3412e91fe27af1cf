// Server-side apply and managedFields. A field set is kept as the fieldsV1 trie
// itself: "f:<field>" for fields, "k:<json keys>" for elements of keyed lists,
// "v:<json>" for set elements, "." for the node itself, {} for leaves.
import type { PatchSchema } from './patch/schema'
import { applyStrategicMergePatch } from './patch'

export type Trie = { [segment: string]: Trie }
export interface ManagedFieldsEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time: string
  fieldsType: 'FieldsV1'
  fieldsV1: Trie
  subresource?: string
}

type O = Record<string, any>
/** Fields the server owns; never tracked. */
const META_SKIP = new Set(['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink', 'name', 'namespace', 'deletionTimestamp', 'deletionGracePeriodSeconds'])

function listKeys(schema: PatchSchema | undefined): string[] | undefined {
  if (schema?.listType === 'map' && schema.listMapKeys?.length) return schema.listMapKeys
  if (schema?.patchMergeKey && schema.patchStrategy?.includes('merge')) return [schema.patchMergeKey]
  return undefined
}
const isSet = (schema: PatchSchema | undefined, list: unknown[]) =>
  schema?.listType === 'set' || (schema?.patchStrategy?.includes('merge') && !schema.patchMergeKey && list.every((v) => typeof v !== 'object'))
const keyOf = (el: O, keys: string[]) => `k:${JSON.stringify(Object.fromEntries(keys.filter((k) => el[k] !== undefined).map((k) => [k, el[k]])))}`

/** The leaf fields `value` sets, as a trie. */
export function fieldSet(value: unknown, schema: PatchSchema | undefined, top = true): Trie {
  const out: Trie = {}
  if (Array.isArray(value)) {
    const keys = listKeys(schema)
    if (keys) for (const el of value as O[]) out[keyOf(el, keys)] = { '.': {}, ...fieldSet(el, schema?.items, false) }
    else if (isSet(schema, value)) for (const v of value) out[`v:${JSON.stringify(v)}`] = {}
    return out
  }
  if (!value || typeof value !== 'object') return out
  for (const [k, v] of Object.entries(value as O)) {
    if (top && (k === 'apiVersion' || k === 'kind' || k === 'status')) continue
    if (top && k === 'metadata') {
      const m: Trie = {}
      for (const [mk, mv] of Object.entries(v as O)) if (!META_SKIP.has(mk)) m[`f:${mk}`] = fieldSet(mv, undefined, false)
      if (Object.keys(m).length) out['f:metadata'] = m
      continue
    }
    const sub = schema?.properties?.[k] ?? schema?.additionalProperties
    const atomic = sub?.mapType === 'atomic' || sub?.listType === 'atomic'
    const isContainer = v !== null && typeof v === 'object' && !atomic
    const child = isContainer ? fieldSet(v, sub, false) : {}
    // Lists of scalars without set semantics are atomic: the field itself is the leaf.
    out[`f:${k}`] = Array.isArray(v) && !listKeys(sub) && !isSet(sub, v) ? {} : child
  }
  return out
}

/** Leaf paths of a trie (a node whose only child is "." counts as a leaf too). */
export function leaves(t: Trie, prefix: string[] = []): string[][] {
  const out: string[][] = []
  const keys = Object.keys(t).filter((k) => k !== '.')
  if (keys.length === 0) return [prefix]
  for (const k of keys) out.push(...leaves(t[k]!, [...prefix, k]))
  return out
}

function has(t: Trie, path: string[]): boolean {
  let n: Trie | undefined = t
  for (const s of path) {
    n = n?.[s]
    if (!n) return false
  }
  return true
}

function remove(t: Trie, path: string[]): void {
  const [head, ...rest] = path
  if (!head || !t[head]) return
  if (rest.length === 0) delete t[head]
  else {
    remove(t[head]!, rest)
    if (Object.keys(t[head]!).filter((k) => k !== '.').length === 0 && !('.' in t[head]!)) delete t[head]
  }
}

function add(t: Trie, path: string[]): void {
  let n = t
  for (const s of path) n = n[s] ??= {}
}

/** The value at a trie path in an object (undefined if absent). */
export function valueAt(obj: unknown, path: string[]): unknown {
  let cur: any = obj
  for (const s of path) {
    if (cur === undefined || cur === null) return undefined
    if (s.startsWith('f:')) cur = cur[s.slice(2)]
    else if (s.startsWith('k:')) {
      const want = JSON.parse(s.slice(2)) as O
      cur = Array.isArray(cur) ? cur.find((el) => Object.entries(want).every(([k, v]) => JSON.stringify(el?.[k]) === JSON.stringify(v))) : undefined
    } else if (s.startsWith('v:')) cur = Array.isArray(cur) && cur.some((v) => JSON.stringify(v) === s.slice(2)) ? JSON.parse(s.slice(2)) : undefined
  }
  return cur
}

/** Deletes the field at a trie path from an object. */
function deleteAt(obj: any, path: string[]): void {
  const last = path[path.length - 1]!
  const parent = path.length === 1 ? obj : valueAt(obj, path.slice(0, -1))
  if (parent === undefined || parent === null) return
  if (last.startsWith('f:')) delete parent[last.slice(2)]
  else if (Array.isArray(parent)) {
    const i = parent.findIndex((el) => (last.startsWith('v:') ? JSON.stringify(el) === last.slice(2) : valueAt([el], [last]) === el))
    if (i >= 0) parent.splice(i, 1)
  }
}

export interface Conflict {
  manager: string
  field: string
}

const fieldPath = (path: string[]) =>
  path.map((s) => (s.startsWith('f:') ? `.${s.slice(2)}` : s.startsWith('k:') ? `[${Object.entries(JSON.parse(s.slice(2)) as O).map(([k, v]) => `${k}=${typeof v === 'string' ? `"${v}"` : v}`).join(',')}]` : `[=${s.slice(2)}]`)).join('')

/** Upstream's wording: `Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas`. */
export function conflictMessage(conflicts: Conflict[], apiVersion: string): string {
  const n = conflicts.length
  const head = `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: `
  if (n === 1) return `${head}conflict with "${conflicts[0]!.manager}" using ${apiVersion}: ${conflicts[0]!.field}`
  return head + conflicts.map((c) => `conflict with "${c.manager}" using ${apiVersion}: ${c.field}`).join('\n')
}

export function serverSideApply(opts: { live: O | undefined; applied: O; manager: string; force: boolean; apiVersion: string; time: string; schema: PatchSchema | undefined }): { object: O; managedFields: ManagedFieldsEntry[]; conflicts: Conflict[] } {
  const { live, applied, manager, force, apiVersion, time, schema } = opts
  const entries: ManagedFieldsEntry[] = structuredClone(live?.metadata?.managedFields ?? [])
  const mine = fieldSet(applied, schema)
  const conflicts: Conflict[] = []
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Apply') continue
    for (const path of leaves(mine)) {
      if (!has(e.fieldsV1, path)) continue
      if (JSON.stringify(valueAt(live, path)) === JSON.stringify(valueAt(applied, path))) continue
      conflicts.push({ manager: e.manager, field: fieldPath(path) })
    }
  }
  if (conflicts.length && !force) return { object: live ?? applied, managedFields: entries, conflicts }
  const previous = entries.find((e) => e.manager === manager && e.operation === 'Apply')?.fieldsV1 ?? {}
  let object: O = live ? (applyStrategicMergePatch(live, stripServerFields(applied), schema) as O) : structuredClone(applied)
  // Fields this manager applied before and no longer does go, unless someone else owns them.
  for (const path of leaves(previous)) {
    if (has(mine, path) || entries.some((e) => !(e.manager === manager && e.operation === 'Apply') && has(e.fieldsV1, path))) continue
    object = structuredClone(object)
    deleteAt(object, path)
  }
  // The applier now owns what it applied; with force, taken from the others.
  for (const e of entries) if (!(e.manager === manager && e.operation === 'Apply')) for (const path of leaves(mine)) remove(e.fieldsV1, path)
  const rest = entries.filter((e) => !(e.manager === manager && e.operation === 'Apply') && leaves(e.fieldsV1).some((p) => p.length > 0))
  return { object, managedFields: [...rest, { manager, operation: 'Apply', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: mine }], conflicts: [] }
}

function stripServerFields(o: O): O {
  const { metadata, ...rest } = o
  const m = { ...metadata }
  for (const k of META_SKIP) if (k !== 'name' && k !== 'namespace') delete m[k]
  return { ...rest, metadata: m }
}

/** After a non-apply write by `manager`, it owns the fields whose values it changed. */
export function updateManagedFields(old: O | undefined, next: O, manager: string, apiVersion: string, time: string, schema: PatchSchema | undefined, subresource?: string): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = structuredClone(old?.metadata?.managedFields ?? [])
  const changed: Trie = {}
  for (const path of leaves(fieldSet(next, schema))) {
    if (path.length === 0) continue
    if (JSON.stringify(valueAt(old, path)) !== JSON.stringify(valueAt(next, path))) add(changed, path)
  }
  if (leaves(changed).every((p) => p.length === 0)) return entries
  for (const e of entries) if (!(e.manager === manager && e.operation === 'Update')) for (const p of leaves(changed)) remove(e.fieldsV1, p)
  let own = entries.find((e) => e.manager === manager && e.operation === 'Update' && e.subresource === subresource)
  if (!own) {
    own = { manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: {}, ...(subresource ? { subresource } : {}) }
    entries.push(own)
  }
  for (const p of leaves(changed)) add(own.fieldsV1, p)
  own.time = time
  return entries.filter((e) => leaves(e.fieldsV1).some((p) => p.length > 0))
}

// Kubernetes strategic merge patch (application/strategic-merge-patch+json):
// what kubectl apply, cordon, taint and `patch` (its default type) send. kubectl
// builds these patches from compiled-in types, so the server has to apply them
// exactly as apimachinery's strategicpatch.StrategicMergeMapPatch does,
// including its ordering rules; otherwise a later `kubectl apply` computes a
// different three-way diff than it would against a real cluster.
//
// Semantics (community doc sig-api-machinery/strategic-merge-patch.md):
// - objects merge key by key, `null` deletes a key, scalars replace;
// - lists whose field has patchStrategy "merge" merge: lists of objects by
//   patchMergeKey, lists of scalars as a set union; other lists are replaced;
// - `$patch: replace|delete` on an object, `$patch: replace|delete` on an
//   element of a merging list, `$retainKeys`, `$setElementOrder/<list>` and
//   `$deleteFromPrimitiveList/<list>` are directives, never stored.
// Where the schema has no entry for a field, nothing there merges as a list,
// which makes that subtree behave as a JSON merge patch.

import { PatchError, type PatchSchema } from './schema'
import {
  childPath,
  cloneJson,
  goFormat,
  goJsonKind,
  goTypeName,
  isObject,
  type JsonObject,
} from './json-values'

const DIRECTIVE = '$patch'
const RETAIN_KEYS = '$retainKeys'
const SET_ELEMENT_ORDER = '$setElementOrder'
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList'

// Upstream error texts (apimachinery pkg/util/mergepatch/errors.go). The
// apiserver answers the first three with 400 and lists of lists with 422.
const ERR_PRIMITIVE_LIST = 'invalid patch format of primitive list'
const ERR_RETAIN_KEYS = 'invalid patch format of retainKeys'
const ERR_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list'
const ERR_LIST_OF_LISTS = 'lists of lists are not supported'

type ElementKind = 'map' | 'scalar'

/** Applies a strategic merge patch to a copy of `doc` and returns the copy. */
export function applyStrategicMergePatch(
  doc: unknown,
  patch: unknown,
  schema: PatchSchema | undefined,
): unknown {
  if (!isObject(patch)) {
    throw new PatchError(
      `json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`,
      undefined,
      true,
    )
  }
  return mergeMap(isObject(doc) ? cloneJson(doc) : {}, patch, schema, '')
}

function fieldSchema(schema: PatchSchema | undefined, key: string): PatchSchema | undefined {
  return schema?.properties?.[key] ?? schema?.additionalProperties
}

// Upstream treats any other "$" key as data. Keep that where the schema says
// such a key can be data (a declared field such as JSONSchemaProps' "$ref", a
// map's key, free-form content); elsewhere it can only be a mistyped directive.
function allowsDollarKey(schema: PatchSchema | undefined, key: string): boolean {
  if (schema === undefined) return false
  return (
    schema.properties?.[key] !== undefined ||
    schema.additionalProperties !== undefined ||
    schema.type === 'any'
  )
}

/** "merge", "replace" or "": patchStrategy without its "retainKeys" part. */
function listStrategy(schema: PatchSchema | undefined): string {
  const parts = (schema?.patchStrategy ?? '').split(',').map((p) => p.trim())
  return parts.find((p) => p !== '' && p !== 'retainKeys') ?? ''
}

function malformed(message: string, field: string): never {
  throw new PatchError(message, field || undefined, true)
}

function noMergeKey(m: unknown, key: string, field: string): never {
  malformed(`map: ${goFormat(m)} does not contain declared merge key: ${key}`, field)
}

function badArgType(expected: string, actual: unknown, field: string): never {
  malformed(`expected a ${expected}, but received a ${goTypeName(actual)}`, field)
}

// "$setElementOrder/containers" → "containers"; the prefix must be followed by a slash.
function extractKey(key: string, prefix: string, error: string, field: string): string {
  const slash = key.indexOf('/')
  if (slash < 0 || key.slice(0, slash) !== prefix) malformed(error, field)
  return key.slice(slash + 1)
}

/**
 * Merges `patchIn` into `original`, a private copy that may be changed in
 * place, and returns the result (a new object for `$patch` directives).
 */
function mergeMap(
  original: JsonObject,
  patchIn: JsonObject,
  schema: PatchSchema | undefined,
  path: string,
): JsonObject {
  if (Object.hasOwn(patchIn, DIRECTIVE)) {
    const directive = patchIn[DIRECTIVE]
    if (directive === 'replace') {
      const rest = { ...patchIn }
      delete rest[DIRECTIVE]
      return mergeMap({}, rest, schema, path)
    }
    // Upstream leaves an empty object behind rather than removing the field.
    if (directive === 'delete') return {}
    malformed(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patchIn)}`, path)
  }

  // Directives are consumed from a shallow copy so the caller's patch is untouched.
  const patch = { ...patchIn }
  applyRetainKeys(original, patch, path)
  mergeOrderedLists(original, patch, schema, path)

  for (const [rawKey, patchV] of Object.entries(patch)) {
    let key = rawKey
    let isDeleteList = false
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST, ERR_PRIMITIVE_LIST, path)
      isDeleteList = true
    } else if (rawKey.startsWith('$') && !allowsDollarKey(schema, rawKey)) {
      malformed(`unknown strategic merge patch directive: ${rawKey}`, childPath(path, rawKey))
    }
    const field = childPath(path, key)
    const sub = fieldSchema(schema, key)
    const cur = original[key]

    if (isDeleteList) {
      if (!Array.isArray(patchV)) malformed(ERR_PRIMITIVE_LIST, field)
      // A list that is not there has nothing to delete from.
      if (Array.isArray(cur)) original[key] = deleteFromSlice(cur, patchV)
      continue
    }
    if (patchV === null) {
      delete original[key]
      continue
    }
    if (cur === undefined || cur === null) {
      original[key] = fresh(patchV, sub, field)
    } else if (isObject(cur) && isObject(patchV)) {
      original[key] =
        listStrategy(sub) === 'replace'
          ? fresh(patchV, sub, field)
          : mergeMap(cur, patchV, sub, field)
    } else if (Array.isArray(cur) && Array.isArray(patchV)) {
      original[key] =
        listStrategy(sub) === 'merge'
          ? mergeSlice(cur, patchV, sub?.items, sub?.patchMergeKey ?? '', field)
          : fresh(patchV, sub, field)
    } else {
      // Different kinds, or scalars: the patch value wins.
      original[key] = fresh(patchV, sub, field)
    }
  }
  return original
}

/**
 * A patch value that lands where there is nothing to merge with, as a new
 * value: directives are applied (to nothing) and nulls dropped, so they never
 * end up stored in the object.
 */
function fresh(v: unknown, schema: PatchSchema | undefined, path: string): unknown {
  if (isObject(v)) return mergeMap({}, v, schema, path)
  if (Array.isArray(v)) {
    const merging = listStrategy(schema) === 'merge'
    return v
      .filter((e) => !(merging && isObject(e) && Object.hasOwn(e, DIRECTIVE)))
      .map((e, i) => fresh(e, schema?.items, `${path}[${i}]`))
  }
  return v
}

/** `$retainKeys`: keep only the listed keys of the original object. */
function applyRetainKeys(original: JsonObject, patch: JsonObject, path: string): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return
  const list = patch[RETAIN_KEYS]
  delete patch[RETAIN_KEYS]
  if (!Array.isArray(list)) malformed(ERR_RETAIN_KEYS, path)
  const keep = new Set<unknown>(list)
  // Every key the patch sets must itself be retained, or the patch contradicts itself.
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
      continue
    }
    if (!keep.has(k)) malformed(ERR_RETAIN_KEYS, path)
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k]
}

/**
 * `$setElementOrder/<list>`: merges <list> from the patch (if any) and then
 * orders the result: elements named in the order list in that order, with
 * elements only the server has interleaved by their live position.
 */
function mergeOrderedLists(
  original: JsonObject,
  patch: JsonObject,
  schema: PatchSchema | undefined,
  path: string,
): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue
    const order = patch[directiveKey]
    delete patch[directiveKey]
    if (!Array.isArray(order)) badArgType('[]interface {}', order, path)
    const key = extractKey(directiveKey, SET_ELEMENT_ORDER, ERR_SET_ELEMENT_ORDER, path)
    const field = childPath(path, key)
    const foundOriginal = original[key] !== undefined && original[key] !== null
    const foundPatch = Object.hasOwn(patch, key)
    const originalList = foundOriginal ? original[key] : []
    const patchList = foundPatch ? patch[key] : []
    if (!Array.isArray(originalList)) badArgType('[]interface {}', originalList, field)
    if (!Array.isArray(patchList)) badArgType('[]interface {}', patchList, field)
    const sub = fieldSchema(schema, key)
    const mergeKey = sub?.patchMergeKey ?? ''
    validatePatchWithSetOrderList(patchList, order, mergeKey, field)

    let merged: unknown[]
    if (foundOriginal && foundPatch) {
      merged =
        listStrategy(sub) === 'merge'
          ? mergeSlice(originalList, patchList, sub?.items, mergeKey, field)
          : (fresh(patchList, sub, field) as unknown[])
    } else if (foundPatch) {
      merged = fresh(patchList, sub, field) as unknown[]
    } else if (foundOriginal) {
      merged = originalList
    } else {
      continue
    }
    delete patch[key]

    const kind = elementKind(originalList, patchList, field)
    // Nothing to order, or a list of objects without a key to order them by.
    if (kind === undefined || (kind === 'map' && mergeKey === '')) {
      original[key] = merged
      continue
    }
    const [patchItems, serverOnly] = partition(merged, order, mergeKey, kind, field)
    original[key] = normalizeElementOrder(
      patchItems,
      serverOnly,
      order,
      originalList,
      mergeKey,
      kind,
      field,
    )
  }
}

/**
 * Rejects a patch list whose elements are not a subsequence of the
 * `$setElementOrder` list (deletions aside).
 */
function validatePatchWithSetOrderList(
  patchList: unknown[],
  order: unknown[],
  mergeKey: string,
  field: string,
): void {
  if (order.length === 0 || patchList.length === 0) return
  const items = mergeKey === '' ? patchList : extractToDeleteItems(patchList, field)[0]
  let p = 0
  let o = 0
  while (p < items.length && o < order.length) {
    const item = items[p]
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++
      continue
    }
    if (mergeKeyValueEqual(item, order[o], mergeKey, field)) p++
    o++
  }
  if (p < items.length) {
    malformed(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
      field,
    )
  }
}

function mergeKeyValueEqual(a: unknown, b: unknown, mergeKey: string, field: string): boolean {
  if (mergeKey === '') return a === b
  if (!isObject(a)) badArgType('map[string]interface {}', a, field)
  if (!isObject(b)) badArgType('map[string]interface {}', b, field)
  if (!Object.hasOwn(a, mergeKey)) noMergeKey(a, mergeKey, field)
  if (!Object.hasOwn(b, mergeKey)) noMergeKey(b, mergeKey, field)
  return a[mergeKey] === b[mergeKey]
}

/** The common kind of the elements of the given lists, undefined when all are empty. */
function elementKind(a: unknown[], b: unknown[], field: string): ElementKind | undefined {
  let first: string | undefined
  for (const v of [...a, ...b]) {
    const t = Array.isArray(v) ? 'array' : goJsonKind(v)
    if (first === undefined) {
      if (t === 'array') throw new PatchError(ERR_LIST_OF_LISTS, field || undefined)
      first = t
    } else if (t !== first) {
      throw new PatchError(
        `list element types are not identical: ${goFormat([a, b])}`,
        field || undefined,
      )
    }
  }
  if (first === undefined) return undefined
  return first === 'object' ? 'map' : 'scalar'
}

/** Merges a patch list into a list whose field has patchStrategy "merge". */
function mergeSlice(
  original: unknown[],
  patch: unknown[],
  itemSchema: PatchSchema | undefined,
  mergeKey: string,
  field: string,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original
  const kind = elementKind(original, patch, field) ?? 'scalar'
  let serverOrder = original
  let patchOrder = patch
  let merged: unknown[]
  if (kind === 'scalar') {
    merged = deduplicateScalars([...original, ...patch])
  } else {
    if (mergeKey === '') {
      throw new PatchError('cannot merge lists without merge key for type map', field || undefined)
    }
    ;[serverOrder, patchOrder] = mergeSpecialElements(original, patch, itemSchema, mergeKey, field)
    merged = mergeByKey(serverOrder, patchOrder, itemSchema, mergeKey, field)
  }
  const [patchItems, serverOnly] = partition(merged, patchOrder, mergeKey, kind, field)
  return normalizeElementOrder(
    patchItems,
    serverOnly,
    patchOrder,
    serverOrder,
    mergeKey,
    kind,
    field,
  )
}

/**
 * Applies `$patch` elements of a merging list: `delete` removes the elements
 * with that key, `replace` makes the other patch elements the whole list.
 * Returns the new original and the patch without those elements.
 */
function mergeSpecialElements(
  original: unknown[],
  patch: unknown[],
  itemSchema: PatchSchema | undefined,
  mergeKey: string,
  field: string,
): [unknown[], unknown[]] {
  let kept = original
  const rest: unknown[] = []
  let replace = false
  for (const v of patch) {
    const el = v as JsonObject
    if (!Object.hasOwn(el, DIRECTIVE)) {
      rest.push(v)
      continue
    }
    const directive = el[DIRECTIVE]
    if (directive === 'delete') {
      if (!Object.hasOwn(el, mergeKey)) noMergeKey(el, mergeKey, field)
      kept = kept.filter((o, i) => {
        if (!isObject(o)) malformed(`value for key ${i} is not a map.`, field)
        return !(Object.hasOwn(o, mergeKey) && o[mergeKey] === el[mergeKey])
      })
    } else if (directive === 'replace') {
      replace = true // keep going: other `$patch` elements are still dropped
    } else if (directive === 'merge') {
      malformed('merging lists cannot yet be specified in the patch', field)
    } else {
      malformed(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(el)}`, field)
    }
  }
  if (replace) return [rest.map((e, i) => fresh(e, itemSchema, `${field}[${i}]`)), []]
  return [kept, rest]
}

/** Merges patch elements into the elements with the same merge key, appending the rest. */
function mergeByKey(
  original: unknown[],
  patch: unknown[],
  itemSchema: PatchSchema | undefined,
  mergeKey: string,
  field: string,
): unknown[] {
  const merged = [...original]
  for (const v of patch) {
    const el = v as JsonObject
    if (!Object.hasOwn(el, mergeKey)) noMergeKey(el, mergeKey, field)
    const i = findByKey(merged, mergeKey, el[mergeKey], field)
    if (i >= 0) {
      merged[i] = mergeMap(merged[i] as JsonObject, el, itemSchema, `${field}[${i}]`)
    } else {
      merged.push(fresh(el, itemSchema, `${field}[${merged.length}]`))
    }
  }
  return merged
}

function findByKey(list: unknown[], mergeKey: string, value: unknown, field: string): number {
  for (const [i, v] of list.entries()) {
    if (!isObject(v)) malformed(`value for key ${i} is not a map.`, field)
    if (Object.hasOwn(v, mergeKey) && v[mergeKey] === value) return i
  }
  return -1
}

/** Removes the `$deleteFromPrimitiveList` values from a list of scalars. */
function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const gone = new Set(toDelete)
  return current.filter((v) => !gone.has(v))
}

// Go's in-place deduplication: a duplicate is overwritten by the last element,
// which is what decides the order of a merged scalar list before sorting.
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length]
        s.length = length
        length--
        j--
      }
    }
  }
  return s
}

/** Splits `list` into the elements present in `by` and the others (server-only). */
function partition(
  list: unknown[],
  by: unknown[],
  mergeKey: string,
  kind: ElementKind,
  field: string,
): [unknown[], unknown[]] {
  const inPatch: unknown[] = []
  const serverOnly: unknown[] = []
  if (kind === 'scalar') {
    const present = new Set(by)
    for (const v of list) (present.has(v) ? inPatch : serverOnly).push(v)
    return [inPatch, serverOnly]
  }
  for (const v of list) {
    if (!isObject(v)) badArgType('map[string]interface {}', v, field)
    if (!Object.hasOwn(v, mergeKey)) noMergeKey(v, mergeKey, field)
    const found = findByKey(by, mergeKey, v[mergeKey], field) >= 0
    ;(found ? inPatch : serverOnly).push(v)
  }
  return [inPatch, serverOnly]
}

/**
 * The final order of a merged list: patch elements sorted by the patch (or
 * `$setElementOrder`) order, server-only elements by their live order, then the
 * two interleaved by live position. New elements therefore come before
 * server-only elements that follow no patch element, as upstream does.
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
  field: string,
): unknown[] {
  const patchSorted = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind, field)
  const serverSorted = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind, field)
  return mergeSortedSlice(serverSorted, patchSorted, serverOrder, mergeKey, kind)
}

function normalizeSliceOrder(
  toSort: unknown[],
  order: unknown[],
  mergeKey: string,
  kind: ElementKind,
  field: string,
): unknown[] {
  let items = toSort
  let deletes: unknown[] = []
  if (kind === 'map') {
    for (const v of [...toSort, ...order]) {
      if (!isObject(v)) badArgType('map[string]interface {}', v, field)
      if (!Object.hasOwn(v, mergeKey)) noMergeKey(v, mergeKey, field)
    }
    ;[items, deletes] = extractToDeleteItems(toSort, field)
  }
  // Upstream sorts with sort.SliceStable and a comparator that calls an element
  // missing from `order` "less"; an insertion sort reproduces that exactly.
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey, kind)
    const ib = indexIn(order, b, mergeKey, kind)
    return ia >= 0 && ib >= 0 ? ia < ib : true
  }
  const sorted = [...items]
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && less(sorted[j], sorted[j - 1]); j--) {
      const t = sorted[j]
      sorted[j] = sorted[j - 1]
      sorted[j - 1] = t
    }
  }
  return [...sorted, ...deletes]
}

/** Splits out elements carrying `$patch: delete`. */
function extractToDeleteItems(list: unknown[], field: string): [unknown[], unknown[]] {
  const keep: unknown[] = []
  const deletes: unknown[] = []
  for (const v of list) {
    if (!isObject(v)) badArgType('map[string]interface {}', v, field)
    ;(v[DIRECTIVE] === 'delete' ? deletes : keep).push(v)
  }
  return [keep, deletes]
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const valueOf = (v: unknown): unknown =>
    kind === 'map' ? (isObject(v) ? v[mergeKey] : undefined) : v
  const want = valueOf(item)
  return list.findIndex((v) => valueOf(v) === want)
}

/**
 * Interleaves two sorted lists, keeping each one's order: a left element goes
 * first only when both are in the live list and it is in front there.
 */
function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const out: unknown[] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++])
    else if (j >= right.length) out.push(left[i++])
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind)
      const ri = indexIn(serverOrder, right[j], mergeKey, kind)
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++])
      else out.push(right[j++])
    }
  }
  return out
}

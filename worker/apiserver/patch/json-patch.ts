// RFC 6902 JSON Patch (application/json-patch+json), as the apiserver applies
// it. kubectl sends it for `rollout undo` and `patch --type json`; client-node
// 1.x sends it by default.
//
// Error shape follows the apiserver (endpoints/handlers/patch.go):
// - a body that does not decode as a list of operation objects is a 400 whose
//   message is Go's encoding/json error;
// - anything that fails while applying (unknown op, missing path, failed test,
//   bad index) is a 422 with the generic message below and empty details: the
//   library's own reason is dropped, so clients cannot tell these apart.

import { PatchError } from './schema'
import { cloneJson, goJsonKind, isObject, jsonEqual, type JsonObject } from './json-values'

/** What the apiserver says for every JSON patch that cannot be applied. */
export const JSON_PATCH_NOT_APPLIED =
  'the server rejected our request due to an error in our request'

type Op = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'
const OPS: ReadonlySet<string> = new Set<Op>(['add', 'remove', 'replace', 'move', 'copy', 'test'])

/** Applies an RFC 6902 patch to a copy of `doc` and returns the copy. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) {
    throw new PatchError(
      `json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`,
      undefined,
      true,
    )
  }
  for (const op of ops) {
    // null decodes to an empty operation in Go, which fails later as an unknown op (422).
    if (op !== null && !isObject(op)) {
      throw new PatchError(
        `json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`,
        undefined,
        true,
      )
    }
  }
  let root = cloneJson(doc)
  for (const raw of ops as (JsonObject | null)[]) {
    root = applyOne(root, raw ?? {})
  }
  return root
}

function fail(pointer: unknown): never {
  throw new PatchError(
    JSON_PATCH_NOT_APPLIED,
    typeof pointer === 'string' ? fieldOf(pointer) : undefined,
  )
}

function applyOne(root: unknown, op: JsonObject): unknown {
  const kind = op.op
  if (typeof kind !== 'string' || !OPS.has(kind)) fail(op.path)
  const path = op.path
  if (typeof path !== 'string') fail(undefined)
  const tokens = parsePointer(path)
  // A missing "value" is taken as null, as the Go library does.
  const value = Object.hasOwn(op, 'value') ? op.value : null

  switch (kind as Op) {
    case 'add':
      return add(root, tokens, cloneJson(value), path)
    case 'remove':
      return remove(root, tokens, path)
    case 'replace': {
      if (tokens.length === 0) return cloneJson(value)
      const { parent, key } = resolveParent(root, tokens, path)
      if (!has(parent, key)) fail(path)
      setExisting(parent, key, cloneJson(value))
      return root
    }
    case 'move':
    case 'copy': {
      const from = op.from
      if (typeof from !== 'string') fail(path)
      const fromTokens = parsePointer(from)
      const moved = get(root, fromTokens, from)
      if (kind === 'copy') return add(root, tokens, cloneJson(moved), path)
      // A value cannot be moved into one of its own children (RFC 6902 4.4).
      const isPrefix =
        fromTokens.length < tokens.length && fromTokens.every((t, i) => t === tokens[i])
      if (isPrefix) fail(path)
      return add(remove(root, fromTokens, from), tokens, moved, path)
    }
    case 'test': {
      // The Go library treats a missing member and an explicit null alike.
      const actual = tryGet(root, tokens)
      if (jsonEqual(actual ?? null, value)) return root
      return fail(path)
    }
  }
}

/** Splits a JSON Pointer (RFC 6901) into unescaped reference tokens. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) fail(pointer)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** "/spec/template/spec/containers/0" → "spec.template.spec.containers[0]". */
function fieldOf(pointer: string): string {
  if (!pointer.startsWith('/')) return pointer
  let out = ''
  for (const t of parsePointer(pointer)) {
    out += /^\d+$/.test(t) || t === '-' ? `[${t}]` : out === '' ? t : `.${t}`
  }
  return out
}

// Array indices: decimal, as Go's strconv.Atoi reads them (leading zeros and a
// sign are accepted); negative indices count from the end for add and remove.
function arrayIndex(token: string): number | undefined {
  return /^[+-]?\d+$/.test(token) ? Number(token) : undefined
}

function tryGet(root: unknown, tokens: string[]): unknown {
  let cur: unknown = root
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t)
      if (i === undefined || i < 0 || i >= cur.length) return undefined
      cur = cur[i]
    } else if (isObject(cur)) {
      if (!Object.hasOwn(cur, t)) return undefined
      cur = cur[t]
    } else {
      return undefined
    }
  }
  return cur
}

function get(root: unknown, tokens: string[], pointer: string): unknown {
  const v = tryGet(root, tokens)
  if (v === undefined) fail(pointer)
  return v
}

function resolveParent(
  root: unknown,
  tokens: string[],
  pointer: string,
): { parent: JsonObject | unknown[]; key: string } {
  const parent = tryGet(root, tokens.slice(0, -1))
  const key = tokens[tokens.length - 1]
  if (key === undefined || !(Array.isArray(parent) || isObject(parent))) fail(pointer)
  return { parent, key }
}

function has(parent: JsonObject | unknown[], key: string): boolean {
  if (!Array.isArray(parent)) return Object.hasOwn(parent, key)
  const i = arrayIndex(key)
  return i !== undefined && i >= 0 && i < parent.length
}

function setExisting(parent: JsonObject | unknown[], key: string, value: unknown): void {
  if (Array.isArray(parent)) parent[Number(key)] = value
  else parent[key] = value
}

function add(root: unknown, tokens: string[], value: unknown, pointer: string): unknown {
  if (tokens.length === 0) return value
  const { parent, key } = resolveParent(root, tokens, pointer)
  if (!Array.isArray(parent)) {
    parent[key] = value
    return root
  }
  if (key === '-') {
    parent.push(value)
    return root
  }
  let i = arrayIndex(key)
  if (i === undefined || i > parent.length || i < -(parent.length + 1)) fail(pointer)
  if (i < 0) i += parent.length + 1
  parent.splice(i, 0, value)
  return root
}

function remove(root: unknown, tokens: string[], pointer: string): unknown {
  if (tokens.length === 0) fail(pointer)
  const { parent, key } = resolveParent(root, tokens, pointer)
  if (!Array.isArray(parent)) {
    if (!Object.hasOwn(parent, key)) fail(pointer)
    delete parent[key]
    return root
  }
  let i = arrayIndex(key)
  if (i === undefined || i >= parent.length || i < -parent.length) fail(pointer)
  if (i < 0) i += parent.length
  parent.splice(i, 1)
  return root
}

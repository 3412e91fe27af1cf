// Key and value rules, ranges, and the continue token of paginated lists.
import { prefixEnd } from './dialect'
import { StoreError, type KeyRange } from './types'

/** etcd's default --max-request-bytes: kube-apiserver's objects must fit in 1.5 MiB. */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024
export const MAX_KEY_LENGTH = 1024

const encoder = new TextEncoder()

/** Keys look like /registry/<group>/<resource>/<namespace>/<name>: printable ASCII, no empty segment. */
export function validateKey(key: string): void {
  validateRangeKey(key)
  if (key.endsWith('/')) throw new StoreError('InvalidKey', `key ${JSON.stringify(key)} must not end with "/"`)
}

/** The start of a range or a watch: a key, or a prefix such as "/registry/pods/". */
export function validateRangeKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new StoreError('InvalidKey', 'key is required')
  if (key.length > MAX_KEY_LENGTH)
    throw new StoreError('InvalidKey', `key is longer than ${MAX_KEY_LENGTH} characters`)
  if (key[0] !== '/') throw new StoreError('InvalidKey', `key ${JSON.stringify(key)} must start with "/"`)
  if (key.includes('//')) throw new StoreError('InvalidKey', `key ${JSON.stringify(key)} has an empty segment`)
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c < 0x21 || c > 0x7e)
      throw new StoreError('InvalidKey', `key ${JSON.stringify(key)} has a character outside printable ASCII at ${i}`)
  }
}

export function validateValue(value: string): void {
  if (typeof value !== 'string') throw new StoreError('InvalidArgument', 'value must be a string')
  // A UTF-8 string is at most 3 bytes per UTF-16 unit: skip the encode when it cannot be too large.
  if (value.length * 3 <= MAX_VALUE_BYTES) return
  const bytes = encoder.encode(value).length
  if (bytes > MAX_VALUE_BYTES)
    throw new StoreError('ValueTooLarge', `value is ${bytes} bytes, more than the limit of ${MAX_VALUE_BYTES} bytes`)
}

/** A range's bounds as [start, end). */
export function bounds(range: KeyRange): { start: string; end: string } {
  if (range.end === undefined) return { start: range.key, end: range.key + '\0' }
  // etcd: range_end "\0" means every key >= key.
  if (range.end === '\0') return { start: range.key, end: '\u{10FFFF}' }
  return { start: range.key, end: range.end }
}

/** The range holding every key under a prefix such as "/registry/pods/". */
export function prefixRange(prefix: string): KeyRange {
  if (!prefix) throw new StoreError('InvalidKey', 'prefix is required')
  return { key: prefix, end: prefixEnd(prefix) }
}

interface ContinueToken {
  /** Revision the first page was read at. */
  rv: number
  /** Next page starts strictly after this key. */
  after: string
}

/** Opaque to clients, like the API server's: base64 of {rv, after}. */
export function encodeContinue(token: ContinueToken): string {
  return btoa(JSON.stringify({ v: 1, rv: token.rv, after: token.after }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const json = atob(token.replace(/-/g, '+').replace(/_/g, '/'))
    const parsed = JSON.parse(json) as { v?: number; rv?: unknown; after?: unknown }
    if (parsed.v === 1 && typeof parsed.rv === 'number' && parsed.rv > 0 && typeof parsed.after === 'string')
      return { rv: parsed.rv, after: parsed.after }
  } catch {
    // fall through
  }
  throw new StoreError('InvalidArgument', 'continue token is not valid')
}

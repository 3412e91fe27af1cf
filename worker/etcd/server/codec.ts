// The JSON shapes of etcd's v3 gRPC gateway: int64 as strings, bytes as base64.
import { StoreError, type KeyValue } from '../types'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function b64encode(text: string): string {
  const bytes = encoder.encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Our values are text: bytes that are not UTF-8 are refused, naming the field. */
export function b64decode(field: string, b64: unknown): string {
  if (b64 === undefined || b64 === null) return ''
  if (typeof b64 !== 'string') throw new StoreError('InvalidArgument', `${field} must be base64 text`)
  let binary: string
  try {
    binary = atob(b64)
  } catch {
    throw new StoreError('InvalidArgument', `${field} is not valid base64`)
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  try {
    return decoder.decode(bytes)
  } catch {
    throw new StoreError('InvalidArgument', `${field} must be UTF-8 text`)
  }
}

export function int64(field: string, v: unknown, fallback = 0): number {
  if (v === undefined || v === null || v === '') return fallback
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new StoreError('InvalidArgument', `${field} must be an integer`)
  return n
}

export function header(revision: number) {
  return { cluster_id: '1', member_id: '1', revision: String(revision), raft_term: '1' }
}

export function kvJson(kv: KeyValue, keysOnly = false) {
  const out: Record<string, string> = {
    key: b64encode(kv.key),
    create_revision: String(kv.createRevision),
    mod_revision: String(kv.modRevision),
    version: String(kv.version),
  }
  if (!keysOnly && kv.value !== '') out.value = b64encode(kv.value)
  if (kv.lease) out.lease = String(kv.lease)
  return out
}

/** etcd's error texts and gRPC codes, as its gateway returns them. */
export function errorJson(err: StoreError): { status: 400 | 404 | 413; body: object } {
  const table: Record<string, [number, 400 | 404 | 413, string]> = {
    Compacted: [11, 400, 'etcdserver: mvcc: required revision has been compacted'],
    FutureRevision: [11, 400, 'etcdserver: mvcc: required revision is a future revision'],
    LeaseNotFound: [5, 404, 'etcdserver: requested lease not found'],
    ValueTooLarge: [3, 413, 'etcdserver: request is too large'],
  }
  const [code, status, text] = table[err.code] ?? [3, 400, `etcdserver: ${err.message}`]
  const message = table[err.code] ? `${text} (${err.message})` : text
  return { status, body: { error: message, code, message } }
}

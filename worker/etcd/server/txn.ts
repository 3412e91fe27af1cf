import { StoreError, type Backend, type Compare, type CompareResult, type CompareTarget, type TxnOp } from '../types'
import { b64decode, header, int64, kvJson } from './codec'

const RESULTS: Record<string, CompareResult> = { EQUAL: '=', NOT_EQUAL: '!=', LESS: '<', GREATER: '>' }
const TARGETS: Record<string, [CompareTarget, string]> = {
  MOD: ['mod', 'mod_revision'],
  CREATE: ['create', 'create_revision'],
  VERSION: ['version', 'version'],
  VALUE: ['value', 'value'],
}

function compare(c: Record<string, unknown>, i: number): Compare {
  // The gateway omits enum defaults: EQUAL and VERSION are 0.
  const result = RESULTS[String(c.result ?? 'EQUAL')]
  const target = TARGETS[String(c.target ?? 'VERSION')]
  if (!result) throw new StoreError('InvalidArgument', `compare[${i}].result ${String(c.result)} is not supported`)
  if (!target) throw new StoreError('InvalidArgument', `compare[${i}].target ${String(c.target)} is not supported`)
  if (c.range_end !== undefined)
    throw new StoreError('InvalidArgument', `compare[${i}].range_end is not supported: compare single keys`)
  const [t, field] = target
  const value = t === 'value' ? b64decode(`compare[${i}].value`, c.value) : int64(`compare[${i}].${field}`, c[field])
  return { key: b64decode(`compare[${i}].key`, c.key), target: t, result, value }
}

function op(o: Record<string, unknown>, where: string): TxnOp {
  const put = o.request_put as Record<string, unknown> | undefined
  const del = o.request_delete_range as Record<string, unknown> | undefined
  const get = o.request_range as Record<string, unknown> | undefined
  if (put)
    return {
      put: { key: b64decode(`${where}.key`, put.key), value: b64decode(`${where}.value`, put.value), lease: int64(`${where}.lease`, put.lease) },
    }
  if (del) {
    if (del.range_end !== undefined) throw new StoreError('InvalidArgument', `${where}.range_end is not supported in a transaction`)
    return { delete: { key: b64decode(`${where}.key`, del.key) } }
  }
  if (get) {
    if (get.range_end !== undefined) throw new StoreError('InvalidArgument', `${where}.range_end is not supported in a transaction`)
    return { get: { key: b64decode(`${where}.key`, get.key) } }
  }
  throw new StoreError('InvalidArgument', `${where} must be request_put, request_delete_range or request_range`)
}

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : [])

/** POST /v3/kv/txn {compare[], success[], failure[]}: single-key compares, single-key ops. */
export function txn(store: Backend, body: Record<string, unknown>) {
  const success = list(body.success).map((o, i) => op(o, `success[${i}]`))
  const failure = list(body.failure).map((o, i) => op(o, `failure[${i}]`))
  const r = store.txn({ compare: list(body.compare).map(compare), success, failure })
  const ops = r.succeeded ? success : failure
  const h = header(r.revision)
  const responses = r.results.map((res, i) => {
    const o = ops[i]!
    if ('put' in o) return { response_put: { header: h, ...(res.kv ? { prev_kv: kvJson(res.kv) } : {}) } }
    if ('delete' in o)
      return { response_delete_range: { header: h, deleted: res.kv ? '1' : '0', ...(res.kv ? { prev_kvs: [kvJson(res.kv)] } : {}) } }
    return { response_range: { header: h, count: res.kv ? '1' : '0', ...(res.kv ? { kvs: [kvJson(res.kv)] } : {}) } }
  })
  return { header: h, succeeded: r.succeeded, responses }
}

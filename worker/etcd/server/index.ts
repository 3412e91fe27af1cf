// etcd's v3 JSON gateway over our store, one verb per file as kine's server does.
// It serves the benchmarks (the same client drives a real etcd side by side) and
// cluster admins; the API server talks to the store directly.
import { Hono } from 'hono'
import { StoreError, type Backend } from '../types'
import { errorJson } from './codec'
import { compaction } from './compaction'
import { deleteRange } from './delete-range'
import { leaseGrant, leaseKeepAlive, leaseRevoke, leaseTimeToLive } from './lease'
import { put } from './put'
import { range } from './range'
import { txn } from './txn'
import { watch } from './watch'

type Verb = (store: Backend, body: Record<string, unknown>) => object

export interface GatewayDeps {
  store(): Backend
  now(): number
}

export function etcdGateway(deps: GatewayDeps) {
  const app = new Hono()
  const verbs: Record<string, Verb> = {
    '/v3/kv/range': range,
    '/v3/kv/put': put,
    '/v3/kv/deleterange': deleteRange,
    '/v3/kv/txn': txn,
    '/v3/kv/compaction': compaction,
    '/v3/lease/grant': leaseGrant,
    '/v3/lease/revoke': leaseRevoke,
    '/v3/lease/keepalive': leaseKeepAlive,
    '/v3/lease/timetolive': (s, b) => leaseTimeToLive(s, b, deps.now()),
  }
  for (const [path, verb] of Object.entries(verbs)) {
    app.post(path, async (c) => {
      const body = await readBody(c.req.raw)
      if (body instanceof Response) return body
      return c.json(verb(deps.store(), body))
    })
  }
  app.post('/v3/watch', async (c) => {
    const body = await readBody(c.req.raw)
    if (body instanceof Response) return body
    return watch(deps.store(), body)
  })
  app.onError((err, c) => {
    if (err instanceof StoreError) {
      const { status, body } = errorJson(err)
      return c.json(body, status)
    }
    throw err
  })
  // A catch-all route rather than notFound(): a mounted app's notFound is not consulted.
  app.all('*', (c) => c.json({ error: `${c.req.method} ${c.req.path} is not served`, code: 12, message: `${c.req.method} ${c.req.path} is not served` }, 404))
  return app
}

async function readBody(req: Request): Promise<Record<string, unknown> | Response> {
  const text = await req.text()
  try {
    const body: unknown = text ? JSON.parse(text) : {}
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>
  } catch {
    // fall through
  }
  return Response.json({ error: 'request body must be a JSON object', code: 3, message: 'request body must be a JSON object' }, { status: 400 })
}

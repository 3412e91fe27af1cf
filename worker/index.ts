// The Worker: health, cluster creation, and routing of /clusters/{name}/… to
// that cluster's Durable Object. Static files of web/ are served by assets.
import { Hono } from 'hono'
import type { Env } from './env'
import { badRequest, notFound, status, statusResponse } from './apiserver/status'
import { requireCreator } from './middleware/require-creator'

export { ClusterDO } from './cluster-object'
export { NodeDO } from './node/node-object'

/** Cluster names are DNS-1123 labels, so they fit in hostnames and object names. */
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

const app = new Hono<{ Bindings: Env }>()

app.get('/healthz', (c) => c.text('ok'))

/** A route that does nothing: the benchmarks' baseline for the Worker's own cost. */
app.get('/noop', (c) => c.text('ok'))

app.post(
  '/clusters',
  requireCreator({
    mode: (env) => (env as Env).CLUSTER_CREATION,
    secret: (env) => (env as Env).CREATOR_SECRET,
  }),
  async (c) => {
    let body: Record<string, unknown>
    try {
      body = (await c.req.json()) as Record<string, unknown>
    } catch {
      return statusResponse(badRequest('request body must be a JSON object'))
    }
    const name = body?.name
    if (typeof name !== 'string' || !CLUSTER_NAME.test(name))
      return statusResponse(
        status(
          422,
          'Invalid',
          `Cluster "${String(name ?? '')}" is invalid: name: Invalid value: ${JSON.stringify(name ?? '')}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
          { name: typeof name === 'string' ? name : undefined, kind: 'Cluster', causes: [{ type: 'FieldValueInvalid', field: 'name' }] },
        ),
      )
    for (const field of ['nodes', 'speed', 'retainedRevisions'] as const) {
      if (body[field] !== undefined && typeof body[field] !== 'number')
        return statusResponse(status(422, 'Invalid', `${field}: Invalid value: ${JSON.stringify(body[field])}: must be a number`))
    }
    const nodes = body.nodes
    if (nodes !== undefined && (!Number.isInteger(nodes) || (nodes as number) < 0 || (nodes as number) > 100))
      return statusResponse(status(422, 'Invalid', `nodes: Invalid value: ${JSON.stringify(nodes)}: must be an integer between 0 and 100`))
    const stub = c.env.CLUSTER.getByName(name)
    const result = await stub.create({
      name,
      // A new cluster comes with three worker nodes unless told otherwise.
      nodes: (body.nodes as number | undefined) ?? 3,
      speed: body.speed as number | undefined,
      retainedRevisions: body.retainedRevisions as number | undefined,
    })
    if (!result.ok) return statusResponse(result.status)
    return c.json({ name: result.name, adminToken: result.adminToken }, 201)
  },
)

app.all('/clusters/:name/*', (c) => {
  const name = c.req.param('name')
  if (!CLUSTER_NAME.test(name)) return statusResponse(notFound('clusters', name))
  return c.env.CLUSTER.getByName(name).fetch(c.req.raw)
})

app.notFound((c) => statusResponse(status(404, 'NotFound', `the server could not find the requested resource (${c.req.method} ${c.req.path})`)))

export default app satisfies ExportedHandler<Env>

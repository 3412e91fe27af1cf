// The Worker: health, cluster creation and deletion, and routing of /clusters/{name}/… to
// that cluster's Durable Object. Static files of web/ are served by assets.
import { Hono } from 'hono'
import type { Env } from './env'
import { notFound, status, statusResponse } from './apiserver/status'
import { CLUSTER_NAME } from './directory/create-request'
import { deploymentConfig } from './directory/config'
import { clusterRoutes } from './directory/routes'
import { FloodGuard } from './middleware/flood-guard'
import { systemWall } from './sim/clock'

export { ClusterDO } from './cluster-object'
export { DirectoryDO } from './directory/directory-object'
export { NodeDO } from './node/node-object'

const app = new Hono<{ Bindings: Env }>()

app.get('/healthz', (c) => c.text('ok'))

/** A route that does nothing: the benchmarks' baseline for the Worker's own cost. */
app.get('/noop', (c) => c.text('ok'))

// POST /clusters and DELETE /clusters/{name}: the directory's (directory/routes.ts).
app.route('/', clusterRoutes)

// Per isolate: sheds a token's flood before it costs its cluster's object a request.
const floodGuard = new FloodGuard()

app.all('/clusters/:name/*', (c) => {
  const name = c.req.param('name')
  if (!CLUSTER_NAME.test(name)) return statusResponse(notFound('clusters', name))
  const shed = floodGuard.check(name, c.req.header('authorization'), deploymentConfig(c.env as unknown as Record<string, unknown>).limits, systemWall())
  if (shed) return shed
  return c.env.CLUSTER.getByName(name).fetch(c.req.raw)
})

app.notFound((c) => statusResponse(status(404, 'NotFound', `the server could not find the requested resource (${c.req.method} ${c.req.path})`)))

export default app satisfies ExportedHandler<Env>

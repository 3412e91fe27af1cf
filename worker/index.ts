// The Worker: health, cluster creation and deletion, and routing of /clusters/{name}/… to
// that cluster's Durable Object. Static files of web/ are served by assets.
import { Hono } from 'hono'
import type { Env } from './env'
import { notFound, status, statusResponse } from './apiserver/status'
import { CLUSTER_NAME } from './directory/create-request'
import { clusterRoutes } from './directory/routes'

export { ClusterDO } from './cluster-object'
export { DirectoryDO } from './directory/directory-object'
export { NodeDO } from './node/node-object'

const app = new Hono<{ Bindings: Env }>()

app.get('/healthz', (c) => c.text('ok'))

/** A route that does nothing: the benchmarks' baseline for the Worker's own cost. */
app.get('/noop', (c) => c.text('ok'))

// POST /clusters and DELETE /clusters/{name}: the directory's (directory/routes.ts).
app.route('/', clusterRoutes)

app.all('/clusters/:name/*', (c) => {
  const name = c.req.param('name')
  if (!CLUSTER_NAME.test(name)) return statusResponse(notFound('clusters', name))
  return c.env.CLUSTER.getByName(name).fetch(c.req.raw)
})

app.notFound((c) => statusResponse(status(404, 'NotFound', `the server could not find the requested resource (${c.req.method} ${c.req.path})`)))

export default app satisfies ExportedHandler<Env>

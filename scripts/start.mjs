// npm start: serve the API and the web client on 127.0.0.1:${PORT:-8787}, with a
// ready local cluster "demo". State lives under .wrangler/ and survives restarts.
import { join } from 'node:path'
import { ensureCluster, ROOT, startServer } from './lib/server.mjs'

const port = Number(process.env.PORT ?? 8787)
const stateDir = process.env.WHEELHOUSE_STATE_DIR ?? join(ROOT, '.wrangler')

const server = await startServer({ port, stateDir, inspectorPort: process.env.INSPECTOR_PORT ? Number(process.env.INSPECTOR_PORT) : undefined, log: (s) => process.stderr.write(s) })
const demo = await ensureCluster(server.url, stateDir, 'demo', { nodes: 3 })
console.log(`Wheelhouse is serving at ${server.url}`)
console.log(`Cluster "demo" ${demo.created ? 'created' : 'ready'} (admin token in ${join(stateDir, 'wheelhouse/clusters/demo.json')})`)
console.log('Press Ctrl+C to stop.')

const shutdown = async () => {
  await server.stop()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
server.child.on('exit', (code) => {
  console.error(`wrangler dev exited (${code})`)
  process.exit(code ?? 1)
})

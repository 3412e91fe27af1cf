// npm start: serve the API and the web client on 127.0.0.1:${PORT:-8787}, the
// Kubernetes API for kubectl over TLS on 127.0.0.1:${KUBE_PORT:-8443}, with a
// ready local cluster "demo". State lives under .wrangler/ and survives restarts.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureCluster, ROOT, startServer, startTlsProxy } from './lib/server.mjs'

const port = Number(process.env.PORT ?? 8787)
const kubePort = Number(process.env.KUBE_PORT ?? 8443)
const stateDir = process.env.WHEELHOUSE_STATE_DIR ?? join(ROOT, '.wrangler')

// Signal handlers come first: a stop that arrives while the server is still starting must
// not leave wrangler dev (in its own process group) running on its own.
let server
let tls
let stopRequested = false
let stopping
const shutdown = () => {
  stopRequested = true
  // Still starting: the start below stops the server as soon as there is one to stop.
  if (!server) return
  stopping ??= (async () => {
    await tls?.close()
    await server.stop()
    process.exit(0)
  })()
  return stopping
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)

server = await startServer({ port, stateDir, inspectorPort: process.env.INSPECTOR_PORT ? Number(process.env.INSPECTOR_PORT) : undefined, log: (s) => process.stderr.write(s) })
if (stopRequested) await shutdown()
tls = await startTlsProxy({ port: kubePort, targetPort: server.port, stateDir })
if (stopRequested) await shutdown()
writeFileSync(join(stateDir, 'wheelhouse', 'server.json'), JSON.stringify({ http: server.url, https: tls.url }, null, 2) + '\n')
const demo = await ensureCluster(server.url, stateDir, 'demo', { nodes: 3 })
console.log(`Wheelhouse is serving at ${server.url} (kubectl: ${tls.url})`)
console.log(`Cluster "demo" ${demo.created ? 'created' : 'ready'}. In a browser (it asks for your name):`)
console.log(`  ${server.url}/#/clusters/demo?token=${demo.adminToken}`)
if (demo.joinCode) console.log(`Participants join with the code ${demo.joinCode}: ${server.url}/#/clusters/demo?join=${demo.joinCode}`)
console.log('For kubectl:')
console.log('  npm run --silent kubeconfig -- demo > demo.kubeconfig && KUBECONFIG=demo.kubeconfig kubectl get ns')
console.log('Press Ctrl+C to stop.')

server.child.on('exit', (code) => {
  console.error(`wrangler dev exited (${code})`)
  process.exit(code ?? 1)
})

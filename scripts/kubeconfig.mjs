// npm run --silent kubeconfig -- <cluster>: prints an admin kubeconfig for a
// cluster created by `npm start` (the local server must have run at least once).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { clusterFile, kubeconfig, localTls, ROOT } from './lib/server.mjs'

const name = process.argv[2] ?? 'demo'
const stateDir = process.env.WHEELHOUSE_STATE_DIR ?? join(ROOT, '.wrangler')
const file = clusterFile(stateDir, name)
const serverFile = join(stateDir, 'wheelhouse', 'server.json')
if (!existsSync(file) || !existsSync(serverFile)) {
  console.error(`no local cluster "${name}": run \`npm start\` first (looked for ${file})`)
  process.exit(1)
}
const { adminToken } = JSON.parse(readFileSync(file, 'utf8'))
const { https } = JSON.parse(readFileSync(serverFile, 'utf8'))
process.stdout.write(kubeconfig({ name, token: adminToken, httpsUrl: https, caFile: localTls(stateDir).ca }))

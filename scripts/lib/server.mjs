// Starting a local Wheelhouse (wrangler dev) and making sure a cluster exists.
// Used by `npm start`, the end-to-end tests and the benchmarks, so all three
// run the same server the same way.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Keeps wrangler and miniflare off the network: no telemetry, no cf.json fetch. */
export const QUIET_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
}

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer()
    s.unref()
    s.on('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

/** The local creator secret of a state directory, made on first use. */
export function creatorSecret(stateDir) {
  const file = join(stateDir, 'wheelhouse', 'dev.env')
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `CREATOR_SECRET=${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 })
  }
  const m = /^CREATOR_SECRET=(.+)$/m.exec(readFileSync(file, 'utf8'))
  if (!m) throw new Error(`${file} has no CREATOR_SECRET line`)
  return { file, secret: m[1].trim() }
}

export async function waitForHealthy(url, timeoutMs = 60_000, child) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was healthy`)
    try {
      const r = await fetch(`${url}/healthz`)
      if (r.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs} ms`)
}

/**
 * The deployment's limits (wrangler.toml [vars]) a local server lifts: it serves one
 * person, whose benchmarks and test suites send thousands of requests a second as the
 * admin, make thousands of nodes and objects, and keep more than five clusters.
 * Watches and body size keep their defaults, as kube-apiserver's.
 */
export const LOCAL_VARS = {
  REQUESTS_PER_SECOND: '1000000',
  BURST: '1000000',
  MAX_CLUSTERS_PER_CREATOR: '1000',
  MAX_NODES: '100000',
  MAX_PODS: '1000000',
  MAX_OBJECTS: '10000000',
  // bench/fanout opens 200 live sockets with one token.
  MAX_WATCHES: '100000',
}

/**
 * Starts `wrangler dev` on 127.0.0.1:port with its state under stateDir, with
 * `vars` over wrangler.toml's [vars] (LOCAL_VARS unless given: {} keeps the deployment's limits).
 * Returns { url, child, stop }.
 */
export async function startServer({ port, stateDir = join(ROOT, '.wrangler'), inspectorPort, stdio = 'pipe', log, vars = LOCAL_VARS } = {}) {
  port ??= await freePort()
  inspectorPort ??= await freePort()
  const { file } = creatorSecret(stateDir)
  const args = [
    join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
    'dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--inspector-port', String(inspectorPort),
    '--persist-to', join(stateDir, 'state'),
    '--env-file', file,
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    '--show-interactive-dev-session=false',
    '--log-level', process.env.WHEELHOUSE_LOG_LEVEL ?? 'warn',
  ]
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...QUIET_ENV, FORCE_COLOR: '0' },
    stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    detached: stdio !== 'inherit',
  })
  if (stdio !== 'inherit') {
    const out = []
    const keep = (d) => {
      out.push(d.toString())
      if (out.length > 200) out.shift()
      log?.(d.toString())
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.output = () => out.join('')
  }
  const url = `http://127.0.0.1:${port}`
  const stop = () =>
    new Promise((res) => {
      if (child.exitCode !== null) return res()
      child.once('exit', () => res())
      try {
        // The whole process group: wrangler's workerd children go with it.
        if (stdio !== 'inherit') process.kill(-child.pid, 'SIGTERM')
        else child.kill('SIGTERM')
      } catch {
        child.kill('SIGTERM')
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {}
      }, 5_000).unref()
    })
  try {
    await waitForHealthy(url, 90_000, child)
  } catch (err) {
    await stop()
    throw new Error(`${err.message}\n${child.output?.() ?? ''}`)
  }
  return { url, port, child, stop, stateDir }
}

/** Where the admin token of a locally created cluster is kept. */
export function clusterFile(stateDir, name) {
  return join(stateDir, 'wheelhouse', 'clusters', `${name}.json`)
}

/**
 * Makes sure cluster `name` exists on the server and that we hold its admin token.
 * Returns { name, adminToken, joinCode (as given at creation; the leader may replace it), created }.
 */
export async function ensureCluster(url, stateDir, name, spec = {}) {
  const file = clusterFile(stateDir, name)
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'))
    const r = await fetch(`${url}/clusters/${name}/noop`, { headers: { authorization: `Bearer ${saved.adminToken}` } })
    if (r.status === 200) return { ...saved, created: false }
    if (r.status !== 404)
      throw new Error(
        `cluster ${name} exists but ${file} does not hold its admin token (HTTP ${r.status}); ` +
          `remove ${join(stateDir, 'state')} to start from scratch`,
      )
  }
  const { secret } = creatorSecret(stateDir)
  const r = await fetch(`${url}/clusters`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    // A local cluster lives until deleted (ttlHours 0, the creator secret's privilege).
    body: JSON.stringify({ name, ttlHours: 0, ...spec }),
  })
  const body = await r.json()
  if (r.status !== 201) throw new Error(`creating cluster ${name}: HTTP ${r.status}: ${body.message ?? JSON.stringify(body)}`)
  mkdirSync(dirname(file), { recursive: true })
  const saved = { name, adminToken: body.adminToken, joinCode: body.joinCode, server: url }
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 })
  return { ...saved, created: true }
}

/**
 * A local certificate authority and a server certificate for 127.0.0.1, made
 * once per state directory with openssl. kubectl sends its bearer token only
 * over TLS, and the kubeconfig carries this CA.
 */
export function localTls(stateDir) {
  const dir = join(stateDir, 'wheelhouse', 'tls')
  const files = { ca: join(dir, 'ca.crt'), key: join(dir, 'server.key'), cert: join(dir, 'server.crt') }
  if (existsSync(files.ca) && existsSync(files.key) && existsSync(files.cert)) return files
  mkdirSync(dir, { recursive: true })
  const ssl = (args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  ssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=Wheelhouse local CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  ssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'])
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n')
  ssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '825', '-extfile', 'server.ext'])
  return files
}

/** Terminates TLS on 127.0.0.1:port and passes the bytes to the plain-HTTP server: streams flow as they come. */
export async function startTlsProxy({ port, targetPort, stateDir }) {
  const tls = await import('node:tls')
  const net = await import('node:net')
  const files = localTls(stateDir)
  port ??= await freePort()
  const server = tls.createServer({ key: readFileSync(files.key), cert: readFileSync(files.cert) }, (client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    client.pipe(upstream).pipe(client)
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end)
    upstream.on('error', end)
    client.on('close', end)
    upstream.on('close', end)
  })
  await new Promise((res, rej) => {
    server.once('error', rej)
    server.listen(port, '127.0.0.1', res)
  })
  return { url: `https://127.0.0.1:${port}`, port, ca: files.ca, close: () => new Promise((r) => server.close(() => r())) }
}

/** A kubeconfig for cluster `name` with its admin token, for a server at httpsUrl. */
export function kubeconfig({ name, token, httpsUrl, caFile }) {
  const ca = readFileSync(caFile).toString('base64')
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: wheelhouse-${name}`,
    '  cluster:',
    `    server: ${httpsUrl}/clusters/${name}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: wheelhouse-${name}-admin`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: wheelhouse-${name}`,
    '  context:',
    `    cluster: wheelhouse-${name}`,
    `    user: wheelhouse-${name}-admin`,
    '    namespace: default',
    `current-context: wheelhouse-${name}`,
    '',
  ].join('\n')
}

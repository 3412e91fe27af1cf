// `npm start` on a fresh state directory: healthy within 60 s, with a ready cluster "demo"
// whose admin token the kubeconfig script can read; a restart keeps it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { clusterFile, freePort, ROOT } from '../../scripts/lib/server.mjs'

const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-start-'))
let child: ChildProcess | undefined

function npmStart(port: number): ChildProcess {
  return spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), WHEELHOUSE_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
}

async function stop(c: ChildProcess | undefined) {
  if (!c || c.exitCode !== null) return
  const exited = new Promise((r) => c.once('exit', r))
  process.kill(-c.pid!, 'SIGTERM')
  await exited
}

async function healthyWithin(url: string, ms: number): Promise<number> {
  const t0 = Date.now()
  while (Date.now() - t0 < ms) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return Date.now() - t0
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`not healthy within ${ms} ms`)
}

afterAll(async () => {
  await stop(child)
  rmSync(stateDir, { recursive: true, force: true })
})

describe('npm start', () => {
  it('serves /healthz within 60 s and creates the demo cluster, which survives a restart', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    child = npmStart(port)
    const ms = await healthyWithin(url, 60_000)
    expect(ms).toBeLessThan(60_000)
    // The demo cluster is made right after the server is up.
    const file = clusterFile(stateDir, 'demo')
    for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100))
    const { adminToken } = JSON.parse(readFileSync(file, 'utf8')) as { adminToken: string }
    const noop = await fetch(`${url}/clusters/demo/noop`, { headers: { authorization: `Bearer ${adminToken}` } })
    expect(noop.status).toBe(200)
    const put = await fetch(`${url}/clusters/demo/etcd/v3/kv/put`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ key: btoa('/registry/configmaps/default/survivor'), value: btoa('{}') }),
    })
    expect(put.status).toBe(200)
    expect((await fetch(`${url}/clusters/demo/noop`)).status).toBe(401)
    expect((await fetch(`${url}/clusters/nope/noop`)).status).toBe(404)

    await stop(child)
    child = npmStart(port)
    await healthyWithin(url, 60_000)
    let got: Response | undefined
    for (let i = 0; i < 50; i++) {
      got = await fetch(`${url}/clusters/demo/etcd/v3/kv/range`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ key: btoa('/registry/configmaps/default/survivor') }),
      })
      if (got.status === 200) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(((await got!.json()) as { count: string }).count).toBe('1')
  })
})

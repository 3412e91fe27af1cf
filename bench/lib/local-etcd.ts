// A real etcd on loopback, for side-by-side figures, when Debian's etcd-server is installed.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../scripts/lib/server.mjs'

export function etcdBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

export async function startEtcd(bin: string): Promise<{ url: string; version: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wheelhouse-etcd-'))
  const client = await freePort()
  const peer = await freePort()
  const url = `http://127.0.0.1:${client}`
  const child = spawn(
    bin,
    [
      '--data-dir', dir,
      '--listen-client-urls', url,
      '--advertise-client-urls', url,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `default=http://127.0.0.1:${peer}`,
      '--log-level', 'error',
    ],
    { stdio: 'ignore', env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.arch === 'x64' ? '' : process.arch } },
  )
  const stop = async () => {
    if (child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${url}/version`)
      if (r.ok) return { url, version: ((await r.json()) as { etcdserver: string }).etcdserver, stop }
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  await stop()
  throw new Error('etcd did not start')
}

// A real local Wheelhouse for end-to-end tests: wrangler dev, the TLS front for
// kubectl, a cluster, and a kubeconfig file for it.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  ensureCluster,
  kubeconfig,
  startServer,
  startTlsProxy,
  type Server,
} from '../../scripts/lib/server.mjs'

const run = promisify(execFile)

export interface LocalCluster {
  server: Server
  https: string
  token: string
  kubeconfigFile: string
  stop(): Promise<void>
}

export async function startLocalCluster(name = 'e2e'): Promise<LocalCluster> {
  const stateDir = mkdtempSync(join(tmpdir(), 'wheelhouse-e2e-'))
  const server = await startServer({ stateDir })
  const tls = await startTlsProxy({ targetPort: server.port, stateDir })
  const { adminToken } = await ensureCluster(server.url, stateDir, name)
  const kubeconfigFile = join(stateDir, 'kubeconfig')
  writeFileSync(
    kubeconfigFile,
    kubeconfig({ name, token: adminToken, httpsUrl: tls.url, caFile: tls.ca }),
  )
  return {
    server,
    https: tls.url,
    token: adminToken,
    kubeconfigFile,
    stop: async () => {
      await tls.close()
      await server.stop()
      rmSync(stateDir, { recursive: true, force: true })
    },
  }
}

/** kubectl binaries to run the suites with: 1.27 and the newest available, else whatever is on PATH. */
export function kubectlVersions(): { label: string; bin: string }[] {
  const gcloud = '/usr/lib/google-cloud-sdk/bin'
  const out: { label: string; bin: string }[] = []
  if (existsSync(`${gcloud}/kubectl.1.27`))
    out.push({ label: '1.27', bin: `${gcloud}/kubectl.1.27` })
  for (const v of ['1.35', '1.34', '1.33', '1.32']) {
    if (existsSync(`${gcloud}/kubectl.${v}`)) {
      out.push({ label: v, bin: `${gcloud}/kubectl.${v}` })
      break
    }
  }
  if (out.length === 0) out.push({ label: 'PATH', bin: 'kubectl' })
  return out
}

export interface Kubectl {
  (...args: string[]): Promise<string>
  /** Runs and returns {code, stdout, stderr} without throwing. */
  try(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>
  stdin(input: string, ...args: string[]): Promise<string>
  /** Runs kubectl every half second (wall time) until check(stdout) holds; returns that output. */
  poll(args: string[], check: (out: string) => boolean, ms?: number): Promise<string>
}

export function kubectl(bin: string, kubeconfigFile: string): Kubectl {
  const env = { ...process.env, KUBECONFIG: kubeconfigFile, HOME: join(kubeconfigFile, '..') }
  const k = (async (...args: string[]) => {
    try {
      const { stdout } = await run(bin, args, { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 })
      return stdout
    } catch (e) {
      // Rarely (about one run in five of the whole suite) a kubectl process hangs with no
      // request on the server's side; it is killed at 30 s and run once more, loudly.
      // Suspect the local TLS pipe or wrangler's dev proxy; see the closing note.
      if (!(e as { killed?: boolean }).killed) throw e
      console.warn(`kubectl ${args.join(' ')} hung for 30 s; running it once more`)
      const { stdout } = await run(bin, args, { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 })
      return stdout
    }
  }) as Kubectl
  k.try = async (...args: string[]) => {
    try {
      // A hung kubectl (see above) costs 20 s here rather than a whole polling deadline.
      const { stdout, stderr } = await run(bin, args, { env, timeout: 20_000 })
      return { code: 0, stdout, stderr }
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string }
      return {
        code: typeof err.code === 'number' ? err.code : 1,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      }
    }
  }
  const stdinOnce = (input: string, args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(bin, args, { env, timeout: 20_000 }, (err, stdout, stderr) =>
        err ? reject(Object.assign(new Error(`${stderr}\n${err.message}`), { killed: err.killed })) : resolve(stdout),
      )
      child.stdin!.end(input)
    })
  k.stdin = async (input: string, ...args: string[]) => {
    try {
      return await stdinOnce(input, args)
    } catch (e) {
      // The rare hung kubectl (see above), once more, loudly.
      if (!(e as { killed?: boolean }).killed) throw e
      console.warn(`kubectl ${args.join(' ')} (stdin) hung for 20 s; running it once more`)
      return stdinOnce(input, args)
    }
  }
  k.poll = async (args: string[], check: (out: string) => boolean, ms = 90_000) => {
    const deadline = Date.now() + ms
    let out = ''
    while (Date.now() < deadline) {
      out = (await k.try(...args)).stdout
      if (check(out)) return out
      await new Promise((r) => setTimeout(r, 500))
    }
    throw new Error(`timed out: kubectl ${args.join(' ')}; last output:\n${out}`)
  }
  return k
}

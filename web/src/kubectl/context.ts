// What one running command has: the client, its output, the namespace the
// flags chose, stdin, the abort signal, and the cluster's (simulated) now.
import type { Flags, FlagSpec } from './args'
import { Client } from './client'
import type { KubectlEnv, KubectlIO } from './types'

export interface Ctx {
  env: KubectlEnv
  client: Client
  out(text: string): void
  err(text: string): void
  stdin?: string
  signal?: AbortSignal
  /** -n, else the env's current namespace. */
  namespace: string
  /** Whether -n was given (kubectl's enforceNamespace). */
  explicitNamespace: boolean
  /** "kubectl get": how usage errors name the command. */
  commandPath: string
  /** The cluster's simulated now (ms), for ages computed here. */
  now(): Promise<number>
}

export interface Command {
  name: string
  aliases?: string[]
  /** One line, as `kubectl help` lists it. */
  short: string
  usage?: string
  flags?: FlagSpec[]
  subcommands?: Command[]
  /** A kubectl command this terminal cannot offer (kept for help and suggestions, not completed). */
  unavailable?: boolean
  /** Runs with positional args and flags; resolves to the exit code (0 when void). */
  run?(ctx: Ctx, args: string[], flags: Flags): Promise<number | void>
}

export function makeCtx(env: KubectlEnv, io: KubectlIO, opts: { stdin?: string; signal?: AbortSignal }, namespace: string | undefined, commandPath: string): Ctx {
  const client = new Client(env, opts.signal)
  let now: Promise<number> | undefined
  return {
    env,
    client,
    out: (t) => t && io.out(t),
    err: (t) => t && io.err(t),
    stdin: opts.stdin,
    signal: opts.signal,
    namespace: namespace || env.namespace || 'default',
    explicitNamespace: !!namespace,
    commandPath,
    now: () => (now ??= clusterNow(env, client)),
  }
}

/** The Clock object's status.now (the simulated time the server's tables use), else the wall clock. */
async function clusterNow(env: KubectlEnv, client: Client): Promise<number> {
  if (env.now) return env.now()
  try {
    const clock = await client.get('/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')
    const t = Date.parse(clock.status?.now ?? '')
    if (!Number.isNaN(t)) return t
  } catch {
    // No Clock object (a bare cluster): fall back to this machine's clock.
  }
  return Date.now()
}

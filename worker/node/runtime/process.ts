// What one run of a container does, decided when it starts: the image's
// behaviour combined with the pod's command, args, env and mounted files, as
// a JSON-serialisable plan that the kubelet stores and reads back (when it
// exits, what it prints, how its memory grows, when it answers probes).
import type { Behaviour, HttpBehaviour, OutputLine, ServerBehaviour } from '../../sim/registry/catalog'
import { renderTemplate } from './logs'
import { BUILTINS } from './shell-builtins'
import { runShell, SHELLS, type ExternalRun, type Periodic } from './shell'

export interface ProcessPlan {
  /** Absent: runs until killed. */
  exit?: { afterMs: number; code: number }
  /** Finite output at ms since start, rendered; at most LINE_CAP lines. */
  lines: OutputLine[]
  /** Ongoing output, rendered on demand by logs.ts. */
  periodic?: Periodic
  memory: { baseMiB: number; growMiBPerSec?: number; maxMiB?: number }
  /** When it answers HTTP/TCP probes; absent: never listens. */
  readiness?: { afterMs: number; flap?: { upMs: number; downMs: number } }
  ports: number[]
  /** How it answers requests on its ports (hostname and ip already filled in). */
  http?: HttpBehaviour
  /** The runtime could not start it at all (the kubelet's StartError, exit code 128). */
  startError?: string
}

export interface ProcessInput {
  behaviour: Behaviour
  /** spec.command: replaces the image's ENTRYPOINT (and drops its CMD). */
  command?: string[]
  /** spec.args: replaces the image's CMD. */
  args?: string[]
  env: Record<string, string>
  /** Mounted files: absolute path → content. */
  files: Record<string, string>
  /** Simulated epoch ms. */
  startedAt: number
  hostname: string
  podIP?: string
}

export const LINE_CAP = 1000
/** Executables a shell image has besides its shells: the builtins that are also applets in /bin. */
const APPLETS = new Set(
  Object.keys(BUILTINS).filter(
    (k) =>
      ![
        'exit',
        'break',
        'continue',
        'export',
        'unset',
        'set',
        'shift',
        'cd',
        'trap',
        'wait',
        'ulimit',
        ':',
      ].includes(k),
  ),
)
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1)

/** Kubernetes' rule: command replaces ENTRYPOINT and drops CMD; args alone replace CMD. */
export function containerArgv(b: Behaviour, command?: string[], args?: string[]): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])]
  return [...b.entrypoint, ...(args && args.length > 0 ? args : b.cmd)]
}

export function planProcess(input: ProcessInput): ProcessPlan {
  const b = input.behaviour
  const argv = containerArgv(b, input.command, input.args)
  if (argv.length === 0) return startError('no command specified')
  const resolved = resolve(b, argv)
  if ('error' in resolved) return startError(resolved.error)
  if (resolved.kind === 'main') return mainPlan(input, resolved.args, 0)
  const r = runShell(resolved.argv, {
    userland: b.shell === 'bash' ? 'bash' : 'busybox',
    env: input.env,
    files: input.files,
    startedAt: input.startedAt,
    hostname: input.hostname,
    lineCap: LINE_CAP,
    external: (sub) => external(input, sub),
  })
  const base: ProcessPlan = { lines: r.lines, memory: { baseMiB: b.memoryMiB }, ports: [] }
  if (r.end.kind === 'exit') return { ...base, exit: { afterMs: r.end.atMs, code: r.end.code } }
  if (r.end.kind === 'forever') return r.end.periodic ? { ...base, periodic: r.end.periodic } : base
  // exec'd into the image's own program: its plan, shifted to when that happened.
  const sub = resolve(b, r.end.argv)
  const main = mainPlan(input, 'error' in sub || sub.kind !== 'main' ? [] : sub.args, r.end.atMs)
  return { ...main, lines: [...r.lines, ...main.lines].slice(0, LINE_CAP) }
}

function startError(message: string): ProcessPlan {
  return {
    startError: message,
    exit: { afterMs: 0, code: 128 },
    lines: [],
    memory: { baseMiB: 0 },
    ports: [],
  }
}

type Resolved =
  | { kind: 'main'; args: string[] }
  | { kind: 'shell'; argv: string[] }
  | { error: string }

/** What argv[0] names in this image: its wrapper script, its own program, a shell or applet, or nothing. */
function resolve(b: Behaviour, argv: string[], viaWrapper = false): Resolved {
  const name = argv[0]!
  const base = basename(name)
  if (!viaWrapper && b.wrapper && base === basename(b.wrapper)) {
    const rest = argv.slice(1)
    if (rest.length === 0) return { kind: 'shell', argv: ['true'] }
    // docker-entrypoint.sh: options (and redis's config files) go to the server; other words are run.
    const first = rest[0]!
    if (first.startsWith('-') || first.endsWith('.conf')) return { kind: 'main', args: rest }
    const inner = resolve(b, rest, true)
    if ('error' in inner && b.kind === 'program') return { kind: 'main', args: rest } // node's entrypoint: `app.js` means `node app.js`
    return inner
  }
  if (b.binaries.includes(base)) return { kind: 'main', args: argv.slice(1) }
  const onPath = !name.includes('/') || /^\/(usr\/(local\/)?)?s?bin\//.test(name)
  if (
    b.shell !== 'none' &&
    onPath &&
    (SHELLS.has(base) ? base !== 'bash' || b.shell === 'bash' : APPLETS.has(base))
  )
    return { kind: 'shell', argv }
  if (name.includes('/'))
    return { error: `exec: "${name}": stat ${name}: no such file or directory` }
  return { error: `exec: "${name}": executable file not found in $PATH` }
}

/** The image's own program met inside a shell script: a server takes the process over, a program returns. */
function external(input: ProcessInput, argv: string[]): ExternalRun | undefined {
  const r = resolve(input.behaviour, argv)
  if ('error' in r || r.kind !== 'main') return undefined
  const plan = mainPlan(input, r.args, 0)
  if (!plan.exit) return { kind: 'takeover' }
  return {
    kind: 'returns',
    durationMs: plan.exit.afterMs,
    code: plan.exit.code,
    lines: rawLines(input, r.args),
  }
}

/** A program's lines before rendering (the shell renders them at its own clock). */
function rawLines(input: ProcessInput, args: string[]): OutputLine[] {
  const b = input.behaviour
  if (b.kind !== 'program') return []
  const run = interpreter(input, args)
  if (run && 'lines' in run) return run.lines
  return args.length > 0 && b.withArgs ? b.withArgs.lines : b.lines
}

/** The image's main program with these arguments, starting at `offset` ms. */
function mainPlan(input: ProcessInput, args: string[], offset: number): ProcessPlan {
  const b = input.behaviour
  const vars = { hostname: input.hostname, ip: input.podIP ?? '10.244.0.2' }
  const render = (lines: OutputLine[]): OutputLine[] =>
    lines.slice(0, LINE_CAP).map((l) => {
      const atMs = l.atMs + offset
      const text = renderTemplate(l.text, input.startedAt + atMs, vars)
      return l.stream ? { atMs, text, stream: l.stream } : { atMs, text }
    })
  if (b.kind === 'shell')
    return {
      exit: { afterMs: offset, code: 0 },
      lines: [],
      memory: { baseMiB: b.memoryMiB },
      ports: [],
    }
  if (b.kind === 'program') {
    const run = interpreter(input, args) ?? (args.length > 0 && b.withArgs ? b.withArgs : b)
    if ('server' in run) return serverPlan(run.server, input, offset, render)
    return {
      exit: { afterMs: offset + run.runMs, code: run.exitCode },
      lines: render(run.lines),
      memory: { baseMiB: b.memoryMiB },
      ports: [],
    }
  }
  return serverPlan(b, input, offset, render)
}

function serverPlan(
  s: ServerBehaviour,
  input: ProcessInput,
  offset: number,
  render: (l: OutputLine[]) => OutputLine[],
): ProcessPlan {
  const memory = {
    baseMiB: s.memoryMiB,
    ...(s.growMiBPerSec ? { growMiBPerSec: s.growMiBPerSec } : {}),
    ...(s.maxMiB ? { maxMiB: s.maxMiB } : {}),
  }
  const req = s.requiredEnv
  if (req && !req.anyOf.some((k) => input.env[k])) {
    return {
      exit: { afterMs: offset + req.exitAfterMs, code: req.code },
      lines: render(req.lines),
      memory,
      ports: [],
    }
  }
  const plan: ProcessPlan = { lines: render(s.startup), memory, ports: s.ports }
  if (s.ports.length > 0)
    plan.readiness = { afterMs: offset + s.readyAfterMs, ...(s.flap ? { flap: s.flap } : {}) }
  const vars = { hostname: input.hostname, ip: input.podIP ?? '10.244.0.2' }
  // Keep time and request placeholders for later; fill in what is fixed for the run.
  const fixed = (t: string) => t.replace(/\{(hostname|ip)\}/g, (_, k: 'hostname' | 'ip') => vars[k])
  if (s.http)
    plan.http = {
      status: s.http.status,
      body: fixed(s.http.body),
      ...(s.http.accessLog ? { accessLog: fixed(s.http.accessLog) } : {}),
    }
  if (s.periodic) {
    const lastStartup = Math.max(0, ...s.startup.map((l) => l.atMs))
    const templates = s.periodic.templates.map(fixed)
    plan.periodic = {
      startMs: offset + Math.max(lastStartup, s.readyAfterMs) + s.periodic.everyMs,
      everyMs: s.periodic.everyMs,
      templates,
    }
  }
  return plan
}

type Run = { runMs: number; exitCode: number; lines: OutputLine[] } | { server: ServerBehaviour }

/** python3 and node given a script, -c/-e code or python's http.server. */
function interpreter(input: ProcessInput, args: string[]): Run | undefined {
  const b = input.behaviour
  const lang = b.binaries.includes('python3')
    ? 'python'
    : b.binaries.includes('node')
      ? 'node'
      : undefined
  if (!lang || args.length === 0) return undefined
  const [flag, value] = args
  if (lang === 'python' && flag === '-m' && value === 'http.server') {
    const port = Number(args[2] ?? 8000) || 8000
    const line = `Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...`
    return {
      server: {
        kind: 'server',
        ports: [port],
        readyAfterMs: 300,
        memoryMiB: 15,
        startup: [{ atMs: 200, text: line }],
      },
    }
  }
  if (
    (lang === 'python' && flag === '-c') ||
    (lang === 'node' && (flag === '-e' || flag === '--eval'))
  ) {
    // Only the literal strings the code prints: print("hi") / console.log('hi').
    const call =
      lang === 'python' ? /print\(\s*(['"])(.*?)\1\s*\)/g : /console\.log\(\s*(['"`])(.*?)\1\s*\)/g
    const texts = [...(value ?? '').matchAll(call)].map((m) => m[2]!.replaceAll('{', '{{'))
    return { runMs: 60, exitCode: 0, lines: texts.map((text) => ({ atMs: 50, text })) }
  }
  if (flag!.startsWith('-')) return { runMs: 50, exitCode: 0, lines: [] }
  const path = flag!.startsWith('/') ? flag! : `/${flag}`
  if (input.files[path] !== undefined || input.files[flag!] !== undefined)
    return { runMs: 100, exitCode: 0, lines: [] }
  if (lang === 'python')
    return {
      runMs: 40,
      exitCode: 2,
      lines: [
        {
          atMs: 30,
          text: `python3: can't open file '${path}': [Errno 2] No such file or directory`,
          stream: 'stderr',
        },
      ],
    }
  const err = [
    'node:internal/modules/cjs/loader:1228',
    '  throw err;',
    '  ^',
    '',
    `Error: Cannot find module '${path}'`,
    '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
    "  code: 'MODULE_NOT_FOUND',",
    '  requireStack: []',
    '}',
    '',
    'Node.js v22.12.0',
  ]
  return {
    runMs: 80,
    exitCode: 1,
    lines: err.map((text) => ({ atMs: 60, text, stream: 'stderr' as const })),
  }
}

/** Memory in MiB at ms since start. */
export function memoryAt(plan: ProcessPlan, msSinceStart: number): number {
  const m = plan.memory
  if (!m.growMiBPerSec) return m.baseMiB
  const grown = m.baseMiB + (m.growMiBPerSec * Math.max(0, msSinceStart)) / 1000
  return m.maxMiB !== undefined ? Math.min(m.maxMiB, grown) : grown
}

/** When memory first exceeds limitMiB (the OOM kill), if it ever does while the process runs. */
export function oomAfterMs(plan: ProcessPlan, limitMiB: number): number | undefined {
  const m = plan.memory
  let at: number | undefined
  if (m.baseMiB > limitMiB) at = 0
  else if (m.growMiBPerSec && (m.maxMiB === undefined || m.maxMiB > limitMiB))
    at = Math.floor(((limitMiB - m.baseMiB) / m.growMiBPerSec) * 1000) + 1
  if (at === undefined || (plan.exit && at > plan.exit.afterMs)) return undefined
  return at
}

/** Whether an HTTP/TCP probe would succeed at ms since start. */
export function readyAt(plan: ProcessPlan, msSinceStart: number): boolean {
  const r = plan.readiness
  if (!r || msSinceStart < r.afterMs) return false
  if (!r.flap) return true
  return (msSinceStart - r.afterMs) % (r.flap.upMs + r.flap.downMs) < r.flap.upMs
}

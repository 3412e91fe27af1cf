// The simulated shell that runs a container's command: `sh -c '<script>'`
// or an applet called directly (["sleep", "3600"]). It executes in simulated
// time (sleep advances a clock, nothing waits) and records what was printed
// at which ms. An endless loop that repeats itself exactly becomes a
// `periodic` output description instead of endless lines, and all work is
// bounded, so any script plans in a few milliseconds.
import type { OutputLine } from '../../sim/registry/catalog'
import { escapeTemplate } from './logs'
import {
  basename,
  Exit,
  Forever,
  LoopJump,
  OutOfSteps,
  Shell,
  Takeover,
  unescape,
} from './shell-interp'
import { parse, ShellSyntaxError, type List } from './shell-parse'

/** busybox ash (busybox, alpine), dash (/bin/sh on Debian images) or bash. */
export type Dialect = 'busybox' | 'dash' | 'bash'

export interface Periodic {
  startMs: number
  everyMs: number
  templates: string[]
  /** Each template's offset within a cycle; all 0 when absent. */
  offsetsMs?: number[]
}

/** A program of the image itself (nginx, curl, …) met by the shell. */
export type ExternalRun =
  | { kind: 'returns'; durationMs: number; code: number; lines: OutputLine[] }
  | { kind: 'takeover' }

export interface ShellContext {
  /** The image's userland: busybox applets, or Debian's dash, bash and coreutils. */
  userland: 'busybox' | 'bash'
  env: Record<string, string>
  files: Record<string, string>
  startedAt: number
  hostname: string
  external?: (argv: string[]) => ExternalRun | undefined
  lineCap?: number
}

export type ShellEnd =
  | { kind: 'exit'; atMs: number; code: number }
  /** Runs until killed, printing `periodic` if set. */
  | { kind: 'forever'; periodic?: Periodic }
  /** Hands the process over to the image's long-running program (exec nginx …). */
  | { kind: 'exec'; atMs: number; argv: string[] }

export interface ShellResult {
  lines: OutputLine[]
  end: ShellEnd
}

export const SHELLS = new Set(['sh', 'ash', 'dash', 'bash'])

/**
 * Runs a container's argv in the simulated shell: a shell with -c or a
 * script file, or an applet given directly.
 */
export function runShell(argv: string[], ctx: ShellContext): ShellResult {
  const sh = new Shell(ctx)
  let end: ShellEnd
  try {
    end = { kind: 'exit', atMs: 0, code: 0 }
    const code = main(sh, argv)
    end = { kind: 'exit', atMs: sh.t, code: code & 255 }
  } catch (e) {
    if (e instanceof Exit) end = { kind: 'exit', atMs: sh.t, code: e.code & 255 }
    else if (e instanceof Forever)
      end = e.periodic ? { kind: 'forever', periodic: e.periodic } : { kind: 'forever' }
    else if (e instanceof Takeover) end = { kind: 'exec', atMs: sh.t, argv: e.argv }
    else if (e instanceof OutOfSteps) end = { kind: 'forever' }
    else if (e instanceof LoopJump) end = { kind: 'exit', atMs: sh.t, code: 0 }
    else throw e
  }
  return { lines: sh.lines(), end }
}

function main(sh: Shell, argv: string[]): number {
  const name = basename(argv[0] ?? '')
  if (!SHELLS.has(name)) return sh.run(argv.map(escapeTemplate))
  sh.name = argv[0]!
  sh.dialect = sh.ctx.userland === 'busybox' ? 'busybox' : name === 'bash' ? 'bash' : 'dash'
  let i = 1
  let command = false
  for (; i < argv.length && /^[-+][a-z]+$/.test(argv[i]!); i++) {
    if (argv[i]!.includes('c')) command = true
    if (argv[i]!.startsWith('-') && argv[i]!.includes('e')) sh.errexit = true
    if (argv[i] === '-o' || argv[i] === '+o') i++
  }
  let script: string
  if (command) {
    if (i >= argv.length) return (sh.err(`${sh.name}: -c: option requires an argument\n`), 2)
    script = argv[i]!
    if (argv[i + 1] !== undefined) sh.name = argv[i + 1]!
    sh.positional = argv.slice(i + 2).map(escapeTemplate)
  } else if (i < argv.length) {
    // A script file: it runs with its own name as $0.
    const file = sh.readFile(argv[i]!)
    if (file === undefined) {
      if (sh.dialect === 'busybox')
        sh.err(`${sh.name}: can't open '${argv[i]}': No such file or directory\n`)
      else if (sh.dialect === 'dash')
        sh.err(`${sh.name}: 0: cannot open ${argv[i]}: No such file\n`)
      else sh.err(`${sh.name}: ${argv[i]}: No such file or directory\n`)
      return sh.dialect === 'bash' ? 127 : 2
    }
    script = unescape(file)
    sh.name = argv[i]!
    sh.positional = argv.slice(i + 1).map(escapeTemplate)
  } else return 0 // No script and no tty: stdin is empty, so the shell exits at once.
  let list: List
  try {
    list = parse(script)
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e
    sh.shellError(e.message)
    return 2
  }
  return sh.runList(list)
}

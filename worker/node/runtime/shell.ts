// The simulated shell that runs a container's command: `sh -c '<script>'`
// or an applet called directly (["sleep", "3600"]). It executes in simulated
// time (sleep advances a clock, nothing waits) and records what was printed
// at which ms. An endless loop that repeats itself exactly becomes a
// `periodic` output description instead of endless lines, and all work is
// bounded, so any script plans in a few milliseconds.
import type { OutputLine } from '../../sim/registry/catalog'
import { escapeTemplate, renderTemplate } from './logs'
import { BUILTINS, type Builtin } from './shell-builtins'
import { expandWord, type Expander } from './shell-expand'
import {
  parse,
  ShellSyntaxError,
  type Command,
  type List,
  type Pipeline,
  type Redir,
} from './shell-parse'

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
const MAX_STEPS = 20_000
const MAX_TEXT = 1 << 20

class Exit {
  constructor(readonly code: number) {}
}
class Forever {
  constructor(readonly periodic?: Periodic) {}
}
class Takeover {
  constructor(readonly argv: string[]) {}
}
class OutOfSteps {}
class LoopJump {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

type Sink =
  | { kind: 'log'; stream: 'stdout' | 'stderr' }
  | { kind: 'buf'; parts: string[] }
  | { kind: 'file'; path: string }
  | { kind: 'null' }
interface Traced {
  atMs: number
  tpl: string
  stream?: 'stderr'
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1)
export const unescape = (s: string) => s.replaceAll('{{', '{')

/** The interpreter's state; builtins get it to read and write. */
export class Shell implements Expander {
  t = 0
  status = 0
  cwd = '/'
  errexit = false
  name = 'sh'
  dialect: Dialect
  positional: string[] = []
  readonly vars = new Map<string, string>()
  readonly exported = new Set<string>()
  readonly fs = new Map<string, string>()
  readonly dirs = new Set([
    '/',
    '/bin',
    '/dev',
    '/etc',
    '/home',
    '/proc',
    '/root',
    '/sys',
    '/tmp',
    '/usr',
    '/usr/bin',
    '/var',
  ])
  stdin: string | undefined
  #fd: Sink[] = [
    { kind: 'null' },
    { kind: 'log', stream: 'stdout' },
    { kind: 'log', stream: 'stderr' },
  ]
  #pending = { stdout: '', stderr: '' }
  #lines: Traced[] = []
  #traces: Traced[][] = []
  #steps = 0
  #condDepth = 0
  #line = 1
  #substStatus = 0

  constructor(readonly ctx: ShellContext) {
    this.dialect = ctx.userland
    const env = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: ctx.hostname,
      ...ctx.env,
      HOME: ctx.env.HOME ?? '/root',
    }
    for (const [k, v] of Object.entries(env))
      (this.vars.set(k, escapeTemplate(v)), this.exported.add(k))
    for (const [path, content] of Object.entries(ctx.files))
      this.fs.set(path, escapeTemplate(content))
    if (!this.fs.has('/etc/hostname'))
      this.fs.set('/etc/hostname', escapeTemplate(`${ctx.hostname}\n`))
  }

  // --- output ---

  out(text: string): void {
    this.#write(1, text)
  }
  err(text: string): void {
    this.#write(2, text)
  }
  /** An error message from a command, prefixed as the shell prints it (dash adds the line number). */
  shellError(message: string): void {
    this.err(
      this.dialect === 'dash'
        ? `${this.name}: ${this.#line}: ${message}\n`
        : this.dialect === 'bash'
          ? `${this.name}: line ${this.#line}: ${message}\n`
          : `${this.name}: ${message}\n`,
    )
  }

  #write(fd: number, text: string): void {
    const sink = this.#fd[fd] ?? this.#fd[1]!
    if (sink.kind === 'buf') sink.parts.push(text)
    else if (sink.kind === 'file')
      this.fs.set(sink.path, ((this.fs.get(sink.path) ?? '') + text).slice(-MAX_TEXT))
    else if (sink.kind === 'log') {
      let buf = this.#pending[sink.stream] + text
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n'))
        (this.#emit(buf.slice(0, nl), sink.stream), (buf = buf.slice(nl + 1)))
      this.#pending[sink.stream] = buf.slice(-MAX_TEXT)
    }
  }

  #emit(tpl: string, stream: 'stdout' | 'stderr'): void {
    const line: Traced = stream === 'stderr' ? { atMs: this.t, tpl, stream } : { atMs: this.t, tpl }
    for (const trace of this.#traces) trace.push(line)
    if (this.#lines.length < (this.ctx.lineCap ?? 1000)) this.#lines.push(line)
  }

  /** Lines printed so far, rendered at their times. */
  lines(): OutputLine[] {
    for (const stream of ['stdout', 'stderr'] as const)
      if (this.#pending[stream])
        (this.#emit(this.#pending[stream], stream), (this.#pending[stream] = ''))
    return this.#lines
      .map((l) => ({
        ...l,
        tpl: undefined,
        text: renderTemplate(l.tpl, this.ctx.startedAt + l.atMs),
      }))
      .map(({ tpl: _, ...l }) => l)
  }

  // --- control flow, for builtins ---

  exit(code: number): never {
    throw new Exit(code)
  }
  /** The process keeps running and prints nothing more (sleep infinity, tail -f). */
  forever(): never {
    throw new Forever()
  }
  jump(kind: 'break' | 'continue', levels: number): never {
    throw new LoopJump(kind, levels)
  }

  // --- Expander ---

  param(name: string): string | undefined {
    if (name === '?') return String(this.status)
    if (name === '$') return '1'
    if (name === '!' || name === '-') return ''
    if (name === '#') return String(this.positional.length)
    if (name === '@' || name === '*') return this.positional.join(' ')
    if (name === '0') return this.name
    if (/^\d$/.test(name)) return this.positional[Number(name) - 1]
    return this.vars.get(name)
  }
  setVar(name: string, value: string): void {
    this.vars.set(name, value.slice(0, MAX_TEXT))
  }
  substitute(script: string): string {
    const parts: string[] = []
    const status = this.subshell(() => this.runList(parse(script)), { kind: 'buf', parts })
    this.#substStatus = status
    return parts.join('').replace(/\n+$/, '')
  }
  fail(message: string): never {
    this.shellError(message)
    throw new Exit(this.dialect === 'bash' ? 1 : 2)
  }

  /** Runs fn as a subshell: variables and exit stay inside; output may be captured. */
  subshell(fn: () => number, stdout?: Sink): number {
    const saved = {
      vars: new Map(this.vars),
      exported: new Set(this.exported),
      cwd: this.cwd,
      fd: this.#fd,
      positional: this.positional,
    }
    if (stdout) this.#fd = [this.#fd[0]!, stdout, this.#fd[2]!]
    try {
      return fn()
    } catch (e) {
      if (e instanceof Exit) return e.code
      throw e
    } finally {
      ;(this.vars.clear(), this.exported.clear())
      saved.vars.forEach((v, k) => this.vars.set(k, v))
      saved.exported.forEach((k) => this.exported.add(k))
      Object.assign(this, { cwd: saved.cwd, positional: saved.positional })
      this.#fd = saved.fd
    }
  }

  // --- execution ---

  runList(list: List): number {
    for (const item of list) {
      const chain = [item.first, ...item.rest.map((r) => r.pipeline)]
      let status = 0
      let ran = 0
      for (let i = 0; i < chain.length; i++) {
        // `a && b`: b runs only if a succeeded; `a || b` only if it failed.
        if (i > 0 && (item.rest[i - 1]!.op === '&&') !== (status === 0)) continue
        status =
          i < chain.length - 1
            ? this.#asCondition(() => this.#pipeline(chain[i]!))
            : this.#pipeline(chain[i]!)
        ran = i
      }
      this.status = status
      if (
        this.errexit &&
        status !== 0 &&
        this.#condDepth === 0 &&
        ran === chain.length - 1 &&
        !chain[ran]!.bang
      )
        throw new Exit(status)
    }
    return this.status
  }

  /** Runs a test (if/while condition, left of && or ||), where set -e does not apply. */
  #asCondition(fn: () => number): number {
    this.#condDepth++
    try {
      return fn()
    } finally {
      this.#condDepth--
    }
  }

  #cond(list: List): boolean {
    return this.#asCondition(() => this.runList(list)) === 0
  }

  #pipeline(p: Pipeline): number {
    let status: number
    if (p.cmds.length === 1) status = this.#command(p.cmds[0]!)
    else {
      // Stages run one after another, each reading what the previous one wrote.
      let input = this.stdin
      status = 0
      p.cmds.forEach((cmd, i) => {
        const parts: string[] = []
        const savedIn = this.stdin
        this.stdin = input
        status =
          i < p.cmds.length - 1
            ? this.subshell(() => this.#command(cmd), { kind: 'buf', parts })
            : this.#command(cmd)
        this.stdin = savedIn
        input = parts.join('')
      })
    }
    return (this.status = p.bang ? +(status === 0) : status)
  }

  #command(cmd: Command): number {
    if (++this.#steps > MAX_STEPS) throw new OutOfSteps()
    return this.#redirected(cmd.redirs, () => {
      switch (cmd.kind) {
        case 'simple':
          this.#line = cmd.line
          return this.#simple(cmd.assigns, cmd.words)
        case 'group':
          return cmd.subshell ? this.subshell(() => this.runList(cmd.body)) : this.runList(cmd.body)
        case 'if':
          for (const [cond, body] of cmd.clauses) if (this.#cond(cond)) return this.runList(body)
          return cmd.otherwise ? this.runList(cmd.otherwise) : 0
        case 'for': {
          const words = cmd.words ? cmd.words.flatMap((w) => expandWord(w, this)) : this.positional
          let status = 0
          for (const w of words) {
            this.setVar(cmd.name, w)
            const jump = this.#iteration(() => (status = this.runList(cmd.body)))
            if (jump === 'break') break
          }
          return status
        }
        case 'loop':
          return this.#loop(cmd.until, cmd.cond, cmd.body)
      }
    })
  }

  /** One loop iteration; break/continue aimed further out are passed on. */
  #iteration(fn: () => void): 'break' | 'continue' | undefined {
    try {
      fn()
      return undefined
    } catch (e) {
      if (!(e instanceof LoopJump)) throw e
      if (--e.levels > 0) throw e
      return e.kind
    }
  }

  /**
   * while / until. When an iteration prints exactly what the previous one
   * printed, at the same offsets, and leaves every variable and file as it
   * found them, every later iteration will be the same: the loop becomes a
   * Forever with the iteration as its periodic output.
   */
  #loop(until: boolean, cond: List, body: List): number {
    let status = 0
    let previous: { sig: string; start: number; kept: number } | undefined
    for (;;) {
      const start = this.t
      const kept = this.#lines.length
      const trace: Traced[] = []
      this.#traces.push(trace)
      let jump: 'break' | 'continue' | undefined
      try {
        if (this.#cond(cond) === until) break
        jump = this.#iteration(() => (status = this.runList(body)))
      } finally {
        this.#traces.pop()
      }
      if (jump === 'break') break
      const sig = JSON.stringify([
        this.t - start,
        trace.map((l) => [l.atMs - start, l.tpl, l.stream]),
        [...this.vars],
        [...this.fs],
        this.cwd,
        this.status,
        this.#pending,
      ])
      if (sig === previous?.sig && this.#fd[1]!.kind === 'log') {
        // The previous iteration was this one too: the repetition starts there.
        this.#lines.length = Math.min(this.#lines.length, previous.kept)
        if (trace.length === 0) throw new Forever()
        const offsets = trace.map((l) => l.atMs - start)
        throw new Forever({
          startMs: previous.start,
          everyMs: Math.max(1, this.t - start),
          templates: trace.map((l) => l.tpl),
          ...(offsets.some((o) => o !== 0) ? { offsetsMs: offsets } : {}),
        })
      }
      previous = { sig, start, kept }
    }
    return status
  }

  #redirected(redirs: Redir[], fn: () => number): number {
    if (redirs.length === 0) return fn()
    const savedFd = [...this.#fd]
    const savedIn = this.stdin
    try {
      for (const r of redirs) {
        const target = unescape(expandWord(r.target, this, false)[0] ?? '')
        if (r.op === '>&') this.#fd[r.fd] = this.#fd[Number(target)] ?? this.#fd[1]!
        else if (r.op === '<') {
          const content = this.readFile(target)
          if (content === undefined) return this.#cannotOpen(target)
          this.stdin = content
        } else if (target === '/dev/null') this.#fd[r.fd] = { kind: 'null' }
        else if (target === '/dev/stdout' || target === '/dev/stderr')
          this.#fd[r.fd] = savedFd[target === '/dev/stdout' ? 1 : 2]!
        else {
          const path = this.resolve(target)
          if (this.dirs.has(path))
            return (this.shellError(`can't create ${target}: Is a directory`), 1)
          if (r.op === '>' || !this.fs.has(path)) this.fs.set(path, '')
          this.#fd[r.fd] = { kind: 'file', path }
        }
      }
      return fn()
    } finally {
      this.#fd = savedFd
      this.stdin = savedIn
    }
  }

  #cannotOpen(target: string): number {
    if (this.dialect === 'busybox')
      this.shellError(`can't open '${target}': No such file or directory`)
    else if (this.dialect === 'dash') this.shellError(`cannot open ${target}: No such file`)
    else this.shellError(`${target}: No such file or directory`)
    return 1
  }

  #simple(assigns: [string, string][], words: string[]): number {
    // A bare assignment's status is that of its last command substitution.
    this.#substStatus = 0
    const values = assigns.map(([k, raw]) => [k, expandWord(raw, this, false)[0] ?? ''] as const)
    const argv = words.flatMap((w) => expandWord(w, this))
    if (argv.length === 0) {
      for (const [k, v] of values) this.setVar(k, v)
      return (this.status = this.#substStatus)
    }
    // Assignments before a command are its environment only.
    const saved = values.map(([k]) => [k, this.vars.get(k), this.exported.has(k)] as const)
    for (const [k, v] of values) (this.setVar(k, v), this.exported.add(k))
    try {
      return this.run(argv)
    } finally {
      for (const [k, v, exp] of saved) {
        if (v === undefined) this.vars.delete(k)
        else this.vars.set(k, v)
        if (!exp) this.exported.delete(k)
      }
    }
  }

  /** Runs one command by name: a builtin or applet, the image's own program, or not found. */
  run(argv: string[]): number {
    const name = unescape(argv[0]!)
    if (name === 'exec') {
      if (argv.length === 1) return 0
      const status = this.run(argv.slice(1))
      throw new Exit(status)
    }
    const builtin: Builtin | undefined = BUILTINS[basename(name)]
    if (builtin && (!name.includes('/') || /^\/(usr\/)?s?bin\//.test(name)))
      return (this.status = builtin(this, argv.slice(1)))
    const ext = this.ctx.external?.(argv.map(unescape))
    if (ext?.kind === 'takeover') throw new Takeover(argv.map(unescape))
    if (ext) {
      const start = this.t
      for (const l of [...ext.lines].sort((a, b) => a.atMs - b.atMs)) {
        this.t = start + l.atMs
        this.#write(l.stream === 'stderr' ? 2 : 1, `${l.text}\n`)
      }
      this.t = start + ext.durationMs
      return (this.status = ext.code)
    }
    if (this.dialect === 'bash')
      this.shellError(
        name.includes('/') ? `${name}: No such file or directory` : `${name}: command not found`,
      )
    else this.shellError(`${name}: not found`)
    return (this.status = 127)
  }

  // --- files ---

  resolve(path: string): string {
    const abs = path.startsWith('/') ? path : `${this.cwd === '/' ? '' : this.cwd}/${path}`
    const parts: string[] = []
    for (const p of abs.split('/')) {
      if (p === '..') parts.pop()
      else if (p && p !== '.') parts.push(p)
    }
    return `/${parts.join('/')}`
  }
  readFile(path: string): string | undefined {
    if (path === '/dev/null') return ''
    return this.fs.get(this.resolve(path))
  }
  isDir(path: string): boolean {
    const abs = this.resolve(path)
    if (this.dirs.has(abs)) return true
    const prefix = abs === '/' ? '/' : `${abs}/`
    for (const p of this.fs.keys()) if (p.startsWith(prefix)) return true
    return false
  }
  /** Names directly inside a directory, sorted as ls prints them. */
  list(path: string): string[] {
    const abs = this.resolve(path)
    const prefix = abs === '/' ? '/' : `${abs}/`
    const names = new Set<string>()
    for (const p of [...this.fs.keys(), ...this.dirs])
      if (p.startsWith(prefix) && p !== prefix) names.add(p.slice(prefix.length).split('/')[0]!)
    return [...names].sort()
  }
}

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

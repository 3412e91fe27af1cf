// The simulated shell's interpreter: state (variables, files, output sinks,
// simulated time) and the execution of parsed commands. Control flow that
// ends or suspends a run (exit, endless loops, exec into the image's program,
// the work budget) travels as thrown signals, caught by runShell.
import { escapeTemplate } from './logs'
import type { Dialect, Periodic, ShellContext } from './shell'
import { BUILTINS, type Builtin } from './shell-builtins'
import { expandWord, type Expander } from './shell-expand'
import { MAX_TEXT } from './shell-files'
import { ShellIO, type Sink, type Traced } from './shell-io'
import { parse, type Command, type List, type Pipeline, type Redir } from './shell-parse'

const MAX_STEPS = 20_000

export class Exit {
  constructor(readonly code: number) {}
}
export class Forever {
  constructor(readonly periodic?: Periodic) {}
}
export class Takeover {
  constructor(readonly argv: string[]) {}
}
export class OutOfSteps {}
export class LoopJump {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

export const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1)
export const unescape = (s: string) => s.replaceAll('{{', '{')

/** The interpreter's state; builtins get it to read and write. */
export class Shell extends ShellIO implements Expander {
  status = 0
  errexit = false
  name = 'sh'
  dialect: Dialect
  positional: string[] = []
  readonly vars = new Map<string, string>()
  readonly exported = new Set<string>()
  stdin: string | undefined
  #steps = 0
  #condDepth = 0
  #line = 1
  #substStatus = 0

  constructor(ctx: ShellContext) {
    super(ctx)
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
      fd: this.fd,
      positional: this.positional,
    }
    if (stdout) this.fd = [this.fd[0]!, stdout, this.fd[2]!]
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
      this.fd = saved.fd
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
      const kept = this.recorded.length
      const trace: Traced[] = []
      this.traces.push(trace)
      let jump: 'break' | 'continue' | undefined
      try {
        if (this.#cond(cond) === until) break
        jump = this.#iteration(() => (status = this.runList(body)))
      } finally {
        this.traces.pop()
      }
      if (jump === 'break') break
      const sig = JSON.stringify([
        this.t - start,
        trace.map((l) => [l.atMs - start, l.tpl, l.stream]),
        [...this.vars],
        [...this.fs],
        this.cwd,
        this.status,
        this.pending,
      ])
      if (sig === previous?.sig && this.fd[1]!.kind === 'log') {
        // The previous iteration was this one too: the repetition starts there.
        this.recorded.length = Math.min(this.recorded.length, previous.kept)
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
    const savedFd = [...this.fd]
    const savedIn = this.stdin
    try {
      for (const r of redirs) {
        const target = unescape(expandWord(r.target, this, false)[0] ?? '')
        if (r.op === '>&') this.fd[r.fd] = this.fd[Number(target)] ?? this.fd[1]!
        else if (r.op === '<') {
          const content = this.readFile(target)
          if (content === undefined) return this.#cannotOpen(target)
          this.stdin = content
        } else if (target === '/dev/null') this.fd[r.fd] = { kind: 'null' }
        else if (target === '/dev/stdout' || target === '/dev/stderr')
          this.fd[r.fd] = savedFd[target === '/dev/stdout' ? 1 : 2]!
        else {
          const path = this.resolve(target)
          if (this.dirs.has(path))
            return (this.shellError(`can't create ${target}: Is a directory`), 1)
          if (r.op === '>' || !this.fs.has(path)) this.fs.set(path, '')
          this.fd[r.fd] = { kind: 'file', path }
        }
      }
      return fn()
    } finally {
      this.fd = savedFd
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
        this.write(l.stream === 'stderr' ? 2 : 1, `${l.text}\n`)
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
}

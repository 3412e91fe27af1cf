// The commands the simulated shell knows: shell builtins and the busybox /
// coreutils applets that container commands use. Each takes the shell and its
// (expanded, template-form) arguments and returns an exit status; error
// messages follow busybox or GNU coreutils wording per the image's userland.
import type { Shell } from './shell-interp'
import { gnu, TEXT_APPLETS, un } from './shell-text'

export type Builtin = (sh: Shell, args: string[]) => number

/** busybox / coreutils sleep durations: seconds with optional fraction and s/m/h/d suffix. */
export function parseDuration(arg: string): number | undefined {
  if (arg === 'inf' || arg === 'infinity') return Infinity
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg)
  if (!m) return undefined
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd']
  return Math.round(Number(m[1]) * unit * 1000)
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
}

/** echo -e / printf %b escapes; `\c` ends the output there (and drops echo's newline). */
function echoEscapes(s: string): [string, boolean] {
  const cut = /\\c/.exec(s)
  const text = cut ? s.slice(0, cut.index) : s
  const out = text.replace(/\\(0[0-7]{0,3}|[abefnrtv\\])/g, (_, e: string) =>
    e.startsWith('0') ? String.fromCharCode(parseInt(e.slice(1) || '0', 8)) : ESCAPES[e]!,
  )
  return [out, cut !== null]
}

function echo(sh: Shell, args: string[]): number {
  let newline = true
  let escapes = sh.dialect === 'dash'
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    for (const f of args.shift()!.slice(1)) f === 'n' ? (newline = false) : (escapes = f === 'e')
  }
  let text = args.join(' ')
  if (escapes) {
    const [t, stop] = echoEscapes(text)
    text = t
    if (stop) newline = false
  }
  sh.out(newline ? `${text}\n` : text)
  return 0
}

function printf(sh: Shell, args: string[]): number {
  const format = args.shift()
  if (format === undefined) return (sh.err('printf: usage: printf format [arguments]\n'), 2)
  let out = ''
  do {
    let used = 0
    out += format.replace(
      /%([-+ 0#]*\d*(?:\.\d+)?)([sdiuxXfcb%])|\\(.)/g,
      (m, flags: string | undefined, conv: string | undefined, esc: string | undefined) => {
        if (esc !== undefined) return echoEscapes(`\\${esc}`)[0]
        if (conv === '%') return '%'
        const arg = args[used++] ?? ''
        const width = Number(/\d+/.exec(flags ?? '')?.[0] ?? 0)
        const pad = (s: string) =>
          flags?.includes('-')
            ? s.padEnd(width)
            : s.padStart(width, flags?.startsWith('0') && conv !== 's' ? '0' : ' ')
        if (conv === 's' || conv === 'b') return pad(conv === 'b' ? echoEscapes(arg)[0] : arg)
        if (conv === 'c') return arg.slice(0, 1)
        const n = Number(arg) || 0
        if (conv === 'f') return pad(n.toFixed(Number(/\.(\d+)/.exec(flags ?? '')?.[1] ?? 6)))
        if (conv === 'x' || conv === 'X')
          return pad(Math.trunc(n).toString(16)[conv === 'X' ? 'toUpperCase' : 'toLowerCase']())
        return pad(String(Math.trunc(n)))
      },
    )
    args = args.slice(used)
    if (used === 0) break
  } while (args.length > 0)
  sh.out(out)
  return 0
}

function sleep(sh: Shell, args: string[]): number {
  if (args.length === 0)
    return (
      sh.err(
        gnu(sh)
          ? "sleep: missing operand\nTry 'sleep --help' for more information.\n"
          : 'sleep: missing operand\n',
      ),
      1
    )
  let total = 0
  for (const a of args) {
    const ms = parseDuration(un(a))
    if (ms === undefined)
      return (
        sh.err(
          gnu(sh)
            ? `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`
            : `sleep: invalid number '${a}'\n`,
        ),
        1
      )
    total += ms
  }
  if (total === Infinity) sh.forever()
  sh.t += total
  return 0
}

/** test and [: the unary and binary primaries scripts use. */
function test(args: string[], sh: Shell): boolean {
  if (args[0] === '!') return !test(args.slice(1), sh)
  if (args.length === 0) return false
  if (args.length === 1) return args[0] !== ''
  if (args.length === 2) {
    const [op, v] = [args[0]!, un(args[1]!)]
    if (op === '-n') return v !== ''
    if (op === '-z') return v === ''
    if (op === '-f') return sh.readFile(v) !== undefined
    if (op === '-s') return (sh.readFile(v) ?? '') !== ''
    if (op === '-d') return sh.isDir(v)
    if (op === '-e' || op === '-r' || op === '-x')
      return sh.readFile(v) !== undefined || sh.isDir(v)
    return false
  }
  const [a, op, b] = args as [string, string, string]
  const [x, y] = [Number(a), Number(b)]
  const cmp: Record<string, boolean> = {
    '=': a === b,
    '==': a === b,
    '!=': a !== b,
    '-eq': x === y,
    '-ne': x !== y,
    '-lt': x < y,
    '-le': x <= y,
    '-gt': x > y,
    '-ge': x >= y,
  }
  if (args.length > 3 && (args[3] === '-a' || args[3] === '-o')) {
    const left = test(args.slice(0, 3), sh)
    return args[3] === '-a' ? left && test(args.slice(4), sh) : left || test(args.slice(4), sh)
  }
  return cmp[op] ?? false
}

function date(sh: Shell, args: string[]): number {
  const format = args.find((a) => a.startsWith('+'))
  if (!format) return (sh.out('{date}\n'), 0)
  // A custom format is rendered now; only the plain form stays a placeholder.
  const d = new Date(sh.ctx.startedAt + sh.t)
  const p = (n: number) => String(n).padStart(2, '0')
  const parts: Record<string, string> = {
    Y: String(d.getUTCFullYear()),
    m: p(d.getUTCMonth() + 1),
    d: p(d.getUTCDate()),
    H: p(d.getUTCHours()),
    M: p(d.getUTCMinutes()),
    S: p(d.getUTCSeconds()),
    s: String(Math.floor(d.getTime() / 1000)),
    Z: 'UTC',
    z: '+0000',
    '%': '%',
  }
  parts.T = `${parts.H}:${parts.M}:${parts.S}`
  parts.F = `${parts.Y}-${parts.m}-${parts.d}`
  sh.out(`${format.slice(1).replace(/%([A-Za-z%])/g, (m, c: string) => parts[c] ?? m)}\n`)
  return 0
}

const ok: Builtin = () => 0
const { cat, ls, head, tail, grep, seq, wc } = TEXT_APPLETS

export const BUILTINS: Record<string, Builtin> = {
  echo,
  printf,
  sleep,
  cat,
  ls,
  grep,
  seq,
  date,
  head,
  tail,
  wc,
  true: ok,
  ':': ok,
  false: () => 1,
  exit: (sh, args) => sh.exit(args[0] === undefined ? sh.status : Number(args[0]) & 255),
  break: (sh, args) => sh.jump('break', Number(args[0] ?? 1) || 1),
  continue: (sh, args) => sh.jump('continue', Number(args[0] ?? 1) || 1),
  env: (sh, args) => {
    if (args.length > 0) return sh.run(args)
    sh.out(
      [...sh.exported]
        .filter((k) => sh.vars.has(k))
        .map((k) => `${k}=${sh.vars.get(k)}\n`)
        .join(''),
    )
    return 0
  },
  printenv: (sh, args) => {
    if (args.length === 0) return BUILTINS.env!(sh, [])
    const found = args.filter((k) => sh.exported.has(k) && sh.vars.has(k))
    sh.out(found.map((k) => `${sh.vars.get(k)}\n`).join(''))
    return found.length === args.length ? 0 : 1
  },
  export: (sh, args) => {
    for (const a of args) {
      const eq = a.indexOf('=')
      if (eq > 0) sh.setVar(a.slice(0, eq), a.slice(eq + 1))
      sh.exported.add(eq > 0 ? a.slice(0, eq) : a)
    }
    return 0
  },
  unset: (sh, args) => (args.forEach((k) => (sh.vars.delete(k), sh.exported.delete(k))), 0),
  set: (sh, args) => {
    for (const a of args)
      if (/^-[a-z]*e/.test(a)) sh.errexit = true
      else if (/^\+[a-z]*e/.test(a)) sh.errexit = false
    const dd = args.indexOf('--')
    if (dd >= 0) sh.positional = args.slice(dd + 1)
    return 0
  },
  shift: (sh, args) => ((sh.positional = sh.positional.slice(Number(args[0] ?? 1))), 0),
  cd: (sh, args) => {
    const dir = un(args[0] ?? '/root')
    if (!sh.isDir(dir))
      return (
        sh.shellError(`cd: can't cd to ${dir}: No such file or directory`),
        sh.dialect === 'bash' ? 1 : 2
      )
    sh.cwd = sh.resolve(dir)
    return 0
  },
  pwd: (sh) => (sh.out(`${sh.cwd}\n`), 0),
  hostname: (sh) => (sh.out(`${sh.ctx.hostname}\n`), 0),
  whoami: (sh) => (sh.out('root\n'), 0),
  id: (sh) => (sh.out('uid=0(root) gid=0(root) groups=0(root)\n'), 0),
  uname: (sh, args) => (
    sh.out(
      args.includes('-a')
        ? `Linux ${sh.ctx.hostname} 6.6.56+ #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n`
        : 'Linux\n',
    ),
    0
  ),
  touch: (sh, args) => (
    args.forEach((f) => sh.fs.has(sh.resolve(un(f))) || sh.fs.set(sh.resolve(un(f)), '')),
    0
  ),
  mkdir: (sh, args) => (
    args.filter((a) => !a.startsWith('-')).forEach((d) => sh.dirs.add(sh.resolve(un(d)))),
    0
  ),
  rm: (sh, args) => {
    const force = args.some((a) => /^-[a-z]*f/.test(a))
    let status = 0
    for (const f of args.filter((a) => !a.startsWith('-'))) {
      if (sh.fs.delete(sh.resolve(un(f))) || force) continue
      status = 1
      sh.err(
        gnu(sh)
          ? `rm: cannot remove '${f}': No such file or directory\n`
          : `rm: can't remove '${f}': No such file or directory\n`,
      )
    }
    return status
  },
  test: (sh, args) => +!test(args, sh),
  '[': (sh, args) => {
    if (args[args.length - 1] !== ']') return (sh.shellError('[: missing ]'), 2)
    return +!test(args.slice(0, -1), sh)
  },
  trap: ok,
  wait: ok,
  ulimit: ok,
}

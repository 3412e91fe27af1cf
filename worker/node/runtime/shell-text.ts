// The simulated shell's file and text applets: cat, ls, head, tail, grep,
// wc and seq, reading mounted files or what a pipe feeds them.
import type { Builtin } from './shell-builtins'
import type { Shell } from './shell-interp'

/** Template form back to text (see logs.ts escapeTemplate). */
export const un = (s: string) => s.replaceAll('{{', '{')
/** Debian images' GNU coreutils, rather than busybox: their messages differ. */
export const gnu = (sh: Shell) => sh.ctx.userland === 'bash'

function cat(sh: Shell, args: string[]): number {
  const files = args.filter((a) => a !== '-' && !/^-[a-zA-Z]+$/.test(a))
  if (files.length === 0) return (sh.out(sh.stdin ?? ''), 0)
  let status = 0
  for (const f of files) {
    const path = un(f)
    const content = sh.readFile(path)
    if (content !== undefined) sh.out(content)
    else if (sh.isDir(path))
      ((status = 1),
        sh.err(gnu(sh) ? `cat: ${path}: Is a directory\n` : 'cat: read error: Is a directory\n'))
    else
      ((status = 1),
        sh.err(
          gnu(sh)
            ? `cat: ${path}: No such file or directory\n`
            : `cat: can't open '${path}': No such file or directory\n`,
        ))
  }
  return status
}

function ls(sh: Shell, args: string[]): number {
  const paths = args.filter((a) => !a.startsWith('-')).map(un)
  if (paths.length === 0) paths.push('.')
  let status = 0
  const blocks: string[] = []
  for (const p of paths) {
    if (sh.readFile(p) !== undefined) blocks.push(`${p}\n`)
    else if (sh.isDir(p))
      blocks.push(
        (paths.length > 1 ? `${p}:\n` : '') +
          sh
            .list(p)
            .map((n) => `${n}\n`)
            .join(''),
      )
    else
      ((status = gnu(sh) ? 2 : 1),
        sh.err(
          gnu(sh)
            ? `ls: cannot access '${p}': No such file or directory\n`
            : `ls: ${p}: No such file or directory\n`,
        ))
  }
  sh.out(blocks.join(paths.length > 1 ? '\n' : ''))
  return status
}

/** The lines of the named file, or of stdin; undefined after reporting a missing file. */
function input(sh: Shell, cmd: string, file: string | undefined): string[] | undefined {
  const text = file === undefined ? (sh.stdin ?? '') : sh.readFile(un(file))
  if (text === undefined) {
    sh.err(
      gnu(sh)
        ? `${cmd}: cannot open '${file}' for reading: No such file or directory\n`
        : `${cmd}: can't open '${file}': No such file or directory\n`,
    )
    return undefined
  }
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function headTail(which: 'head' | 'tail'): Builtin {
  return (sh, args) => {
    let n = 10
    let follow = false
    const files: string[] = []
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!
      if (a === '-n') n = Number(args[++i] ?? 10)
      else if (/^-n?\d+$/.test(a)) n = Number(a.replace(/^-n?/, ''))
      else if (a === '-f' || a === '-F') follow = true
      else files.push(a)
    }
    const lines = input(sh, which, files[0])
    if (!lines) return 1
    const picked = which === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n))
    sh.out(picked.map((l) => `${l}\n`).join(''))
    if (follow) sh.forever()
    return 0
  }
}

function grep(sh: Shell, args: string[]): number {
  const flags = new Set<string>()
  const rest: string[] = []
  for (const a of args)
    if (/^-[ivqcE]+$/.test(a)) for (const f of a.slice(1)) flags.add(f)
    else rest.push(a)
  const [pattern = '', file] = rest
  let re: RegExp
  try {
    re = new RegExp(un(pattern), flags.has('i') ? 'i' : '')
  } catch {
    re = new RegExp(un(pattern).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  }
  const lines = input(sh, 'grep', file)
  if (!lines) return 2
  const hits = lines.filter((l) => re.test(un(l)) !== flags.has('v'))
  if (flags.has('c')) sh.out(`${hits.length}\n`)
  else if (!flags.has('q')) sh.out(hits.map((l) => `${l}\n`).join(''))
  return hits.length > 0 ? 0 : 1
}

function seq(sh: Shell, args: string[]): number {
  const n = args.map(Number)
  const [first, step, last] =
    n.length === 1 ? [1, 1, n[0]!] : n.length === 2 ? [n[0]!, 1, n[1]!] : [n[0]!, n[1]!, n[2]!]
  if (n.some(Number.isNaN) || step === 0) return (sh.err(`seq: invalid argument\n`), 1)
  const out: string[] = []
  for (let v = first; (step > 0 ? v <= last : v >= last) && out.length < 100_000; v += step)
    out.push(`${v}\n`)
  sh.out(out.join(''))
  return 0
}

function wc(sh: Shell, args: string[]): number {
  const lines = input(
    sh,
    'wc',
    args.find((a) => !a.startsWith('-')),
  )
  if (!lines) return 1
  sh.out(`${lines.length}\n`)
  return 0
}

export const TEXT_APPLETS = {
  cat,
  ls,
  head: headTail('head'),
  tail: headTail('tail'),
  grep,
  seq,
  wc,
} satisfies Record<string, Builtin>

// kubectl for the browser's terminal: one command line in, kubectl's output and
// exit code out, over fetch against the cluster's API (as kubectl 1.32 talks to
// it). Commands live one family per file; this file finds the command, parses
// its flags as cobra does and prints errors as kubectl's checkErr does.
import { FlagError, Flags, GLOBAL_FLAGS, parseFlags, ShellError, splitWords } from './args'
import { commands, rootHelp } from './commands'
import { type Command, makeCtx } from './context'
import { CmdError, formatError } from './errors'
import type { KubectlEnv, KubectlIO, KubectlOptions } from './types'

export type { KubectlEnv, KubectlIO, KubectlOptions } from './types'
export { complete } from './complete'
export { applyManifest } from './apply'

/** Levenshtein distance, for cobra's "Did you mean this?". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
  return d[a.length]![b.length]!
}

function unknownCommand(name: string, list: Command[], parent: string): string {
  const typed = name.toLowerCase()
  const suggestions = list.filter((c) => distance(typed, c.name.toLowerCase()) <= 2 || c.name.toLowerCase().startsWith(typed)).map((c) => c.name)
  let msg = `error: unknown command ${JSON.stringify(name)} for ${JSON.stringify(parent)}`
  if (suggestions.length) msg += `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}`
  return msg.endsWith('\n') ? msg : msg + '\n'
}

/** Index of the first word that is not a flag or a flag's value (global flags may come first). */
function firstCommandWord(words: string[]): number {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (!w.startsWith('-') || w === '-') return i
    if (w.includes('=')) continue
    const spec = w.startsWith('--') ? GLOBAL_FLAGS.find((f) => f.name === w.slice(2)) : GLOBAL_FLAGS.find((f) => f.short === w.slice(-1))
    if (spec && spec.type !== 'bool' && !(w.length > 2 && !w.startsWith('--'))) i++
  }
  return words.length
}

/**
 * Runs one command line (shell-like quoting; a leading `kubectl` is optional).
 * Resolves to the exit code. `signal` aborts -w / -f (Ctrl-C).
 */
export async function kubectl(line: string, env: KubectlEnv, io: KubectlIO, opts: KubectlOptions = {}): Promise<number> {
  let words: string[]
  try {
    words = splitWords(line)
  } catch (err) {
    if (err instanceof ShellError) {
      io.err(`error: ${err.message}\n`)
      return 1
    }
    throw err
  }
  if (words[0] === 'kubectl') words = words.slice(1)
  if (!words.length) {
    io.out(rootHelp())
    return 0
  }
  const at = firstCommandWord(words)
  if (at >= words.length) {
    io.out(rootHelp())
    return 0
  }
  const name = words[at]!
  if (name === 'help') {
    const target = words[at + 1] ? commands.find((c) => c.name === words[at + 1] || c.aliases?.includes(words[at + 1]!)) : undefined
    if (words[at + 1] && !target) {
      io.out(`Unknown help topic [\`${words[at + 1]}\`]\n${rootHelp()}`)
      return 0
    }
    io.out(target ? helpFor(target, `kubectl ${target.name}`) : rootHelp())
    return 0
  }
  if (name === 'options') {
    io.out(optionsHelp())
    return 0
  }
  const found = commands.find((c) => c.name === name || c.aliases?.includes(name))
  if (!found) {
    io.err(unknownCommand(name, commands, 'kubectl'))
    return 1
  }
  let cmd: Command = found
  let path = `kubectl ${cmd.name}`
  let rest = [...words.slice(0, at), ...words.slice(at + 1)]
  // Subcommands (create deployment, rollout status, set image, auth can-i, config view, top nodes).
  while (cmd.subcommands?.length) {
    const i = rest.findIndex((w, j) => !w.startsWith('-') && (j === 0 || !isValueOf(rest, j)))
    const sub: Command | undefined = i >= 0 ? cmd.subcommands.find((c) => c.name === rest[i] || c.aliases?.includes(rest[i]!)) : undefined
    if (!sub) break
    cmd = sub
    path += ` ${sub.name}`
    rest = [...rest.slice(0, i), ...rest.slice(i + 1)]
  }
  let ns: string | undefined
  if (cmd.unavailable) {
    // Say what this terminal cannot do, whatever flags came with it.
    const { text, code } = formatError(await cmd.run!(makeCtx(env, io, opts, undefined, path), [], new Flags([])).then(() => undefined, (e: unknown) => e))
    io.err(text)
    return code
  }
  try {
    const { args, flags } = parseFlags(rest, cmd.flags ?? [], path)
    if (flags.bool('help')) {
      io.out(helpFor(cmd, path))
      return 0
    }
    ns = flags.string('namespace') || undefined
    if (!cmd.run) {
      if (args.length) {
        io.err(`error: unknown command ${JSON.stringify(args[0])}\nSee '${path} -h' for help and examples\n`)
        return 1
      }
      io.out(helpFor(cmd, path))
      return 0
    }
    const ctx = makeCtx(env, io, opts, ns, path)
    const code = await cmd.run(ctx, args, flags)
    return typeof code === 'number' ? code : 0
  } catch (err) {
    if (err instanceof FlagError || err instanceof CmdError || !(err instanceof Error) || err.name !== 'AbortError') {
      const { text, code } = formatError(err)
      io.err(text)
      return code
    }
    return 1
  }
}

/** Whether words[j] is the value of the flag before it (`-n kube-system`). */
function isValueOf(words: string[], j: number): boolean {
  const prev = words[j - 1]
  if (!prev || !prev.startsWith('-') || prev.includes('=')) return false
  const spec = prev.startsWith('--') ? GLOBAL_FLAGS.find((f) => f.name === prev.slice(2)) : GLOBAL_FLAGS.find((f) => f.short === prev.slice(1))
  return !!spec && spec.type !== 'bool'
}

function helpFor(cmd: Command, path: string): string {
  let s = `${cmd.short}.\n`
  if (cmd.subcommands?.length) {
    s += '\nAvailable Commands:\n'
    const width = Math.max(...cmd.subcommands.map((c) => c.name.length)) + 2
    for (const c of cmd.subcommands) s += `  ${c.name.padEnd(width)}${c.short}\n`
  }
  if (cmd.flags?.length) {
    s += '\nOptions:\n'
    for (const f of cmd.flags) s += `    ${f.short ? `-${f.short}, ` : ''}--${f.name}${f.type === 'bool' ? '' : '=' + (f.default !== undefined ? JSON.stringify(f.default) : "''")}\n`
  }
  s += `\nUsage:\n  ${cmd.usage ?? `${path} [options]`}\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`
  return s
}

function optionsHelp(): string {
  return (
    'The following options can be passed to any command:\n\n' +
    GLOBAL_FLAGS.filter((f) => f.name !== 'help')
      .map((f) => `    ${f.short ? `-${f.short}, ` : ''}--${f.name}${f.type === 'bool' ? '=false' : `='${f.default ?? ''}'`}\n`)
      .join('') +
    '\nIn this browser terminal the connection options are fixed by the sign-in; they are accepted and ignored.\n'
  )
}

export { helpFor }

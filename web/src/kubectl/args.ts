// The command line: shell-like word splitting, then flags parsed as cobra's
// pflag parses them (`--f=v`, `--f v`, `-n v`, `-nv`, combined boolean
// shorthands `-Aw`, `--` ends flags, flags anywhere among the arguments).
import { CmdError } from './errors'

export class ShellError extends Error {}

/**
 * Splits a command line into words as a POSIX shell would for simple commands:
 * single quotes are literal, double quotes keep spaces and honour \" \\ \$ \`,
 * a backslash outside quotes escapes the next character. Pipes, redirections and
 * command lists are refused rather than passed on as arguments.
 */
export function splitWords(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < line.length) {
    const c = line[i]!
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new ShellError('unterminated quoted string')
      word += line.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      let closed = false
      while (i < line.length) {
        const d = line[i]!
        if (d === '"') {
          closed = true
          i++
          break
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) {
          word += line[i + 1]
          i += 2
          continue
        }
        word += d
        i++
      }
      if (!closed) throw new ShellError('unterminated quoted string')
      inWord = true
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[i + 1]
      inWord = true
      i += 2
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else if (c === '|' || c === ';' || c === '<' || c === '>' || (c === '&' && line[i + 1] === '&')) {
      throw new ShellError(`'${c}' is not supported here: this terminal runs one kubectl command`)
    } else if (c === '#' && !inWord) {
      break
    } else {
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}

export type FlagType = 'bool' | 'string' | 'int' | 'strings' | 'stringArray'

export interface FlagSpec {
  name: string
  short?: string
  type: FlagType
  default?: string | number | boolean | string[]
  /** A bool flag given without a value takes this (pflag's NoOptDefVal), e.g. --dry-run → "unchanged". */
  noOptDefault?: string
}

export type FlagValue = string | number | boolean | string[]

export class Flags {
  /** How many positional arguments came before "--" (cobra's ArgsLenAtDash), or -1. */
  argsLenAtDash = -1
  readonly #values = new Map<string, FlagValue>()
  readonly #set = new Set<string>()
  constructor(readonly specs: FlagSpec[]) {
    for (const s of specs) if (s.default !== undefined) this.#values.set(s.name, s.default)
  }
  set(name: string, v: FlagValue) {
    this.#values.set(name, v)
    this.#set.add(name)
  }
  /** Whether the flag was given on the command line (cobra's Changed). */
  changed(name: string): boolean {
    return this.#set.has(name)
  }
  string(name: string): string {
    const v = this.#values.get(name)
    return typeof v === 'string' ? v : v === undefined ? '' : String(v)
  }
  bool(name: string): boolean {
    return this.#values.get(name) === true
  }
  int(name: string): number {
    const v = this.#values.get(name)
    return typeof v === 'number' ? v : 0
  }
  strings(name: string): string[] {
    const v = this.#values.get(name)
    return Array.isArray(v) ? v : []
  }
}

/** Flags every kubectl command accepts (the kubeconfig and transport ones are accepted and ignored). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'context', type: 'string' },
  { name: 'cluster', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'request-timeout', type: 'string', default: '0' },
  { name: 'v', short: 'v', type: 'string' },
  { name: 'warnings-as-errors', type: 'bool' },
  { name: 'match-server-version', type: 'bool' },
  { name: 'insecure-skip-tls-verify', type: 'bool' },
  { name: 'disable-compression', type: 'bool' },
  { name: 'help', short: 'h', type: 'bool' },
]

/** pflag's parse error for a command, as kubectl prints it. */
export class FlagError extends CmdError {
  constructor(message: string, command: string) {
    super(`${message}\nSee '${command} --help' for usage.`)
  }
}

function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false
  return undefined
}

function assign(flags: Flags, spec: FlagSpec, raw: string, shown: string) {
  switch (spec.type) {
    case 'bool': {
      const b = parseBool(raw)
      if (b === undefined) throw new CmdError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`)
      flags.set(spec.name, b)
      return
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw new CmdError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`)
      flags.set(spec.name, Number(raw))
      return
    }
    case 'strings': {
      // pflag's StringSlice: comma-separated, repeatable.
      const prev = flags.changed(spec.name) ? flags.strings(spec.name) : []
      flags.set(spec.name, [...prev, ...(raw === '' ? [] : raw.split(','))])
      return
    }
    case 'stringArray': {
      const prev = flags.changed(spec.name) ? flags.strings(spec.name) : []
      flags.set(spec.name, [...prev, raw])
      return
    }
    default:
      flags.set(spec.name, raw)
  }
}

/**
 * Parses words against the command's flags (plus the global ones). Returns the
 * positional arguments and the flags; throws FlagError as pflag words it.
 */
export function parseFlags(words: string[], specs: FlagSpec[], command: string): { args: string[]; flags: Flags } {
  const all = [...specs, ...GLOBAL_FLAGS.filter((g) => !specs.some((s) => s.name === g.name || (g.short && s.short === g.short)))]
  const flags = new Flags(all)
  const args: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (w === '--') {
      flags.argsLenAtDash = args.length
      args.push(...words.slice(i + 1))
      break
    }
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=')
      const name = eq >= 0 ? w.slice(2, eq) : w.slice(2)
      const spec = all.find((s) => s.name === name)
      if (!spec) throw new FlagError(`unknown flag: --${name}`, command)
      if (eq >= 0) assign(flags, spec, w.slice(eq + 1), `--${name}`)
      else if (spec.type === 'bool') flags.set(spec.name, true)
      else if (spec.noOptDefault !== undefined) flags.set(spec.name, spec.noOptDefault)
      else {
        if (i + 1 >= words.length) throw new FlagError(`flag needs an argument: --${name}`, command)
        assign(flags, spec, words[++i]!, `--${name}`)
      }
      continue
    }
    if (w.startsWith('-') && w.length > 1) {
      // A run of shorthands: each bool takes no value; the first non-bool takes the rest or the next word.
      let j = 1
      while (j < w.length) {
        const c = w[j]!
        const spec = all.find((s) => s.short === c)
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${w}`, command)
        const rest = w.slice(j + 1)
        if (spec.type === 'bool') {
          if (rest.startsWith('=')) {
            assign(flags, spec, rest.slice(1), `-${c}, --${spec.name}`)
            break
          }
          flags.set(spec.name, true)
          j++
          continue
        }
        if (rest.length > 0) assign(flags, spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${c}, --${spec.name}`)
        else if (spec.noOptDefault !== undefined) flags.set(spec.name, spec.noOptDefault)
        else {
          if (i + 1 >= words.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`, command)
          assign(flags, spec, words[++i]!, `-${c}, --${spec.name}`)
        }
        break
      }
      continue
    }
    args.push(w)
  }
  return { args, flags }
}

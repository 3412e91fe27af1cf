// The simulated shell's parser: POSIX sh's grammar, cut down to what
// container commands use (lists, && / ||, pipes, redirections, while / until /
// for / if, { } and ( ) groups). Words stay raw here; the interpreter expands
// them, so quoting is handled in one place.

export type Token =
  | { kind: 'word'; raw: string; line: number }
  | { kind: 'op'; op: string; line: number }

export interface Redir {
  fd: number
  /** '>', '>>', '<', or '>&' (dup onto the fd named by target). */
  op: string
  target: string
}

export type Command =
  | { kind: 'simple'; assigns: [string, string][]; words: string[]; redirs: Redir[]; line: number }
  | { kind: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { kind: 'for'; name: string; words: string[] | undefined; body: List; redirs: Redir[] }
  | { kind: 'if'; clauses: [List, List][]; otherwise?: List; redirs: Redir[] }
  | { kind: 'group'; body: List; subshell: boolean; redirs: Redir[] }

export interface Pipeline {
  bang: boolean
  cmds: Command[]
}
export interface AndOr {
  first: Pipeline
  rest: { op: '&&' | '||'; pipeline: Pipeline }[]
}
export type List = AndOr[]

export class ShellSyntaxError extends Error {}

const OPS = ['&&', '||', ';;', '>>', '>&', ';', '&', '|', '(', ')', '<', '>', '\n']

/** Splits a script into words and operators, keeping each word's quotes for expansion. */
export function tokenize(src: string): Token[] {
  const out: Token[] = []
  let line = 1
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (c === ' ' || c === '\t' || c === '\r') i++
    else if (c === '\\' && src[i + 1] === '\n') ((i += 2), line++)
    else if (c === '#') while (i < src.length && src[i] !== '\n') i++
    else {
      // An fd number glued to a redirection, as in 2>&1 or 2>/dev/null.
      const fd = /^(\d)(?=[<>])/.exec(src.slice(i, i + 2))
      const at = fd ? i + 1 : i
      const op = OPS.find((o) => src.startsWith(o, at))
      if (op) {
        out.push({ kind: 'op', op: fd ? fd[1] + op : op, line })
        if (op === '\n') line++
        i = at + op.length
        continue
      }
      const start = i
      i = scanWord(src, i)
      const raw = src.slice(start, i)
      out.push({ kind: 'word', raw, line })
      line += raw.split('\n').length - 1
    }
  }
  return out
}

/** The end of the word that starts at i: up to unquoted blank or operator, past quotes and $( ). */
function scanWord(src: string, i: number): number {
  while (i < src.length) {
    const c = src[i]!
    if (' \t\r\n;&|()<>'.includes(c)) return i
    i = skipQuoted(src, i)
  }
  return i
}

/** Skips one character, or one quoted / substituted unit starting at i. */
export function skipQuoted(src: string, i: number): number {
  const c = src[i]!
  if (c === '\\') return i + 2
  if (c === "'") {
    const end = src.indexOf("'", i + 1)
    if (end < 0) throw new ShellSyntaxError('unterminated quoted string')
    return end + 1
  }
  if (c === '"' || c === '`') {
    let j = i + 1
    while (j < src.length && src[j] !== c)
      j = src[j] === '\\' ? j + 2 : c === '"' && src[j] === '$' ? skipDollar(src, j) : j + 1
    if (j >= src.length) throw new ShellSyntaxError('unterminated quoted string')
    return j + 1
  }
  if (c === '$') return skipDollar(src, i)
  return i + 1
}

/** Skips $(…), $((…)) and ${…}, which may hold blanks and quotes. */
function skipDollar(src: string, i: number): number {
  const open = src[i + 1]
  if (open !== '(' && open !== '{') return i + 1
  const close = open === '(' ? ')' : '}'
  let depth = 0
  let j = i + 1
  while (j < src.length) {
    const c = src[j]!
    if (c === open) depth++
    else if (c === close && --depth === 0) return j + 1
    if (c === "'" || c === '"' || c === '\\' || c === '`') j = skipQuoted(src, j)
    else j++
  }
  throw new ShellSyntaxError(`missing '${close}'`)
}

const RESERVED_END = new Set(['done', 'fi', 'then', 'else', 'elif', 'do', '}'])

/** Parses a whole script. */
export function parse(src: string): List {
  const p = new Parser(tokenize(src))
  const list = p.list()
  const t = p.peek()
  if (t)
    throw new ShellSyntaxError(
      `syntax error: unexpected "${t.kind === 'word' ? t.raw : t.op.replace('\n', 'newline')}"`,
    )
  return list
}

class Parser {
  #i = 0
  constructor(readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.#i]
  }
  #isWord(raw: string): boolean {
    const t = this.peek()
    return t?.kind === 'word' && t.raw === raw
  }
  #isOp(op: string): boolean {
    const t = this.peek()
    return t?.kind === 'op' && t.op === op
  }
  #skipNewlines(): void {
    while (this.#isOp('\n') || this.#isOp(';')) this.#i++
  }
  #expectWord(raw: string): void {
    this.#skipNewlines()
    if (!this.#isWord(raw)) {
      const t = this.peek()
      const got = !t
        ? 'end of file'
        : t.kind === 'word'
          ? `"${t.raw}"`
          : `"${t.op.replace('\n', 'newline')}"`
      throw new ShellSyntaxError(`syntax error: unexpected ${got} (expecting "${raw}")`)
    }
    this.#i++
  }

  list(): List {
    const out: List = []
    for (;;) {
      this.#skipNewlines()
      const t = this.peek()
      if (!t || (t.kind === 'op' && t.op === ')') || (t.kind === 'word' && RESERVED_END.has(t.raw)))
        return out
      out.push(this.#andOr())
      if (this.#isOp('&')) this.#i++
    }
  }

  #andOr(): AndOr {
    const node: AndOr = { first: this.#pipeline(), rest: [] }
    while (this.#isOp('&&') || this.#isOp('||')) {
      const op = (this.tokens[this.#i++] as { op: '&&' | '||' }).op
      while (this.#isOp('\n')) this.#i++
      node.rest.push({ op, pipeline: this.#pipeline() })
    }
    return node
  }

  #pipeline(): Pipeline {
    const bang = this.#isWord('!')
    if (bang) this.#i++
    const cmds = [this.#command()]
    while (this.#isOp('|')) {
      this.#i++
      while (this.#isOp('\n')) this.#i++
      cmds.push(this.#command())
    }
    return { bang, cmds }
  }

  #command(): Command {
    const t = this.peek()
    if (!t) throw new ShellSyntaxError('syntax error: unexpected end of file')
    let cmd: Command | undefined
    if (t.kind === 'word' && (t.raw === 'while' || t.raw === 'until')) {
      this.#i++
      const cond = this.list()
      this.#expectWord('do')
      const body = this.list()
      this.#expectWord('done')
      cmd = { kind: 'loop', until: t.raw === 'until', cond, body, redirs: [] }
    } else if (t.kind === 'word' && t.raw === 'for') {
      this.#i++
      const name = this.peek()
      if (name?.kind !== 'word') throw new ShellSyntaxError('syntax error: bad for loop variable')
      this.#i++
      let words: string[] | undefined
      while (this.#isOp('\n')) this.#i++
      if (this.#isWord('in')) {
        this.#i++
        words = []
        for (let w = this.peek(); w?.kind === 'word'; w = this.peek())
          (words.push(w.raw), this.#i++)
      }
      this.#expectWord('do')
      const body = this.list()
      this.#expectWord('done')
      cmd = { kind: 'for', name: name.raw, words, body, redirs: [] }
    } else if (t.kind === 'word' && t.raw === 'if') {
      this.#i++
      const clauses: [List, List][] = []
      let otherwise: List | undefined
      for (;;) {
        const cond = this.list()
        this.#expectWord('then')
        clauses.push([cond, this.list()])
        if (this.#isWord('elif')) (this.#i++, 0)
        else break
      }
      if (this.#isWord('else')) (this.#i++, (otherwise = this.list()))
      this.#expectWord('fi')
      cmd = { kind: 'if', clauses, otherwise, redirs: [] }
    } else if ((t.kind === 'word' && t.raw === '{') || (t.kind === 'op' && t.op === '(')) {
      this.#i++
      const subshell = t.kind === 'op'
      const body = this.list()
      if (subshell) {
        if (!this.#isOp(')')) throw new ShellSyntaxError('syntax error: missing ")"')
        this.#i++
      } else this.#expectWord('}')
      cmd = { kind: 'group', body, subshell, redirs: [] }
    }
    if (cmd) {
      cmd.redirs = this.#redirs()
      return cmd
    }
    return this.#simple(t.line)
  }

  #redirs(): Redir[] {
    const out: Redir[] = []
    for (let r = this.#redir(); r; r = this.#redir()) out.push(r)
    return out
  }

  #redir(): Redir | undefined {
    const t = this.peek()
    if (t?.kind !== 'op') return undefined
    const m = /^(\d?)(>>|>&|>|<)$/.exec(t.op)
    if (!m) return undefined
    this.#i++
    const target = this.peek()
    if (target?.kind !== 'word') throw new ShellSyntaxError('syntax error: unexpected redirection')
    this.#i++
    return { fd: m[1] ? Number(m[1]) : m[2] === '<' ? 0 : 1, op: m[2]!, target: target.raw }
  }

  #simple(line: number): Command {
    const cmd = {
      kind: 'simple' as const,
      assigns: [] as [string, string][],
      words: [] as string[],
      redirs: [] as Redir[],
      line,
    }
    for (;;) {
      const r = this.#redir()
      if (r) {
        cmd.redirs.push(r)
        continue
      }
      const t = this.peek()
      if (t?.kind !== 'word') break
      const assign = cmd.words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.raw) : null
      if (assign) cmd.assigns.push([assign[1]!, t.raw.slice(assign[0].length)])
      else cmd.words.push(t.raw)
      this.#i++
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) {
      const t = this.peek()
      throw new ShellSyntaxError(
        `syntax error: unexpected "${t?.kind === 'op' ? t.op.replace('\n', 'newline') : 'end of file'}"`,
      )
    }
    return cmd
  }
}

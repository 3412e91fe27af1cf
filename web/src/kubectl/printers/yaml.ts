// YAML as kubectl prints it: sigs.k8s.io/yaml turns the object's JSON into
// go-yaml v2 output. This emitter follows libyaml's block style for JSON data:
// keys sorted in go-yaml's order, sequences not indented under their key, empty
// collections as {} and [], strings plain when they read back as strings,
// otherwise double-quoted ("true", "123", timestamps), single-quoted when plain
// is not allowed ('*', 'a: b'), literal blocks for multi-line text, and long
// lines folded at spaces past column 80.

const BEST_INDENT = 2
const BEST_WIDTH = 80

type Style = 'plain' | 'single' | 'double' | 'literal'

const isLetter = (c: string) => /\p{L}/u.test(c)
const isDigit = (c: string) => c >= '0' && c <= '9'

/** go-yaml v2's key order: letters by code point, non-letters first, digit runs by value. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = isLetter(ar[i]!)
    const bl = isLetter(br[i]!)
    if (al && bl) return ar[i]! < br[i]!
    if (al || bl) return bl
    let an = 0
    let bn = 0
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1
          bn = 1
          break
        }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai])
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi])
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return ar[i]! < br[i]!
  }
  return ar.length < br.length
}

const yamlKeyCompare = (a: string, b: string) => (a === b ? 0 : yamlKeyLess(a, b) ? -1 : 1)

const BOOL_NULL = new Set(
  ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']
    .concat(['', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<']),
)
const TIMESTAMP = [
  /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/,
  /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d{1,9})?$/,
  /^\d{4}-\d{1,2}-\d{1,2}$/,
]
const GO_INT = /^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/

/** Whether go-yaml would read the unquoted text back as something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (BOOL_NULL.has(s)) return true
  const c = s[0]
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)
  if (c === '+' || c === '-' || (c !== undefined && isDigit(c))) {
    if (TIMESTAMP.some((r) => r.test(s))) return true
    const plain = s.replace(/_/g, '')
    if (GO_INT.test(plain) || YAML_FLOAT.test(plain) || /^-0[bB][01]+$/.test(plain)) return true
  }
  return BASE60_FLOAT.test(s)
}

/** A JSON number as go-yaml prints it: integers as ints, others as FormatFloat(f, 'g', -1, 64). */
export function goFloat(f: number): string {
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return String(f)
  if (!Number.isFinite(f)) return Number.isNaN(f) ? '.nan' : f > 0 ? '.inf' : '-.inf'
  const exp = Number(f.toExponential().split('e')[1])
  if (exp < -4 || exp >= 6) {
    const [m, e] = f.toExponential().split('e') as [string, string]
    const n = Number(e)
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`
  }
  return String(f)
}

const printable = (cp: number) =>
  cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
const isBreak = (c: string | undefined) => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029'
const isBlank = (c: string | undefined) => c === ' ' || c === '\t'

interface Analysis {
  multiline: boolean
  blockPlain: boolean
  single: boolean
  block: boolean
}

function analyze(value: string): Analysis {
  if (!value.length) return { multiline: false, blockPlain: true, single: true, block: false }
  const chars = [...value]
  let blockIndicators = value.startsWith('---') || value.startsWith('...')
  let lineBreaks = false
  let special = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let precededByWhitespace = true
  let previousSpace = false
  let previousBreak = false
  chars.forEach((c, i) => {
    const next = chars[i + 1]
    const followedByWhitespace = next === undefined || isBlank(next)
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true
    } else if (c === ':' && followedByWhitespace) blockIndicators = true
    else if (c === '#' && precededByWhitespace) blockIndicators = true
    if (!printable(c.codePointAt(0)!)) special = true
    if (c === ' ') {
      if (i === 0) leadingSpace = true
      if (i === chars.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(c)) {
      lineBreaks = true
      if (i === 0) leadingBreak = true
      if (i === chars.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = isBlank(c) || isBreak(c)
  })
  const a: Analysis = { multiline: lineBreaks, blockPlain: true, single: true, block: true }
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false
  if (trailingSpace) a.block = false
  if (breakSpace) a.blockPlain = a.single = false
  if (spaceBreak || special) a.blockPlain = a.single = a.block = false
  if (lineBreaks) a.blockPlain = false
  if (blockIndicators) a.blockPlain = false
  return a
}

const ESCAPES: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' }

class Emitter {
  out = ''
  column = 0
  indent = -1
  indents: number[] = []
  whitespace = true
  indention = true
  flowLevel = 0

  put(s: string) {
    this.out += s
    this.column += [...s].length
  }
  putBreak() {
    this.out += '\n'
    this.column = 0
  }
  increaseIndent(flow: boolean, indentless: boolean) {
    this.indents.push(this.indent)
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0
    else if (!indentless) this.indent += BEST_INDENT
  }
  popIndent() {
    this.indent = this.indents.pop()!
  }
  writeIndent() {
    const indent = Math.max(this.indent, 0)
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak()
    while (this.column < indent) this.put(' ')
    this.whitespace = true
    this.indention = true
  }
  indicator(s: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean) {
    if (needWhitespace && !this.whitespace) this.put(' ')
    this.put(s)
    this.whitespace = isWhitespace
    this.indention = this.indention && isIndention
  }

  node(v: unknown, ctx: { mapping: boolean; simpleKey: boolean }) {
    if (Array.isArray(v)) {
      if (!v.length || this.flowLevel > 0) return this.flow('[', ']')
      this.increaseIndent(false, ctx.mapping && !this.indention)
      for (const item of v) {
        this.writeIndent()
        this.indicator('-', true, false, true)
        this.node(item, { mapping: false, simpleKey: false })
      }
      this.popIndent()
      return
    }
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v as object).sort(yamlKeyCompare)
      if (!keys.length || this.flowLevel > 0) return this.flow('{', '}')
      this.increaseIndent(false, false)
      for (const k of keys) {
        this.writeIndent()
        this.scalar(k, true)
        this.indicator(':', false, false, false)
        this.node((v as Record<string, unknown>)[k], { mapping: true, simpleKey: false })
      }
      this.popIndent()
      return
    }
    this.scalar(v, ctx.simpleKey)
  }

  flow(open: string, close: string) {
    this.indicator(open, true, true, false)
    this.indicator(close, false, false, false)
  }

  scalar(v: unknown, simpleKey: boolean) {
    let text: string
    let style: Style = 'plain'
    if (v === null || v === undefined) text = 'null'
    else if (typeof v === 'boolean') text = String(v)
    else if (typeof v === 'number') text = goFloat(v)
    else {
      text = String(v)
      if (text.includes('\n')) style = 'literal'
      else if (resolvesToNonString(text)) style = 'double'
    }
    const a = analyze(text)
    if (simpleKey && a.multiline) style = 'double'
    if (style === 'plain' && !a.blockPlain) style = 'single'
    if (style === 'plain' && !text.length && simpleKey) style = 'single'
    if (style === 'single' && !a.single) style = 'double'
    if (style === 'literal' && (!a.block || simpleKey)) style = 'double'
    this.increaseIndent(true, false)
    const breaks = !simpleKey
    if (style === 'plain') this.plain(text, breaks)
    else if (style === 'single') this.single(text, breaks)
    else if (style === 'double') this.double(text, breaks)
    else this.literal(text)
    this.popIndent()
  }

  plain(value: string, allowBreaks: boolean) {
    if (!this.whitespace) this.put(' ')
    const chars = [...value]
    let spaces = false
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent()
        else this.put(c)
        spaces = true
      } else {
        this.put(c)
        this.indention = false
        spaces = false
      }
    }
    this.whitespace = false
    this.indention = false
  }

  single(value: string, allowBreaks: boolean) {
    this.indicator("'", true, false, false)
    const chars = [...value]
    let spaces = false
    let breaks = false
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') this.writeIndent()
        else this.put(c)
        spaces = true
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak()
        this.putBreak()
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.put(c === "'" ? "''" : c)
        this.indention = false
        spaces = false
        breaks = false
      }
    }
    this.indicator("'", false, false, false)
    this.whitespace = false
    this.indention = false
  }

  double(value: string, allowBreaks: boolean) {
    this.indicator('"', true, false, false)
    const chars = [...value]
    let spaces = false
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!
      const cp = c.codePointAt(0)!
      if (!printable(cp) || isBreak(c) || c === '"' || c === '\\' || (i === 0 && cp === 0xfeff)) {
        let esc = ESCAPES[cp]
        if (esc === undefined) {
          const hex = cp.toString(16).toUpperCase()
          esc = cp <= 0xff ? `x${hex.padStart(2, '0')}` : cp <= 0xffff ? `u${hex.padStart(4, '0')}` : `U${hex.padStart(8, '0')}`
        }
        this.put(`\\${esc}`)
        spaces = false
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent()
          if (chars[i + 1] === ' ') this.put('\\')
        } else this.put(c)
        spaces = true
      } else {
        this.put(c)
        spaces = false
      }
    }
    this.indicator('"', false, false, false)
    this.whitespace = false
    this.indention = false
  }

  literal(value: string) {
    this.indicator('|', true, false, false)
    const chars = [...value]
    if (chars[0] === ' ' || isBreak(chars[0])) this.indicator(String(BEST_INDENT), false, false, false)
    const last = chars[chars.length - 1]
    let chomp = ''
    if (!isBreak(last)) chomp = '-'
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) chomp = '+'
    if (chomp) this.indicator(chomp, false, false, false)
    this.putBreak()
    this.indention = true
    this.whitespace = true
    let breaks = true
    for (const c of chars) {
      if (isBreak(c)) {
        this.putBreak()
        this.indention = true
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.put(c)
        this.indention = false
        breaks = false
      }
    }
  }
}

/** One YAML document of a JSON value, as `kubectl get -o yaml` prints it. */
export function toYaml(value: unknown): string {
  const e = new Emitter()
  e.node(value, { mapping: false, simpleKey: false })
  // Document end: a final line break unless the output already ends with one.
  if (e.column > 0 || !(e.indention && e.whitespace)) e.putBreak()
  return e.out
}

// kubectl's JSONPath templates (client-go util/jsonpath): text and {actions}
// with fields, [*], [i], [a:b:c], unions [a,b], ['key'], filters [?(@.x=="y")],
// recursive descent .., {range}…{end}; several results of one action joined
// by spaces, maps and lists as compact JSON. Missing keys print nothing.
import { toCompactJson } from './json'

type Value = unknown
interface Param {
  known: boolean
  value: number
  derived?: boolean
}
type Node =
  | { t: 'text'; text: string }
  | { t: 'list'; nodes: Node[] }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'filter'; left: Node[]; right: Node[]; op: string }
  | { t: 'int' | 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'wildcard' | 'recursive' }
  | { t: 'union'; lists: Node[][] }
  | { t: 'identifier'; name: string }

export class JsonPathError extends Error {}

const isTerminator = (r: string | undefined) => r === undefined || ' \t\r\n.,[]$@{}'.includes(r)
const isAlphaNumeric = (r: string | undefined) => r !== undefined && (r === '_' || /[\p{L}\p{Nd}]/u.test(r))

class Parser {
  pos = 0
  start = 0
  root: Node[] = []
  constructor(readonly input: string) {}

  parse(): Node[] {
    this.parseText(this.root)
    return this.root
  }
  next(): string | undefined {
    if (this.pos >= this.input.length) return undefined
    return this.input[this.pos++]
  }
  consume(): string {
    const v = this.input.slice(this.start, this.pos)
    this.start = this.pos
    return v
  }
  parseText(cur: Node[]) {
    while (this.pos < this.input.length) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.push({ t: 'text', text: this.consume() })
        this.pos++
        this.consume()
        const list: Node[] = []
        cur.push({ t: 'list', nodes: list })
        this.inside(list)
        return
      }
      this.pos++
    }
    if (this.pos > this.start) cur.push({ t: 'text', text: this.consume() })
  }
  inside(cur: Node[]): void {
    for (;;) {
      const rest = this.input.slice(this.pos)
      if (rest.startsWith('}')) {
        this.pos++
        this.consume()
        return this.parseText(this.root)
      }
      if (rest.startsWith('[?(')) {
        this.filter(cur)
        continue
      }
      if (rest.startsWith('..')) {
        if (cur[cur.length - 1]?.t === 'recursive') throw new JsonPathError('invalid multiple recursive descent')
        this.pos += 2
        this.consume()
        cur.push({ t: 'recursive' })
        if (isAlphaNumeric(this.input[this.pos])) this.field(cur)
        continue
      }
      const r = this.next()
      if (r === undefined || r === '\r' || r === '\n') throw new JsonPathError('unclosed action')
      if (r === ' ' || r === '@' || r === '$') this.consume()
      else if (r === '[') this.array(cur)
      else if (r === '"' || r === "'") this.quote(cur, r)
      else if (r === '.') this.field(cur)
      else if (r === '+' || r === '-' || /\d/.test(r)) {
        this.pos--
        this.number(cur)
      } else if (isAlphaNumeric(r)) {
        this.pos--
        while (!isTerminator(this.input[this.pos])) this.pos++
        const v = this.consume()
        cur.push(v === 'true' || v === 'false' ? { t: 'bool', v: v === 'true' } : { t: 'identifier', name: v })
      } else throw new JsonPathError(`unrecognized character in action: U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${r}'`)
    }
  }
  number(cur: Node[]) {
    if (this.input[this.pos] === '+' || this.input[this.pos] === '-') this.pos++
    while (/[\d.]/.test(this.input[this.pos] ?? '')) this.pos++
    const v = this.consume()
    if (/^[+-]?\d+$/.test(v)) cur.push({ t: 'int', v: Number(v) })
    else if (!Number.isNaN(Number(v))) cur.push({ t: 'float', v: Number(v) })
    else throw new JsonPathError(`cannot parse number ${v}`)
  }
  field(cur: Node[]) {
    this.consume()
    while (this.pos < this.input.length) {
      const r = this.input[this.pos]!
      if (r === '\\') this.pos += 2
      else if (isTerminator(r)) break
      else this.pos++
    }
    const v = this.consume()
    cur.push(v === '*' ? { t: 'wildcard' } : { t: 'field', name: v.replace(/\\/g, '') })
  }
  quote(cur: Node[], end: string) {
    for (;;) {
      const r = this.next()
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated quoted string')
      if (r === end && this.input[this.pos - 2] !== '\\') break
    }
    const raw = this.consume()
    let text = raw.slice(1, -1)
    text = text.replace(/\\(["'\\nrt])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c)
    cur.push({ t: 'text', text })
  }
  array(cur: Node[]) {
    for (;;) {
      const r = this.next()
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated array')
      if (r === ']') break
    }
    let text = this.consume().slice(1, -1)
    if (text === '*') text = ':'
    const parts = text.split(',')
    if (parts.length > 1) {
      cur.push({ t: 'union', lists: parts.map((p) => parseAction(`[${p.trim()}]`)) })
      return
    }
    const key = /^'([^']*)'$/.exec(text)
    if (key) {
      cur.push(...parseAction(`.${key[1]}`))
      return
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text)
    if (!m) throw new JsonPathError(`invalid array index ${text}`)
    const params: [Param, Param, Param] = [
      { known: false, value: 0 },
      { known: false, value: 0 },
      { known: false, value: 0 },
    ]
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? ''
      if (v !== '') {
        if (i > 0) v = v.slice(1)
        if (i > 0 && v === '') params[i] = { known: false, value: 0 }
        else params[i] = { known: true, value: Number(v) }
      } else if (i === 1) params[i] = { known: true, value: params[0].value + 1, derived: true }
    }
    cur.push({ t: 'array', params })
  }
  filter(cur: Node[]) {
    this.pos += 3
    this.consume()
    let begin = false
    let end = false
    let pair = ''
    for (;;) {
      const r = this.next()
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated filter')
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true
          pair = r
          continue
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true
      } else if (r === ')' && begin === end) break
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]')
    const text = this.consume().slice(0, -2)
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/.exec(text)
    if (!m) cur.push({ t: 'filter', left: parseAction(text), right: [], op: 'exists' })
    else cur.push({ t: 'filter', left: parseAction(m[1]!), right: parseAction(m[3]!), op: m[2]! })
  }
}

function parseAction(text: string): Node[] {
  const root = new Parser(`{${text}}`).parse()
  const first = root[0]
  return first && first.t === 'list' ? first.nodes : []
}

const isMap = (v: Value): v is Record<string, Value> => v !== null && typeof v === 'object' && !Array.isArray(v)

function compare(a: Value, b: Value, op: string): boolean {
  switch (op) {
    case '==':
      return a === b
    case '!=':
      return a !== b
  }
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new JsonPathError('incompatible types for comparison')
  const x = a as number | string
  const y = b as number | string
  switch (op) {
    case '<':
      return x < y
    case '>':
      return x > y
    case '<=':
      return x <= y
    case '>=':
      return x >= y
  }
  throw new JsonPathError(`unrecognized filter operator ${op}`)
}

function children(v: Value): Value[] {
  if (Array.isArray(v)) return v
  if (isMap(v)) return Object.values(v)
  if (typeof v === 'string') return [...v].map((c) => c.charCodeAt(0))
  return []
}

function walk(input: Value[], node: Node): Value[] {
  switch (node.t) {
    case 'list':
      return node.nodes.reduce((cur, n) => walk(cur, n), input)
    case 'text':
      return [node.text]
    case 'int':
    case 'float':
    case 'bool':
      return input.map(() => node.v)
    case 'identifier':
      if (node.name === 'range') return input
      throw new JsonPathError(node.name === 'end' ? 'not in range, nothing to end' : `unrecognized identifier ${node.name}`)
    case 'field': {
      const out: Value[] = []
      for (const v of input) if (isMap(v) && Object.prototype.hasOwnProperty.call(v, node.name)) out.push(v[node.name])
      return out
    }
    case 'wildcard':
      return input.flatMap(children)
    case 'recursive': {
      const out: Value[] = []
      const visit = (vs: Value[]) => {
        for (const v of vs) {
          const kids = children(v)
          if (kids.length) {
            out.push(v)
            visit(kids)
          }
        }
      }
      visit(input)
      return out
    }
    case 'union':
      return node.lists.flatMap((l) => walk(input, { t: 'list', nodes: l }))
    case 'array': {
      const out: Value[] = []
      for (const v of input) {
        if (v === null || v === undefined) continue
        if (!Array.isArray(v)) throw new JsonPathError(`${goType(v)} is not array or slice`)
        const p = node.params.map((x) => ({ ...x }))
        const len = v.length
        if (!p[0]!.known) p[0]!.value = 0
        if (p[0]!.value < 0) p[0]!.value += len
        if (!p[1]!.known) p[1]!.value = len
        if (p[1]!.value < 0 || (p[1]!.value === 0 && p[1]!.derived)) p[1]!.value += len
        if (p[1]!.value === p[0]!.value) return out
        if (p[0]!.value >= len || p[0]!.value < 0) throw new JsonPathError(`array index out of bounds: index ${p[0]!.value}, length ${len}`)
        if (p[1]!.value > len || p[1]!.value < 0) throw new JsonPathError(`array index out of bounds: index ${p[1]!.value - 1}, length ${len}`)
        if (p[0]!.value > p[1]!.value) throw new JsonPathError(`starting index ${p[0]!.value} is greater than ending index ${p[1]!.value}`)
        let step = 1
        if (p[2]!.known) {
          if (p[2]!.value <= 0) throw new JsonPathError('step must be > 0')
          step = p[2]!.value
        }
        const slice = v.slice(p[0]!.value, p[1]!.value)
        for (let i = 0; i < slice.length; i += step) out.push(slice[i])
      }
      return out
    }
    case 'filter': {
      const out: Value[] = []
      for (const v of input) {
        if (!Array.isArray(v)) throw new JsonPathError(`${goType(v)} is not array or slice and cannot be filtered`)
        for (const item of v) {
          const lefts = walk([item], { t: 'list', nodes: node.left })
          if (node.op === 'exists') {
            if (lefts.length) out.push(item)
            continue
          }
          if (!lefts.length) continue
          if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time')
          const rights = walk([item], { t: 'list', nodes: node.right })
          if (!rights.length) continue
          if (rights.length > 1) throw new JsonPathError('can only compare one element at a time')
          if (compare(lefts[0], rights[0], node.op)) out.push(item)
        }
      }
      return out
    }
  }
}

const goType = (v: Value) => (Array.isArray(v) ? '[]interface {}' : isMap(v) ? 'map[string]interface {}' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'int64' : typeof v === 'boolean' ? 'bool' : 'interface {}')

/** fmt.Sprint of a float64 (%v: exponent below 1e-4 or from 1e21). */
function goSprintNumber(n: number): string {
  if (Number.isInteger(n)) return String(n)
  const exp = Number(n.toExponential().split('e')[1])
  if (exp < -4 || exp >= 21) {
    const [m, e] = n.toExponential().split('e') as [string, string]
    const x = Number(e)
    return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`
  }
  return String(n)
}

function text(v: Value, asJson: boolean): string {
  if (asJson || (v !== null && typeof v === 'object')) return toCompactJson(v)
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'number') return goSprintNumber(v)
  return String(v)
}

const isRangeStart = (n: Node) => n.t === 'list' && n.nodes[0]?.t === 'identifier' && n.nodes[0].name === 'range'
const isRangeEnd = (n: Node) => n.t === 'list' && n.nodes[0]?.t === 'identifier' && n.nodes[0].name === 'end'

function execute(nodes: Node[], data: Value, out: Value[][]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!
    if (isRangeStart(node)) {
      let depth = 1
      let k = i + 1
      for (; k < nodes.length; k++) {
        if (isRangeStart(nodes[k]!)) depth++
        else if (isRangeEnd(nodes[k]!) && --depth === 0) break
      }
      for (const v of walk([data], node)) execute(nodes.slice(i + 1, k), v, out)
      i = k
      continue
    }
    out.push(walk([data], node))
  }
}

/** A parsed template; run() prints it for one object. */
export class JsonPath {
  readonly #nodes: Node[]
  constructor(
    readonly template: string,
    readonly jsonOutput = false,
  ) {
    this.#nodes = new Parser(template).parse()
  }

  run(data: Value): string {
    const groups: Value[][] = []
    execute(this.#nodes, data, groups)
    if (this.jsonOutput) return groups.map((g) => JSON.stringify(g, null, 4) + '\n').join('')
    return groups.map((g) => g.map((v) => text(v, false)).join(' ')).join('')
  }

  /** The results of the template's actions (custom columns, --sort-by). */
  find(data: Value): Value[][] {
    const groups: Value[][] = []
    execute(this.#nodes, data, groups)
    return groups
  }
}

/**
 * kubectl's RelaxedJSONPathExpression: "{.a.b}", ".a.b", "a.b" and "{a.b}" all
 * become "{.a.b}" (custom-columns, --sort-by).
 */
export function relaxedJsonPath(path: string): string {
  if (!path.length) return path
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(path)
  if (!m) throw new JsonPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
  return `{.${m[1] || m[2]}}`
}

// Word expansion for the simulated shell: quotes, parameters ($X, ${X:-d},
// $?, $1 …), command substitution $(…) and `…`, arithmetic $((…)), and field
// splitting of unquoted results. Values are kept in template form (literal
// '{' doubled, see logs.ts escapeTemplate) so that `date` output can stay a
// {date} placeholder and be rendered at the moment a line is printed.
import { escapeTemplate } from './logs'
import { skipQuoted } from './shell-parse'

export interface Expander {
  param(name: string): string | undefined
  setVar(name: string, value: string): void
  /** Runs a script in a subshell and returns its standard output. */
  substitute(script: string): string
  /** A fatal expansion error (${X:?msg}, bad arithmetic): the shell reports it and stops. */
  fail(message: string): never
}

/** Expands one word into fields; with split false (assignments, here-strings) into exactly one. */
export function expandWord(raw: string, x: Expander, split = true): string[] {
  const fields: string[] = []
  let cur = ''
  let have = false
  const lit = (s: string) => ((cur += escapeTemplate(s)), (have = true))
  const value = (v: string, quoted: boolean) => {
    if (quoted || !split) return void ((cur += v), (have = true))
    if (v === '') return
    const pieces = v.split(/[ \t\n]+/)
    pieces.forEach((piece, i) => {
      if (i > 0 && have) (fields.push(cur), (cur = ''), (have = false))
      if (piece !== '') ((cur += piece), (have = true))
    })
  }
  let i = 0
  while (i < raw.length) {
    const c = raw[i]!
    if (c === "'") {
      const end = skipQuoted(raw, i)
      lit(raw.slice(i + 1, end - 1))
      i = end
    } else if (c === '"') {
      have = true
      const end = skipQuoted(raw, i)
      let j = i + 1
      while (j < end - 1) {
        const d = raw[j]!
        if (d === '\\' && '$`"\\\n'.includes(raw[j + 1] ?? '')) (lit(raw[j + 1]!), (j += 2))
        else if (d === '$' || d === '`') {
          const [v, next] = dollar(raw, j, x)
          value(v, true)
          j = next
        } else (lit(d), j++)
      }
      i = end
    } else if (c === '\\') {
      lit(raw[i + 1] ?? '')
      i += 2
    } else if (c === '$' || c === '`') {
      const [v, next] = dollar(raw, i, x)
      value(v, false)
      i = next
    } else (lit(c), i++)
  }
  if (have) fields.push(cur)
  return split ? fields : [fields.join(' ')]
}

/** One $… or `…` expansion at raw[i]: its value and where the source continues. */
function dollar(raw: string, i: number, x: Expander): [string, number] {
  if (raw[i] === '`') {
    const end = skipQuoted(raw, i)
    return [x.substitute(raw.slice(i + 1, end - 1)), end]
  }
  const next = raw[i + 1]
  if (next === '(') {
    const end = skipQuoted(raw, i)
    if (raw[i + 2] === '(' && raw[end - 2] === ')')
      return [String(arith(raw.slice(i + 3, end - 2), x)), end]
    return [x.substitute(raw.slice(i + 2, end - 1)), end]
  }
  if (next === '{') {
    const end = skipQuoted(raw, i)
    return [braced(raw.slice(i + 2, end - 1), x), end]
  }
  const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(raw.slice(i + 1))
  if (!name) return ['$', i + 1]
  return [x.param(name[0]) ?? '', i + 1 + name[0].length]
}

/** ${…}: NAME, #NAME, and the :- - := :+ + :? operators. */
function braced(inner: string, x: Expander): string {
  if (inner.startsWith('#') && inner.length > 1)
    return String((x.param(inner.slice(1)) ?? '').length)
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!])(:?[-=+?])?([\s\S]*)$/.exec(inner)
  if (!m) return x.fail(`\${${inner}}: bad substitution`)
  const [, name, op, word] = m as unknown as [string, string, string | undefined, string]
  const v = x.param(name!)
  if (!op) return v ?? ''
  const unset = op.startsWith(':') ? !v : v === undefined
  const w = () => expandWord(word, x, false)[0] ?? ''
  switch (op.replace(':', '')) {
    case '-':
      return unset ? w() : v!
    case '=':
      if (unset) x.setVar(name!, w())
      return x.param(name!) ?? ''
    case '+':
      return unset ? '' : w()
    default:
      return unset ? x.fail(`${name}: ${word || 'parameter not set'}`) : v!
  }
}

/** $((…)): integers, variables, + - * / % comparisons && || ! and parentheses. */
export function arith(src: string, x: Expander): number {
  const toks =
    src.match(
      /\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|&&|\|\||[<>=!]=|[-+*/%()<>!]/g,
    ) ?? []
  let i = 0
  const num = (v: string | undefined) => {
    const n = Number.parseInt(v ?? '', 10)
    return Number.isNaN(n) ? 0 : n
  }
  // Binary operators by precedence, loosest first.
  const LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']]
  const apply = (op: string, a: number, b: number): number => {
    if ((op === '/' || op === '%') && b === 0) x.fail('arithmetic syntax error: division by zero')
    const r: Record<string, number> = {
      '||': +(a !== 0 || b !== 0),
      '&&': +(a !== 0 && b !== 0),
      '==': +(a === b),
      '!=': +(a !== b),
      '<': +(a < b),
      '>': +(a > b),
      '<=': +(a <= b),
      '>=': +(a >= b),
      '+': a + b,
      '-': a - b,
      '*': a * b,
      '/': op === '/' ? Math.trunc(a / b) : 0,
      '%': op === '%' ? a % b : 0,
    }
    return r[op]!
  }
  const level = (l: number): number => {
    if (l >= LEVELS.length) return unary()
    let a = level(l + 1)
    while (i < toks.length && LEVELS[l]!.includes(toks[i]!)) a = apply(toks[i++]!, a, level(l + 1))
    return a
  }
  const unary = (): number => {
    const t = toks[i++]
    if (t === '-') return -unary()
    if (t === '+') return unary()
    if (t === '!') return +(unary() === 0)
    if (t === '(') {
      const v = level(0)
      if (toks[i++] !== ')') x.fail('arithmetic syntax error')
      return v
    }
    if (t === undefined) return x.fail('arithmetic syntax error')
    if (/^\d/.test(t)) return num(t)
    return num(x.param(t.replace(/^\$/, '')))
  }
  const v = level(0)
  if (i < toks.length) x.fail('arithmetic syntax error')
  return v
}

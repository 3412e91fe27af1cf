// JSON as kubectl prints it: Go's json.MarshalIndent with four spaces, map keys
// sorted, and <, >, &, U+2028, U+2029 escaped as Go's encoder does.

const goEscape = (s: string) =>
  JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

function encode(v: unknown, indent: string, out: string[]): void {
  if (v === null || v === undefined) out.push('null')
  else if (typeof v === 'string') out.push(goEscape(v))
  else if (typeof v === 'number') out.push(Number.isFinite(v) ? JSON.stringify(v) : 'null')
  else if (typeof v === 'boolean') out.push(String(v))
  else if (Array.isArray(v)) {
    if (!v.length) return void out.push('[]')
    const inner = indent + '    '
    out.push('[\n')
    v.forEach((x, i) => {
      out.push(inner)
      encode(x, inner, out)
      out.push(i < v.length - 1 ? ',\n' : '\n')
    })
    out.push(indent + ']')
  } else {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    if (!keys.length) return void out.push('{}')
    const inner = indent + '    '
    out.push('{\n')
    keys.forEach((k, i) => {
      out.push(`${inner}${goEscape(k)}: `)
      encode(o[k], inner, out)
      out.push(i < keys.length - 1 ? ',\n' : '\n')
    })
    out.push(indent + '}')
  }
}

/** `kubectl get -o json` of one object or list, with its final newline. */
export function toJson(v: unknown): string {
  const out: string[] = []
  encode(v, '', out)
  return out.join('') + '\n'
}

/** Compact JSON with sorted keys (Go's json.Marshal of an unstructured object). */
export function toCompactJson(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v !== 'object') return typeof v === 'string' ? goEscape(v) : JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(toCompactJson).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${goEscape(k)}:${toCompactJson(o[k])}`)
    .join(',')}}`
}

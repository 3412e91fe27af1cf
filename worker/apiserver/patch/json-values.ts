// Small helpers over parsed JSON values, shared by the three patch formats.

export type JsonObject = Record<string, unknown>

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A deep copy, so patch results never share structure with the inputs. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map((e: unknown) => cloneJson(e)) as T
  if (isObject(v)) {
    const out: JsonObject = {}
    for (const [k, e] of Object.entries(v)) out[k] = cloneJson(e)
    return out as T
  }
  return v
}

/** JSON equality: object member order is not significant, array order is. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((e, i) => jsonEqual(e, b[i]))
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
  }
  return false
}

/** The name Go's encoding/json uses for a JSON value's kind in its unmarshal errors. */
export function goJsonKind(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'boolean') return 'bool'
  return typeof v // object, string, number
}

/** The Go type of a decoded JSON value as reflect prints it (upstream error messages). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (Array.isArray(v)) return '[]interface {}'
  if (isObject(v)) return 'map[string]interface {}'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64'
  if (typeof v === 'boolean') return 'bool'
  return 'string'
}

/** Go's %v of a decoded JSON value, used where upstream error messages embed one. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`
  if (isObject(v)) {
    const keys = Object.keys(v).sort()
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`
  }
  return String(v)
}

/** Appends a member name to a field path: "spec" + "replicas" → "spec.replicas". */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

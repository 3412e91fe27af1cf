// Schema-level validation of an incoming object, worded as the apiserver's
// decoder words it. Unknown fields are what strict decoding reports
// (`strict decoding error: unknown field "spec.foo"`, paths without a leading
// dot, list indexes included). JSON type mismatches are what sigs.k8s.io/json
// reports (`json: cannot unmarshal string into Go struct field
// DeploymentSpec.spec.replicas of type int32`, a 400 BadRequest upstream,
// prefixed with `Deployment in version "v1" cannot be handled as a Deployment: `).
// Hand-written walker rather than Value.Errors: it needs the Go struct names and
// upstream paths, and it never compiles code (workerd forbids eval).
import { kindSchemas } from './registry'
import { DEF } from './t'

export type SchemaErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported'
export interface SchemaError {
  /** Upstream field path, e.g. "spec.template.spec.containers[0].image". */
  field: string
  message: string
  type: SchemaErrorType
}
export interface SchemaResult {
  /** Strict-decoding paths, e.g. "spec.template.spec.containers[0].imagee". */
  unknownFields: string[]
  errors: SchemaError[]
}

type S = Record<string, any>
interface Ctx extends SchemaResult {
  /** Skip required checks (inside status, which controllers own). */
  lenient: boolean
  /** Delete unknown fields from the object as they are found. */
  prune: boolean
}

export interface ValidateOptions {
  /**
   * Delete each unknown field from obj (in place), as upstream's decoder drops
   * them under fieldValidation=Warn and Ignore. Free-form objects and maps are
   * never touched: only a key a schema's `properties` does not name is unknown.
   */
  prune?: boolean
}

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/** Validates obj against the schema of gvk ("apps/v1/Deployment", "/v1/Pod"); unknown kinds pass. */
export function validateSchema(gvk: string, obj: unknown, opts: ValidateOptions = {}): SchemaResult {
  const ctx: Ctx = { unknownFields: [], errors: [], lenient: false, prune: opts.prune ?? false }
  const schema = kindSchemas[gvk]
  if (schema) walk(schema as S, obj, '', '', shortName(schema as S), ctx)
  return { unknownFields: ctx.unknownFields, errors: ctx.errors }
}

const shortName = (s: S): string =>
  String(s[DEF] ?? '')
    .split('.')
    .pop() ?? ''

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return `number ${v}`
  if (typeof v === 'boolean') return 'bool'
  return typeof v // string, object
}

/** Go type as encoding/json names it in errors. */
function goType(s: S): string {
  const name: string | undefined = s[DEF]
  if (name) {
    const parts = name.split('.')
    return `${parts.at(-2)}.${parts.at(-1)}`
  }
  if (s.anyOf) return 'interface {}'
  switch (s.type) {
    case 'integer':
      return s.format === 'int64' ? 'int64' : 'int32'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string'
    case 'array':
      return `[]${goType(s.items)}`
    case 'object': {
      const v = mapValue(s)
      return v ? `map[string]${goType(v)}` : 'struct'
    }
  }
  return 'interface {}'
}

// TypeBox Records are patternProperties; our maps are all string-keyed.
const mapValue = (s: S): S | undefined =>
  s.patternProperties ? (Object.values(s.patternProperties)[0] as S) : undefined

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

function walk(s: S, v: unknown, path: string, goPath: string, struct: string, ctx: Ctx): void {
  if (v === null || v === undefined) return // JSON null leaves Go's zero value: never an error
  const typeError = (): void => {
    ctx.errors.push({
      field: path,
      type: 'FieldValueTypeInvalid',
      message: goPath
        ? `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${goPath} of type ${goType(s)}`
        : `json: cannot unmarshal ${jsonKind(v)} into Go value of type ${goType(s)}`,
    })
  }
  if (s.anyOf) {
    // IntOrString and Quantity: a number or a string.
    if (typeof v === 'string') {
      if (s[DEF]?.endsWith('.Quantity') && !QUANTITY.test(v))
        ctx.errors.push({
          field: path,
          type: 'FieldValueInvalid',
          message: `quantities must match the regular expression '${QUANTITY.source}'`,
        })
    } else if (typeof v !== 'number') typeError()
    return
  }
  switch (s.type) {
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return typeError()
      const o = v as Record<string, unknown>
      const values = mapValue(s)
      if (values) {
        for (const [k, x] of Object.entries(o))
          walk(values, x, `${path}[${k}]`, goPath, struct, ctx)
        return
      }
      if (!s.properties) return // free-form object (fieldsV1)
      const here = shortName(s) || struct
      for (const [k, x] of Object.entries(o)) {
        const p = s.properties[k] as S | undefined
        if (!p) {
          ctx.unknownFields.push(join(path, k))
          if (ctx.prune) delete o[k]
          continue
        }
        // Status is written by controllers: don't hold them to required fields.
        const lenient = ctx.lenient
        if (!path && k === 'status') ctx.lenient = true
        walk(p, x, join(path, k), join(goPath, k), here, ctx)
        ctx.lenient = lenient
      }
      if (!ctx.lenient)
        for (const k of (s.required as string[] | undefined) ?? [])
          if (o[k] === undefined || o[k] === '')
            ctx.errors.push({
              field: join(path, k),
              type: 'FieldValueRequired',
              message: 'Required value',
            })
      return
    }
    case 'array': {
      if (!Array.isArray(v)) return typeError()
      v.forEach((x, i) => walk(s.items, x, `${path}[${i}]`, goPath, struct, ctx))
      return
    }
    case 'string':
      if (typeof v !== 'string') return typeError()
      if (s.enum && v !== '' && !s.enum.includes(v))
        ctx.errors.push({
          field: path,
          type: 'FieldValueNotSupported',
          message: `Unsupported value: ${JSON.stringify(v)}: supported values: ${s.enum.map((e: string) => JSON.stringify(e)).join(', ')}`,
        })
      else if (s.format === 'byte' && (!BASE64.test(v) || v.length % 4 !== 0))
        ctx.errors.push({
          field: path,
          type: 'FieldValueInvalid',
          message: `illegal base64 data at input byte ${badByte(v)}`,
        })
      else if (s.format === 'date-time' && !RFC3339.test(v))
        ctx.errors.push({
          field: path,
          type: 'FieldValueInvalid',
          message: `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse as RFC 3339`,
        })
      return
    case 'integer': {
      if (typeof v !== 'number' || !Number.isInteger(v)) return typeError()
      const max = s.format === 'int64' ? Number.MAX_SAFE_INTEGER : 2 ** 31 - 1
      if (v > max || v < -max - 1) typeError()
      return
    }
    case 'number':
      if (typeof v !== 'number') typeError()
      return
    case 'boolean':
      if (typeof v !== 'boolean') typeError()
      return
  }
}

function badByte(v: string): number {
  const i = v.search(/[^A-Za-z0-9+/=]/)
  return i >= 0 ? i : Math.floor(v.length / 4) * 4
}

/** Whether obj is valid for gvk with nothing unknown; the fast path for callers that only need a yes/no. */
export function isSchemaValid(gvk: string, obj: unknown): boolean {
  const r = validateSchema(gvk, obj)
  return r.unknownFields.length === 0 && r.errors.length === 0
}

// Small helpers over TypeBox so the schemas read like the upstream types.go:
// every field optional unless marked required, descriptions inline, and the
// Kubernetes extension keywords (x-kubernetes-*) carried as schema options so
// validation, OpenAPI and patch metadata all come from the same objects.
import {
  Type,
  type SchemaOptions,
  type TObject,
  type TOptional,
  type TProperties,
  type TSchema,
} from '@sinclair/typebox'
import { FormatRegistry } from '@sinclair/typebox'

// TypeBox's Value.Check rejects unregistered string formats; teach it ours.
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (v) =>
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v),
  )
if (!FormatRegistry.Has('byte'))
  FormatRegistry.Set('byte', (v) => v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v))

/** Key naming a reusable definition (e.g. io.k8s.api.core.v1.PodSpec); stripped from OpenAPI. */
export const DEF = 'x-wh-def'
/** Key holding a field-level description on a per-field clone of a named definition. */
export const FIELD_DESC = 'x-wh-desc'

/** A named definition: OpenAPI emits it once under components.schemas and refers to it. */
export function def<T extends TSchema>(name: string, schema: T): T {
  ;(schema as Record<string, unknown>)[DEF] = name
  return schema
}

/** Use a named definition as a field with its own description (keeps the definition shared). */
export function ref<T extends TSchema>(schema: T, description?: string): T {
  return description ? { ...schema, [FIELD_DESC]: description } : schema
}

// Upstream marks almost nothing required; required fields are listed explicitly.
type Opt<P extends TProperties, R extends string> = {
  [K in keyof P]: K extends R ? P[K] : TOptional<P[K]>
}
export function obj<P extends TProperties, R extends keyof P & string = never>(
  description: string,
  props: P,
  required: R[] = [],
  opts: SchemaOptions = {},
): TObject<Opt<P, R>> {
  const out: TProperties = {}
  for (const [k, v] of Object.entries(props))
    out[k] = (required as string[]).includes(k) ? v : Type.Optional(v)
  return Type.Object(out as Opt<P, R>, { description, ...opts })
}

export const str = (description?: string, opts: SchemaOptions = {}) =>
  Type.String({ ...(description ? { description } : {}), ...opts })
/** A string limited to upstream's enum values (checked by validate.ts as FieldValueNotSupported). */
export const enumStr = <V extends string>(values: V[], description?: string) =>
  Type.String({ enum: values, ...(description ? { description } : {}) })
export const int32 = (description?: string) =>
  Type.Integer({ format: 'int32', ...(description ? { description } : {}) })
export const int64 = (description?: string) =>
  Type.Integer({ format: 'int64', ...(description ? { description } : {}) })
export const num = (description?: string) =>
  Type.Number({ format: 'double', ...(description ? { description } : {}) })
export const bool = (description?: string) => Type.Boolean(description ? { description } : {})
export const strMap = (description?: string) =>
  Type.Record(Type.String(), Type.String(), description ? { description } : {})
export const strList = (description?: string, opts: SchemaOptions = {}) =>
  Type.Array(Type.String(), { ...(description ? { description } : {}), ...opts })
export const atomicStrList = (description?: string) =>
  strList(description, { 'x-kubernetes-list-type': 'atomic' })
/** A list of objects with a merge key: both the SMP and the SSA list-map metadata. */
export const mapList = <T extends TSchema>(
  items: T,
  description: string,
  keys: string[],
  opts: SchemaOptions = {},
) =>
  Type.Array(items, {
    description,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': keys,
    ...opts,
  })
export const mergeList = <T extends TSchema>(
  items: T,
  description: string,
  key: string,
  mapKeys = [key],
) =>
  mapList(items, description, mapKeys, {
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-patch-merge-key': key,
  })
export const atomicList = <T extends TSchema>(items: T, description?: string) =>
  Type.Array(items, { ...(description ? { description } : {}), 'x-kubernetes-list-type': 'atomic' })
export const list = <T extends TSchema>(items: T, description?: string) =>
  Type.Array(items, description ? { description } : {})

export { Type }

// The server's OpenAPI v3 documents (/openapi/v3, one per group-version),
// fetched as kubectl does and cached by their hash: the schemas give apply its
// patch strategies and merge keys, and explain its field documentation.
import type { Client } from './client'
import type { Obj } from './types'

const docs = new Map<string, Promise<Obj>>()

/** The OpenAPI v3 document of a group-version ("apps", "v1"), or undefined if the server has none. */
export async function openapiDocument(client: Client, group: string, version: string): Promise<Obj | undefined> {
  const index = await client.get('/openapi/v3')
  const key = group ? `apis/${group}/${version}` : `api/${version}`
  const url: string | undefined = index.paths?.[key]?.serverRelativeURL
  if (!url) return undefined
  const cacheKey = `${client.env.baseUrl} ${url}`
  let doc = docs.get(cacheKey)
  if (!doc) {
    const [path, query] = url.split('?') as [string, string | undefined]
    doc = client.get(path, Object.fromEntries(new URLSearchParams(query ?? '')))
    docs.set(cacheKey, doc)
    doc.catch(() => docs.delete(cacheKey))
  }
  return doc
}

/** A schema with its $ref / allOf resolved, and the field-level extensions kept. */
export interface SchemaNode {
  schema: Obj
  /** The definition's name when the field referred to one. */
  ref?: string
  /** x-kubernetes-* and description as the using field states them. */
  field: Obj
}

export function resolve(doc: Obj, s: Obj | undefined): SchemaNode | undefined {
  if (!s) return undefined
  const field = s
  let schema = s
  let ref: string | undefined
  for (let i = 0; i < 10; i++) {
    const r: string | undefined = schema.$ref ?? (Array.isArray(schema.allOf) && schema.allOf.length === 1 ? schema.allOf[0].$ref : undefined)
    if (!r) break
    ref = r.replace('#/components/schemas/', '')
    schema = doc.components?.schemas?.[ref] ?? {}
  }
  return { schema, ref, field }
}

/** The schema of a kind in its document (by x-kubernetes-group-version-kind). */
export function kindSchema(doc: Obj, group: string, version: string, kind: string): SchemaNode | undefined {
  for (const [name, s] of Object.entries<Obj>(doc.components?.schemas ?? {})) {
    const gvks: Obj[] = s['x-kubernetes-group-version-kind'] ?? []
    if (gvks.some((g) => (g.group ?? '') === group && g.version === version && g.kind === kind)) return { schema: s, ref: name, field: s }
  }
  return undefined
}

/** A property's schema, or the element schema of a map (additionalProperties) / list (items). */
export function child(doc: Obj, node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!node) return undefined
  const s = node.schema
  if (s.properties?.[key]) return resolve(doc, s.properties[key])
  if (s.additionalProperties && typeof s.additionalProperties === 'object') return resolve(doc, s.additionalProperties)
  return undefined
}

export function items(doc: Obj, node: SchemaNode | undefined): SchemaNode | undefined {
  return node?.schema.items ? resolve(doc, node.schema.items) : undefined
}

/** The field's patch strategies ("merge", "retainKeys", "replace") and merge key. */
export function patchMeta(node: SchemaNode | undefined): { strategies: string[]; mergeKey?: string } {
  const f = node?.field ?? {}
  const s = node?.schema ?? {}
  const strategy: string = f['x-kubernetes-patch-strategy'] ?? s['x-kubernetes-patch-strategy'] ?? ''
  return { strategies: strategy ? strategy.split(',') : [], mergeKey: f['x-kubernetes-patch-merge-key'] ?? s['x-kubernetes-patch-merge-key'] }
}

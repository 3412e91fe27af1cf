// PatchSchema (strategic merge patch and server-side apply metadata) derived
// from a kind's TypeBox schema: the x-kubernetes-* keywords carried on it.
import type { PatchSchema } from '../../apiserver/patch/schema'
import { kindSchemas } from './registry'
import { DEF } from './t'

type S = Record<string, any>
const cache = new Map<string, PatchSchema>()
// Named definitions are shared objects: convert each once.
const converted = new WeakMap<object, PatchSchema>()

/** The patch metadata of gvk ("apps/v1/Deployment", "/v1/Pod"); undefined for kinds without a schema. */
export function patchSchemaFor(gvk: string): PatchSchema | undefined {
  const hit = cache.get(gvk)
  if (hit) return hit
  const schema = kindSchemas[gvk]
  if (!schema) return undefined
  const out = toPatchSchema(schema as S)
  cache.set(gvk, out)
  return out
}

export function toPatchSchema(s: S): PatchSchema {
  const seen = converted.get(s)
  if (seen) return seen
  const out: PatchSchema = {}
  converted.set(s, out)
  if (s.anyOf)
    out.type =
      s['x-kubernetes-int-or-string'] || s[DEF]?.endsWith('.Quantity') ? 'int-or-string' : 'any'
  else if (s.type === 'object') {
    out.type = 'object'
    if (s.properties) {
      out.properties = {}
      for (const [k, v] of Object.entries(s.properties as Record<string, S>))
        out.properties[k] = toPatchSchema(v)
    }
    const values = s.patternProperties
      ? Object.values(s.patternProperties as Record<string, S>)[0]
      : undefined
    if (values) out.additionalProperties = toPatchSchema(values)
  } else if (s.type === 'array') {
    out.type = 'array'
    out.items = toPatchSchema(s.items as S)
  } else if (typeof s.type === 'string') out.type = s.type as PatchSchema['type']
  else out.type = 'any'
  if (s['x-kubernetes-patch-strategy']) out.patchStrategy = s['x-kubernetes-patch-strategy']
  if (s['x-kubernetes-patch-merge-key']) out.patchMergeKey = s['x-kubernetes-patch-merge-key']
  if (s['x-kubernetes-list-type']) out.listType = s['x-kubernetes-list-type']
  if (s['x-kubernetes-list-map-keys']) out.listMapKeys = s['x-kubernetes-list-map-keys']
  if (s['x-kubernetes-map-type']) out.mapType = s['x-kubernetes-map-type']
  return out
}

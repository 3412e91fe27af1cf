// OpenAPI v3 for kubectl: /openapi/v3 (the index) and one document per
// group-version. The documents carry full component schemas (so `kubectl
// explain` works and kubectl may send strategic merge patches) and one path per
// operation with x-kubernetes-group-version-kind, x-kubernetes-action and the
// fieldValidation parameter (which makes `kubectl apply` validate server-side).
import { KINDS } from '../registry'
import { kindSchemas, parseGvk } from './registry'
import { DEF, FIELD_DESC } from './t'

export interface OpenApiResource {
  kind: string
  /** Plural, "deployments", or a subresource, "deployments/scale". */
  resource: string
  namespaced: boolean
  verbs: string[]
  /** The kind's group and version when they differ from the document's (Scale, Eviction). */
  group?: string
  version?: string
}

type S = Record<string, any>
const REF = '#/components/schemas/'
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
]
// Keys that belong to the field using a definition, not to the definition.
const FIELD_KEYS = [FIELD_DESC, 'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key']

/** "api/v1" → {group:"", version:"v1"}; "apis/apps/v1" → {group:"apps", version:"v1"}. */
function splitGv(gv: string): { group: string; version: string } {
  const parts = gv.split('/')
  return parts[0] === 'api'
    ? { group: '', version: parts[1] ?? '' }
    : { group: parts[1] ?? '', version: parts[2] ?? '' }
}
const gvPath = (group: string, version: string) =>
  group ? `apis/${group}/${version}` : `api/${version}`

/** The resources (with subresources) of a group-version, from the kind registry. */
export function resourcesFor(groupVersion: string): OpenApiResource[] {
  const { group, version } = splitGv(groupVersion)
  const out: OpenApiResource[] = []
  for (const k of KINDS) {
    if (k.group !== group || k.version !== version) continue
    out.push({ kind: k.kind, resource: k.resource, namespaced: k.namespaced, verbs: k.verbs })
    for (const [sub, s] of Object.entries(k.subresources ?? {}))
      out.push({
        kind: s.kind || k.kind,
        group: s.group ?? k.group,
        version: s.version ?? k.version,
        resource: `${k.resource}/${sub}`,
        namespaced: k.namespaced,
        verbs: s.verbs,
      })
  }
  return out
}

/** Converts a TypeBox schema to OpenAPI, adding named definitions to `defs`. */
function emit(s: S, defs: Record<string, S>, root = false): S {
  const name: string | undefined = s[DEF]
  if (name && !root) {
    if (!defs[name]) {
      defs[name] = {} // placeholder first: guards against cycles
      defs[name] = emit(s, defs, true)
    }
    const field: S = {}
    if (s[FIELD_DESC]) field.description = s[FIELD_DESC]
    for (const k of FIELD_KEYS.slice(1)) if (s[k] !== undefined) field[k] = s[k]
    // OpenAPI 3.0 ignores siblings of $ref, hence allOf (as upstream does).
    return Object.keys(field).length
      ? { allOf: [{ $ref: REF + name }], ...field }
      : { $ref: REF + name }
  }
  const out: S = {}
  if (s.description) out.description = s.description
  if (s.anyOf) {
    // IntOrString and Quantity: strings on the wire as far as OpenAPI says.
    out.type = 'string'
    if (s['x-kubernetes-int-or-string']) {
      out.format = 'int-or-string'
      out['x-kubernetes-int-or-string'] = true
    }
    return out
  }
  if (s.type) out.type = s.type
  if (s.format) out.format = s.format
  if (s.enum) out.enum = s.enum
  if (s.properties) {
    out.properties = {}
    for (const [k, v] of Object.entries(s.properties as Record<string, S>))
      out.properties[k] = emit(v, defs)
  }
  if (s.required?.length) out.required = s.required
  if (s.patternProperties)
    out.additionalProperties = emit(Object.values(s.patternProperties)[0] as S, defs)
  if (s.type === 'object' && !s.properties && !s.patternProperties) out.additionalProperties = {}
  if (s.items) out.items = emit(s.items, defs)
  for (const [k, v] of Object.entries(s))
    if (k.startsWith('x-kubernetes-') && (root ? !FIELD_KEYS.includes(k) : true)) out[k] = v
  return out
}

function kindSchemaKey(r: OpenApiResource, group: string, version: string): string | undefined {
  const own = `${r.group ?? group}/${r.version ?? version}/${r.kind}`
  if (kindSchemas[own]) return own
  return Object.keys(kindSchemas).find(
    (k) => k.endsWith(`/${r.kind}`) && !k.endsWith(`List/${r.kind}`),
  )
}

const q = (name: string, description: string, type = 'string') => ({
  name,
  in: 'query',
  description,
  schema: { type },
})
const WRITE_PARAMS = [
  q('dryRun', 'When present ("All"), the change is checked but not persisted.'),
  q('fieldManager', 'Name of the actor making the change.'),
  q('fieldValidation', 'How to treat unknown or duplicate fields: Ignore, Warn or Strict.'),
]
const LIST_PARAMS = [
  q('labelSelector', 'Only objects whose labels match.'),
  q('fieldSelector', 'Only objects whose fields match.'),
  q('limit', 'Maximum number of objects to return.', 'integer'),
  q('continue', 'Token from a previous page.'),
  q('resourceVersion', 'Which version of the collection to return or watch from.'),
  q('watch', 'Stream changes instead of listing.', 'boolean'),
]
const pathParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
})

function op(
  action: string,
  id: string,
  gvk: S,
  body: S | undefined,
  params: S[],
  ok: S,
  types = ['application/json'],
) {
  const o: S = {
    operationId: id,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ok } } } },
  }
  if (body)
    o.requestBody = {
      required: true,
      content: Object.fromEntries(types.map((t) => [t, { schema: body }])),
    }
  return o
}

/** The OpenAPI v3 document of groupVersion ("api/v1", "apis/apps/v1") for these resources. */
export function openapiV3Document(groupVersion: string, resources: OpenApiResource[]): object {
  const { group, version } = splitGv(groupVersion)
  const defs: Record<string, S> = {}
  const paths: Record<string, S> = {}
  const refTo = (key: string): S => {
    emit({ ...kindSchemas[key]!, [FIELD_DESC]: undefined }, defs) // registers the definition
    const d = defs[(kindSchemas[key] as S)[DEF]]!
    const { group: g, version: v, kind } = parseGvk(key)
    d['x-kubernetes-group-version-kind'] = [{ group: g, kind, version: v }]
    return { $ref: REF + (kindSchemas[key] as S)[DEF] }
  }
  defs['io.k8s.apimachinery.pkg.apis.meta.v1.Patch'] = {
    type: 'object',
    description: 'A patch document, in one of the patch content types.',
  }
  const patchBody = { $ref: REF + 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch' }
  const prefix = `/${gvPath(group, version)}`
  const opPrefix =
    (group ? group.split('.')[0]!.replace(/^./, (c) => c.toUpperCase()) : 'Core') +
    version.replace(/^./, (c) => c.toUpperCase())

  for (const r of resources) {
    const key = kindSchemaKey(r, group, version)
    if (!key) continue
    const body = refTo(key)
    const { group: g, version: v, kind } = parseGvk(key)
    const gvk = { group: g, version: v, kind }
    const [plural, sub] = r.resource.split('/') as [string, string | undefined]
    const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${plural}` : `${prefix}/${plural}`
    const scope = r.namespaced ? 'Namespaced' : ''
    const id = (verb: string) =>
      `${verb}${opPrefix}${scope}${kind}${sub ? sub[0]!.toUpperCase() + sub.slice(1) : ''}`
    const nsParams = r.namespaced ? [pathParam('namespace')] : []
    const has = (v: string) => r.verbs.includes(v)
    const item: S = {}
    if (has('get')) item.get = op('get', id('read'), gvk, undefined, [], body)
    if (has('update')) item.put = op('put', id('replace'), gvk, body, WRITE_PARAMS, body)
    if (has('patch'))
      item.patch = op(
        'patch',
        id('patch'),
        gvk,
        patchBody,
        [...WRITE_PARAMS, q('force', 'Force apply.', 'boolean')],
        body,
        PATCH_TYPES,
      )
    if (has('delete'))
      item.delete = op(
        'delete',
        id('delete'),
        gvk,
        undefined,
        [q('dryRun', 'Do not persist.')],
        body,
      )
    if (sub && has('create')) item.post = op('post', id('create'), gvk, body, WRITE_PARAMS, body)
    if (Object.keys(item).length)
      paths[sub ? `${base}/{name}/${sub}` : `${base}/{name}`] = {
        parameters: [pathParam('name'), ...nsParams],
        ...item,
      }
    if (sub) continue
    const listKey = `${g}/${v}/${kind}List`
    const coll: S = {}
    if (has('list'))
      coll.get = op(
        'list',
        id('list'),
        gvk,
        undefined,
        LIST_PARAMS,
        kindSchemas[listKey] ? refTo(listKey) : body,
      )
    if (has('create')) coll.post = op('post', id('create'), gvk, body, WRITE_PARAMS, body)
    if (has('deletecollection'))
      coll.delete = op(
        'deletecollection',
        id('deletecollection'),
        gvk,
        undefined,
        LIST_PARAMS,
        body,
      )
    if (Object.keys(coll).length) paths[base] = { parameters: nsParams, ...coll }
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'wheelhouse' },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
    },
  }
}

/** FNV-1a over the JSON, twice with different seeds: stable, cheap and synchronous. */
export function stableHash(value: unknown): string {
  const text = JSON.stringify(value)
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x01000193 + 2)
  }
  return (
    (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
  ).toUpperCase()
}

const docCache = new Map<string, { doc: object; hash: string }>()
/** The document of a group-version as the registry defines it, with its hash (cached). */
export function servedDocument(groupVersion: string): { doc: object; hash: string } {
  let hit = docCache.get(groupVersion)
  if (!hit) {
    const doc = openapiV3Document(groupVersion, resourcesFor(groupVersion))
    hit = { doc, hash: stableHash(doc) }
    docCache.set(groupVersion, hit)
  }
  return hit
}

/** The /openapi/v3 index: every served group-version and the URL (with content hash) of its document. */
export function openapiV3Index(): object {
  const gvs = [...new Set(KINDS.map((k) => gvPath(k.group, k.version)))]
  return {
    paths: Object.fromEntries(
      gvs.map((gv) => [
        gv,
        { serverRelativeURL: `/openapi/v3/${gv}?hash=${servedDocument(gv).hash}` },
      ]),
    ),
  }
}

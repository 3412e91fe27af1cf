// PATCH: JSON patch, JSON merge patch, strategic merge patch and server-side
// apply, applied to the latest object and written through the same update path
// as PUT (so validation, generation and resourceVersion rules hold).
import { parse as parseYaml } from 'yaml'
import { patchSchemaFor } from '../../resources/schema/patch-meta'
import { apiVersionOf, type KindInfo } from '../../resources/kind'
import { type ApiContext, isDryRun, rfc3339 } from '../context'
import { ApiError, badRequestError, conflictError, notFoundError } from '../errors'
import { type Obj } from '../objects'
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch'
import { PatchError } from '../patch/schema'
import { checkTypeMeta, prepareForCreate, reconcileNamespace } from '../prepare'
import { checkSchema, fieldValidationOf, warningHeaders } from '../field-validation'
import { status } from '../status'
import { scaleView, writeScale } from './subresources'
import { admitNamespace, writeUpdate } from './write'

const TYPES = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'unsupported',
} as const

const gvk = (k: KindInfo) => `${k.group}/${k.version}/${k.kind}`

function parsePatch(type: string, text: string): unknown {
  try {
    return type === 'apply' ? parseYaml(text, { strict: true }) : JSON.parse(text)
  } catch (err) {
    throw badRequestError(`error decoding patch: ${(err as Error).message.split('\n')[0]}`)
  }
}

/** Upstream answers an inapplicable patch with a bare 422 (no causes), a malformed one with 400. */
function patchFailure(err: PatchError): ApiError {
  if (err.malformed) return badRequestError(err.message)
  return new ApiError(status(422, 'Invalid', err.message))
}

/** Server-side apply (application/apply-patch+yaml). */
function applyObject(_ctx: ApiContext, _patch: unknown, _old: Obj | undefined): Promise<Response> {
  throw new ApiError(status(415, 'UnsupportedMediaType', 'server-side apply is not served yet: use kubectl apply without --server-side'))
}

export async function patchObject(ctx: ApiContext): Promise<Response> {
  const ct = (ctx.req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const type = TYPES[ct as keyof typeof TYPES]
  if (!type || type === 'unsupported')
    throw new ApiError(status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`))
  const patch = parsePatch(type, await ctx.req.text())
  const k = ctx.kind
  const schema = patchSchemaFor(gvk(k))
  const old = ctx.objects.get(k, ctx.info.namespace, ctx.info.name!)

  if (type === 'apply') return applyObject(ctx, patch, old)

  if (!old) throw notFoundError(k, ctx.info.name!)
  const sub = ctx.info.subresource
  const base: Obj = sub === 'scale' ? scaleView(ctx, old) : structuredClone(old)
  let next: Obj
  try {
    if (type === 'json') next = applyJsonPatch(base, patch) as Obj
    else if (type === 'merge') next = applyMergePatch(base, patch) as Obj
    else next = applyStrategicMergePatch(base, patch, sub === 'scale' ? undefined : schema) as Obj
  } catch (err) {
    if (err instanceof PatchError) throw patchFailure(err)
    throw err
  }
  if (!next || typeof next !== 'object' || Array.isArray(next) || !next.metadata) throw badRequestError('the patch produced something that is not an object')
  // A resourceVersion in the patch is a precondition.
  if (next.metadata.resourceVersion !== undefined && next.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflictError(k, old.metadata.name)
  if (sub === 'scale') return writeScale(ctx, next, old)
  const warnings = checkSchema(k, next, fieldValidationOf(ctx.url))
  return Response.json(writeUpdate(ctx, next, old, sub), { headers: warningHeaders(warnings) })
}

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
import { conflictMessage, serverSideApply, updateManagedFields } from '../server-side-apply'
import { checkSchema, fieldValidationOf, warningHeaders } from '../field-validation'
import { status } from '../status'
import { scaleView, writeScale } from './subresources'
import { managerOf, writeUpdate } from './write'
import { admitRbacWrite } from './rbac-escalation'

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

/** Server-side apply (application/apply-patch+yaml): merge, ownership, conflicts. */
async function applyObject(ctx: ApiContext, patch: unknown, old: Obj | undefined): Promise<Response> {
  const k = ctx.kind
  const manager = ctx.url.searchParams.get('fieldManager')
  if (!manager) throw new ApiError(status(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'))
  const forceParam = ctx.url.searchParams.get('force')
  if (forceParam !== null && forceParam !== 'true' && forceParam !== 'false') throw badRequestError(`force: Invalid value: "${forceParam}": must be true or false`)
  const warnings = checkSchema(k, patch, fieldValidationOf(ctx.url))
  const applied = checkTypeMeta(k, patch)
  if (applied.metadata.name && applied.metadata.name !== ctx.info.name)
    throw badRequestError(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${ctx.info.name})`)
  applied.metadata.name = ctx.info.name
  reconcileNamespace(k, applied, ctx.info.namespace)
  const apiVersion = apiVersionOf(k)
  const r = serverSideApply({ live: old, applied, manager, force: forceParam === 'true', apiVersion, time: rfc3339(ctx.now()), schema: patchSchemaFor(gvk(k)) })
  if (r.conflicts.length)
    throw new ApiError(
      status(409, 'Conflict', conflictMessage(r.conflicts, apiVersion), {
        name: ctx.info.name,
        group: k.group || undefined,
        kind: k.resource,
        causes: r.conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersion}`, field: c.field })),
      }),
    )
  const next = r.object as Obj
  if (!old) {
    admitRbacWrite(ctx, next)
    prepareForCreate(k, next, ctx.now(), { objects: ctx.objects, dryRun: isDryRun(ctx.url) })
    next.metadata.managedFields = r.managedFields
    if (isDryRun(ctx.url)) return Response.json(next, { status: 201, headers: warningHeaders(warnings) })
    return Response.json(ctx.objects.create(k, next), { status: 201, headers: warningHeaders(warnings) })
  }
  next.metadata.managedFields = r.managedFields
  return Response.json(writeUpdate(ctx, next, old, ctx.info.subresource), { headers: warningHeaders(warnings) })
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
  next.metadata.managedFields = updateManagedFields(old, next, managerOf(ctx), apiVersionOf(k), rfc3339(ctx.now()), schema, sub)
  return Response.json(writeUpdate(ctx, next, old, sub), { headers: warningHeaders(warnings) })
}

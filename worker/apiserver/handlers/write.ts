// POST (create) and PUT (update, and /status), with dryRun; admission runs
// inside the preparation (prepare.ts, admission/admit.ts).
import { ApiError, conflictError, notFoundError } from '../errors'
import { apiVersionOf } from '../../resources/kind'
import { patchSchemaFor } from '../../resources/schema/patch-meta'
import { type ApiContext, isDryRun, rfc3339 } from '../context'
import { updateManagedFields } from '../server-side-apply'
import { type Obj } from '../objects'
import { checkTypeMeta, prepareForCreate, prepareForUpdate, reconcileNamespace } from '../prepare'
import { checkSchema, fieldValidationOf, warningHeaders } from '../field-validation'
import { status } from '../status'
import { finishDeletionIfDone } from './delete'
import { admitRbacWrite } from './rbac-escalation'

/** The field manager of a write: ?fieldManager=, else the user agent's program name, as upstream. */
export function managerOf(ctx: ApiContext): string {
  return ctx.url.searchParams.get('fieldManager') || (ctx.req.headers.get('user-agent') ?? 'unknown').split('/')[0] || 'unknown'
}

export async function createObject(ctx: ApiContext): Promise<Response> {
  const body = await ctx.body()
  const warnings = checkSchema(ctx.kind, body, fieldValidationOf(ctx.url))
  const o = checkTypeMeta(ctx.kind, body)
  reconcileNamespace(ctx.kind, o, ctx.info.namespace)
  admitRbacWrite(ctx, o)
  prepareForCreate(ctx.kind, o, ctx.now(), { objects: ctx.objects, dryRun: isDryRun(ctx.url) })
  o.metadata.managedFields = updateManagedFields(undefined, o, managerOf(ctx), apiVersionOf(ctx.kind), rfc3339(ctx.now()), patchSchemaFor(`${ctx.kind.group}/${ctx.kind.version}/${ctx.kind.kind}`))
  if (isDryRun(ctx.url)) {
    if (ctx.objects.get(ctx.kind, o.metadata.namespace, o.metadata.name))
      ctx.objects.create(ctx.kind, o) // throws AlreadyExists, as the real create would
    return Response.json(o, { status: 201, headers: warningHeaders(warnings) })
  }
  return Response.json(ctx.objects.create(ctx.kind, o), { status: 201, headers: warningHeaders(warnings) })
}

export async function updateObject(ctx: ApiContext): Promise<Response> {
  const body = await ctx.body()
  const warnings = checkSchema(ctx.kind, body, fieldValidationOf(ctx.url))
  const o = checkTypeMeta(ctx.kind, body)
  reconcileNamespace(ctx.kind, o, ctx.info.namespace)
  if (o.metadata.name && o.metadata.name !== ctx.info.name)
    throw new ApiError(status(400, 'BadRequest', `the name of the object (${o.metadata.name}) does not match the name on the URL (${ctx.info.name})`))
  o.metadata.name = ctx.info.name
  const old = ctx.objects.get(ctx.kind, ctx.info.namespace, ctx.info.name!)
  if (!old) throw notFoundError(ctx.kind, ctx.info.name!)
  const expected = o.metadata.resourceVersion
  if (expected && expected !== old.metadata.resourceVersion) throw conflictError(ctx.kind, ctx.info.name!)
  o.metadata.managedFields = updateManagedFields(old, o, managerOf(ctx), apiVersionOf(ctx.kind), rfc3339(ctx.now()), patchSchemaFor(`${ctx.kind.group}/${ctx.kind.version}/${ctx.kind.kind}`), ctx.info.subresource)
  const saved = writeUpdate(ctx, o, old, ctx.info.subresource)
  return Response.json(saved, { headers: warningHeaders(warnings) })
}

/** The shared tail of PUT and PATCH: prepare, then compare-and-swap on the old revision. */
export function writeUpdate(ctx: ApiContext, o: Obj, old: Obj, subresource?: string): Obj {
  if (!subresource) admitRbacWrite(ctx, o, old)
  prepareForUpdate(ctx.kind, o, old, subresource, { objects: ctx.objects, dryRun: isDryRun(ctx.url) })
  if (isDryRun(ctx.url)) return { ...o, metadata: { ...o.metadata, resourceVersion: old.metadata.resourceVersion } }
  if (JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } }) === JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: '' } }))
    return old // no-op updates do not bump the resourceVersion, as upstream
  const saved = ctx.objects.update(ctx.kind, o, old.metadata.resourceVersion)
  return finishDeletionIfDone(ctx, saved)
}

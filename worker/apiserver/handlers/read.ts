// GET of one object, and LIST of a collection (with selectors, pagination and
// resourceVersion semantics), as JSON or as a Table.
import { badRequestError } from '../errors'
import { type ApiContext } from '../context'
import { wantsTable } from '../negotiate'
import { type Obj } from '../objects'
import { parseFieldSelector, parseLabelSelector, SelectorError } from '../selectors'
import { present } from '../present'
import { toTable } from '../table'
import { apiVersionOf } from '../../resources/kind'

export function getObject(ctx: ApiContext): Response {
  const o = present(ctx.kind, ctx.objects.mustGet(ctx.kind, ctx.info.namespace, ctx.info.name!), ctx.now())
  const table = wantsTable(ctx.accept)
  if (table)
    return Response.json(toTable(ctx.kind, [o], ctx.now(), { version: table, includeObject: ctx.url.searchParams.get('includeObject') ?? 'Metadata', resourceVersion: o.metadata.resourceVersion }))
  return Response.json(o)
}

export function selectorsOf(ctx: ApiContext) {
  try {
    return {
      labels: parseLabelSelector(ctx.url.searchParams.get('labelSelector')),
      fields: parseFieldSelector(ctx.url.searchParams.get('fieldSelector'), ctx.kind),
    }
  } catch (err) {
    if (err instanceof SelectorError) throw badRequestError(err.message)
    throw err
  }
}

/** The revision a list reads at: unset or "0" = latest; N with resourceVersionMatch=Exact = at N. */
export function listRevision(ctx: ApiContext): number {
  const rv = ctx.url.searchParams.get('resourceVersion')
  const match = ctx.url.searchParams.get('resourceVersionMatch')
  if (match && !['Exact', 'NotOlderThan'].includes(match)) throw badRequestError(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`)
  if (!rv || rv === '0') {
    if (match === 'Exact') throw badRequestError(`resourceVersionMatch "Exact" is forbidden for resourceVersion "${rv ?? ''}"`)
    return 0
  }
  if (!/^\d+$/.test(rv)) throw badRequestError(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`)
  return match === 'Exact' ? Number(rv) : 0
}

export function listObjects(ctx: ApiContext): Response {
  const { labels, fields } = selectorsOf(ctx)
  const limitParam = ctx.url.searchParams.get('limit')
  const limit = limitParam ? Number(limitParam) : 0
  if (!Number.isInteger(limit) || limit < 0) throw badRequestError(`limit: Invalid value: "${limitParam}": must be a non-negative integer`)
  const page = ctx.objects.list(ctx.kind, {
    namespace: ctx.info.namespace,
    labels,
    fields,
    limit,
    continue: ctx.url.searchParams.get('continue') || undefined,
    revision: listRevision(ctx),
  })
  page.items = page.items.map((o) => present(ctx.kind, o, ctx.now()))
  const table = wantsTable(ctx.accept)
  if (table)
    return Response.json(
      toTable(ctx.kind, page.items, ctx.now(), { version: table, includeObject: ctx.url.searchParams.get('includeObject') ?? 'Metadata', resourceVersion: page.resourceVersion, continue: page.continue }),
    )
  return Response.json({
    kind: `${ctx.kind.kind}List`,
    apiVersion: apiVersionOf(ctx.kind),
    metadata: { resourceVersion: page.resourceVersion, ...(page.continue ? { continue: page.continue } : {}) },
    items: page.items.map(listItem),
  })
}

/** Items of a list carry no apiVersion/kind of their own, as upstream encodes them. */
function listItem(o: Obj): Obj {
  const { apiVersion: _a, kind: _k, ...rest } = o
  return rest as Obj
}

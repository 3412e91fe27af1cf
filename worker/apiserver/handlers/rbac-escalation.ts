// The RBAC kinds' storage guards (the policybased storages of pkg/registry/rbac): a
// create or update of a Role, ClusterRole, RoleBinding or ClusterRoleBinding by a
// request is refused with 403 when it would grant what the writer does not hold.
// Controllers write without it (the aggregation controller fills roles' rules).
import { authorize } from '../authz/rbac'
import { type RbacWrite, rbacWriteRefusal } from '../authz/escalation'
import { rolesOf } from '../authz/store-roles'
import type { ApiContext } from '../context'
import { ApiError, notFoundError } from '../errors'
import type { Obj } from '../objects'
import { status } from '../status'
import { findKind } from '../../resources/registry'
import { goQuote as q } from '../authz/go-quote'

const RBAC = 'rbac.authorization.k8s.io'

/** Only the garbage collector's fields changed (IsOnlyMutatingGCFields): always allowed. */
function onlyGcFields(o: Obj, old: Obj): boolean {
  const strip = (x: Obj) => {
    const { ownerReferences: _o, finalizers: _f, resourceVersion: _r, managedFields: _m, ...metadata } = x.metadata ?? {}
    return JSON.stringify({ ...x, metadata })
  }
  return strip(o) === strip(old)
}

export function admitRbacWrite(ctx: ApiContext, o: Obj, old?: Obj): void {
  if (ctx.kind.group !== RBAC) return
  if (old && onlyGcFields(o, old)) return
  const roles = rolesOf(ctx.objects)
  const refusal = rbacWriteRefusal({
    user: ctx.user,
    resource: ctx.kind.resource,
    namespace: ctx.info.namespace ?? '',
    name: ctx.info.name ?? '',
    object: o as RbacWrite['object'],
    old: old as RbacWrite['old'],
    source: roles,
    allows: (attrs) => authorize(attrs, roles).allowed,
  })
  if (!refusal) return
  if ('notFound' in refusal) throw notFoundError(findKind(RBAC, 'v1', refusal.notFound.resource)!, refusal.notFound.name)
  if ('internal' in refusal) throw new ApiError(status(500, 'InternalError', `Internal error occurred: ${refusal.internal}`))
  const name = o.metadata?.name ?? ''
  const qualified = `${ctx.kind.resource}.${RBAC}`
  const message = name ? `${qualified} ${q(name)} is forbidden: ${refusal.forbidden}` : `${qualified} is forbidden: ${refusal.forbidden}`
  throw new ApiError(status(403, 'Forbidden', message, { ...(name ? { name } : {}), group: RBAC, kind: ctx.kind.resource }))
}

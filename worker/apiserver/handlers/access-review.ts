// The authorization.k8s.io reviews, answered by the same RBAC authorizer that guards
// requests (pkg/registry/authorization): SelfSubjectAccessReview and
// SelfSubjectRulesReview ask about the requester (after impersonation, so
// `kubectl auth can-i --as` works as upstream), SubjectAccessReview and
// LocalSubjectAccessReview about anyone named in the spec. Nothing is stored.
import type { UserInfo } from '../authn'
import { reviewAttributes, type ReviewSpec } from '../authz/attributes'
import { accessReviewStatus, authorize } from '../authz/rbac'
import { NO_NAMESPACE_MESSAGE, subjectRulesReviewStatus } from '../authz/rules-review'
import { rolesOf } from '../authz/store-roles'
import type { ApiContext } from '../context'
import { ApiError, badRequestError, notFoundError } from '../errors'
import type { Obj } from '../objects'
import { status } from '../status'

const created = (o: unknown) => Response.json(o, { status: 201 })
const shown = (v: unknown) => (v === undefined || v === null ? 'null' : JSON.stringify(v))

/** ValidateSubjectAccessReviewSpec and friends: the field errors of a review's spec. */
function specErrors(kind: string, spec: Obj): string[] {
  const errs: string[] = []
  const r = spec.resourceAttributes
  const n = spec.nonResourceAttributes
  if (r && n) errs.push(`spec.nonResourceAttributes: Invalid value: ${shown(n)}: cannot be specified in combination with resourceAttributes`)
  if (!r && !n) errs.push(`spec.resourceAttributes: Invalid value: ${shown(n)}: exactly one of nonResourceAttributes or resourceAttributes must be specified`)
  if (kind === 'SubjectAccessReview' || kind === 'LocalSubjectAccessReview') {
    if (!spec.user && !(spec.groups ?? []).length) errs.push(`spec.user: Invalid value: ${JSON.stringify(spec.user ?? '')}: at least one of user or group must be specified`)
  }
  if (kind === 'LocalSubjectAccessReview' && n) errs.push(`spec.nonResourceAttributes: Invalid value: ${shown(n)}: disallowed on this kind of request`)
  return errs
}

function invalid(kind: string, errs: string[]): ApiError {
  const list = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`
  return new ApiError(
    status(422, 'Invalid', `${kind}.authorization.k8s.io "" is invalid: ${list}`, {
      group: 'authorization.k8s.io',
      kind,
      causes: errs.map((e) => {
        const field = e.slice(0, e.indexOf(':'))
        return { reason: 'FieldValueInvalid', message: e.slice(field.length + 2), field }
      }),
    }),
  )
}

/** The user a SubjectAccessReview's spec names (its groups as given: nothing is added). */
function specUser(spec: Obj): UserInfo {
  const u: UserInfo = { username: spec.user ?? '', groups: Array.isArray(spec.groups) ? spec.groups : [] }
  if (spec.uid) u.uid = spec.uid
  if (spec.extra && typeof spec.extra === 'object') u.extra = spec.extra
  return u
}

export function accessReview(ctx: ApiContext, out: Obj): Response {
  const kind = ctx.kind.kind
  let spec: Obj = out.spec && typeof out.spec === 'object' ? out.spec : {}
  const roles = rolesOf(ctx.objects)
  if (kind === 'SelfSubjectRulesReview') {
    const namespace = typeof spec.namespace === 'string' ? spec.namespace : ''
    if (!namespace) throw badRequestError(NO_NAMESPACE_MESSAGE)
    // Upstream answers a new object: the spec is not echoed.
    return created({ kind, apiVersion: out.apiVersion, metadata: { creationTimestamp: null }, spec: {}, status: subjectRulesReviewStatus(ctx.user, namespace, roles) })
  }
  const errs = specErrors(kind, spec)
  if (errs.length) throw invalid(kind, errs)
  let user = ctx.user
  if (kind === 'SubjectAccessReview' || kind === 'LocalSubjectAccessReview') user = specUser(spec)
  if (kind === 'LocalSubjectAccessReview') {
    const ns = ctx.info.namespace ?? ''
    if (!ns) throw badRequestError(`namespace is required on this type: ${ns}`)
    if (out.metadata.namespace && out.metadata.namespace !== ns)
      throw badRequestError('the namespace of the provided object does not match the namespace sent on the request')
    out.metadata = { ...out.metadata, namespace: ns }
    const r = spec.resourceAttributes
    if (r.namespace && r.namespace !== ns) throw badRequestError(`spec.resourceAttributes.namespace must match namespace: ${ns}`)
    out.spec = spec = { ...spec, resourceAttributes: { ...r, namespace: ns } }
  }
  if (kind !== 'SelfSubjectAccessReview' && kind !== 'SubjectAccessReview' && kind !== 'LocalSubjectAccessReview') throw notFoundError(ctx.kind, '')
  const decision = authorize(reviewAttributes(spec as ReviewSpec, user), roles)
  return created({ ...out, status: accessReviewStatus(decision) })
}

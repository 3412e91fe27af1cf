// The 403 a denied request gets: responsewriters.Forbidden (forbiddenMessage, with the
// authorizer's reason after a colon) inside apierrors.NewForbidden, whose message and
// details name the group and resource the request was for.
import { type Status, status } from '../status'
import type { Attributes } from './attributes'
import { goQuote as q } from './go-quote'

/**
 * `User "alice" cannot list resource "pods" in API group "" in the namespace "bob"`,
 * `… at the cluster scope`, or `User "alice" cannot get path "/metrics"`.
 */
export function forbiddenMessage(attrs: Attributes): string {
  const user = q(attrs.user.username)
  if (!attrs.isResourceRequest) return `User ${user} cannot ${attrs.verb} path ${q(attrs.path)}`
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource
  const what = `User ${user} cannot ${attrs.verb} resource ${q(resource)} in API group ${q(attrs.apiGroup)}`
  return attrs.namespace
    ? `${what} in the namespace ${q(attrs.namespace)}`
    : `${what} at the cluster scope`
}

/** The API server never lets its errors look like HTML (responsewriters' sanitizer). */
const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * The Status of a denied request. `reason` is the authorizer's (RBAC's is "" unless a
 * binding names a missing role). Details carry the group, the resource as `kind` and
 * the name, as NewForbidden fills them; a path has empty details.
 */
export function forbiddenStatus(attrs: Attributes, reason = ''): Status {
  const msg = sanitize(forbiddenMessage(attrs))
  const err = reason ? `${msg}: ${reason}` : msg
  const group = attrs.apiGroup
  const resource = attrs.resource
  const qualified = group ? `${resource}.${group}` : resource
  const name = attrs.name
  let message: string
  if (!qualified) message = `forbidden: ${err}`
  else if (!name) message = `${qualified} is forbidden: ${err}`
  else message = `${qualified} ${q(name)} is forbidden: ${err}`
  const details: Status['details'] = {}
  if (name) details.name = name
  if (group) details.group = group
  if (resource) details.kind = resource
  return status(403, 'Forbidden', message, details)
}

// What kube-apiserver's filters do to a request between authentication and its handler:
// impersonation (WithImpersonation), then authorization (WithAuthorization), each
// answering 403 with responsewriters.Forbidden's Status when RBAC has no rule for it.
import type { UserInfo } from '../authn'
import type { RequestInfo } from '../request-info'
import { type Status, status } from '../status'
import { requestAttributes } from './attributes'
import { forbiddenStatus } from './forbidden'
import { impersonation } from './impersonation'
import { authorize, type RoleSource } from './rbac'

export type RequestDecision = { user: UserInfo } | { refused: Status }

/** The user the request runs as, or the Status refusing it. */
export function authorizeRequest(
  requester: UserInfo,
  headers: Headers,
  info: RequestInfo,
  query: URLSearchParams,
  roles: RoleSource,
): RequestDecision {
  let user = requester
  const asked = impersonation(requester, headers)
  if ('error' in asked) return { refused: status(500, 'InternalError', `Internal error occurred: ${asked.error}`) }
  if ('checks' in asked) {
    for (const attrs of asked.checks) {
      const d = authorize(attrs, roles)
      if (!d.allowed) return { refused: forbiddenStatus(attrs, d.reason) }
    }
    user = asked.user
  }
  const attrs = requestAttributes(info, user, query)
  const d = authorize(attrs, roles)
  return d.allowed ? { user } : { refused: forbiddenStatus(attrs, d.reason) }
}

// Who may create clusters: a deployment setting. "open" lets anyone in;
// "secret" asks for the CREATOR_SECRET as a bearer token.
import type { MiddlewareHandler } from 'hono'
import { bearerToken, hashToken, sameDigest } from '../apiserver/authn'
import { status, statusResponse } from '../apiserver/status'

export interface RequireCreatorOptions {
  mode: (env: unknown) => string | undefined
  secret: (env: unknown) => string | undefined
}

export function requireCreator(options: RequireCreatorOptions): MiddlewareHandler {
  return async function requireCreator(c, next) {
    const mode = options.mode(c.env) ?? 'secret'
    if (mode === 'open') return next()
    const secret = options.secret(c.env)
    if (!secret) return statusResponse(status(403, 'Forbidden', 'cluster creation is disabled: no CREATOR_SECRET is set'))
    const token = bearerToken(c.req.header('authorization'))
    if (!token) return statusResponse(status(401, 'Unauthorized', 'Unauthorized'))
    const [a, b] = await Promise.all([hashToken(token), hashToken(secret)])
    if (!sameDigest(a, b)) return statusResponse(status(401, 'Unauthorized', 'Unauthorized'))
    return next()
  }
}

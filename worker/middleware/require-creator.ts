// Who may create clusters: a deployment setting. "open" lets anyone in (the
// directory then limits creations per client address); "secret" asks for the
// CREATOR_SECRET as a bearer token. Either way the request learns its creator:
// the client address and whether it holds the secret.
import type { MiddlewareHandler } from 'hono'
import { bearerToken, hashToken, sameDigest } from '../apiserver/authn'
import { clientAddress } from '../apiserver/limits/client-address'
import { status, statusResponse } from '../apiserver/status'

export interface Creator {
  /** CF-Connecting-IP, as Cloudflare sets it; "local" on the local server, which has none. */
  address: string
  secretHolder: boolean
  open: boolean
}

declare module 'hono' {
  interface ContextVariableMap {
    creator: Creator
  }
}

export interface RequireCreatorOptions {
  mode: (env: unknown) => string | undefined
  secret: (env: unknown) => string | undefined
}

export function requireCreator(options: RequireCreatorOptions): MiddlewareHandler {
  return async function requireCreator(c, next) {
    const open = (options.mode(c.env) ?? 'secret') === 'open'
    const address = clientAddress(c.req.raw)
    const secret = options.secret(c.env)
    const token = bearerToken(c.req.header('authorization'))
    if (!open && !secret) return statusResponse(status(403, 'Forbidden', 'cluster creation is disabled: no CREATOR_SECRET is set'))
    // In open mode no token is needed, but a wrong one is still refused rather than ignored.
    if (!token && open) {
      c.set('creator', { address, secretHolder: false, open })
      return next()
    }
    if (!token || !secret) return statusResponse(status(401, 'Unauthorized', 'Unauthorized'))
    const [a, b] = await Promise.all([hashToken(token), hashToken(secret)])
    if (!sameDigest(a, b)) return statusResponse(status(401, 'Unauthorized', 'Unauthorized'))
    c.set('creator', { address, secretHolder: true, open })
    return next()
  }
}

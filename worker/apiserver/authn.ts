// Bearer-token authentication. The admin token is a random 256-bit string shown
// once; only its SHA-256 is stored, so a leaked store does not leak a token.
// Service-account tokens (JWTs) are checked by service-account-token.ts.

const TOKEN_BYTES = 32

export function newToken(prefix = 'wh'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))
  let b64 = btoa(String.fromCharCode(...bytes))
  b64 = b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return `${prefix}_${b64}`
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}

const BEARER_PROTOCOL = 'base64url.bearer.authorization.k8s.io.'

/**
 * The token a WebSocket upgrade carries as the subprotocol
 * `base64url.bearer.authorization.k8s.io.<base64url token>`, as kube-apiserver
 * takes it from browsers (which cannot set Authorization on a WebSocket).
 * Undefined when there is none, or when it is malformed, doubled, or the only
 * subprotocol offered (upstream refuses those too).
 */
export function websocketBearerToken(req: Request): string | undefined {
  if ((req.headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') return undefined
  let token: string | undefined
  let others = 0
  for (const p of (req.headers.get('sec-websocket-protocol') ?? '').split(',').map((s) => s.trim())) {
    if (!p.startsWith(BEARER_PROTOCOL)) {
      if (p) others++
      continue
    }
    if (token !== undefined) return undefined
    const encoded = p.slice(BEARER_PROTOCOL.length)
    if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return undefined
    try {
      const bytes = Uint8Array.from(atob(encoded.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
      token = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
    } catch {
      return undefined
    }
  }
  return token && others > 0 ? token : undefined
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** Who a request is from, as authentication.k8s.io/v1 UserInfo. */
export interface UserInfo {
  username: string
  uid?: string
  groups: string[]
  extra?: Record<string, string[]>
}

/** The holder of the cluster's admin token. */
export const ADMIN_USER: UserInfo = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] }

export interface AuthnDeps {
  adminTokenHash: string
  /** Checks a token that is not the admin's: a service-account token of this cluster. */
  serviceAccount(token: string): Promise<UserInfo | undefined>
  /** The participant whose token has this SHA-256 (hex), unless revoked: only this cluster's own are known. */
  participant?(tokenHash: string): UserInfo | undefined
}

/** The user of a request's bearer token: the admin, a service account, a participant, or nobody (401). */
export async function authenticate(req: Request, deps: AuthnDeps): Promise<UserInfo | undefined> {
  const token = bearerToken(req.headers.get('authorization')) ?? websocketBearerToken(req)
  if (!token) return undefined
  const hash = await hashToken(token)
  if (sameDigest(hash, deps.adminTokenHash)) return ADMIN_USER
  // Admin tokens are `wha_…`, participants' `whp_…`; a JWT has three dot-separated parts.
  if (token.split('.').length === 3) return deps.serviceAccount(token)
  // Looked up by its digest (an index lookup, not a comparison of secrets).
  return deps.participant?.(hash)
}

// Bearer-token authentication. Tokens are random 256-bit strings shown once;
// only their SHA-256 is stored, so a leaked store does not leak a token.

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

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

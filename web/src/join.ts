// Joining a workshop: the room's join code and a display name buy a token of
// one's own (POST /clusters/{name}/join), with a username and namespace the
// cluster chose. Failures read as a person needs them, not as HTTP codes.
import type { Identity } from './identity'

export type JoinResult = { ok: true; identity: Identity } | { ok: false; message: string; field?: 'joinCode' | 'cluster' | 'name' }

/** Crockford base32 as the server prints codes: upper case, I/L read as 1, O as 0, spaces ignored. */
export function normalizeJoinCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
}

export async function join(cluster: string, joinCode: string, displayName: string, fetcher: typeof fetch = fetch): Promise<JoinResult> {
  let r: Response
  try {
    r = await fetcher(`/clusters/${cluster}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ joinCode: normalizeJoinCode(joinCode), displayName: displayName.trim() }),
    })
  } catch {
    return { ok: false, message: 'The server cannot be reached.' }
  }
  let body: Record<string, any> = {}
  try {
    body = await r.json()
  } catch {
    // A body that is not JSON still has a status code to go by.
  }
  if (r.ok && typeof body.token === 'string')
    return { ok: true, identity: { cluster, token: body.token, name: displayName.trim(), username: body.username, namespace: body.namespace } }
  if (r.status === 404) return { ok: false, field: 'cluster', message: `There is no cluster named "${cluster}".` }
  if (r.status === 429) {
    const wait = Number(r.headers.get('retry-after')) || body.details?.retryAfterSeconds
    return { ok: false, field: 'joinCode', message: `Too many tries. Wait${wait ? ` ${wait} s` : ' a while'} and try again.` }
  }
  if (r.status === 401 || r.status === 403) return { ok: false, field: 'joinCode', message: 'That join code is not right for this cluster.' }
  if (r.status === 422) return { ok: false, field: body.details?.causes?.[0]?.field === 'displayName' ? 'name' : undefined, message: body.message ?? 'The server refused these details.' }
  return { ok: false, message: body.message ?? `The server answered HTTP ${r.status}.` }
}

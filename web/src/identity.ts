// Who is signed in: the cluster, a bearer token for it and a display name,
// and, for a participant who joined with the room's join code, the username
// and namespace the cluster gave them. From the URL fragment
// (#/clusters/demo?token=…&name=…, or ?join=<code> to prefill the code; never
// the query string, so no server logs it) or the sign-in form; kept in
// sessionStorage for this tab only.

export interface Identity {
  cluster: string
  token: string
  name: string
  /** The user the cluster knows a participant as (join answer); absent for a pasted token. */
  username?: string
  /** The participant's own namespace (join answer): the terminal's and kubeconfig's default. */
  namespace?: string
}

/** What the sign-in form may be prefilled with: an identity in the making, and a join code. */
export type Prefill = Partial<Identity> & { joinCode?: string }

const KEY = 'wheelhouse.identity'
const CLUSTER = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

/** The identity in a fragment such as "#/clusters/demo?token=…&name=…", if complete. */
export function fromFragment(hash: string): Prefill {
  const m = /^#\/clusters\/([^/?#]+)\/?(?:\?(.*))?$/.exec(hash)
  if (!m) return {}
  const q = new URLSearchParams(m[2] ?? '')
  const out: Prefill = { cluster: decodeURIComponent(m[1]!) }
  const token = q.get('token')
  const name = q.get('name')
  const join = q.get('join')
  if (token) out.token = token
  if (name) out.name = name
  if (join) out.joinCode = join
  return out
}

/** What is wrong with an identity, field by field (empty when it will do). */
export function problems(id: Partial<Identity>): Partial<Record<keyof Identity, string>> {
  const p: Partial<Record<keyof Identity, string>> = {}
  if (!id.cluster || !CLUSTER.test(id.cluster)) p.cluster = 'a lowercase name such as "demo"'
  if (!id.token?.trim()) p.token = 'the cluster\'s token'
  if (!id.name?.trim()) p.name = 'a name the others will see'
  else if (id.name.trim().length > 40) p.name = 'at most 40 characters'
  return p
}

export function load(): Identity | undefined {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Identity | null
    return saved && Object.keys(problems(saved)).length === 0 ? saved : undefined
  } catch {
    return undefined
  }
}

export function save(id: Identity): void {
  const { cluster, token, name, username, namespace } = id
  sessionStorage.setItem(KEY, JSON.stringify({ cluster, token: token.trim(), name: name.trim(), username, namespace }))
}

export function forget(): void {
  sessionStorage.removeItem(KEY)
}

/**
 * The identity to start with: a complete fragment wins over the saved one;
 * a partial one (no token) prefills the form. The token leaves the address bar.
 */
export function initial(loc: Location, hist: History): { identity?: Identity; prefill: Prefill } {
  const frag = fromFragment(loc.hash)
  if (frag.token || frag.joinCode) hist.replaceState(null, '', `${loc.pathname}#/clusters/${frag.cluster}`)
  const saved = load()
  // A join link is an invitation to sign in afresh, not to reuse this tab's identity.
  if (frag.joinCode) return { prefill: { ...(saved && saved.cluster === frag.cluster ? { name: saved.name } : {}), ...frag } }
  const merged = { ...(saved?.cluster === frag.cluster || !frag.cluster ? saved : {}), ...frag }
  if (Object.keys(problems(merged)).length === 0) {
    save(merged as Identity)
    return { identity: merged as Identity, prefill: merged }
  }
  return { prefill: { cluster: 'demo', ...merged } }
}

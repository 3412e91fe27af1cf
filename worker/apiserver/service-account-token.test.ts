import { describe, expect, it } from 'vitest'
import { ADMIN_USER, authenticate, hashToken } from './authn'
import {
  authenticateServiceAccountToken,
  claimsFor,
  claimsProblem,
  importSigningKey,
  ISSUER,
  LEEWAY_SECONDS,
  newSigningKey,
  readToken,
  SIGNING_KEY_SETTING,
  signToken,
  SigningKeys,
  type VerifyDeps,
} from './service-account-token'

const T0 = Date.UTC(2030, 0, 1)
const SA = { name: 'default', uid: 'sa-uid' }
const claims = (over: Partial<Parameters<typeof claimsFor>[0]> = {}) =>
  claimsFor({ namespace: 'default', serviceAccount: SA, audiences: [ISSUER], expirationSeconds: 3600, now: T0, ...over })

const b64urlJson = (s: string) => JSON.parse(atob(s.replace(/-/g, '+').replace(/_/g, '/')))

describe('service-account tokens', () => {
  it('signs a JWT with upstream claims and reads it back with the same key', async () => {
    const key = await importSigningKey(newSigningKey())
    const c = claims()
    const token = await signToken(key, c)
    const [h, p, s] = token.split('.')
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(b64urlJson(h!)).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(b64urlJson(p!)).toMatchObject({
      aud: [ISSUER],
      iss: ISSUER,
      sub: 'system:serviceaccount:default:default',
      iat: T0 / 1000,
      nbf: T0 / 1000,
      exp: T0 / 1000 + 3600,
      'kubernetes.io': { namespace: 'default', serviceaccount: SA },
    })
    expect(await readToken(key, token)).toEqual(c)
  })

  it('refuses another key, a tampered payload, another algorithm and garbage', async () => {
    const key = await importSigningKey(newSigningKey())
    const other = await importSigningKey(newSigningKey())
    const token = await signToken(key, claims())
    expect(await readToken(other, token)).toBeUndefined()
    const [h, p, s] = token.split('.') as [string, string, string]
    const forged = btoa(JSON.stringify({ ...b64urlJson(p), sub: 'system:serviceaccount:kube-system:admin' })).replace(/=+$/, '')
    expect(await readToken(key, `${h}.${forged}.${s}`)).toBeUndefined()
    const none = btoa(JSON.stringify({ alg: 'none' })).replace(/=+$/, '')
    expect(await readToken(key, `${none}.${p}.`)).toBeUndefined()
    for (const junk of ['', 'a.b', 'a.b.c', `${h}.${p}.!!`, `${h}.${p}`]) expect(await readToken(key, junk)).toBeUndefined()
  })

  it('is valid from nbf to exp on the given clock, with upstream leeway, for the API audience only', () => {
    const c = claims()
    expect(claimsProblem(c, T0)).toBeUndefined()
    expect(claimsProblem(c, T0 + 3600_000 + LEEWAY_SECONDS * 1000)).toBeUndefined()
    expect(claimsProblem(c, T0 + 3600_000 + LEEWAY_SECONDS * 1000 + 1000)).toBe('service account token has expired')
    expect(claimsProblem(c, T0 - (LEEWAY_SECONDS + 1) * 1000)).toBe('service account token is not valid yet')
    expect(claimsProblem(claims({ audiences: ['vault'] }), T0)).toBe('token audiences is invalid for the target audiences')
  })

  it('authenticates while the service account (and bound pod) is the same object', async () => {
    const key = await importSigningKey(newSigningKey())
    const live = new Map([
      ['ServiceAccount/default/default', 'sa-uid'],
      ['Pod/default/web', 'pod-uid'],
    ])
    const deps = (now = T0): VerifyDeps => ({ key, now, uidOf: (kind, ns, name) => live.get(`${kind}/${ns}/${name}`) })
    const token = await signToken(key, claims())
    expect(await authenticateServiceAccountToken(token, deps())).toMatchObject({
      username: 'system:serviceaccount:default:default',
      uid: 'sa-uid',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    })
    expect(await authenticateServiceAccountToken(token, deps(T0 + 2 * 3600_000))).toBeUndefined()
    expect(await authenticateServiceAccountToken(token, { ...deps(), key: undefined })).toBeUndefined()
    const podBound = await signToken(key, claims({ pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: '' } }))
    expect((await authenticateServiceAccountToken(podBound, deps()))?.extra).toMatchObject({
      'authentication.kubernetes.io/pod-name': ['web'],
      'authentication.kubernetes.io/pod-uid': ['pod-uid'],
      'authentication.kubernetes.io/node-name': ['n1'],
    })
    live.set('Pod/default/web', 'another-pod')
    expect(await authenticateServiceAccountToken(podBound, deps())).toBeUndefined()
    // A service account deleted and made again has a new uid: old tokens are revoked.
    live.set('ServiceAccount/default/default', 'new-uid')
    expect(await authenticateServiceAccountToken(token, deps())).toBeUndefined()
  })

  it('keeps one key per cluster in its settings, made on first issue only', async () => {
    const store = new Map<string, unknown>()
    const settings = { get: <T>(k: string) => store.get(k) as T | undefined, set: (k: string, v: unknown) => void store.set(k, v) }
    expect(new SigningKeys(settings).get(false)).toBeUndefined()
    expect(store.size).toBe(0)
    const keys = new SigningKeys(settings)
    const token = await signToken(await keys.get(true)!, claims())
    expect(typeof store.get(SIGNING_KEY_SETTING)).toBe('string')
    // A restarted object reads the same key back.
    expect(await readToken(await new SigningKeys(settings).get(false)!, token)).toBeDefined()
  })

  it('tells the admin token from a service-account token and from nonsense', async () => {
    const adminTokenHash = await hashToken('wha_secret')
    const req = (auth?: string) => new Request('http://x/', { headers: auth ? { authorization: auth } : {} })
    const sa = { username: 'system:serviceaccount:a:b', groups: [] }
    const deps = { adminTokenHash, serviceAccount: async (t: string) => (t === 'x.y.z' ? sa : undefined) }
    expect(await authenticate(req('Bearer wha_secret'), deps)).toBe(ADMIN_USER)
    expect(await authenticate(req('Bearer x.y.z'), deps)).toBe(sa)
    expect(await authenticate(req('Bearer x.y.w'), deps)).toBeUndefined()
    expect(await authenticate(req('Bearer wha_other'), deps)).toBeUndefined()
    expect(await authenticate(req(), deps)).toBeUndefined()
  })
})

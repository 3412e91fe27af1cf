import { describe, expect, it } from 'vitest'
import { ADMIN_USER, authenticate, hashToken, newToken, websocketBearerToken } from './authn'
import { participantUser } from './authz/workshop-policy'

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const b64url = (s: string | Uint8Array) =>
  b64(typeof s === 'string' ? new TextEncoder().encode(s) : s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const upgrade = (protocols: string, extra: Record<string, string> = {}) =>
  new Request('http://x/clusters/demo/live', { headers: { upgrade: 'websocket', 'sec-websocket-protocol': protocols, ...extra } })

describe('websocketBearerToken (kube-apiserver websocket ProtocolAuthenticator)', () => {
  const token = 'wha_abc-DEF_123'
  it('takes the token from the base64url subprotocol beside another one', () => {
    expect(websocketBearerToken(upgrade(`wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64url(token)}`))).toBe(token)
    expect(websocketBearerToken(upgrade(`base64url.bearer.authorization.k8s.io.${b64url('a.b.c')},wheelhouse.v1`))).toBe('a.b.c')
  })

  it.each([
    ['no upgrade', new Request('http://x/', { headers: { 'sec-websocket-protocol': `wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64url(token)}` } })],
    ['the token as the only subprotocol', upgrade(`base64url.bearer.authorization.k8s.io.${b64url(token)}`)],
    ['two tokens', upgrade(`wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64url(token)}, base64url.bearer.authorization.k8s.io.${b64url(token)}`)],
    ['standard base64 (padding)', upgrade(`wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64(new TextEncoder().encode('ab'))}`)],
    ['not base64', upgrade('wheelhouse.v1, base64url.bearer.authorization.k8s.io.***')],
    ['bytes that are not UTF-8', upgrade(`wheelhouse.v1, base64url.bearer.authorization.k8s.io.${b64url(new Uint8Array([0xff, 0xfe]))}`)],
    ['an empty token', upgrade('wheelhouse.v1, base64url.bearer.authorization.k8s.io.')],
    ['no token at all', upgrade('wheelhouse.v1')],
  ])('finds none with %s', (_, req) => {
    expect(websocketBearerToken(req)).toBeUndefined()
  })
})

describe('authenticate', () => {
  const bearer = (token?: string) => new Request('http://x/', { headers: token ? { authorization: `Bearer ${token}` } : {} })
  it('knows the admin, then service accounts (JWTs), then participants by their token digest', async () => {
    const admin = newToken('wha')
    const alice = newToken('whp')
    const aliceHash = await hashToken(alice)
    const asked: string[] = []
    const deps = {
      adminTokenHash: await hashToken(admin),
      serviceAccount: async (t: string) => (t === 'a.b.c' ? { username: 'system:serviceaccount:default:robot', groups: [] } : undefined),
      participant: (h: string) => (asked.push(h), h === aliceHash ? participantUser('alice') : undefined),
    }
    expect(await authenticate(bearer(admin), deps)).toEqual(ADMIN_USER)
    expect((await authenticate(bearer('a.b.c'), deps))?.username).toBe('system:serviceaccount:default:robot')
    expect(asked).toEqual([])
    expect(await authenticate(bearer(alice), deps)).toEqual({ username: 'alice', groups: ['wheelhouse:participants', 'system:authenticated'] })
    expect(asked).toEqual([aliceHash])
    expect(await authenticate(bearer(newToken('whp')), deps)).toBeUndefined()
    expect(await authenticate(bearer(), deps)).toBeUndefined()
    // Without a participant lookup (a cluster with no workshop wiring) nobody else gets in.
    expect(await authenticate(bearer(alice), { ...deps, participant: undefined })).toBeUndefined()
    expect(alice).toMatch(/^whp_[A-Za-z0-9_-]{43}$/)
  })
})

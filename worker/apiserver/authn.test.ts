import { describe, expect, it } from 'vitest'
import { websocketBearerToken } from './authn'

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

// GET /clusters/{name}/live: the WebSocket upgrade. The cluster object has
// authenticated the request already (the bearer token rides in a subprotocol,
// authn.ts); here the request must be an upgrade offering our subprotocol.
import type { UserInfo } from '../apiserver/authn'
import { status, statusResponse } from '../apiserver/status'
import type { LiveHub } from './hub'
import { BEARER_SUBPROTOCOL_PREFIX, LIVE_SUBPROTOCOL } from './protocol'

/** The subprotocols a request offers, without the one carrying the token. */
export function offeredProtocols(header: string | null): string[] {
  if (!header) return []
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith(BEARER_SUBPROTOCOL_PREFIX))
}

export function upgradeToLive(request: Request, user: UserInfo, hub: LiveHub<WebSocket>): Response {
  if (request.method !== 'GET')
    return statusResponse(status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${request.method} live)`))
  // kube-apiserver's words for a streaming endpoint reached without an upgrade.
  if ((request.headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') return statusResponse(status(400, 'BadRequest', 'Upgrade request required'))
  if (!offeredProtocols(request.headers.get('sec-websocket-protocol')).includes(LIVE_SUBPROTOCOL))
    return statusResponse(status(400, 'BadRequest', `Sec-WebSocket-Protocol: Required value: the live feed speaks "${LIVE_SUBPROTOCOL}"`))
  const pair = new WebSocketPair()
  hub.accept(pair[1], user)
  return new Response(null, { status: 101, webSocket: pair[0], headers: { 'sec-websocket-protocol': LIVE_SUBPROTOCOL } })
}

// The workshop's own routes on a cluster: joining with the room's code (no
// token needed), and the leader's view of who joined, revocation and a new
// join code. The cluster object routes here and decides who is the leader.
import { hashToken, newToken, sameDigest, type UserInfo } from '../authn'
import { DEFAULT_MODE, participantObjects, participantUser, type WorkshopMode } from '../authz/workshop-policy'
import { kubeconfigText } from '../kubeconfig'
import { clientAddress } from '../limits/client-address'
import { JoinGuard } from '../limits/join-guard'
import { tooManyRequests } from '../limits/request-limits'
import type { Objects } from '../objects'
import { findKind } from '../../resources/registry'
import type { Settings } from '../../sim/settings'
import { badRequest, notFound, status, statusResponse } from '../status'
import { joinCodeHash, newJoinCode, normalizeJoinCode } from './join-code'
import { type ParticipantRow, Participants, viewOf } from './participants'
import { createMissing } from './provision'
import { displayNameProblem, participantLabel } from './slug'

export const JOIN_CODE_KEY = 'joinCodeHash'
/** More people than a room holds; each costs a namespace with its quota. */
export const MAX_PARTICIPANTS = 200
const MAX_JOIN_BODY = 16 * 1024
const NAMESPACES = findKind('', 'v1', 'namespaces')!

export interface WorkshopDeps {
  cluster(): { name: string; uid: string; mode?: WorkshopMode }
  settings: Settings
  participants: Participants
  objects: Objects
  /** Simulated now, for the objects' timestamps. */
  now(): number
  /** Wall-clock now, for tokens' dates and the guessing lockout. */
  wallNow(): number
  publicUrl?: string
  /** Runs the writes as the workshop (attribution). */
  asSystem<T>(fn: () => T): T
  /** A participant's token was revoked: end what it holds open. */
  revoked(username: string): void
}

const invalid = (field: string, value: unknown, detail: string) =>
  statusResponse(
    status(422, 'Invalid', `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`, { causes: [{ type: 'FieldValueInvalid', field, message: detail }] }),
  )

export class Workshop {
  readonly guard = new JoinGuard()
  constructor(readonly deps: WorkshopDeps) {}

  /** Makes a new join code, stores its digest, and returns it (shown once). */
  static async setJoinCode(settings: Settings, clusterUid: string): Promise<string> {
    const code = newJoinCode()
    settings.set(JOIN_CODE_KEY, await joinCodeHash(clusterUid, normalizeJoinCode(code)!))
    return code
  }

  user(tokenHash: string): UserInfo | undefined {
    const p = this.deps.participants.active(tokenHash)
    return p ? participantUser(p.username) : undefined
  }

  /** POST /join {joinCode, displayName}: a token, a username and a namespace of one's own. */
  async join(req: Request): Promise<Response> {
    const { deps } = this
    const address = clientAddress(req)
    const wait = this.guard.retryAfter(address, deps.wallNow())
    if (wait) return tooManyRequests(wait)
    if (req.method !== 'POST') return statusResponse(status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${req.method} join)`))
    if (Number(req.headers.get('content-length') ?? 0) > MAX_JOIN_BODY) return statusResponse(status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_JOIN_BODY}`))
    let body: Record<string, unknown>
    try {
      const text = await req.text()
      if (text.length > MAX_JOIN_BODY) return statusResponse(status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_JOIN_BODY}`))
      body = JSON.parse(text)
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object')
    } catch {
      return statusResponse(badRequest('request body must be a JSON object {"joinCode": "...", "displayName": "..."}'))
    }
    if (typeof body.joinCode !== 'string' || !body.joinCode)
      return statusResponse(status(422, 'Invalid', 'joinCode: Required value', { causes: [{ type: 'FieldValueRequired', field: 'joinCode', message: 'Required value' }] }))
    const cluster = deps.cluster()
    const canonical = normalizeJoinCode(body.joinCode)
    const stored = deps.settings.get<string>(JOIN_CODE_KEY)
    const digest = canonical === undefined ? undefined : await joinCodeHash(cluster.uid, canonical)
    // Again after the await: guesses sent all at once are judged one by one, so the lockout holds.
    const locked = this.guard.retryAfter(address, deps.wallNow())
    if (locked) return tooManyRequests(locked)
    const right = digest !== undefined && stored !== undefined && sameDigest(digest, stored)
    if (!right) {
      this.guard.failed(address, deps.wallNow())
      return statusResponse(status(401, 'Unauthorized', `the join code is not valid for cluster "${cluster.name}"`))
    }
    this.guard.succeeded(address)
    const problem = displayNameProblem(body.displayName)
    if (problem) return invalid('displayName', body.displayName, problem)
    const displayName = (body.displayName as string).trim()
    const mode = cluster.mode ?? DEFAULT_MODE
    const token = newToken('whp')
    const tokenHash = await hashToken(token)
    // No await from here to the insert: two people joining as "Alice" at once get alice and alice-2.
    if (deps.participants.count() >= MAX_PARTICIPANTS)
      return statusResponse(status(403, 'Forbidden', `cluster "${cluster.name}" has its maximum of ${MAX_PARTICIPANTS} participants`))
    const label = participantLabel(displayName, (l) => !!deps.participants.byUsername(l) || !!deps.objects.get(NAMESPACES, undefined, l))
    const row: ParticipantRow = { tokenHash, username: label, displayName, namespace: label, createdAt: deps.wallNow(), revokedAt: null }
    deps.asSystem(() => createMissing(deps.objects, participantObjects(mode, row), deps.now()))
    deps.participants.add(row)
    return Response.json({
      token,
      username: row.username,
      displayName,
      namespace: row.namespace,
      mode,
      kubeconfig: kubeconfigText({ cluster: cluster.name, user: row.username, token, namespace: row.namespace, requestUrl: req.url, publicUrl: deps.publicUrl }),
    })
  }

  /** The leader's routes: GET /participants, DELETE /participants/{username}, POST /join-code. */
  async leader(req: Request, path: string): Promise<Response | undefined> {
    const method = req.method.toUpperCase()
    if (path === '/participants' && method === 'GET')
      return Response.json({ kind: 'ParticipantList', items: this.deps.participants.list().map(viewOf) })
    const m = /^\/participants\/([^/]+)$/.exec(path)
    if (m && (method === 'DELETE' || method === 'GET')) {
      const username = decodeURIComponent(m[1]!)
      const p = method === 'DELETE' ? this.deps.participants.revoke(username, this.deps.wallNow()) : this.deps.participants.byUsername(username)
      if (!p) return statusResponse(notFound('participants', username))
      if (method === 'DELETE') this.deps.revoked(username)
      return Response.json(viewOf(p))
    }
    if (path === '/join-code' && method === 'POST') {
      const code = await Workshop.setJoinCode(this.deps.settings, this.deps.cluster().uid)
      return Response.json({ joinCode: code })
    }
    return undefined
  }

  /** After a reset: every participant not revoked gets their namespace and its objects back. */
  reprovision(): void {
    const { deps } = this
    const mode = deps.cluster().mode ?? DEFAULT_MODE
    deps.asSystem(() => {
      for (const p of deps.participants.list()) if (p.revokedAt === null) createMissing(deps.objects, participantObjects(mode, p), deps.now())
    })
  }
}

export { Participants }

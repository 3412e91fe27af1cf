// Service-account tokens: the JWTs TokenRequest (`kubectl create token`) issues,
// and their authenticator. Claims are upstream's (pkg/serviceaccount/claims.go);
// the signature is HMAC-SHA256 under a random key each cluster makes once and
// keeps in its settings, so a token of one cluster is worthless on another.
// Pure apart from crypto.subtle; times are the cluster's simulated clock, passed in.
import type { UserInfo } from './authn'

/** The issuer and the API server's audiences, as kubeadm configures kube-apiserver. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local'
export const API_AUDIENCES = [ISSUER]
/** exp, nbf and iat are checked with go-jose's default leeway, as upstream checks them. */
export const LEEWAY_SECONDS = 60
/** The settings key of the cluster's signing key. */
export const SIGNING_KEY_SETTING = 'serviceAccountSigningKey'

export interface BoundObject {
  name: string
  uid: string
}

export interface ServiceAccountClaims {
  aud: string[]
  exp: number
  iat: number
  iss: string
  jti: string
  nbf: number
  sub: string
  'kubernetes.io': {
    namespace: string
    serviceaccount: BoundObject
    pod?: BoundObject
    secret?: BoundObject
    node?: BoundObject
  }
}

// --- encoding --------------------------------------------------------------

const enc = new TextEncoder()
const dec = new TextDecoder()

function b64url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function unb64url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined
  try {
    return Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}

// --- keys ------------------------------------------------------------------

/** A fresh 256-bit signing key, base64url. */
export function newSigningKey(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(32)))
}

export function importSigningKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', unb64url(secret)!, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
}

/** What keeps the key: the cluster's Settings. */
export interface KeyValue {
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
}

/** The cluster's signing key, read (or made and stored, when issuing) once. */
export class SigningKeys {
  readonly #settings: KeyValue
  #key: Promise<CryptoKey> | undefined
  constructor(settings: KeyValue) {
    this.#settings = settings
  }

  /** The key; with `create`, made and stored if the cluster has none yet (else undefined). */
  get(create: boolean): Promise<CryptoKey> | undefined {
    if (this.#key) return this.#key
    let secret = this.#settings.get<string>(SIGNING_KEY_SETTING)
    if (!secret) {
      if (!create) return undefined
      secret = newSigningKey()
      this.#settings.set(SIGNING_KEY_SETTING, secret)
    }
    return (this.#key = importSigningKey(secret))
  }
}

// --- issuing ---------------------------------------------------------------

export interface ClaimsInput {
  namespace: string
  serviceAccount: BoundObject
  pod?: BoundObject
  secret?: BoundObject
  node?: BoundObject
  audiences: string[]
  expirationSeconds: number
  /** Simulated now, ms. */
  now: number
}

export function claimsFor(input: ClaimsInput): ServiceAccountClaims {
  const now = Math.floor(input.now / 1000)
  const k8s: ServiceAccountClaims['kubernetes.io'] = { namespace: input.namespace, serviceaccount: input.serviceAccount }
  if (input.node) k8s.node = input.node
  if (input.pod) k8s.pod = input.pod
  if (input.secret) k8s.secret = input.secret
  return {
    aud: input.audiences,
    exp: now + input.expirationSeconds,
    iat: now,
    iss: ISSUER,
    jti: crypto.randomUUID(),
    'kubernetes.io': k8s,
    nbf: now,
    sub: `system:serviceaccount:${input.namespace}:${input.serviceAccount.name}`,
  }
}

const HEADER = b64url(enc.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })))

export async function signToken(key: CryptoKey, claims: ServiceAccountClaims): Promise<string> {
  const body = `${HEADER}.${b64url(enc.encode(JSON.stringify(claims)))}`
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(body)))
  return `${body}.${b64url(sig)}`
}

// --- verifying -------------------------------------------------------------

const isRef = (v: unknown): v is BoundObject =>
  !!v && typeof v === 'object' && typeof (v as BoundObject).name === 'string' && typeof (v as BoundObject).uid === 'string'

function isClaims(c: any): c is ServiceAccountClaims {
  const k = c?.['kubernetes.io']
  return (
    !!c &&
    typeof c === 'object' &&
    Array.isArray(c.aud) &&
    c.aud.every((a: unknown) => typeof a === 'string') &&
    [c.exp, c.iat, c.nbf].every(Number.isFinite) &&
    c.iss === ISSUER &&
    typeof k?.namespace === 'string' &&
    isRef(k.serviceaccount) &&
    c.sub === `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}` &&
    (k.pod === undefined || isRef(k.pod)) &&
    (k.secret === undefined || isRef(k.secret)) &&
    (k.node === undefined || isRef(k.node))
  )
}

/** The claims of a token signed with key, or undefined (malformed, another algorithm, bad signature). */
export async function readToken(key: CryptoKey, token: string): Promise<ServiceAccountClaims | undefined> {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const [header, payload, sig] = parts as [string, string, string]
  if (header !== HEADER) return undefined // HS256 only: no "none", no algorithm confusion
  const sigBytes = unb64url(sig)
  const payloadBytes = unb64url(payload)
  if (!sigBytes || !payloadBytes) return undefined
  if (!(await crypto.subtle.verify('HMAC', key, sigBytes, enc.encode(`${header}.${payload}`)))) return undefined
  try {
    const claims: unknown = JSON.parse(dec.decode(payloadBytes))
    return isClaims(claims) ? claims : undefined
  } catch {
    return undefined
  }
}

/** Why the claims are not valid at simulated time `now` (ms) for the API server, or undefined. */
export function claimsProblem(c: ServiceAccountClaims, now: number, audiences = API_AUDIENCES): string | undefined {
  const t = Math.floor(now / 1000)
  if (t - LEEWAY_SECONDS > c.exp) return 'service account token has expired'
  if (t + LEEWAY_SECONDS < c.nbf) return 'service account token is not valid yet'
  if (t + LEEWAY_SECONDS < c.iat) return 'service account token issued in the future'
  if (!c.aud.some((a) => audiences.includes(a))) return 'token audiences is invalid for the target audiences'
  return undefined
}

/** The user a token's claims name, with upstream's groups and extra. */
export function userOf(c: ServiceAccountClaims): UserInfo {
  const k = c['kubernetes.io']
  const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${c.jti}`] }
  if (k.node) {
    extra['authentication.kubernetes.io/node-name'] = [k.node.name]
    if (k.node.uid) extra['authentication.kubernetes.io/node-uid'] = [k.node.uid]
  }
  if (k.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [k.pod.name]
    extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid]
  }
  return {
    username: c.sub,
    uid: k.serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, 'system:authenticated'],
    extra,
  }
}

export interface VerifyDeps {
  /** The cluster's key; undefined when the cluster never issued a token. */
  key: CryptoKey | undefined
  /** Simulated now, ms. */
  now: number
  /** The uid of a live object, or undefined if there is none. */
  uidOf(kind: 'ServiceAccount' | 'Pod' | 'Secret', namespace: string, name: string): string | undefined
}

/**
 * The user of a valid service-account token: signed with this cluster's key, in
 * its lifetime on the simulated clock, for the API server's audience, and its
 * ServiceAccount (and bound pod or secret) still the same objects, so deleting
 * one revokes the token.
 */
export async function authenticateServiceAccountToken(token: string, deps: VerifyDeps): Promise<UserInfo | undefined> {
  if (!deps.key) return undefined
  const c = await readToken(deps.key, token)
  if (!c || claimsProblem(c, deps.now)) return undefined
  const k = c['kubernetes.io']
  if (deps.uidOf('ServiceAccount', k.namespace, k.serviceaccount.name) !== k.serviceaccount.uid) return undefined
  if (k.pod && deps.uidOf('Pod', k.namespace, k.pod.name) !== k.pod.uid) return undefined
  if (k.secret && deps.uidOf('Secret', k.namespace, k.secret.name) !== k.secret.uid) return undefined
  return userOf(c)
}

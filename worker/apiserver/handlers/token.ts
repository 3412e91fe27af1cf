// serviceaccounts/{name}/token: TokenRequest, as upstream's TokenREST.Create
// (pkg/registry/core/serviceaccount/storage/token.go) answers it.
import { findKind } from '../../resources/registry'
import { type ApiContext, rfc3339 } from '../context'
import { ApiError, badRequestError, invalidError, notFoundError } from '../errors'
import { checkSchema, fieldValidationOf, warningHeaders } from '../field-validation'
import { type Obj } from '../objects'
import { API_AUDIENCES, type BoundObject, claimsFor, signToken, type SigningKeys } from '../service-account-token'
import { status } from '../status'

const TOKEN_REQUEST = { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }
/** Upstream's defaulting (SetDefaults_TokenRequestSpec) and validation bounds. */
export const DEFAULT_EXPIRATION_SECONDS = 3600
const MIN_EXPIRATION_SECONDS = 600
const MAX_EXPIRATION_SECONDS = 2 ** 32

const PODS = findKind('', 'v1', 'pods')!
const SECRETS = findKind('', 'v1', 'secrets')!
const NODES = findKind('', 'v1', 'nodes')!

const invalid = (name: string, field: string, value: unknown, message: string) =>
  invalidError(TOKEN_REQUEST, name, [{ type: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${message}` }])

export async function createToken(ctx: ApiContext, keys: SigningKeys): Promise<Response> {
  const body = await ctx.body()
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequestError('the body of the request was not a JSON object')
  const warnings = checkSchema(TOKEN_REQUEST, body, fieldValidationOf(ctx.url))
  const req = body as Obj
  const name = ctx.info.name!
  const namespace = ctx.info.namespace!
  const meta = { ...(req.metadata ?? {}) }
  if (meta.name && meta.name !== name) throw invalid(name, 'metadata.name', meta.name, 'must match the service account name if specified')
  if (meta.namespace && meta.namespace !== namespace) throw invalid(name, 'metadata.namespace', meta.namespace, 'must match the service account namespace if specified')
  const sa = ctx.objects.get(ctx.kind, namespace, name)
  if (!sa) throw notFoundError(ctx.kind, name)

  const spec = { ...(req.spec ?? {}) }
  const audiences: string[] = spec.audiences?.length ? spec.audiences : API_AUDIENCES
  const expirationSeconds: number = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) throw invalid('', 'spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes')
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) throw invalid('', 'spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds')
  const bound = spec.boundObjectRef ? boundObjects(ctx, name, namespace, spec.boundObjectRef) : {}

  const now = ctx.now()
  const claims = claimsFor({ namespace, serviceAccount: { name, uid: sa.metadata.uid }, ...bound, audiences, expirationSeconds, now })
  const token = await signToken(await keys.get(true)!, claims)
  const out = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...meta, name, namespace, creationTimestamp: rfc3339(now) },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: rfc3339(now + expirationSeconds * 1000) },
  }
  return Response.json(out, { status: 201, headers: warningHeaders(warnings) })
}

/** The pod or secret a token is bound to, with the pod's node (upstream's ServiceAccountTokenPodNodeInfo). */
function boundObjects(ctx: ApiContext, saName: string, namespace: string, ref: Obj): { pod?: BoundObject; secret?: BoundObject; node?: BoundObject } {
  const apiVersion = String(ref.apiVersion ?? '')
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion
  const kind = String(ref.kind ?? '')
  const refName = String(ref.name ?? '')
  let out: { pod?: BoundObject; secret?: BoundObject; node?: BoundObject }
  if (group === '' && kind === 'Pod') {
    const pod = ctx.objects.get(PODS, namespace, refName)
    if (!pod) throw notFoundError(PODS, refName)
    if (pod.spec?.serviceAccountName !== saName)
      throw badRequestError(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`)
    out = { pod: { name: refName, uid: pod.metadata.uid } }
    const nodeName: string | undefined = pod.spec?.nodeName
    if (nodeName) out.node = { name: nodeName, uid: ctx.objects.get(NODES, undefined, nodeName)?.metadata.uid ?? '' }
  } else if (group === '' && kind === 'Secret') {
    const secret = ctx.objects.get(SECRETS, namespace, refName)
    if (!secret) throw notFoundError(SECRETS, refName)
    out = { secret: { name: refName, uid: secret.metadata.uid } }
  } else throw badRequestError(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`)
  const uid = (out.pod ?? out.secret)!.uid
  if (ref.uid && ref.uid !== uid)
    throw new ApiError(
      status(409, 'Conflict', `Operation cannot be fulfilled on ${kind} "${refName}": the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`, {
        name: refName,
        kind,
      }),
    )
  return out
}

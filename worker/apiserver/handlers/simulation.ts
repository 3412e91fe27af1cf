// POST of the simulation's create-only requests, TrafficRun and DNSLookup:
// like a SelfSubjectAccessReview, nothing is stored; the answer is the object
// with its status filled in. The network itself is the caller's (a dependency
// handed to the API server), so this file only checks the request.
import { findKind } from '../../resources/registry'
import { invalid, required } from '../../resources/validation'
import { type ApiContext, rfc3339 } from '../context'
import { ApiError, badRequestError, invalidError, notFoundError } from '../errors'
import type { Obj } from '../objects'
import { randomSuffix } from '../name-suffix'
import { status, type StatusCause, type StatusReason } from '../status'

type Fields = Record<string, any>

export type SimulationResult = { ok: true; status: object } | { ok: false; code: number; reason: StatusReason; message: string }

/** Specs reach these only after the checks below. */
export interface Simulation {
  traffic(namespace: string, spec: Fields & { url: string }): Promise<SimulationResult>
  dns(namespace: string, spec: Fields & { name: string }): SimulationResult
}

export const MAX_REQUESTS = 100_000
export const MAX_CLIENTS = 10_000
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']
const RECORD_TYPES = ['A', 'CNAME', 'PTR', 'SRV']
const NAMESPACES = findKind('', 'v1', 'namespaces')!

export async function simulate(ctx: ApiContext, sim: Simulation): Promise<Response> {
  const body = (await ctx.body()) as Obj
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequestError('the body of the request was not a JSON object')
  const namespace = ctx.info.namespace!
  // NamespaceLifecycle: nothing is created in a namespace that does not exist.
  if (!ctx.objects.get(NAMESPACES, undefined, namespace)) throw notFoundError(NAMESPACES, namespace)
  const spec: Obj = body.spec && typeof body.spec === 'object' ? body.spec : {}
  // A generateName gets its suffix as on any create, so `kubectl create` can name what it made.
  const metadata: Record<string, any> = { ...(body.metadata ?? {}) }
  if (!metadata.name && typeof metadata.generateName === 'string') metadata.name = `${metadata.generateName}${randomSuffix()}`
  const name = String(metadata.name ?? '')
  const causes = ctx.kind.kind === 'TrafficRun' ? checkTraffic(spec) : checkLookup(spec)
  if (causes.length) throw invalidError(ctx.kind, name, causes)
  const result =
    ctx.kind.kind === 'TrafficRun' ? await sim.traffic(namespace, { ...spec, url: spec.url }) : sim.dns(namespace, { ...spec, name: spec.name })
  if (!result.ok) throw new ApiError(status(result.code, result.reason, result.message))
  metadata.namespace = namespace
  metadata.creationTimestamp = rfc3339(ctx.now())
  return Response.json(
    { apiVersion: `${ctx.kind.group}/${ctx.kind.version}`, kind: ctx.kind.kind, metadata, spec, status: result.status },
    { status: 201 },
  )
}

const unsupported = (field: string, value: unknown, values: string[]): StatusCause => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${values.map((v) => `"${v}"`).join(', ')}`,
})

function intIn(out: StatusCause[], spec: Obj, field: string, max: number): void {
  const v = spec[field]
  if (v === undefined) return
  if (!Number.isInteger(v) || v < 1 || v > max) out.push(invalid(`spec.${field}`, v, `must be between 1 and ${max}, inclusive`))
}

function checkFrom(out: StatusCause[], spec: Obj): void {
  const from = spec.from
  if (from === undefined) return
  if (typeof from !== 'object' || from === null) return void out.push(invalid('spec.from', from, 'must be an object'))
  for (const k of ['pod', 'node'])
    if (from[k] !== undefined && (typeof from[k] !== 'string' || !from[k])) out.push(invalid(`spec.from.${k}`, from[k], 'must be a name'))
  if (from.pod && from.node) out.push(invalid('spec.from', from, 'may not specify both pod and node'))
}

function checkTraffic(spec: Obj): StatusCause[] {
  const out: StatusCause[] = []
  if (spec.url === undefined || spec.url === '') out.push(required('spec.url'))
  else if (typeof spec.url !== 'string' || !/^(?:https?:\/\/)?[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/\S*)?$/.test(spec.url.trim()))
    out.push(invalid('spec.url', spec.url, 'must be http://host[:port][/path] or host:port'))
  intIn(out, spec, 'requests', MAX_REQUESTS)
  intIn(out, spec, 'clients', MAX_CLIENTS)
  if (spec.method !== undefined && !METHODS.includes(spec.method)) out.push(unsupported('spec.method', spec.method, METHODS))
  checkFrom(out, spec)
  return out
}

function checkLookup(spec: Obj): StatusCause[] {
  const out: StatusCause[] = []
  if (spec.name === undefined || spec.name === '') out.push(required('spec.name'))
  else if (typeof spec.name !== 'string' || !/^[A-Za-z0-9_.-]+\.?$/.test(spec.name)) out.push(invalid('spec.name', spec.name, 'must be a DNS name'))
  if (spec.type !== undefined && !RECORD_TYPES.includes(spec.type)) out.push(unsupported('spec.type', spec.type, RECORD_TYPES))
  checkFrom(out, spec)
  if (spec.from?.node) out.push(invalid('spec.from.node', spec.from.node, 'nodes do not use the cluster DNS; ask from a pod'))
  return out
}

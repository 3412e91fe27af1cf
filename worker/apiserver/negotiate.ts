// Content negotiation: what the client accepts (JSON, a Table, aggregated
// discovery) and how its body is encoded (JSON, YAML, protobuf).
import { parse as parseYaml } from 'yaml'
import { decodeProtobufObject, ProtobufError } from './protobuf/k8s-proto'
import { status, type Status } from './status'

export interface MediaType {
  type: string
  params: Record<string, string>
}

export function parseAccept(accept: string | null | undefined): MediaType[] {
  if (!accept) return [{ type: 'application/json', params: {} }]
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim())
    const p: Record<string, string> = {}
    for (const kv of params) {
      const i = kv.indexOf('=')
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim()
    }
    return { type: (type ?? '').toLowerCase(), params: p }
  })
}

/** The meta.k8s.io version of Table the client asked for, if any (v1 preferred). */
export function wantsTable(accept: MediaType[]): 'v1' | 'v1beta1' | undefined {
  for (const m of accept) {
    if (m.type === 'application/json' && m.params.as === 'Table' && m.params.g === 'meta.k8s.io') {
      if (m.params.v === 'v1' || m.params.v === 'v1beta1') return m.params.v
    }
  }
  return undefined
}

/** The aggregated-discovery version the client asks for first: v2 (1.30+) or v2beta1 (1.27–1.29). */
export function wantsAggregatedDiscovery(accept: MediaType[]): 'v2' | 'v2beta1' | undefined {
  for (const m of accept) {
    if (m.type === 'application/json' && m.params.as === 'APIGroupDiscoveryList' && m.params.g === 'apidiscovery.k8s.io') {
      if (m.params.v === 'v2' || m.params.v === 'v2beta1') return m.params.v
    }
    if (m.type === 'application/json' && !m.params.as) return undefined
  }
  return undefined
}

export class BodyError extends Error {
  constructor(readonly status: Status) {
    super(status.message)
  }
}

export const MAX_BODY_BYTES = 3 * 1024 * 1024

/** Decodes a request body into an object; a missing Content-Type means JSON, as upstream defaults it. */
export async function decodeBody(req: Request): Promise<unknown> {
  const type = (req.headers.get('content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase()
  const bytes = new Uint8Array(await req.arrayBuffer())
  if (bytes.length > MAX_BODY_BYTES)
    throw new BodyError(status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`))
  if (type === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeProtobufObject(bytes)
    } catch (err) {
      if (err instanceof ProtobufError) throw new BodyError(status(400, 'BadRequest', `the body of the request could not be decoded as protobuf: ${err.message}`))
      throw err
    }
  }
  const text = new TextDecoder().decode(bytes)
  if (type.endsWith('yaml')) {
    try {
      return parseYaml(text, { strict: true, uniqueKeys: true })
    } catch (err) {
      throw new BodyError(status(400, 'BadRequest', `error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`))
    }
  }
  if (type === 'application/json' || type.endsWith('+json') || type === '*/*') {
    try {
      return JSON.parse(text)
    } catch (err) {
      throw new BodyError(status(400, 'BadRequest', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf: ${(err as Error).message}`))
    }
  }
  throw new BodyError(status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`))
}

// Kubernetes Status objects: every failure the API answers is one of these,
// with the code and reason kubectl expects (apimachinery's api/errors).

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'

export interface StatusCause {
  type?: string
  /** type, as the JSON of a Status names it (set only on the way out). */
  reason?: string
  message?: string
  field?: string
}

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Failure' | 'Success'
  message: string
  reason: StatusReason
  details?: StatusDetails
  code: number
}

export function status(code: number, reason: StatusReason, message: string, details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }
  if (details) s.details = details
  return s
}

/** `<resource>[.group] "<name>" not found`, as the API server words it. */
export function notFound(resource: string, name: string, group = ''): Status {
  const qualified = group ? `${resource}.${group}` : resource
  return status(404, 'NotFound', `${qualified} "${name}" not found`, { name, group: group || undefined, kind: resource })
}

export function alreadyExists(resource: string, name: string, group = ''): Status {
  const qualified = group ? `${resource}.${group}` : resource
  return status(409, 'AlreadyExists', `${qualified} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  })
}

export function unauthorized(message = 'Unauthorized'): Status {
  return status(401, 'Unauthorized', message)
}

export function badRequest(message: string): Status {
  return status(400, 'BadRequest', message)
}

/** metav1.StatusCause calls its type "reason" on the wire; we keep `type` inside, as the field errors name it. */
function onTheWire(s: Status): Status {
  if (!s.details?.causes) return s
  const causes = s.details.causes.map(({ type, message, field }) => ({ reason: type, message, field }))
  return { ...s, details: { ...s.details, causes } }
}

export function statusResponse(s: Status, headers?: HeadersInit): Response {
  return Response.json(onTheWire(s), { status: s.code, headers })
}

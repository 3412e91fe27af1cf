// Store refusals and other failures, as the Status objects upstream returns.
import { StoreError } from '../etcd/types'
import type { KindInfo } from '../resources/kind'
import { status, type Status, type StatusCause } from './status'

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message)
  }
}

export const qualified = (k: KindInfo) => (k.group ? `${k.resource}.${k.group}` : k.resource)

export function notFoundError(k: KindInfo, name: string): ApiError {
  return new ApiError(status(404, 'NotFound', `${qualified(k)} "${name}" not found`, { name, group: k.group || undefined, kind: k.resource }))
}

export function alreadyExistsError(k: KindInfo, name: string): ApiError {
  return new ApiError(status(409, 'AlreadyExists', `${qualified(k)} "${name}" already exists`, { name, group: k.group || undefined, kind: k.resource }))
}

export function conflictError(k: KindInfo, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(k)} "${name}": ${why}`, { name, group: k.group || undefined, kind: k.resource }))
}

export function invalidError(k: Pick<KindInfo, 'kind' | 'group'>, name: string, causes: StatusCause[]): ApiError {
  const list = causes.map((c) => `${c.field}: ${c.message}`)
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`
  return new ApiError(
    status(422, 'Invalid', `${k.kind}${k.group ? '.' + k.group : ''} "${name}" is invalid: ${summary}`, {
      name,
      group: k.group || undefined,
      kind: k.kind,
      causes,
    }),
  )
}

export function badRequestError(message: string): ApiError {
  return new ApiError(status(400, 'BadRequest', message))
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return new ApiError(status(405, 'MethodNotAllowed', message))
}

export const tooOldResourceVersion = (rv: number | string, current: number) =>
  new ApiError(status(410, 'Expired', `too old resource version: ${rv} (${current})`))

export const expiredContinue = () =>
  new ApiError(
    status(
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    ),
  )

/** A store refusal in API terms, for the kind and name at hand. */
export function fromStoreError(err: StoreError, k: KindInfo, name: string): ApiError {
  switch (err.code) {
    case 'KeyExists':
      return alreadyExistsError(k, name)
    case 'KeyNotFound':
      return notFoundError(k, name)
    case 'Conflict':
      return conflictError(k, name)
    case 'Compacted':
      return new ApiError(status(410, 'Expired', `too old resource version: ${err.message}`))
    case 'FutureRevision':
      return new ApiError(status(504, 'Timeout', `Too large resource version: ${err.message}`, { retryAfterSeconds: 1 }))
    case 'ValueTooLarge':
      return new ApiError(status(413, 'RequestEntityTooLarge', `Request entity too large: ${err.message}`))
    case 'InvalidArgument':
      return badRequestError(err.message)
    default:
      return new ApiError(status(422, 'Invalid', err.message))
  }
}

// What an admission plugin is told about a request (admission.Attributes),
// and the 403 it answers with (admission.NewForbidden).
import { ApiError } from '../errors'
import type { Obj } from '../objects'
import { status } from '../status'
import type { Operation } from './quota-usage'

export interface Attributes {
  operation: Operation
  /** The API group ("" for core) and plural resource written. */
  group: string
  resource: string
  subresource?: string
  namespace?: string
  /**
   * The name the request carried (the URL's, or the body's before generateName
   * was applied). Upstream's mutating plugins run before the name is generated,
   * so for a generated name their errors show the generateName prefix ("web-7d9f-").
   */
  name?: string
  object: Obj
  oldObject?: Obj
  dryRun?: boolean
}

/** The name an error names: the request's, else the object's (or its generateName before generation). */
function nameOf(a: Attributes, mutating: boolean): string {
  if (a.name) return a.name
  const m = a.object.metadata ?? {}
  if (mutating && m.generateName) return m.generateName
  return m.name || m.generateName || 'Unknown'
}

/** `<resource>[.<group>] "<name>" is forbidden: <why>`, 403 Forbidden. */
export function forbidden(a: Attributes, why: string, opts: { mutating?: boolean } = {}): ApiError {
  const name = nameOf(a, opts.mutating ?? false)
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource
  return new ApiError(
    status(403, 'Forbidden', `${qualified} "${name}" is forbidden: ${why}`, {
      name,
      group: a.group || undefined,
      kind: a.resource,
    }),
  )
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several (deduplicated) in brackets. */
export function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)]
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`
}

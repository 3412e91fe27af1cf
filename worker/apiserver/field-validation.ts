// fieldValidation=Strict|Warn|Ignore, and the decoder's type errors, as upstream
// reports them: an unknown field under Strict and a JSON type mismatch are 400
// BadRequest; under Warn an unknown field becomes a Warning header. Under Warn and
// Ignore unknown fields are dropped, as upstream's decoder drops them: never stored.
import { validateSchema } from '../resources/schema/validate'
import type { KindInfo } from '../resources/kind'
import { ApiError, badRequestError } from './errors'
import { status } from './status'

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

export function fieldValidationOf(url: URL): FieldValidation {
  const v = url.searchParams.get('fieldValidation')
  if (v === null || v === '') return 'Warn'
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v
  throw badRequestError(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`)
}

/**
 * Checks the incoming object against its schema and, unless Strict, deletes its
 * unknown fields in place; returns the warnings to send back.
 */
export function checkSchema(k: Pick<KindInfo, 'group' | 'version' | 'kind'>, obj: unknown, mode: FieldValidation): string[] {
  const r = validateSchema(`${k.group}/${k.version}/${k.kind}`, obj, { prune: mode !== 'Strict' })
  const typeErrors = r.errors.filter((e) => e.type === 'FieldValueTypeInvalid')
  if (typeErrors.length)
    throw new ApiError(
      status(400, 'BadRequest', `${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: ${typeErrors[0]!.message}`),
    )
  const invalid = r.errors.filter((e) => e.type === 'FieldValueNotSupported' || e.type === 'FieldValueInvalid')
  if (invalid.length) {
    const name = (obj as { metadata?: { name?: string } })?.metadata?.name ?? ''
    const list = invalid.map((e) => `${e.field}: ${e.message}`)
    throw new ApiError(
      status(422, 'Invalid', `${k.kind}${k.group ? '.' + k.group : ''} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`, {
        name,
        group: k.group || undefined,
        kind: k.kind,
        causes: invalid.map((e) => ({ type: e.type, message: e.message, field: e.field })),
      }),
    )
  }
  if (!r.unknownFields.length || mode === 'Ignore') return []
  if (mode === 'Strict') {
    const fields = r.unknownFields.map((f) => `unknown field "${f}"`)
    throw badRequestError(`strict decoding error: ${fields.join(', ')}`)
  }
  return r.unknownFields.map((f) => `unknown field "${f}"`)
}

/** The Warning headers upstream sends: `299 - "<text>"`. */
export function warningHeaders(warnings: string[]): HeadersInit | undefined {
  if (!warnings.length) return undefined
  const h = new Headers()
  for (const w of warnings) h.append('Warning', `299 - ${JSON.stringify(w)}`)
  return h
}

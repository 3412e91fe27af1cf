// Errors and how kubectl prints them (kubectl/pkg/cmd/util/helpers.go checkErr
// and StandardErrorMessage): Status errors from the server, "error: …" for the
// rest, invalid objects with their causes one per line.
import type { Obj } from './types'

/** A Kubernetes Status the server answered with (code >= 400). */
export class StatusError extends Error {
  constructor(readonly status: Obj) {
    super(String(status?.message ?? ''))
  }
  get code(): number {
    return Number(this.status?.code ?? 0)
  }
  get reason(): string {
    return String(this.status?.reason ?? '')
  }
}

/** A client-side failure: printed as "error: <message>". */
export class CmdError extends Error {}

/** An error printed exactly as given (no "error: " prefix), with its exit code. */
export class RawError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

/** cobra's usage error: the message, then where to find help. */
export function usageError(command: string, message: string): CmdError {
  return new CmdError(`${message}\nSee '${command} -h' for help and examples`)
}

export const isNotFound = (e: unknown) => e instanceof StatusError && e.code === 404
export const isConflict = (e: unknown) => e instanceof StatusError && e.code === 409 && e.reason === 'Conflict'
export const isAlreadyExists = (e: unknown) => e instanceof StatusError && e.reason === 'AlreadyExists'

/** Several errors of one command (utilerrors.Aggregate), printed one per line. */
export class AggregateError extends Error {
  constructor(readonly errors: unknown[]) {
    super(errors.map((e) => (e as Error)?.message).join(', '))
  }
}

/** Go's %q of a string, for the quoting kubectl's messages use. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function invalidMessage(s: Obj): string {
  const details = s.details as Obj | undefined
  let msg = 'The request is invalid'
  if (!details) return s.message ? `${msg}: ${s.message}` : msg
  if (details.kind || details.name) msg = `The ${details.kind ?? ''} ${goQuote(String(details.name ?? ''))} is invalid`
  else if (s.message && !details.causes?.length) msg += `: ${s.message}`
  const causes: Obj[] = details.causes ?? []
  if (!causes.length) return msg
  const seen = new Set<string>()
  const lines: string[] = []
  for (const c of causes) {
    const line = `${c.field ?? ''}: ${c.message ?? ''}`
    if (seen.has(line)) continue
    seen.add(line)
    lines.push(line)
  }
  if (lines.length === 1) return `${msg}: ${lines[0]}`
  return `${msg}: \n${lines.map((l) => `* ${l}`).join('\n')}`
}

/** One error as kubectl's standard message (without the trailing newline). */
export function messageFor(err: unknown): string {
  if (err instanceof StatusError) {
    const s = err.status
    if (s.code === 422 && s.reason === 'Invalid') return invalidMessage(s)
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message})`
    if (s.reason) return `Error from server (${s.reason}): ${s.message}`
    return `Error from server: ${s.message}`
  }
  if (err instanceof RawError) return err.message
  if (err instanceof CmdError) return err.message.startsWith('error: ') ? err.message : `error: ${err.message}`
  if (err instanceof TypeError && /fetch|network/i.test(err.message)) return `Unable to connect to the server: ${err.message}`
  const m = err instanceof Error ? err.message : String(err)
  return m.startsWith('error: ') ? m : `error: ${m}`
}

/** messageForError: a Status by its reason, anything else as its bare message. */
function aggregatedMessage(err: unknown): string {
  if (err instanceof StatusError) {
    const s = err.status
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message})`
    return s.reason ? `Error from server (${s.reason}): ${s.message}` : `Error from server: ${s.message}`
  }
  return err instanceof Error ? err.message : String(err)
}

/** What checkErr prints for an error: the text (ending in a newline) and the exit code. */
export function formatError(err: unknown): { text: string; code: number } {
  if (err instanceof AggregateError) {
    if (err.errors.length === 1) return formatError(err.errors[0])
    return { text: err.errors.map((e) => aggregatedMessage(e) + '\n').join(''), code: 1 }
  }
  const text = messageFor(err)
  return { text: text.endsWith('\n') ? text : text + '\n', code: err instanceof RawError ? err.exitCode : 1 }
}

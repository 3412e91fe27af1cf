// Presence: who is connected, under which name and colour, looking at what.
// Pure functions over the people present; the hub keeps each person in its
// socket's attachment so presence survives hibernation.
import { status, type Status } from '../apiserver/status'
import type { FocusTarget, Person } from './protocol'

/**
 * Colours handed out in order, least used first: distinct at a glance and
 * readable on a light or dark page (Tableau 10's hues).
 */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const

export const MAX_NAME = 40
const MAX_FOCUS_FIELD = 253
const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/

/** The palette colour fewest people present wear (the first of those, on ties). */
export function assignColor(present: readonly Pick<Person, 'color'>[]): string {
  const uses = new Map<string, number>(PALETTE.map((c) => [c, 0]))
  for (const p of present) if (uses.has(p.color)) uses.set(p.color, uses.get(p.color)! + 1)
  let best: string = PALETTE[0]
  for (const c of PALETTE) if (uses.get(c)! < uses.get(best)!) best = c
  return best
}

export type PresenceChange = { name?: string; color?: string; focus?: FocusTarget | null }

const invalid = (field: string, value: unknown, why: string): Status =>
  status(422, 'Invalid', `presence.${field}: Invalid value: ${JSON.stringify(value)}: ${why}`, {
    causes: [{ type: 'FieldValueInvalid', field: `presence.${field}`, message: why }],
  })

/** A display name: trimmed, 1 to 40 characters, no control characters. */
export function checkName(name: unknown): string | Status {
  if (typeof name !== 'string') return invalid('name', name, 'must be a string')
  const trimmed = name.trim()
  if (!trimmed || [...trimmed].length > MAX_NAME || /\p{Cc}/u.test(trimmed))
    return invalid('name', name, `must be 1 to ${MAX_NAME} characters without control characters`)
  return trimmed
}

function checkFocus(focus: unknown): { focus: FocusTarget | null } | { status: Status } {
  if (focus === null) return { focus: null }
  if (!focus || typeof focus !== 'object') return { status: invalid('focus', focus, 'must be an object with kind and name, or null') }
  const f = focus as Record<string, unknown>
  for (const field of ['kind', 'name'] as const)
    if (typeof f[field] !== 'string' || !f[field] || (f[field] as string).length > MAX_FOCUS_FIELD)
      return { status: invalid(`focus.${field}`, f[field], `must be 1 to ${MAX_FOCUS_FIELD} characters`) }
  if (f.namespace !== undefined && (typeof f.namespace !== 'string' || f.namespace.length > MAX_FOCUS_FIELD))
    return { status: invalid('focus.namespace', f.namespace, `must be at most ${MAX_FOCUS_FIELD} characters`) }
  const out: FocusTarget = { kind: f.kind as string, name: f.name as string }
  if (f.namespace) out.namespace = f.namespace as string
  return { focus: out }
}

/** Applies a presence message to a person; a Status when any part is invalid (then nothing changes). */
export function applyPresence(person: Person, change: PresenceChange): Person | Status {
  const next: Person = { ...person }
  if (change.name !== undefined) {
    const name = checkName(change.name)
    if (typeof name !== 'string') return name
    next.name = name
  }
  if (change.color !== undefined) {
    if (typeof change.color !== 'string' || !HEX_COLOR.test(change.color))
      return invalid('color', change.color, 'must be a CSS hex colour such as #4e79a7')
    next.color = change.color.toLowerCase()
  }
  if (change.focus !== undefined) {
    const checked = checkFocus(change.focus)
    if ('status' in checked) return checked.status
    if (checked.focus === null) delete next.focus
    else next.focus = checked.focus
  }
  return next
}

/** Whether others need to hear of the change. */
export function samePerson(a: Person, b: Person): boolean {
  return a.name === b.name && a.color === b.color && JSON.stringify(a.focus ?? null) === JSON.stringify(b.focus ?? null)
}

/** The people list everyone is sent: in order of arrival (connection ids sort by it). */
export function peopleList(people: Iterable<Person>): Person[] {
  return [...people].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

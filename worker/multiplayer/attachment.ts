// What each socket keeps in its attachment, so that the cluster object can
// rebuild every connection after hibernation: the person (presence) and each
// subscription with how far it got. Live subscriptions need no revision: the
// object hibernates only when idle, and nothing writes to the store while it
// sleeps, so on waking they carry on from the store's current revision.
import type { UserInfo } from '../apiserver/authn'
import type { Person, Subscription } from './protocol'

/** workerd refuses attachments past 16 KiB; we keep well under it. */
export const ATTACHMENT_BUDGET = 15_000
export const MAX_SUBSCRIPTIONS = 32

export type Phase = 'list' | 'replay' | 'live'

export interface SubRecord {
  sub: Subscription
  phase: Phase
  /** list: the revision the list is read at; replay: the last revision delivered. */
  rv: number
  /** list: the store's continue token for the next page. */
  cont?: string
}

export interface Attachment {
  v: 1
  person: Person
  /** Who authenticated the socket (groups included): what they may read is decided from it. */
  user?: UserInfo
  subs: SubRecord[]
}

/** The attachment of a socket, or undefined if it holds none we wrote. */
export function readAttachment(raw: unknown): Attachment | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const a = raw as Partial<Attachment>
  if (a.v !== 1 || !a.person || typeof a.person.id !== 'string' || !Array.isArray(a.subs)) return undefined
  return a as Attachment
}

/** Whether the attachment fits (structured clone is close to JSON's size for these plain objects). */
export function fits(a: Attachment): boolean {
  return JSON.stringify(a).length <= ATTACHMENT_BUDGET
}

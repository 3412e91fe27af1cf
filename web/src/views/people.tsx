// Presence: who is here (name, colour), and what the others are looking at,
// drawn as a coloured outline and name tags on the card or chip they focus.
import type { FocusTarget, Person } from '../../../worker/multiplayer/protocol'
import type { LiveFeed } from '../live'

export function People({ feed }: { feed: LiveFeed }) {
  const you = feed.you?.id
  // One entry per person even with several tabs open: the same user and name.
  const seen = new Set<string>()
  const people = [...feed.people]
    .sort((a, b) => (a.id === you ? -1 : b.id === you ? 1 : a.name.localeCompare(b.name)))
    .filter((p) => {
      const k = `${p.user}\0${p.name}`
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
  return (
    <section class="people" aria-label="People here">
      <h2 class="sr-only">People here</h2>
      <ul>
        {people.map((p) => (
          <li key={p.id} class="person" data-person={p.name} title={`${p.name} (${p.user})${p.focus ? ` — looking at ${describeTarget(p.focus)}` : ''}`}>
            <span class="avatar" style={`background:${p.color}`} aria-hidden="true">
              {initials(p.name)}
            </span>
            <span class="person-name">
              {p.name}
              {p.id === you ? ' (you)' : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase()
}

export function describeTarget(t: FocusTarget): string {
  return `${t.kind.toLowerCase()} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`
}

/** The others looking at this object. */
export function peersOn(feed: LiveFeed, kind: string, name: string, namespace?: string): Person[] {
  return feed.people.filter((p) => p.id !== feed.you?.id && p.focus?.kind === kind && p.focus.name === name && (p.focus.namespace ?? '') === (namespace ?? ''))
}

/** Attributes for a card that others may be looking at: their colour as an outline. */
export function peerStyle(peers: Person[]): string | undefined {
  return peers.length ? `--peer:${peers[0]!.color}` : undefined
}

export function PeerTags({ peers }: { peers: Person[] }) {
  if (!peers.length) return null
  return (
    <span class="peer-tags" aria-label={`Also looking: ${peers.map((p) => p.name).join(', ')}`}>
      {peers.map((p) => (
        <span key={p.id} class="peer-tag" style={`background:${p.color}`}>
          {p.name}
        </span>
      ))}
    </span>
  )
}

/** The focus target an element stands for, from its data-focus-* attributes. */
export function targetOf(el: Element | null): FocusTarget | null {
  const t = el?.closest<HTMLElement>('[data-focus-kind]')
  if (!t) return null
  const { focusKind, focusName, focusNs } = t.dataset
  if (!focusKind || !focusName) return null
  return focusNs ? { kind: focusKind, name: focusName, namespace: focusNs } : { kind: focusKind, name: focusName }
}

// A participant's username and namespace: one DNS label made from the display
// name they typed ("Zoë Smith" → "zoe-smith"), so it fits a namespace name, a
// RoleBinding subject and a kubeconfig alike. A taken label gets "-2", "-3", …
// Names the cluster itself uses (default, kube-*, the admin's) never go to a person.

const MAX_LABEL = 63
/** Room for a "-NNN" suffix within a DNS label. */
const MAX_BASE = MAX_LABEL - 4
const FALLBACK = 'participant'

/** Labels no participant may have: the system namespaces and the admin's username. */
export function reservedLabel(label: string): boolean {
  return label === 'default' || label.startsWith('kube-') || label.startsWith('kubernetes-') || label.startsWith('system-')
}

/** The DNS-1123 label a display name reads as, before any suffix. */
export function slugOf(displayName: string): string {
  const ascii = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD
    .toLowerCase()
  const label = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE)
    .replace(/-+$/, '')
  return label || FALLBACK
}

/** The first free label for a display name: the slug itself, else slug-2, slug-3, … */
export function participantLabel(displayName: string, taken: (label: string) => boolean): string {
  let base = slugOf(displayName)
  if (reservedLabel(base)) base = `${FALLBACK}-${base}`.slice(0, MAX_BASE).replace(/-+$/, '')
  if (!taken(base)) return base
  for (let n = 2; ; n++) {
    const label = `${base}-${n}`
    if (!taken(label)) return label
  }
}

/** Why a display name cannot be used, or undefined: 1 to 64 printable characters. */
export function displayNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'must be a string'
  const trimmed = name.trim()
  if (!trimmed) return 'must not be empty'
  if ([...trimmed].length > 64) return 'must be no more than 64 characters'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'must not contain control characters'
  return undefined
}

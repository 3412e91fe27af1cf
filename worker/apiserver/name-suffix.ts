// The random suffix of a generateName, as upstream's names.SimpleNameGenerator
// makes it: five characters from an alphabet without vowels or look-alikes.
const RANDOM = 'bcdfghjklmnpqrstvwxz2456789'

export function randomSuffix(n = 5): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n))
  return [...bytes].map((b) => RANDOM[b % RANDOM.length]).join('')
}

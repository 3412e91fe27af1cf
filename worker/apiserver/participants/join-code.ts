// The room's join code: 50 random bits in Crockford base32, printed as
// XXXX-XXXX-XX so a leader can read it out and a participant type it. Read
// back forgivingly (case, spaces, dashes, I/L for 1, O for 0), as Crockford
// intends. Only a salted SHA-256 of it is stored: the cluster's uid is the salt,
// so one table of hashes does not serve every cluster.
import { hashToken } from '../authn'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const LENGTH = 10

export function newJoinCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  // 7 bytes = 56 bits; the first 50 make the 10 characters.
  let bits = 0n
  for (const b of random(7)) bits = (bits << 8n) | BigInt(b)
  bits >>= 6n
  let out = ''
  for (let i = LENGTH - 1; i >= 0; i--) out = ALPHABET[Number((bits >> BigInt(5 * (LENGTH - 1 - i))) & 31n)] + out
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`
}

/** The code as typed, in canonical form (10 characters, no dashes), or undefined if it cannot be one. */
export function normalizeJoinCode(typed: string): string | undefined {
  const s = typed.toUpperCase().replace(/[\s-]+/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
  if (s.length !== LENGTH) return undefined
  for (const c of s) if (!ALPHABET.includes(c)) return undefined
  return s
}

/** What is stored: SHA-256 of "<cluster uid>:<canonical code>". */
export function joinCodeHash(clusterUid: string, canonical: string): Promise<string> {
  return hashToken(`${clusterUid}:${canonical}`)
}

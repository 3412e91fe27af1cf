// IP address text as the API server reads it (Go's net.ParseIP, "sloppy" as
// k8s.io/utils/net is: IPv4 octets may carry leading zeros, read as decimal).
// IPv4 addresses become 32-bit unsigned numbers for range arithmetic.

/** The IPv4 address as a number, or undefined when the text is not a dotted quad. */
export function parseIPv4(text: string): number | undefined {
  if (typeof text !== 'string') return undefined
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let n = 0
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined
    const v = Number(p)
    if (v > 255) return undefined
    n = n * 256 + v
  }
  return n
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** An IPv6 address: hex groups, at most one "::", an optional dotted-quad tail. */
export function isIPv6(text: string): boolean {
  if (typeof text !== 'string' || !text.includes(':')) return false
  let groups = 8
  let body = text
  const lastColon = text.lastIndexOf(':')
  if (text.slice(lastColon + 1).includes('.')) {
    if (parseIPv4(text.slice(lastColon + 1)) === undefined) return false
    body = text.slice(0, lastColon + 1) + '0'
    groups = 7
  }
  const halves = body.split('::')
  if (halves.length > 2) return false
  const hex = (s: string) => (s === '' ? [] : s.split(':'))
  const head = hex(halves[0]!)
  const tail = halves.length === 2 ? hex(halves[1]!) : []
  if (![...head, ...tail].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false
  const count = head.length + tail.length
  return halves.length === 2 ? count < groups : count === groups
}

export const isIPv4 = (text: string) => parseIPv4(text) !== undefined
export const isIP = (text: string) => isIPv4(text) || isIPv6(text)

export interface IPv4Net {
  /** The network address. */
  base: number
  bits: number
  /** Number of addresses in the block, 2^(32 - bits). */
  size: number
  text: string
}

/** "10.96.0.0/12" → its network; undefined for anything else (IPv6 blocks included). */
export function parseIPv4CIDR(text: string): IPv4Net | undefined {
  const [addr, len, ...rest] = text.split('/')
  if (rest.length || len === undefined || !/^[0-9]{1,2}$/.test(len)) return undefined
  const bits = Number(len)
  const ip = parseIPv4(addr!)
  if (ip === undefined || bits > 32) return undefined
  const size = 2 ** (32 - bits)
  const base = ip - (ip % size)
  return { base, bits, size, text: `${formatIPv4(base)}/${bits}` }
}

/** The unspecified, loopback and link-local addresses the API server refuses as external IPs. */
export function specialIPReason(text: string): string | undefined {
  const n = parseIPv4(text)
  if (n !== undefined) {
    if (n === 0) return 'may not be unspecified (0.0.0.0)'
    if (n >>> 24 === 127) return 'may not be in the loopback range (127.0.0.0/8, ::1/128)'
    if (n >>> 16 === 0xa9fe) return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'
    if (n >>> 8 === 0xe00000) return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'
    return undefined
  }
  const t = text.toLowerCase()
  if (t === '::') return 'may not be unspecified (0.0.0.0)'
  if (t === '::1') return 'may not be in the loopback range (127.0.0.0/8, ::1/128)'
  if (/^fe[89ab]/.test(t)) return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'
  if (/^ff02:/.test(t)) return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'
  return undefined
}

// Exact quantities and resource lists, as quota's arithmetic needs them
// (apiserver/pkg/quota/v1/resources.go over resource.Quantity). Parsing is
// resources/quantity.ts's; sums are kept in integer nano-units, since quota
// adds many small cpu amounts and floats would drift (0.1 + 0.2), and each
// sum keeps its format so it prints as upstream's canonical String() does:
// "500m", "1536Mi", "2k".
import { parseQuantity } from '../../resources/quantity'

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent'

export interface Quantity {
  /** The value in nano-units (1 = 1n). */
  nanos: bigint
  format: QuantityFormat
}

/** A ResourceList: resource name → quantity. */
export type ResourceList = Record<string, Quantity>

const NANO = 1_000_000_000n

export const quantity = (
  units: number | bigint,
  format: QuantityFormat = 'DecimalSI',
): Quantity => ({
  nanos: BigInt(units) * NANO,
  format,
})
export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' }

/** A quantity as stored ("500m", "1Gi", 3), or undefined when it does not parse. */
export function parse(q: string | number | undefined): Quantity | undefined {
  const v = parseQuantity(q)
  if (v === undefined || !Number.isFinite(v)) return undefined
  // Below 9e6 units v × 1e9 stays within a double's exact integers; above, the
  // value is bytes or counts and whole (a fraction there is rounded away).
  const nanos = Math.abs(v) < 9e6 ? BigInt(Math.round(v * 1e9)) : BigInt(Math.round(v)) * NANO
  return { nanos, format: formatOf(q!) }
}

function formatOf(q: string | number): QuantityFormat {
  if (typeof q === 'number') return 'DecimalSI'
  const s = q.trim()
  if (/[KMGTPE]i$/.test(s)) return 'BinarySI'
  if (/[eE][+-]?[0-9]+$/.test(s)) return 'DecimalExponent'
  return 'DecimalSI'
}

const DECIMAL_SUFFIX: Record<number, string> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
}
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']

/** Upstream's canonical String(): no fractions, the largest suffix that divides exactly. */
export function format(q: Quantity): string {
  const { nanos } = q
  if (nanos === 0n) return '0'
  const neg = nanos < 0n
  const abs = neg ? -nanos : nanos
  const sign = neg ? '-' : ''
  // BinarySI only for whole values of at least 1024; anything else reads as decimal, as upstream.
  if (q.format === 'BinarySI' && abs >= 1024n * NANO && abs % NANO === 0n) {
    let units = abs / NANO
    let i = 0
    while (i < BINARY_SUFFIX.length - 1 && units % 1024n === 0n) {
      units /= 1024n
      i++
    }
    return `${sign}${units}${BINARY_SUFFIX[i]}`
  }
  for (let e = 18; e >= -9; e -= 3) {
    const div = 10n ** BigInt(e + 9)
    if (abs % div === 0n) {
      const suffix = q.format === 'DecimalExponent' ? (e === 0 ? '' : `e${e}`) : DECIMAL_SUFFIX[e]
      return `${sign}${abs / div}${suffix}`
    }
  }
  return `${sign}${abs}n`
}

/** a + b, keeping a's format unless a is zero (resource.Quantity.Add). */
export const add = (a: Quantity, b: Quantity): Quantity => ({
  nanos: a.nanos + b.nanos,
  format: a.nanos === 0n ? b.format : a.format,
})
export const sub = (a: Quantity, b: Quantity): Quantity => ({
  nanos: a.nanos - b.nanos,
  format: a.nanos === 0n ? b.format : a.format,
})
export const cmp = (a: Quantity, b: Quantity): number =>
  a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0

/** MilliValue(): rounded up to a whole milli-unit. */
export function milliValue(q: Quantity): bigint {
  const m = q.nanos / 1_000_000n
  return q.nanos > m * 1_000_000n ? m + 1n : m
}

/** Value(): rounded up to a whole unit. */
export function value(q: Quantity): bigint {
  const u = q.nanos / NANO
  return q.nanos > u * NANO ? u + 1n : u
}

/** A wire ResourceList ({cpu: "500m"}) as quantities; entries that do not parse are left out. */
export function fromWire(list: Record<string, unknown> | undefined): ResourceList {
  const out: ResourceList = {}
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parse(v as string | number)
    if (q) out[k] = q
  }
  return out
}

export function toWire(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(list).sort()) out[k] = format(list[k]!)
  return out
}

export const names = (list: ResourceList): string[] => Object.keys(list)

export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = out[k] ? add(out[k]!, v) : v
  return out
}

/** a − b per resource, never below zero; resources only in b come out as zero. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {}
  for (const [k, v] of Object.entries(a)) {
    const d = b[k] ? sub(v, b[k]!) : v
    out[k] = d.nanos > 0n ? d : ZERO
  }
  for (const k of Object.keys(b)) out[k] ??= ZERO
  return out
}

/** Only the named resources. */
export function mask(list: ResourceList, keep: Iterable<string>): ResourceList {
  const out: ResourceList = {}
  for (const k of keep) if (list[k]) out[k] = list[k]!
  return out
}

export function removeZeros(list: ResourceList): ResourceList {
  const out: ResourceList = {}
  for (const [k, v] of Object.entries(list)) if (v.nanos !== 0n) out[k] = v
  return out
}

/** Whether a ≤ b for every resource in both; otherwise the resources of a that exceed b. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): string[] {
  return Object.keys(b).filter((k) => a[k] && cmp(a[k]!, b[k]!) > 0)
}

/** Same resources with equal values (formats aside), as quota.Equals. */
export function equals(a: ResourceList, b: ResourceList): boolean {
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => b[k] && cmp(a[k]!, b[k]!) === 0)
}

export const negatives = (list: ResourceList): string[] =>
  Object.keys(list).filter((k) => list[k]!.nanos < 0n)

/** "pods=1,requests.cpu=500m": sorted, as the quota admission's prettyPrint. */
export const prettyPrint = (list: ResourceList): string =>
  Object.keys(list)
    .sort()
    .map((k) => `${k}=${format(list[k]!)}`)
    .join(',')

// resource.Quantity: parsed exactly (in nano units) and printed in canonical
// form as Quantity.String() does ("1250m", "2", "384Mi", "1500k").

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent'

export interface Quantity {
  /** The value in units of 10^-9. */
  nanos: bigint
  format: QuantityFormat
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 }
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const NANO = 10n ** 9n

export class QuantityError extends Error {}

/** ParseQuantity; throws QuantityError for malformed text. */
export function parseQuantity(text: string): Quantity {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE]?)$/.exec(text.trim())
  if (!m || (!m[2] && !m[3])) throw new QuantityError('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'')
  const [, sign, whole, frac = '', suffix = ''] = m
  const digits = BigInt((whole || '0') + frac)
  let exp10 = -frac.length
  let format: QuantityFormat = 'DecimalSI'
  let mult = 1n
  if (suffix in BINARY) {
    format = 'BinarySI'
    mult = 1024n ** BigInt(BINARY[suffix]!)
  } else if (/^[eE]/.test(suffix)) {
    format = 'DecimalExponent'
    exp10 += Number(suffix.slice(1))
  } else exp10 += DECIMAL[suffix]!
  // value = digits × 10^exp10 × mult, in nanos; anything below a nano rounds up as upstream does.
  let nanos: bigint
  const e = exp10 + 9
  if (e >= 0) nanos = digits * 10n ** BigInt(e) * mult
  else {
    const div = 10n ** BigInt(-e)
    const n = digits * mult
    nanos = n / div + (n % div === 0n ? 0n : 1n)
  }
  return { nanos: sign === '-' ? -nanos : nanos, format }
}

export function tryQuantity(text: unknown): Quantity | undefined {
  if (typeof text === 'number') return parseQuantity(String(text))
  if (typeof text !== 'string') return undefined
  try {
    return parseQuantity(text)
  } catch {
    return undefined
  }
}

export const zero = (format: QuantityFormat = 'DecimalSI'): Quantity => ({ nanos: 0n, format })

/** q + y, keeping q's format (y's if q is zero), as Quantity.Add does. */
export function add(q: Quantity, y: Quantity): Quantity {
  return { nanos: q.nanos + y.nanos, format: q.nanos === 0n ? y.format : q.format }
}

export const cmp = (a: Quantity, b: Quantity) => (a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0)
export const max = (a: Quantity, b: Quantity) => (cmp(a, b) >= 0 ? a : b)

/** Value(): whole units, rounded up. */
export function value(q: Quantity): number {
  const v = q.nanos / NANO + (q.nanos % NANO > 0n ? 1n : 0n)
  return Number(v)
}

/** MilliValue(): thousandths, rounded up. */
export function milliValue(q: Quantity): number {
  const d = 10n ** 6n
  return Number(q.nanos / d + (q.nanos % d > 0n ? 1n : 0n))
}

const DEC_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' }
const BIN_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']

/** Quantity.String(): the canonical form. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0'
  const neg = q.nanos < 0n
  const abs = neg ? -q.nanos : q.nanos
  let format = q.format
  if (format === 'BinarySI' && (abs < 1024n * NANO || abs % NANO !== 0n)) format = 'DecimalSI'
  if (format === 'BinarySI') {
    let n = abs / NANO
    let exp = 0
    while (exp < 6 && n % 1024n === 0n) {
      n /= 1024n
      exp++
    }
    return `${neg ? '-' : ''}${n}${BIN_SUFFIX[exp]}`
  }
  let m = abs
  let exp = -9
  while (m % 10n === 0n) {
    m /= 10n
    exp++
  }
  const r = ((exp % 3) + 3) % 3
  if (r === 1) {
    m *= 10n
    exp -= 1
  } else if (r === 2) {
    m *= 100n
    exp -= 2
  }
  const suffix = format === 'DecimalExponent' ? (exp === 0 ? '' : `e${exp}`) : (DEC_SUFFIX[exp] ?? `e${exp}`)
  return `${neg ? '-' : ''}${m}${suffix}`
}

/** A resource list's value (string or number) in canonical form. */
export const canonical = (v: unknown) => {
  const q = tryQuantity(v)
  return q ? formatQuantity(q) : String(v)
}

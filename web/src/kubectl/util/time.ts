// Times as kubectl prints them: HumanDuration for ages, RFC 1123 with a
// numeric zone (the viewer's local time, as metav1.Time decodes to Local).

/** apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    const d = Math.floor(hours / 24)
    return h === 0 ? `${d}d` : `${d}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365
    const y = Math.floor(hours / 24 / 365)
    return dy === 0 ? `${y}y` : `${y}y${dy}d`
  }
  return `${Math.floor(hours / 24 / 365)}y`
}

/** translateTimestampSince: "<unknown>" for a missing time, else the age. */
export function since(ts: string | null | undefined, now: number): string {
  if (!ts) return '<unknown>'
  const t = Date.parse(ts)
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number) => String(n).padStart(2, '0')

/** Go's time.RFC1123Z in local time: "Mon, 02 Jan 2006 15:04:05 -0700"; a missing time is Go's zero time. */
export function rfc1123z(ts: string | null | undefined): string {
  if (!ts) return 'Mon, 01 Jan 0001 00:00:00 +0000'
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return ts
  const off = -d.getTimezoneOffset()
  const zone = `${off < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(off) / 60))}${p2(Math.abs(off) % 60)}`
  return `${DAYS[d.getDay()]}, ${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${zone}`
}

// Label and field selectors, as the API server parses and matches them
// (apimachinery labels.Parse and fields.ParseSelector).
import type { KindInfo } from '../resources/kind'

export type LabelOp = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt'
export interface LabelRequirement {
  key: string
  op: LabelOp
  values: string[]
}

export class SelectorError extends Error {
  override readonly name = 'SelectorError'
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}"`)
  return key
}
function checkValue(v: string): string {
  if (v.length > 63 || !VALUE.test(v)) throw new SelectorError(`unable to parse requirement: invalid label value: "${v}"`)
  return v
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out
}

export function parseLabelSelector(selector: string | undefined | null): LabelRequirement[] {
  if (!selector || !selector.trim()) return []
  return splitTerms(selector).map((raw) => {
    const term = raw.trim()
    if (!term) throw new SelectorError(`unable to parse requirement: found '', expected: identifier`)
    let m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term)
    if (m) {
      const values = m[3]!.split(',').map((v) => checkValue(v.trim()))
      return { key: checkKey(m[1]!), op: m[2] as 'in' | 'notin', values }
    }
    if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim()), op: '!', values: [] }
    m = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(term)
    if (m) {
      const op = m[2] === '==' || m[2] === '=' ? '=' : m[2] === '!=' ? '!=' : m[2] === '>' ? 'gt' : 'lt'
      const value = m[3]!.trim()
      if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(value))
        throw new SelectorError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`)
      return { key: checkKey(m[1]!), op, values: [op === 'gt' || op === 'lt' ? value : checkValue(value)] }
    }
    if (/^[^\s=!()]+$/.test(term)) return { key: checkKey(term), op: 'exists', values: [] }
    throw new SelectorError(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`)
  })
}

export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {}
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key)
    const v = l[r.key]
    switch (r.op) {
      case '=':
        return has && v === r.values[0]
      case '!=':
        return !has || v !== r.values[0]
      case 'in':
        return has && r.values.includes(v!)
      case 'notin':
        return !has || !r.values.includes(v!)
      case 'exists':
        return has
      case '!':
        return !has
      case 'gt':
        return has && /^-?\d+$/.test(v!) && Number(v) > Number(r.values[0])
      case 'lt':
        return has && /^-?\d+$/.test(v!) && Number(v) < Number(r.values[0])
    }
  })
}

/** A LabelSelector object (matchLabels + matchExpressions) as requirements. */
export function labelSelectorRequirements(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): LabelRequirement[] {
  if (!sel) return []
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=', values: [v] }))
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In']
    if (op) reqs.push({ key: e.key, op, values: e.values ?? [] })
  }
  return reqs
}

export interface FieldRequirement {
  field: string
  op: '=' | '!='
  value: string
}

export function parseFieldSelector(selector: string | undefined | null, kind: KindInfo): FieldRequirement[] {
  if (!selector || !selector.trim()) return []
  return selector.split(',').map((raw) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw)
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${raw}'`)
    const field = m[1]!
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !kind.fieldSelectors?.[field])
      throw new SelectorError(`field label not supported: ${field}`)
    return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3]! }
  })
}

export function fieldValue(obj: any, field: string, kind: KindInfo): string {
  if (field === 'metadata.name') return obj?.metadata?.name ?? ''
  if (field === 'metadata.namespace') return obj?.metadata?.namespace ?? ''
  return kind.fieldSelectors?.[field]?.(obj) ?? ''
}

export function matchFields(reqs: FieldRequirement[], obj: any, kind: KindInfo): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field, kind) === r.value) === (r.op === '='))
}

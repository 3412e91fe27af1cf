// Shared pieces of the score plugins, after kube-scheduler's plugins/helper
// and the apimachinery matchers they lean on: int64 arithmetic, the default
// normalizer, label and node selectors, tolerations. Kept apart from the
// filter plugins' helper so the two can change independently.
import { MAX_NODE_SCORE, type Obj } from '../../framework/types'

export { MAX_NODE_SCORE }

/** Go's int64 division: truncates toward zero; corrected so float rounding never lands on the wrong integer. */
export function idiv(a: number, b: number): number {
  let q = Math.trunc(a / b)
  const r = a - q * b
  if (r !== 0 && Math.sign(r) !== Math.sign(a)) q += Math.sign(a) * Math.sign(b) * -1
  else if (Math.abs(r) >= Math.abs(b)) q += Math.sign(a) * Math.sign(b)
  // No -0 out of 0 / negative: int64 has no such value.
  return q + 0
}

/**
 * Upstream's DefaultNormalizeScore: scales scores onto 0–maxPriority by the
 * highest one; reverse makes the lowest raw score the best.
 */
export function defaultNormalizeScore(
  maxPriority: number,
  reverse: boolean,
  scores: Map<string, number>,
): void {
  let maxCount = 0
  for (const s of scores.values()) if (s > maxCount) maxCount = s
  if (maxCount === 0) {
    if (reverse) for (const name of scores.keys()) scores.set(name, maxPriority)
    return
  }
  for (const [name, s] of scores) {
    const scaled = idiv(maxPriority * s, maxCount)
    scores.set(name, reverse ? maxPriority - scaled : scaled)
  }
}

export type Labels = Record<string, string>

/** A compiled metav1.LabelSelector; `empty` is labels.Everything() (no requirements). */
export interface LabelMatcher {
  empty: boolean
  matches(labels: Labels | undefined): boolean
}

const NOTHING: LabelMatcher = { empty: false, matches: () => false }

/** One requirement as labels.Requirement.Matches evaluates it; undefined when it would not parse. */
function requirement(
  key: string,
  op: string,
  values: string[] = [],
): ((l: Labels) => boolean) | undefined {
  const has = (l: Labels) => Object.hasOwn(l, key)
  switch (op) {
    case 'In':
      return values.length ? (l) => has(l) && values.includes(l[key]!) : undefined
    case 'NotIn':
      return values.length ? (l) => !has(l) || !values.includes(l[key]!) : undefined
    case 'Exists':
      return values.length ? undefined : has
    case 'DoesNotExist':
      return values.length ? undefined : (l) => !has(l)
    case 'Gt':
    case 'Lt': {
      const want = values.length === 1 ? parseInt64(values[0]!) : undefined
      if (want === undefined) return undefined
      return (l) => {
        const got = has(l) ? parseInt64(l[key]!) : undefined
        return got !== undefined && (op === 'Gt' ? got > want : got < want)
      }
    }
  }
  return undefined
}

/** strconv.ParseInt(s, 10, 64); BigInt keeps values past 2^53 exact. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined
  const v = BigInt(s)
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined
}

/**
 * metav1.LabelSelectorAsSelector: nil selects nothing, {} everything. A
 * selector that would fail to parse selects nothing (upstream errors out).
 */
export function labelMatcher(sel: Obj | null | undefined): LabelMatcher {
  if (!sel) return NOTHING
  const reqs: ((l: Labels) => boolean)[] = []
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Labels))
    reqs.push((l) => l[k] === v)
  for (const e of sel.matchExpressions ?? []) {
    if (
      e.operator !== 'In' &&
      e.operator !== 'NotIn' &&
      e.operator !== 'Exists' &&
      e.operator !== 'DoesNotExist'
    )
      return NOTHING
    const r = requirement(e.key, e.operator, e.values)
    if (!r) return NOTHING
    reqs.push(r)
  }
  return { empty: reqs.length === 0, matches: (l) => reqs.every((r) => r(l ?? {})) }
}

/** A selector of exactly these labels (labels.Set.AsSelector). */
export const labelSetMatcher = (set: Labels): LabelMatcher => labelMatcher({ matchLabels: set })

/**
 * One NodeSelectorTerm as component-helpers' nodeaffinity matches it: an
 * empty term selects no node; matchFields only knows metadata.name. A term
 * that would not parse matches nothing (upstream fails the cycle instead).
 */
export function nodeSelectorTermMatches(term: Obj | undefined, node: Obj): boolean {
  const exprs: Obj[] = term?.matchExpressions ?? []
  const fields: Obj[] = term?.matchFields ?? []
  if (!exprs.length && !fields.length) return false
  const labels: Labels = node.metadata?.labels ?? {}
  for (const e of exprs) {
    const r = requirement(e.key, e.operator, e.values)
    if (!r || !r(labels)) return false
  }
  for (const f of fields) {
    const values: string[] = f.values ?? []
    if (f.key !== 'metadata.name' || values.length !== 1) return false
    if (f.operator === 'In' && node.metadata?.name !== values[0]) return false
    if (f.operator === 'NotIn' && node.metadata?.name === values[0]) return false
    if (f.operator !== 'In' && f.operator !== 'NotIn') return false
  }
  return true
}

/** GetRequiredNodeAffinity(pod).Match(node): spec.nodeSelector and the required terms (ORed). */
export function requiredNodeAffinityMatches(pod: Obj, node: Obj): boolean {
  const labels: Labels = node.metadata?.labels ?? {}
  for (const [k, v] of Object.entries((pod.spec?.nodeSelector ?? {}) as Labels))
    if (labels[k] !== v) return false
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  if (!required) return true
  return (required.nodeSelectorTerms ?? []).some((t: Obj) => nodeSelectorTermMatches(t, node))
}

/** v1.Toleration.ToleratesTaint: empty effect and key match any; empty operator means Equal. */
export function toleratesTaint(tol: Obj, taint: Obj): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false
  if (tol.key && tol.key !== taint.key) return false
  const op = tol.operator || 'Equal'
  if (op === 'Exists') return true
  return op === 'Equal' && (tol.value ?? '') === (taint.value ?? '')
}

export const tolerationsTolerateTaint = (tols: Obj[], taint: Obj) =>
  tols.some((t) => toleratesTaint(t, taint))

/** The label every namespace carries; stands in for a namespace lister the snapshot doesn't have. */
export const defaultNamespaceLabels = (ns: string): Labels => ({
  'kubernetes.io/metadata.name': ns,
})

/** A pod's namespace, "default" when a test or a bare manifest leaves it out. */
export const podNamespace = (pod: Obj): string => pod.metadata?.namespace || 'default'

// metav1.LabelSelector matching, as labels.Selector does after
// LabelSelectorAsSelector: matchLabels and matchExpressions are ANDed; a
// missing selector selects nothing, an empty one selects everything.
import type { Obj } from '../../framework/types'

export interface LabelSelectorRequirement {
  key: string
  operator: string
  values?: string[]
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: LabelSelectorRequirement[]
}

export type Labels = Record<string, string>

/** One requirement; an invalid one (In/NotIn without values, an unknown operator) matches nothing. */
export function labelRequirementMatches(req: LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, req.key)
  const values = req.values ?? []
  switch (req.operator) {
    case 'In':
      return values.length > 0 && has && values.includes(labels[req.key]!)
    case 'NotIn':
      // Absent keys satisfy NotIn, as in labels.Requirement.
      return values.length > 0 && (!has || !values.includes(labels[req.key]!))
    case 'Exists':
      return values.length === 0 && has
    case 'DoesNotExist':
      return values.length === 0 && !has
    default:
      return false
  }
}

export function labelSelectorMatches(
  selector: LabelSelector | null | undefined,
  labels: Labels | undefined,
): boolean {
  if (!selector) return false
  const l = labels ?? {}
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false
  return (selector.matchExpressions ?? []).every((r) => labelRequirementMatches(r, l))
}

/**
 * The selector ANDed with `key = pod's value` for each of keys the pod has
 * (matchLabelKeys); a missing selector becomes just those pairs, as
 * upstream's mergeLabelSetWithSelector does.
 */
export function withMatchLabelKeys(
  selector: LabelSelector | null | undefined,
  keys: string[] | undefined,
  podLabels: Labels | undefined,
): LabelSelector | undefined {
  const extra: LabelSelectorRequirement[] = []
  for (const k of keys ?? [])
    if (podLabels && Object.hasOwn(podLabels, k))
      extra.push({ key: k, operator: 'In', values: [podLabels[k]!] })
  if (extra.length === 0) return selector ?? undefined
  return {
    matchLabels: selector?.matchLabels,
    matchExpressions: [...(selector?.matchExpressions ?? []), ...extra],
  }
}

export const podLabels = (pod: Obj): Labels => pod.metadata?.labels ?? {}

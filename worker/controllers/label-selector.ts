// metav1.LabelSelector as controllers read it (apimachinery's
// LabelSelectorAsSelector): a missing selector selects nothing, an empty one
// everything, and the requirements are ANDed.

export interface LabelSelectorRequirement {
  key: string
  operator: string
  values?: string[]
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: LabelSelectorRequirement[]
}

export type Labels = Record<string, string> | undefined

export class InvalidSelectorError extends Error {}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist'])

/**
 * A matcher for selector; throws InvalidSelectorError for an operator or
 * values upstream would refuse (a controller then skips the object, as
 * upstream's sync does when LabelSelectorAsSelector fails).
 */
export function compileSelector(
  selector: LabelSelector | null | undefined,
): (labels: Labels) => boolean {
  if (!selector) return () => false
  const reqs = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({
      key,
      operator: 'In',
      values: [v],
    })),
    ...(selector.matchExpressions ?? []),
  ]
  for (const r of reqs) {
    if (!OPERATORS.has(r.operator))
      throw new InvalidSelectorError(`"${r.operator}" is not a valid label selector operator`)
    const n = r.values?.length ?? 0
    if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0)
      throw new InvalidSelectorError(`for 'in', 'notin' operators, values set can't be empty`)
    if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0)
      throw new InvalidSelectorError(`values set must be empty for exists and does not exist`)
  }
  return (labels) => {
    const l = labels ?? {}
    return reqs.every((r) => {
      const has = Object.hasOwn(l, r.key)
      switch (r.operator) {
        case 'In':
          return has && r.values!.includes(l[r.key]!)
        case 'NotIn':
          return !has || !r.values!.includes(l[r.key]!)
        case 'Exists':
          return has
        default:
          return !has
      }
    })
  }
}

/** Whether selector selects labels; an invalid selector selects nothing. */
export function selectorMatches(
  selector: LabelSelector | null | undefined,
  labels: Labels,
): boolean {
  try {
    return compileSelector(selector)(labels)
  } catch (e) {
    if (e instanceof InvalidSelectorError) return false
    throw e
  }
}

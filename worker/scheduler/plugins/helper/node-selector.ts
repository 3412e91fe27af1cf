// v1.NodeSelector matching, after component-helpers' nodeaffinity package:
// terms are ORed, a term's expressions and fields ANDed, an empty term (or an
// invalid requirement) matches nothing. Used by NodeAffinity (required terms
// here, preferred terms in its score), PodTopologySpread's nodeAffinityPolicy.
import type { Obj } from '../../framework/types'
import type { Labels } from './label-selector'

export interface NodeSelectorRequirement {
  key: string
  operator: string
  values?: string[]
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[]
  matchFields?: NodeSelectorRequirement[]
}

export interface NodeSelector {
  nodeSelectorTerms?: NodeSelectorTerm[]
}

/** Gt/Lt compare integers only: a missing label, a non-integer label or value fails. */
const INTEGER = /^[+-]?\d+$/

export function nodeSelectorRequirementMatches(
  req: NodeSelectorRequirement,
  labels: Labels,
): boolean {
  const has = Object.hasOwn(labels, req.key)
  const values = req.values ?? []
  const value = labels[req.key]
  switch (req.operator) {
    case 'In':
      return values.length > 0 && has && values.includes(value!)
    case 'NotIn':
      return values.length > 0 && (!has || !values.includes(value!))
    case 'Exists':
      return values.length === 0 && has
    case 'DoesNotExist':
      return values.length === 0 && !has
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1 || !INTEGER.test(values[0]!) || !has || !INTEGER.test(value!))
        return false
      const [l, r] = [Number(value), Number(values[0])]
      return req.operator === 'Gt' ? l > r : l < r
    }
    default:
      return false
  }
}

/** matchFields supports only metadata.name, with In or NotIn (as API validation allows). */
function fieldRequirementMatches(req: NodeSelectorRequirement, node: Obj): boolean {
  if (req.key !== 'metadata.name' || (req.operator !== 'In' && req.operator !== 'NotIn'))
    return false
  return nodeSelectorRequirementMatches(req, { 'metadata.name': node.metadata?.name ?? '' })
}

export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Obj): boolean {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (exprs.length === 0 && fields.length === 0) return false
  const labels: Labels = node.metadata?.labels ?? {}
  return (
    exprs.every((r) => nodeSelectorRequirementMatches(r, labels)) &&
    fields.every((r) => fieldRequirementMatches(r, node))
  )
}

export const nodeSelectorMatches = (selector: NodeSelector, node: Obj) =>
  (selector.nodeSelectorTerms ?? []).some((t) => nodeSelectorTermMatches(t, node))

/** pod.spec.nodeSelector: every label must be on the node with that value. */
export function nodeSelectorLabelsMatch(selector: Labels | undefined, node: Obj): boolean {
  const labels: Labels = node.metadata?.labels ?? {}
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v)
}

/** The pod's hard node constraints: its nodeSelector and required node affinity, both. */
export function requiredNodeAffinityMatches(pod: Obj, node: Obj): boolean {
  if (!nodeSelectorLabelsMatch(pod.spec?.nodeSelector, node)) return false
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  return !required || nodeSelectorMatches(required, node)
}

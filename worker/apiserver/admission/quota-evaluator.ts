// The shape of a quota evaluator (apiserver/pkg/quota/v1's Evaluator): what a
// kind charges against a ResourceQuota and whether an object falls under a
// quota's scopes; the names of object counts; the scope selector's operators.
import type { Obj } from '../objects'
import type { ResourceList } from './resource-list'

export type Operation = 'CREATE' | 'UPDATE'

/** A quota scope test: spec.scopes entries come as {scopeName, operator: 'Exists'}. */
export interface ScopeSelectorRequirement {
  scopeName: string
  operator: string
  values?: string[]
}

export interface QuotaEvaluator {
  group: string
  resource: string
  /** The operations whose objects quota admission measures. */
  handles(op: Operation): boolean
  /** Which of the quota's resource names this evaluator tracks. */
  matchingResources(names: string[]): string[]
  /** Whether the object falls under one scope requirement (false for kinds without scopes). */
  matchesScope(req: ScopeSelectorRequirement, obj: Obj): boolean
  /** Upstream's "must specify …" when a tracked resource is missing from the object, else undefined. */
  constraints(required: string[], obj: Obj): string | undefined
  /** What the object charges; `now` (ms) decides whether a deleted pod is past its grace period. */
  usage(obj: Obj, now: number): ResourceList
}

/** `count/pods`, `count/deployments.apps`: the object-count resource name of a kind. */
export const objectCountName = (group: string, resource: string) =>
  group ? `count/${resource}.${group}` : `count/${resource}`

/** The kind an object-count name counts, or undefined for other names. */
export function parseObjectCountName(
  name: string,
): { group: string; resource: string } | undefined {
  if (!name.startsWith('count/')) return undefined
  const gr = name.slice('count/'.length)
  const dot = gr.indexOf('.')
  return dot < 0
    ? { group: '', resource: gr }
    : { group: gr.slice(dot + 1), resource: gr.slice(0, dot) }
}

/** A scope requirement as a label requirement on one key: upstream's ScopedResourceSelectorRequirementsAsSelector. */
export function matchesValue(req: ScopeSelectorRequirement, value: string | undefined): boolean {
  switch (req.operator) {
    case 'In':
      return value !== undefined && (req.values ?? []).includes(value)
    case 'NotIn':
      return value === undefined || !(req.values ?? []).includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    default:
      return false
  }
}

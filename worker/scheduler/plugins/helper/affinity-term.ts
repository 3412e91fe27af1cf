// Pod (anti-)affinity terms, after the scheduler's framework.AffinityTerm: a
// term selects pods by labels within a set of namespaces. Shared by
// InterPodAffinity's filter and score.
//
// We hold no Namespace objects here, so a namespaceSelector is matched
// against the one label every namespace carries, kubernetes.io/metadata.name.
import type { Obj } from '../../framework/types'
import { labelSelectorMatches, podLabels, type LabelSelector, type Labels } from './label-selector'

export interface PodAffinityTerm {
  labelSelector?: LabelSelector
  namespaces?: string[]
  namespaceSelector?: LabelSelector
  topologyKey: string
}

export interface AffinityTerm {
  namespaces: Set<string>
  namespaceSelector?: LabelSelector
  selector?: LabelSelector
  topologyKey: string
}

/** The labels a namespace always has, standing in for the Namespace object's labels. */
export const namespaceLabels = (ns: string): Labels => ({ 'kubernetes.io/metadata.name': ns })

const podNamespace = (pod: Obj): string => pod.metadata?.namespace ?? 'default'

/** Neither namespaces nor a namespaceSelector means the owning pod's own namespace. */
export function newAffinityTerm(owner: Obj, term: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? [])
  if (namespaces.size === 0 && !term.namespaceSelector) namespaces.add(podNamespace(owner))
  return {
    namespaces,
    namespaceSelector: term.namespaceSelector ?? undefined,
    selector: term.labelSelector ?? undefined,
    topologyKey: term.topologyKey,
  }
}

export function affinityTermMatches(term: AffinityTerm, pod: Obj): boolean {
  const ns = podNamespace(pod)
  const inNamespace =
    term.namespaces.has(ns) ||
    (!!term.namespaceSelector && labelSelectorMatches(term.namespaceSelector, namespaceLabels(ns)))
  return inNamespace && labelSelectorMatches(term.selector, podLabels(pod))
}

const terms = (owner: Obj, list: PodAffinityTerm[] | undefined) =>
  (list ?? []).map((t) => newAffinityTerm(owner, t))

export const requiredAffinityTerms = (pod: Obj) =>
  terms(pod, pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution)

export const requiredAntiAffinityTerms = (pod: Obj) =>
  terms(pod, pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution)

/** Weighted preferred terms, for scoring. */
export function preferredTerms(pod: Obj, anti: boolean): { weight: number; term: AffinityTerm }[] {
  const a = pod.spec?.affinity
  const list = (anti ? a?.podAntiAffinity : a?.podAffinity)
    ?.preferredDuringSchedulingIgnoredDuringExecution as
    | { weight: number; podAffinityTerm: PodAffinityTerm }[]
    | undefined
  return (list ?? []).map((w) => ({
    weight: w.weight,
    term: newAffinityTerm(pod, w.podAffinityTerm),
  }))
}

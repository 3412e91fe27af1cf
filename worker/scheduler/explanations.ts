// The "why" of every pod: each scheduling attempt, summarised (the chosen
// node, the best-scored nodes with every plugin's weighted score, a sample of
// rejected nodes with the filter that rejected them, and the reasons counted
// over all nodes), kept beside the pod as a SchedulingDecision object of the
// same name in sim.wheelhouse.dev, bounded to its last attempts.
import type { Obj as StoredObj, Objects } from '../apiserver/objects'
import { prepareForCreate } from '../apiserver/prepare'
import { findKind } from '../resources/registry'
import type { Obj } from './framework/types'
import type { Explanation } from './schedule-one'

const DECISIONS = findKind('sim.wheelhouse.dev', 'v1alpha1', 'schedulingdecisions')!

/** Attempts kept per pod, and nodes listed per attempt (a 5,000-node cluster must not make 5,000-line objects). */
export const MAX_ATTEMPTS = 5
export const MAX_NODES_LISTED = 10

export interface Attempt {
  time: string
  result: 'Scheduled' | 'Unschedulable'
  node?: string
  message?: string
  nodes: number
  evaluated: number
  feasible: number
  /** "reason" → how many nodes gave it. */
  rejections: Record<string, number>
  /** The best nodes, highest total first: plugin → weighted score. */
  scored: { node: string; total: number; scores: Record<string, number> }[]
  /** Some rejected nodes and why. */
  rejected: { node: string; plugin: string; reasons: string[] }[]
}

export interface DecisionStore {
  record(pod: Obj, attempt: Attempt): void
  /** The pod is gone: so is its decision. */
  forget(namespace: string, name: string): void
}

const time = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

export function summarize(ex: Explanation, now: number): Attempt {
  const rejections: Record<string, number> = {}
  const rejected: Attempt['rejected'] = []
  const scored: Attempt['scored'] = []
  for (const v of ex.verdicts) {
    if (v.failed) {
      for (const r of v.failed.reasons) rejections[r] = (rejections[r] ?? 0) + 1
      if (rejected.length < MAX_NODES_LISTED)
        rejected.push({ node: v.node, plugin: v.failed.plugin, reasons: v.failed.reasons })
    } else
      scored.push({
        node: v.node,
        total: v.total ?? 0,
        scores: Object.fromEntries((v.scores ?? []).map((s) => [s.plugin, s.weighted])),
      })
  }
  if (ex.preFilter) for (const r of ex.preFilter.reasons) rejections[r] = ex.nodes
  scored.sort((a, b) => b.total - a.total || a.node.localeCompare(b.node))
  return {
    time: time(now),
    result: ex.chosen ? 'Scheduled' : 'Unschedulable',
    ...(ex.chosen ? { node: ex.chosen } : { message: ex.message }),
    nodes: ex.nodes,
    evaluated: ex.evaluated,
    feasible: scored.length,
    rejections,
    scored: scored.slice(0, MAX_NODES_LISTED),
    rejected,
  }
}

/** The SchedulingDecision object for a pod with one more attempt, the oldest dropped past MAX_ATTEMPTS. */
export function withAttempt(existing: Obj | undefined, pod: Obj, attempt: Attempt): StoredObj {
  const attempts = [...(existing?.status?.attempts ?? []), attempt].slice(-MAX_ATTEMPTS)
  return {
    apiVersion: 'sim.wheelhouse.dev/v1alpha1',
    kind: 'SchedulingDecision',
    metadata: existing?.metadata ?? {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
      ],
    },
    spec: { podUID: pod.metadata.uid },
    status: { attempts },
  }
}

/** Keeps decisions as API objects, written through the same path as every other object. */
export class StoredDecisions implements DecisionStore {
  constructor(
    readonly objects: Objects,
    readonly now: () => number,
  ) {}

  record(pod: Obj, attempt: Attempt): void {
    const old = this.objects.get(DECISIONS, pod.metadata.namespace, pod.metadata.name)
    // A namesake pod from before: its story is not this one's.
    const existing = old && old.spec?.podUID === pod.metadata.uid ? old : undefined
    if (old && !existing) this.objects.remove(DECISIONS, old)
    const next = withAttempt(existing, pod, attempt)
    if (existing) {
      this.objects.update(DECISIONS, next, existing.metadata.resourceVersion)
      return
    }
    prepareForCreate(DECISIONS, next, this.now())
    this.objects.create(DECISIONS, next)
  }

  forget(namespace: string, name: string): void {
    const old = this.objects.get(DECISIONS, namespace, name)
    if (old) this.objects.remove(DECISIONS, old)
  }
}

// Builders and a one-plugin scoring cycle for the score plugins' tests.
import { newNodeInfo, newSnapshot } from '../../framework/node-info'
import { Code, CycleState, type NodeInfo, type Obj, type ScorePlugin } from '../../framework/types'

export interface NodeSpec {
  cpu?: string
  memory?: string
  labels?: Record<string, string>
  taints?: Obj[]
  images?: { names: string[]; sizeBytes: number }[]
  pods?: Obj[]
}

export const makeNode = (name: string, s: NodeSpec = {}): NodeInfo =>
  newNodeInfo(
    {
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...s.labels } },
      spec: { taints: s.taints },
      status: {
        allocatable: { cpu: s.cpu ?? '4', memory: s.memory ?? '16Gi', pods: '110' },
        images: s.images,
      },
    },
    (s.pods ?? []).map((p) => ({ ...p, spec: { ...p.spec, nodeName: name } })),
  )

export interface PodSpec {
  name?: string
  namespace?: string
  labels?: Record<string, string>
  requests?: Record<string, string>
  images?: string[]
  spec?: Obj
  metadata?: Obj
}

export const makePod = (s: PodSpec = {}): Obj => ({
  metadata: {
    name: s.name ?? 'p',
    namespace: s.namespace ?? 'default',
    labels: s.labels ?? {},
    ...s.metadata,
  },
  spec: {
    containers: (s.images ?? ['nginx']).map((image, i) => ({
      name: `c${i}`,
      image,
      resources: s.requests ? { requests: s.requests } : {},
    })),
    ...s.spec,
  },
})

/** PreScore, Score and NormalizeScore for one plugin; undefined when PreScore skips. */
export function runScore(plugin: ScorePlugin, pod: Obj, nodes: NodeInfo[], filtered = nodes) {
  const state = new CycleState()
  const status = plugin.preScore?.(state, pod, filtered, newSnapshot(nodes))
  if (status?.code === Code.Skip) return undefined
  const scores = new Map(filtered.map((n) => [n.name, plugin.score(state, pod, n)]))
  const raw = Object.fromEntries(scores)
  plugin.normalize?.(state, pod, scores)
  return { raw, normalized: Object.fromEntries(scores) }
}

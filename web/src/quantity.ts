// Kubernetes resource quantities ("250m", "1.5", "128Mi", "1G", "2e3") as
// numbers, and what pods request of a node, as `kubectl describe node` sums it.
type Obj = Record<string, any>

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 }
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 }

/** The quantity's value in base units (cores, bytes); NaN when it is not a quantity. */
export function parseQuantity(q: string | number | undefined): number {
  if (typeof q === 'number') return q
  if (q === undefined) return 0
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim())
  if (!m) return NaN
  const n = Number(m[1])
  if (m[2]) return n * 10 ** Number(m[2].slice(1))
  const s = m[3] ?? ''
  return n * (BINARY[s] ?? DECIMAL[s] ?? NaN)
}

export interface Resources {
  /** Millicores. */
  cpu: number
  /** Bytes. */
  memory: number
}

function containerRequests(c: Obj): Resources {
  const r = c.resources?.requests ?? {}
  return { cpu: Math.round(parseQuantity(r.cpu) * 1000) || 0, memory: parseQuantity(r.memory) || 0 }
}

/**
 * A pod's effective request: the larger of its containers' sum and its
 * largest init container (sidecars, init containers that restart always, run
 * beside both), plus the pod overhead.
 */
export function podRequests(pod: Obj): Resources {
  const spec = pod.spec ?? {}
  const sum: Resources = { cpu: 0, memory: 0 }
  for (const c of spec.containers ?? []) add(sum, containerRequests(c))
  const sidecars: Resources = { cpu: 0, memory: 0 }
  const initMax: Resources = { cpu: 0, memory: 0 }
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c)
    if (c.restartPolicy === 'Always') {
      add(sidecars, r)
      continue
    }
    initMax.cpu = Math.max(initMax.cpu, r.cpu + sidecars.cpu)
    initMax.memory = Math.max(initMax.memory, r.memory + sidecars.memory)
  }
  add(sum, sidecars)
  const out = { cpu: Math.max(sum.cpu, initMax.cpu), memory: Math.max(sum.memory, initMax.memory) }
  const overhead = spec.overhead ?? {}
  out.cpu += Math.round(parseQuantity(overhead.cpu) * 1000) || 0
  out.memory += parseQuantity(overhead.memory) || 0
  return out
}

function add(to: Resources, r: Resources): void {
  to.cpu += r.cpu
  to.memory += r.memory
}

/** A pod counts against its node until it has finished (Succeeded or Failed). */
export function holdsResources(pod: Obj): boolean {
  const phase = pod.status?.phase
  return !!pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed'
}

/** Requests of the pods on each node, by node name. */
export function requestedByNode(pods: Iterable<Obj>): Map<string, Resources> {
  const out = new Map<string, Resources>()
  for (const p of pods) {
    if (!holdsResources(p)) continue
    const node = p.spec.nodeName as string
    let r = out.get(node)
    if (!r) out.set(node, (r = { cpu: 0, memory: 0 }))
    add(r, podRequests(p))
  }
  return out
}

/** The node's allocatable resources. */
export function allocatable(node: Obj): Resources {
  const a = node.status?.allocatable ?? {}
  return { cpu: Math.round(parseQuantity(a.cpu) * 1000) || 0, memory: parseQuantity(a.memory) || 0 }
}

export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`
}

export function formatMemory(bytes: number): string {
  if (bytes >= 2 ** 30) return `${+(bytes / 2 ** 30).toFixed(1)}Gi`
  if (bytes >= 2 ** 20) return `${Math.round(bytes / 2 ** 20)}Mi`
  if (bytes >= 2 ** 10) return `${Math.round(bytes / 2 ** 10)}Ki`
  return `${bytes}`
}

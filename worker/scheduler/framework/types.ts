// The scheduling framework's vocabulary, after kube-scheduler's
// pkg/scheduler/framework: a node with what is placed on it (NodeInfo), the
// per-cycle scratch space (CycleState), plugin statuses with fixed reasons,
// and the filter and score plugin shapes. Plugins are plain objects of pure
// methods; they meet only through the pod, the nodes and the cycle state.

export type Obj = Record<string, any>

/** Amounts in the units kube-scheduler uses: milli-CPU, bytes, a pod count. */
export interface Resources {
  milliCPU: number
  memory: number
  ephemeralStorage: number
  pods: number
  /** Extended resources (nvidia.com/gpu, hugepages-2Mi, …) by name. */
  scalar: Record<string, number>
}

export interface NodeInfo {
  /** The Node object. */
  node: Obj
  name: string
  /** Pods bound to (or assumed on) the node, not yet terminated. */
  pods: Obj[]
  /** Those of them with any pod affinity or anti-affinity (upstream's PodsWithAffinity): what affinity plugins scan. */
  podsWithAffinity: Obj[]
  /** Those with required anti-affinity (upstream's PodsWithRequiredAntiAffinity). */
  podsWithRequiredAntiAffinity: Obj[]
  /** Sum of the pods' effective requests (max of init containers vs the sum of containers, plus overhead). */
  requested: Resources
  /** The same with kube-scheduler's non-zero defaults (100m CPU, 200Mi memory) for containers that request nothing: scoring uses it. */
  nonZeroRequested: Resources
  allocatable: Resources
  /** Host ports in use: "protocol/hostIP/port" (hostIP 0.0.0.0 when unset). */
  usedPorts: Set<string>
  /** Image sizes on the node, by every name in status.images (normalised, e.g. docker.io/library/nginx:1.27). */
  imageSizes: Map<string, number>
}

export enum Code {
  Success = 'Success',
  /** Could fit if something changed (preemption may help). */
  Unschedulable = 'Unschedulable',
  /** Nothing preemption could do changes this node's verdict. */
  UnschedulableAndUnresolvable = 'UnschedulableAndUnresolvable',
  Error = 'Error',
  /** The plugin has nothing to say for this pod (PreFilter/PreScore): skip its Filter/Score. */
  Skip = 'Skip',
}

export interface Status {
  code: Code
  /** Upstream's fixed reason strings, e.g. "Insufficient cpu", "node(s) had untolerated taint {dedicated: gpu}". */
  reasons: string[]
}

export const success = (): Status => ({ code: Code.Success, reasons: [] })
export const unschedulable = (...reasons: string[]): Status => ({
  code: Code.Unschedulable,
  reasons,
})
export const unresolvable = (...reasons: string[]): Status => ({
  code: Code.UnschedulableAndUnresolvable,
  reasons,
})
export const skip = (): Status => ({ code: Code.Skip, reasons: [] })
/** An internal error (upstream's AsStatus): the message is the one reason. */
export const asError = (message: string): Status => ({ code: Code.Error, reasons: [message] })
export const isSuccess = (s: Status | undefined) => !s || s.code === Code.Success

/** Scratch space for one scheduling cycle of one pod: PreFilter/PreScore results keyed by plugin. */
export class CycleState {
  readonly #data = new Map<string, unknown>()
  read<T>(key: string): T | undefined {
    return this.#data.get(key) as T | undefined
  }
  write(key: string, value: unknown): void {
    this.#data.set(key, value)
  }
}

/** The storage objects volume plugins read (upstream's PVC, PV and StorageClass listers), from the store. */
export interface VolumeListers {
  claim(namespace: string, name: string): Obj | undefined
  volume(name: string): Obj | undefined
  storageClass(name: string): Obj | undefined
  /** Every PersistentVolume (the binder's PV cache, which it filters by class). */
  volumes(): Obj[]
}

/** What a plugin may look at beyond the one node: every node, for spreading and affinity. */
export interface Snapshot {
  nodes: NodeInfo[]
  get(name: string): NodeInfo | undefined
  /** Bumped whenever a Node object (not its pods) changes: what is derived from nodes alone may be kept until then. */
  nodesVersion?: number
  /** Claims, volumes and classes; absent where no storage is known (nothing is found). */
  volumes?: VolumeListers
}

export interface FilterPlugin {
  readonly name: string
  /** Once per pod; a Skip status skips Filter, a failure makes every node fail with it. */
  preFilter?(state: CycleState, pod: Obj, snapshot: Snapshot): Status | undefined
  filter(state: CycleState, pod: Obj, node: NodeInfo): Status
}

export const MAX_NODE_SCORE = 100

export interface ScorePlugin {
  readonly name: string
  /** Upstream's default weight in the default profile. */
  readonly weight: number
  /** Once per pod, over the nodes that passed filtering; Skip skips Score. */
  preScore?(state: CycleState, pod: Obj, nodes: NodeInfo[], snapshot: Snapshot): Status | undefined
  /** A raw score for one node. */
  score(state: CycleState, pod: Obj, node: NodeInfo): number
  /** Maps raw scores (by node name) onto 0–MAX_NODE_SCORE, in place. */
  normalize?(state: CycleState, pod: Obj, scores: Map<string, number>): void
}

/** An API write a PreBind plugin asks for (the scheduler makes it: plugins stay pure). */
export interface ObjectUpdate {
  resource: 'persistentvolumeclaims' | 'persistentvolumes'
  object: Obj
}

export interface PreBindResult {
  /** A failure: the pod goes back to the queue with this error. */
  status?: Status
  updates?: ObjectUpdate[]
  /** Present when the pod must wait before its binding: what checkPreBind looks at. */
  pending?: unknown
}

/**
 * PreBind, after a node is chosen and before the pod's binding: upstream's
 * VolumeBinding writes its claims' bindings here and waits for the PV
 * controller. Our scheduler binds synchronously, so the wait is a parked pod
 * that checkPreBind looks at again on every change of claims and volumes.
 */
export interface PreBindPlugin {
  readonly name: string
  /** How long a parked pod may wait (upstream's bindTimeoutSeconds). */
  readonly waitTimeoutMs: number
  preBind(state: CycleState, pod: Obj, nodeName: string, snapshot: Snapshot): PreBindResult
  /** Success: bind now; undefined: keep waiting; a failure: give up with this error. */
  checkPreBind(
    pending: unknown,
    node: Obj | undefined,
    listers: VolumeListers,
    waitedMs: number,
  ): Status | undefined
}

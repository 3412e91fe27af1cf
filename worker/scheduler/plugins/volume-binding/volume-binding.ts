// VolumeBinding (PreFilter, Filter, PreBind), after kube-scheduler's
// volumebinding plugin and its binder: every claim must exist; an unbound
// claim of an Immediate class waits for the PV controller; a bound claim's PV
// must be reachable from the node; a WaitForFirstConsumer claim needs an
// Available PV the node can reach, or a class that can provision there. At
// PreBind the chosen PVs are pre-bound to their claims and the claims to
// provision get the selected node; the pod is bound only once every claim is.
import {
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  claimClass,
  volumeClass,
} from '../../../resources/storage'
import {
  asError,
  type CycleState,
  type FilterPlugin,
  type Obj,
  type ObjectUpdate,
  type PreBindPlugin,
  type Snapshot,
  type Status,
  type VolumeListers,
  skip,
  success,
  unresolvable,
} from '../../framework/types'
import {
  claimNotFound,
  ephemeralClaimProblem,
  findMatchingVolume,
  isClaimFullyBound,
  isVolumeBoundToClaim,
  podClaims,
  storageRequest,
  topologyTermsMatch,
  volumeNodeAffinityMatches,
} from '../helper/volumes'

export const NAME = 'VolumeBinding'
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict'
export const ERR_REASON_PV_NOT_EXIST =
  'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims'
/** The class marker for "no dynamic provisioning" (local volumes). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner'
/** VolumeBindingArgs.bindTimeoutSeconds' default: how long PreBind waits for the PV controller. */
export const BIND_TIMEOUT_MS = 600_000

const NOTHING: VolumeListers = {
  claim: () => undefined,
  volume: () => undefined,
  storageClass: () => undefined,
  volumes: () => [],
}

interface PodVolumes {
  /** Available PVs chosen for unbound claims: PreBind pre-binds them. */
  statics: { pvc: Obj; pv: Obj }[]
  /** Claims the class will provision on the chosen node. */
  provisions: Obj[]
}

interface State {
  bound: { pvc: Obj; pv: Obj | undefined }[]
  /** Unbound claims of WaitForFirstConsumer classes, smallest request first. */
  delayed: Obj[]
  /** Each delayed claim's candidate PVs (its class's). */
  candidates: Map<Obj, Obj[]>
  classes: Map<string, Obj | undefined>
  byNode: Map<string, PodVolumes>
}

/** What a pod parked at PreBind waits for: PVs it pre-bound and claims it asked to provision. */
export interface Pending {
  namespace: string
  statics: { pv: string; claim: string }[]
  provisions: string[]
}

const claimKey = (pvc: Obj) => `${pvc.metadata.namespace}/${pvc.metadata.name}`

/** The pod's claims sorted out, or the status that rejects it everywhere. */
function preFilter(state: CycleState, pod: Obj, snapshot: Snapshot): Status | undefined {
  const claims = podClaims(pod)
  if (!claims.length) return skip()
  const l = snapshot.volumes ?? NOTHING
  const ns: string = pod.metadata.namespace
  const found: Obj[] = []
  for (const c of claims) {
    const pvc = l.claim(ns, c.claim)
    if (!pvc)
      return unresolvable(
        c.ephemeral
          ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${c.claim}"`
          : claimNotFound(c.claim),
      )
    if (pvc.status?.phase === 'Lost')
      return unresolvable(
        `persistentvolumeclaim "${c.claim}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"`,
      )
    if (pvc.metadata.deletionTimestamp)
      return unresolvable(`persistentvolumeclaim "${c.claim}" is being deleted`)
    const problem = c.ephemeral ? ephemeralClaimProblem(pod, pvc) : undefined
    if (problem) return unresolvable(problem)
    found.push(pvc)
  }
  const st: State = {
    bound: [],
    delayed: [],
    candidates: new Map(),
    classes: new Map(),
    byNode: new Map(),
  }
  const classOf = (name: string) => {
    if (!st.classes.has(name)) st.classes.set(name, name ? l.storageClass(name) : undefined)
    return st.classes.get(name)
  }
  let immediate = false
  for (const pvc of found) {
    if (isClaimFullyBound(pvc)) {
      st.bound.push({ pvc, pv: l.volume(pvc.spec.volumeName) })
      continue
    }
    const name = claimClass(pvc)
    const sc = classOf(name)
    if (sc && !sc.volumeBindingMode)
      return asError(`VolumeBindingMode not set for StorageClass "${name}"`)
    // A claim pre-bound to a PV by name is the PV controller's to finish, as an Immediate one.
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.spec?.volumeName)
      st.delayed.push(pvc)
    else immediate = true
  }
  if (immediate) return unresolvable(ERR_UNBOUND_IMMEDIATE)
  if (st.delayed.length) {
    const all = l.volumes()
    // Smallest request first, so each claim gets the smallest PV that fits (byPVCSize).
    st.delayed.sort((a, b) => storageRequest(a) - storageRequest(b))
    for (const pvc of st.delayed) {
      const cls = claimClass(pvc)
      st.candidates.set(
        pvc,
        all.filter((pv) => volumeClass(pv) === cls),
      )
    }
  }
  state.write(NAME, st)
  return undefined
}

/** checkVolumeProvisions: can every claim's class provision a volume the node reaches? */
function canProvision(st: State, claims: Obj[], labels: Record<string, string>): boolean | Status {
  for (const pvc of claims) {
    const name = claimClass(pvc)
    if (!name) return asError(`no class for claim "${claimKey(pvc)}"`)
    const sc = st.classes.get(name)
    if (!sc) return asError(`failed to find storage class "${name}"`)
    if (!sc.provisioner || sc.provisioner === NOT_SUPPORTED_PROVISIONER) return false
    if (!topologyTermsMatch(sc.allowedTopologies, labels)) return false
  }
  return true
}

function filter(state: CycleState, _pod: Obj, node: { name: string; node: Obj }): Status {
  const st = state.read<State>(NAME)
  if (!st) return success()
  const labels: Record<string, string> = node.node.metadata?.labels ?? {}
  let boundFits = true
  let pvsFound = true
  for (const b of st.bound) {
    if (!b.pv) {
      pvsFound = false
      break
    }
    if (!volumeNodeAffinityMatches(b.pv, labels)) {
      boundFits = false
      break
    }
  }
  let unboundFits = true
  const picked: PodVolumes = { statics: [], provisions: [] }
  const toMatch: Obj[] = []
  for (const pvc of st.delayed) {
    const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE]
    if (selected === undefined) toMatch.push(pvc)
    else if (selected !== node.name) {
      // Provisioning already started for another node: only that one will do.
      unboundFits = false
      break
    } else picked.provisions.push(pvc)
  }
  if (unboundFits) {
    const chosen = new Set<string>()
    for (const pvc of toMatch) {
      const pv = findMatchingVolume(pvc, st.candidates.get(pvc) ?? [], labels, chosen)
      if (!pv) {
        picked.provisions.push(pvc)
        unboundFits = false
        continue
      }
      chosen.add(pv.metadata.name)
      picked.statics.push({ pvc, pv })
    }
    if (picked.provisions.length) {
      const ok = canProvision(st, picked.provisions, labels)
      if (typeof ok !== 'boolean') return ok
      unboundFits = ok
    }
  }
  const reasons: string[] = []
  if (!boundFits) reasons.push(ERR_REASON_NODE_CONFLICT)
  if (!unboundFits) reasons.push(ERR_REASON_BIND_CONFLICT)
  if (!pvsFound) reasons.push(ERR_REASON_PV_NOT_EXIST)
  if (reasons.length) return unresolvable(...reasons)
  st.byNode.set(node.name, picked)
  return success()
}

/** The PV pre-bound to the claim (GetBindVolumeToClaim), or undefined when it already is. */
function bindVolumeToClaim(pv: Obj, pvc: Obj): Obj | undefined {
  const ref = pv.spec?.claimRef
  const same =
    ref?.name === pvc.metadata.name &&
    ref?.namespace === pvc.metadata.namespace &&
    ref?.uid === pvc.metadata.uid
  const byController = !isVolumeBoundToClaim(pv, pvc)
  const annotated = pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined
  if (same && (!byController || annotated)) return undefined
  const next = structuredClone(pv)
  if (!same)
    next.spec.claimRef = {
      kind: 'PersistentVolumeClaim',
      namespace: pvc.metadata.namespace,
      name: pvc.metadata.name,
      uid: pvc.metadata.uid,
      apiVersion: 'v1',
      resourceVersion: pvc.metadata.resourceVersion,
    }
  if (byController && !annotated)
    next.metadata.annotations = { ...next.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' }
  return next
}

function preBind(state: CycleState, pod: Obj, nodeName: string) {
  const st = state.read<State>(NAME)
  if (!st?.delayed.length) return {}
  const picked = st.byNode.get(nodeName)
  if (!picked) return { status: asError(`no pod volumes found for node "${nodeName}"`) }
  const updates: ObjectUpdate[] = []
  for (const { pvc, pv } of picked.statics) {
    const next = bindVolumeToClaim(pv, pvc)
    if (next) updates.push({ resource: 'persistentvolumes', object: next })
  }
  for (const pvc of picked.provisions) {
    if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] === nodeName) continue
    const next = structuredClone(pvc)
    next.metadata.annotations = { ...next.metadata.annotations, [ANN_SELECTED_NODE]: nodeName }
    updates.push({ resource: 'persistentvolumeclaims', object: next })
  }
  const pending: Pending = {
    namespace: pod.metadata.namespace,
    statics: picked.statics.map(({ pvc, pv }) => ({
      pv: pv.metadata.name,
      claim: pvc.metadata.name,
    })),
    provisions: picked.provisions.map((pvc) => pvc.metadata.name),
  }
  return { updates, pending }
}

const affinityError = (pv: Obj, node: string) =>
  asError(
    `binding volumes: pv "${pv.metadata.name}" node affinity doesn't match node "${node}": no matching NodeSelectorTerms`,
  )

/** checkBindings: undefined while the PV controller is still at work, success once all is bound. */
function checkPreBind(
  pending: unknown,
  node: Obj | undefined,
  l: VolumeListers,
  waitedMs: number,
): Status | undefined {
  const p = pending as Pending
  if (!node) return asError('binding volumes: node not found')
  const name: string = node.metadata.name
  const labels = node.metadata.labels ?? {}
  let done = true
  for (const s of p.statics) {
    const pv = l.volume(s.pv)
    const pvc = l.claim(p.namespace, s.claim)
    if (!pv)
      return asError(
        `binding volumes: failed to check binding: persistentvolume "${s.pv}" not found`,
      )
    if (!pvc) return asError(`binding volumes: failed to check binding: ${claimNotFound(s.claim)}`)
    if (!volumeNodeAffinityMatches(pv, labels)) return affinityError(pv, name)
    if (!pv.spec?.claimRef?.uid)
      return asError(`binding volumes: ClaimRef got reset for pv "${s.pv}"`)
    if (!isClaimFullyBound(pvc)) done = false
  }
  for (const claim of p.provisions) {
    const pvc = l.claim(p.namespace, claim)
    if (!pvc)
      return asError(`binding volumes: failed to check provisioning pvc: ${claimNotFound(claim)}`)
    // The provisioner drops the annotation when it cannot provision: the scheduler tries again.
    if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] !== name)
      return asError(`binding volumes: provisioning failed for PVC "${claim}"`)
    if (pvc.spec?.volumeName) {
      const pv = l.volume(pvc.spec.volumeName)
      if (!pv) done = false
      else if (!volumeNodeAffinityMatches(pv, labels)) return affinityError(pv, name)
    }
    if (!isClaimFullyBound(pvc)) done = false
  }
  if (done) return success()
  if (waitedMs >= BIND_TIMEOUT_MS) return asError('binding volumes: context deadline exceeded')
  return undefined
}

export const VolumeBinding: FilterPlugin & PreBindPlugin = {
  name: NAME,
  waitTimeoutMs: BIND_TIMEOUT_MS,
  preFilter,
  filter,
  preBind,
  checkPreBind,
}

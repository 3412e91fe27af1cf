// VolumeZone (PreFilter, Filter), after kube-scheduler's volumezone plugin:
// a bound PV's zone and region labels (GA or beta, several zones joined by
// "__") must hold on the node. Only labels: a PV's nodeAffinity is
// VolumeBinding's to check, as upstream splits it. Unbound claims of
// WaitForFirstConsumer classes are skipped (they get a zone when provisioned).
import { claimClass } from '../../../resources/storage'
import {
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type Obj,
  type Snapshot,
  type Status,
  skip,
  success,
  unresolvable,
  asError,
} from '../../framework/types'
import { claimNotFound } from '../helper/volumes'

export const NAME = 'VolumeZone'
export const ERR_REASON_CONFLICT = 'node(s) had no available volume zone'

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone'
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region'
const ZONE = 'topology.kubernetes.io/zone'
const REGION = 'topology.kubernetes.io/region'
const TOPOLOGY_LABELS = [BETA_ZONE, BETA_REGION, ZONE, REGION]
const GA: Record<string, string> = { [BETA_ZONE]: ZONE, [BETA_REGION]: REGION }

interface PVTopology {
  pv: string
  key: string
  values: Set<string>
}

/** volumehelpers.LabelZonesToSet: "a__b" is either zone; an empty part makes the label unreadable. */
function zonesOf(value: string): Set<string> | undefined {
  const parts = value.split('__').map((s) => s.trim())
  return parts.some((p) => !p) ? undefined : new Set(parts)
}

/** The PV's topology labels (nodeAffinity is read-only after creation and VolumeBinding's). */
export function pvTopologies(pv: Obj): PVTopology[] {
  const out: PVTopology[] = []
  for (const key of TOPOLOGY_LABELS) {
    const value = pv.metadata.labels?.[key]
    if (value === undefined) continue
    const values = zonesOf(value)
    if (values) out.push({ pv: pv.metadata.name, key, values })
  }
  return out
}

function preFilter(state: CycleState, pod: Obj, snapshot: Snapshot): Status | undefined {
  const l = snapshot.volumes
  const ns: string = pod.metadata.namespace
  const topologies: PVTopology[] = []
  for (const v of pod.spec?.volumes ?? []) {
    if (!v.persistentVolumeClaim) continue
    const name: string = v.persistentVolumeClaim.claimName ?? ''
    if (!name) return unresolvable('PersistentVolumeClaim had no name')
    const pvc = l?.claim(ns, name)
    if (!pvc) return unresolvable(claimNotFound(name))
    const pvName: string = pvc.spec?.volumeName ?? ''
    if (!pvName) {
      const cls = claimClass(pvc)
      if (!cls) return unresolvable('PersistentVolumeClaim had no pv name and storageClass name')
      const sc = l?.storageClass(cls)
      if (!sc) return unresolvable(`storageclass.storage.k8s.io "${cls}" not found`)
      if (!sc.volumeBindingMode)
        return unresolvable(`VolumeBindingMode not set for StorageClass "${cls}"`)
      if (sc.volumeBindingMode === 'WaitForFirstConsumer') continue
      return unresolvable('PersistentVolume had no name')
    }
    const pv = l?.volume(pvName)
    if (!pv) return unresolvable(`persistentvolume "${pvName}" not found`)
    topologies.push(...pvTopologies(pv))
  }
  if (!topologies.length) return skip()
  state.write(NAME, topologies)
  return undefined
}

function filter(state: CycleState, pod: Obj, node: NodeInfo): Status {
  if (!pod.spec?.volumes?.length) return success()
  const topologies = state.read<PVTopology[]>(NAME)
  if (!topologies) return asError(`cannot read "PreFilter${NAME}" from cycleState`)
  const labels: Record<string, string> = node.node.metadata?.labels ?? {}
  // A node with no topology labels at all is a single-zone cluster's: anything goes.
  if (!TOPOLOGY_LABELS.some((k) => Object.hasOwn(labels, k))) return success()
  for (const t of topologies) {
    const value = labels[t.key] ?? labels[GA[t.key] ?? t.key]
    if (value === undefined || !t.values.has(value)) return unresolvable(ERR_REASON_CONFLICT)
  }
  return success()
}

export const VolumeZone: FilterPlugin = { name: NAME, preFilter, filter }

// VolumeRestrictions (PreFilter, Filter), after kube-scheduler's
// volumerestrictions plugin: a ReadWriteOncePod claim already used by a
// scheduled pod rejects every node (Unschedulable: preempting that pod would
// help), and the in-tree disks that cannot be shared (GCE PD unless all
// read-only, AWS EBS, RBD and iSCSI likewise) conflict on the same node.
import {
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type Obj,
  type Snapshot,
  type Status,
  asError,
  skip,
  success,
  unresolvable,
  unschedulable,
} from '../../framework/types'
import { claimNotFound } from '../helper/volumes'

export const NAME = 'VolumeRestrictions'
export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk'
export const ERR_REASON_RWOP_CONFLICT =
  'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode'

interface State {
  /** The pod's ReadWriteOncePod claims. */
  rwop: Set<string>
  /** Scheduled pods using one of them (at most one each can). */
  conflicts: number
}

const needsDiskCheck = (v: Obj) =>
  !!(v.gcePersistentDisk || v.awsElasticBlockStore || v.rbd || v.iscsi)

const overlap = (a: string[] = [], b: string[] = []) => a.some((x) => b.includes(x))

/** isVolumeConflict: the same unshareable disk in two pods. */
function isVolumeConflict(v: Obj, other: Obj): boolean {
  for (const e of other.spec?.volumes ?? []) {
    if (v.gcePersistentDisk && e.gcePersistentDisk) {
      const [d, x] = [v.gcePersistentDisk, e.gcePersistentDisk]
      if (d.pdName === x.pdName && !(d.readOnly && x.readOnly)) return true
    }
    if (v.awsElasticBlockStore && e.awsElasticBlockStore)
      if (v.awsElasticBlockStore.volumeID === e.awsElasticBlockStore.volumeID) return true
    if (v.iscsi && e.iscsi)
      if (v.iscsi.iqn === e.iscsi.iqn && !(v.iscsi.readOnly && e.iscsi.readOnly)) return true
    if (v.rbd && e.rbd) {
      const [r, x] = [v.rbd, e.rbd]
      if (
        overlap(r.monitors, x.monitors) &&
        (r.pool ?? 'rbd') === (x.pool ?? 'rbd') &&
        r.image === x.image &&
        !(r.readOnly && x.readOnly)
      )
        return true
    }
  }
  return false
}

/** Whether a placed pod uses the claim (StorageInfos().IsPVCUsedByPods). */
const usesClaim = (pod: Obj, ns: string, claim: string) =>
  pod.metadata.namespace === ns &&
  (pod.spec?.volumes ?? []).some((v: Obj) => v.persistentVolumeClaim?.claimName === claim)

function preFilter(state: CycleState, pod: Obj, snapshot: Snapshot): Status | undefined {
  const ns: string = pod.metadata.namespace
  const volumes: Obj[] = pod.spec?.volumes ?? []
  const rwop = new Set<string>()
  for (const v of volumes) {
    if (!v.persistentVolumeClaim) continue
    const name: string = v.persistentVolumeClaim.claimName
    const pvc = snapshot.volumes?.claim(ns, name)
    if (!pvc) return unresolvable(claimNotFound(name))
    if ((pvc.spec?.accessModes ?? []).includes('ReadWriteOncePod')) rwop.add(pvc.metadata.name)
  }
  let conflicts = 0
  for (const claim of rwop)
    if (snapshot.nodes.some((n) => n.pods.some((p) => usesClaim(p, ns, claim)))) conflicts++
  if (!volumes.some(needsDiskCheck) && conflicts === 0) return skip()
  state.write(NAME, { rwop, conflicts } satisfies State)
  return undefined
}

function filter(state: CycleState, pod: Obj, node: NodeInfo): Status {
  for (const v of pod.spec?.volumes ?? [])
    if (needsDiskCheck(v) && node.pods.some((p) => isVolumeConflict(v, p)))
      return unschedulable(ERR_REASON_DISK_CONFLICT)
  const st = state.read<State>(NAME)
  if (!st) return asError(`cannot read "PreFilter${NAME}" from cycleState`)
  return st.conflicts > 0 ? unschedulable(ERR_REASON_RWOP_CONFLICT) : success()
}

export const VolumeRestrictions: FilterPlugin = { name: NAME, preFilter, filter }

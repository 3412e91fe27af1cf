// The default profile's filter plugins, in kube-scheduler's order: cheap,
// decisive checks first, the whole-cluster ones (spread, affinity) last.
import type { FilterPlugin } from '../framework/types'
import { InterPodAffinity } from './inter-pod-affinity/inter-pod-affinity'
import { NodeAffinity } from './node-affinity/node-affinity'
import { NodeName } from './node-name/node-name'
import { NodePorts } from './node-ports/node-ports'
import { NodeResourcesFit } from './node-resources-fit/node-resources-fit'
import { NodeUnschedulable } from './node-unschedulable/node-unschedulable'
import { PodTopologySpread } from './pod-topology-spread/pod-topology-spread'
import { TaintToleration } from './taint-toleration/taint-toleration'
import { VolumeBinding } from './volume-binding/volume-binding'
import { VolumeRestrictions } from './volume-restrictions/volume-restrictions'
import { VolumeZone } from './volume-zone/volume-zone'

export const DEFAULT_FILTER_PLUGINS: FilterPlugin[] = [
  NodeUnschedulable,
  NodeName,
  TaintToleration,
  NodeAffinity,
  NodePorts,
  NodeResourcesFit,
  // Upstream's NodeVolumeLimits (and the in-tree EBS/GCE PD/Azure Disk limits) come here; without
  // CSINode objects there is no limit to count against, so they are not run.
  VolumeRestrictions,
  VolumeBinding,
  VolumeZone,
  PodTopologySpread,
  InterPodAffinity,
]

// The controllers kube-controller-manager runs by default, as far as we have them.
import { attachDetachController } from './attach-detach'
import { clusterRoleAggregationController } from './clusterrole-aggregation'
import { deploymentController } from './deployment'
import { endpointsController } from './endpoints'
import { endpointSliceController } from './endpointslice'
import { ephemeralVolumeController } from './ephemeral-volume'
import type { Controller } from './framework/types'
import { garbageCollectorController } from './garbage-collector'
import { kubernetesServiceController } from './kubernetes-service'
import { nodeLifecycleController } from './node-lifecycle'
import { persistentVolumeController } from './persistentvolume'
import { podGCController } from './pod-gc'
import { pvProtectionController } from './pv-protection'
import { pvcProtectionController } from './pvc-protection'
import { replicaSetController } from './replicaset'
import { resourceQuotaController } from './resource-quota'
import { rootCACertPublisher } from './root-ca-publisher'
import { serviceAccountController } from './serviceaccount'
import { taintEvictionController } from './taint-eviction'
import { volumeExpandController } from './volume-expand'

export const DEFAULT_CONTROLLERS: Controller[] = [
  deploymentController,
  replicaSetController,
  nodeLifecycleController,
  taintEvictionController,
  endpointsController,
  endpointSliceController,
  kubernetesServiceController, // kube-apiserver's, run here beside the others
  garbageCollectorController,
  podGCController,
  persistentVolumeController,
  pvcProtectionController,
  pvProtectionController,
  volumeExpandController,
  ephemeralVolumeController,
  attachDetachController,
  resourceQuotaController,
  serviceAccountController,
  rootCACertPublisher,
  clusterRoleAggregationController,
]

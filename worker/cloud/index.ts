// The controllers cloud-controller-manager runs against our simulated provider
// (node pools and instances, load balancers, disks). They share the controller
// manager's framework and queue with kube-controller-manager's controllers.
import type { Controller } from '../controllers/framework/types'
import { diskAttacherController } from './disk-attacher'
import { diskProvisioner } from './disk-provisioner'
import { diskResizer } from './disk-resizer'
import { cloudNodeController } from './cloud-node'
import { cloudNodeLifecycleController } from './cloud-node-lifecycle'
import { instanceController } from './instance'
import { nodePoolController } from './node-pool'
import { serviceLoadBalancerController } from './service-lb'

export const CLOUD_CONTROLLERS: Controller[] = [
  // The provider itself: VMs boot and stop, managed instance groups keep their size.
  instanceController,
  nodePoolController,
  // cloud-controller-manager's.
  cloudNodeController,
  cloudNodeLifecycleController,
  serviceLoadBalancerController,
  // external-provisioner with the cloud's disk CSI driver.
  diskProvisioner,
  // external-resizer with the same driver: grows disks when their claims ask for more.
  diskResizer,
  // external-attacher with the same driver: attaches disks to nodes in their zone.
  diskAttacherController,
]

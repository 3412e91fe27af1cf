// The controllers cloud-controller-manager runs against our simulated provider
// (node pools and instances, load balancers, disks). They share the controller
// manager's framework and queue with kube-controller-manager's controllers.
import type { Controller } from '../controllers/framework/types'
import { diskAttacherController } from './disk-attacher'
import { diskProvisioner } from './disk-provisioner'

export const CLOUD_CONTROLLERS: Controller[] = [
  // external-provisioner with the cloud's disk CSI driver.
  diskProvisioner,
  // external-attacher with the same driver: attaches disks to nodes in their zone.
  diskAttacherController,
]

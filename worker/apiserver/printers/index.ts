// Printers by "<group>/<resource>" ("" for the core group).
import { deploymentPrinter, replicaSetPrinter } from './apps'
import { instancePrinter, nodePoolPrinter } from './cloud'
import { AGE, col, NAME } from './columns'
import { configMapPrinter, endpointsPrinter, eventPrinter, namespacePrinter, nodePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core'
import { since } from './duration'
import { endpointSlicePrinter, limitRangePrinter, persistentVolumeClaimPrinter, persistentVolumePrinter, podDisruptionBudgetPrinter, priorityClassPrinter, resourceQuotaPrinter, roleBindingPrinter, rolePrinter, storageClassPrinter } from './more'
import { podPrinter } from './pod'
import type { Printer } from './types'
import { volumeAttachmentPrinter } from './volume-attachment'

const leasePrinter: Printer = {
  columns: [NAME, col('Holder', 'The holder of the lease.'), AGE],
  row: (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '', since(l.metadata.creationTimestamp, now)],
}

const clockPrinter: Printer = {
  columns: [NAME, col('Speed', 'Simulated seconds per wall-clock second.', { type: 'number' }), col('Paused', 'Whether simulated time stands still.', { type: 'boolean' }), col('Now', 'Simulated time now.'), AGE],
  row: (c, now) => [c.metadata.name, c.spec?.speed ?? 1, c.spec?.paused ?? false, c.status?.now ?? '', since(c.metadata.creationTimestamp, now)],
}

const decisionPrinter: Printer = {
  columns: [NAME, col('Result', 'The last attempt: Scheduled or Unschedulable.'), col('Node', 'The node chosen.'), col('Attempts', 'Attempts kept.', { type: 'integer' }), col('Message', 'Why no node fitted.', { priority: 1 }), AGE],
  row: (d, now) => {
    const last = d.status?.attempts?.at(-1) ?? {}
    return [d.metadata.name, last.result ?? '', last.node ?? '<none>', d.status?.attempts?.length ?? 0, last.message ?? '', since(d.metadata.creationTimestamp, now)]
  },
}

export const printers: Record<string, Printer> = {
  'sim.wheelhouse.dev/schedulingdecisions': decisionPrinter,
  '/pods': podPrinter,
  '/namespaces': namespacePrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/nodes': nodePrinter,
  '/events': eventPrinter,
  'events.k8s.io/events': eventPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'coordination.k8s.io/leases': leasePrinter,
  'sim.wheelhouse.dev/clocks': clockPrinter,
  'sim.wheelhouse.dev/nodepools': nodePoolPrinter,
  'sim.wheelhouse.dev/instances': instancePrinter,
  '/persistentvolumes': persistentVolumePrinter,
  '/persistentvolumeclaims': persistentVolumeClaimPrinter,
  '/resourcequotas': resourceQuotaPrinter,
  '/limitranges': limitRangePrinter,
  'storage.k8s.io/storageclasses': storageClassPrinter,
  'storage.k8s.io/volumeattachments': volumeAttachmentPrinter,
  'policy/poddisruptionbudgets': podDisruptionBudgetPrinter,
  'scheduling.k8s.io/priorityclasses': priorityClassPrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'rbac.authorization.k8s.io/roles': rolePrinter,
  'rbac.authorization.k8s.io/clusterroles': rolePrinter,
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': roleBindingPrinter,
}

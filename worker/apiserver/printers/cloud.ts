// The simulated cloud's kinds in `kubectl get`: node pools and their instances.
import { AGE, col, joinOrNone, NAME, wide } from './columns'
import { since } from './duration'
import type { Printer } from './types'

export const nodePoolPrinter: Printer = {
  columns: [
    NAME,
    col('Machine-Type', 'The shape of every node of the pool.'),
    col('Zones', 'Zones the nodes are spread over.'),
    col('Desired', 'Number of nodes wanted.', { type: 'integer' }),
    col('Current', 'Instances of the pool that are not being deleted.', { type: 'integer' }),
    col('Ready', 'Nodes of the pool whose Ready condition is True.', { type: 'integer' }),
    AGE,
  ],
  row: (p, now) => [
    p.metadata.name,
    p.spec?.machineType ?? '',
    joinOrNone(p.spec?.zones ?? []),
    p.spec?.replicas ?? 0,
    p.status?.replicas ?? 0,
    p.status?.readyReplicas ?? 0,
    since(p.metadata.creationTimestamp, now),
  ],
}

export const instancePrinter: Printer = {
  columns: [
    NAME,
    col('Pool', 'The node pool that owns the VM.'),
    col('Zone', 'The zone the VM runs in.'),
    col('Machine-Type', 'The shape of the VM.'),
    col('Phase', 'Provisioning, Running, Stopping or Terminated.'),
    AGE,
    wide('Internal-IP', 'The address of the VM in the cluster network.'),
    wide('Provider-ID', 'The ID its Node carries in spec.providerID.'),
  ],
  row: (i, now) => [
    i.metadata.name,
    i.spec?.pool || '<none>',
    i.spec?.zone ?? '',
    i.spec?.machineType ?? '',
    i.status?.phase ?? 'Provisioning',
    since(i.metadata.creationTimestamp, now),
    i.status?.internalIP || '<none>',
    i.status?.providerID || '<none>',
  ],
}

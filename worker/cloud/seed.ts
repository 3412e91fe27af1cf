// The cloud a new cluster starts with: the node pool "default" of standard-4
// VMs (4 CPU, 16Gi, 110 pods) over zone-a, zone-b and zone-c, its Instances
// already running, and their Nodes worker-1..N registered and initialized by
// the cloud node controller, as a provisioned cluster is handed over. A cluster
// of 0 nodes still gets the pool, at 0: scaling it is how nodes are added.
import type { Objects } from '../apiserver/objects'
import { rfc3339 } from '../apiserver/context'
import { prepareForCreate } from '../apiserver/prepare'
import { kindOf } from '../controllers/framework/context'
import { NODES, type Obj } from '../controllers/framework/types'
import { DEFAULT_MACHINE_TYPE, ZONES } from '../resources/machine-types'
import { initializeNode } from './cloud-node'
import { registeredNode } from './instance'
import { newInstance } from './node-pool'
import { DEFAULT_POOL, INSTANCES, NODEPOOLS, nodeNamePrefix, providerIDOf } from './provider'

function create(
  objects: Objects,
  ref: string,
  o: Obj,
  now: number,
  status?: Record<string, any>,
): Obj {
  const k = kindOf(ref)
  o.apiVersion = k.group ? `${k.group}/${k.version}` : k.version
  o.kind = k.kind
  prepareForCreate(k, o, now)
  if (status) o.status = status
  return objects.create(k, o)
}

export function seedNodePool(objects: Objects, now: number, cluster: string, nodes: number): void {
  const pool = create(
    objects,
    NODEPOOLS,
    {
      metadata: { name: DEFAULT_POOL },
      spec: { machineType: DEFAULT_MACHINE_TYPE, zones: [...ZONES], replicas: nodes },
    },
    now,
  )
  for (let i = 1; i <= nodes; i++) {
    const name = `${nodeNamePrefix(DEFAULT_POOL)}-${i}`
    const zone = ZONES[(i - 1) % ZONES.length]!
    const running = {
      phase: 'Running',
      lastPhaseTransitionTime: rfc3339(now),
      providerID: providerIDOf(cluster, zone, name),
    }
    const inst = create(objects, INSTANCES, newInstance(pool, name, zone), now, running)
    create(objects, NODES, initializeNode(registeredNode(inst, pool), inst, cluster), now)
  }
}

// sim.wheelhouse.dev/v1alpha1 NodePool and Instance: the simulated cloud's
// managed instance groups and the VMs in them (both cluster-scoped).
import { Type } from '@sinclair/typebox'
import { Condition, Time, metadataField, typeMeta } from './meta'
import { Taint } from './node'
import {
  atomicList,
  atomicStrList,
  bool,
  def,
  enumStr,
  int32,
  mapList,
  obj,
  ref,
  str,
  strMap,
} from './t'

const S = 'dev.wheelhouse.sim.v1alpha1.'

const kind = <P extends Parameters<typeof obj>[1]>(name: string, description: string, props: P) =>
  def(name, obj(description, { ...typeMeta, metadata: metadataField, ...props }))

const NodePoolSpec = def(
  S + 'NodePoolSpec',
  obj('How many nodes of which shape, in which zones.', {
    machineType: str(
      'The shape of every node: standard-2, standard-4, standard-8, highmem-4 or highcpu-4; standard-4 by default. Immutable.',
    ),
    zones: atomicStrList(
      'Zones the nodes are spread over, round-robin; zone-a, zone-b and zone-c by default.',
    ),
    replicas: int32('Number of nodes wanted; 1 by default.'),
    labels: strMap('Labels every new node registers with.'),
    taints: atomicList(Taint, 'Taints every new node registers with.'),
  }),
)

const NodePoolZoneStatus = def(
  S + 'NodePoolZoneStatus',
  obj(
    'Nodes of the pool in one zone.',
    {
      zone: str('The zone.'),
      replicas: int32('Instances in the zone.'),
      readyReplicas: int32('Nodes in the zone whose Ready condition is True.'),
    },
    ['zone'],
  ),
)

const NodePoolStatus = def(
  S + 'NodePoolStatus',
  obj('What the pool has now.', {
    observedGeneration: Type.Integer({
      format: 'int64',
      description: 'The generation of the spec this status was computed from.',
    }),
    replicas: int32('Instances of the pool that are not being deleted.'),
    readyReplicas: int32('Nodes of the pool whose Ready condition is True.'),
    zones: mapList(NodePoolZoneStatus, 'Counts per zone.', ['zone']),
    conditions: mapList(ref(Condition), 'Ready and Scaling.', ['type']),
  }),
)

/** A managed instance group: the provider keeps spec.replicas Instances, each booting a node. */
export const NodePool = kind(
  S + 'NodePool',
  'A group of identical nodes the simulated cloud keeps at the size asked for (cluster-scoped). Scale it with `kubectl scale nodepool <name> --replicas=N`.',
  {
    spec: ref(NodePoolSpec, 'The nodes wanted.'),
    status: ref(NodePoolStatus, 'The nodes there are (read-only).'),
  },
)

const InstanceSpec = def(
  S + 'InstanceSpec',
  obj('What the VM is.', {
    pool: str('The NodePool that owns it, if any. Immutable.'),
    zone: str('The zone it runs in. Immutable.'),
    machineType: str('Its shape. Immutable.'),
    running: bool(
      'Whether it should be powered on; true by default. False stops it (its node goes NotReady and is tainted shutdown), true starts it again.',
    ),
  }),
)

const InstanceStatus = def(
  S + 'InstanceStatus',
  obj('What the cloud reports about the VM.', {
    phase: enumStr(
      ['Provisioning', 'Running', 'Stopping', 'Terminated'],
      'Provisioning, Running, Stopping or Terminated (stopped).',
    ),
    lastPhaseTransitionTime: ref(Time, 'When the phase last changed.'),
    providerID: str(
      'wheelhouse://<cluster>/<zone>/<name>: the ID its Node carries in spec.providerID.',
    ),
    internalIP: str('Its address in the cluster network, once its kubelet has reported it.'),
  }),
)

/** One VM of the simulated cloud; deleting it is deleting the VM in the cloud console. */
export const Instance = kind(
  S + 'Instance',
  'A VM in the simulated cloud (cluster-scoped). Its kubelet registers a Node of the same name when it boots; deleting the Instance deletes the VM.',
  {
    spec: ref(InstanceSpec, 'What the VM is.'),
    status: ref(InstanceStatus, 'What the cloud reports (read-only).'),
  },
)

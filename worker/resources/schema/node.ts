// core/v1 Node and Namespace.
import { Type } from '@sinclair/typebox'
import { Time, metadataField, quantityMap, typeMeta } from './meta'
import {
  atomicList,
  atomicStrList,
  bool,
  def,
  enumStr,
  int32,
  int64,
  mergeList,
  obj,
  ref,
  str,
} from './t'

const C = 'io.k8s.api.core.v1.'

export const Taint = def(
  C + 'Taint',
  obj(
    'A taint: pods that do not tolerate it are affected by its effect.',
    {
      key: str('Taint key.'),
      value: str('Taint value.'),
      effect: enumStr(
        ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
        'Effect on pods that do not tolerate it.',
      ),
      timeAdded: ref(Time, 'When a NoExecute taint was added.'),
    },
    ['key', 'effect'],
  ),
)

const NodeSpec = def(
  C + 'NodeSpec',
  obj('How a node is set up.', {
    podCIDR: str('Pod IP range assigned to the node.'),
    podCIDRs: Type.Array(Type.String(), {
      description: 'Pod IP ranges assigned to the node (one per IP family).',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'set',
    }),
    providerID: str('ID of the node assigned by the cloud provider.'),
    unschedulable: bool('Whether new pods may be scheduled onto the node (false = cordoned off).'),
    taints: atomicList(Taint, 'Taints of the node.'),
    externalID: str('Deprecated.'),
  }),
)

const NodeCondition = def(
  C + 'NodeCondition',
  obj(
    'A condition of the node.',
    {
      type: str('Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable.'),
      status: str('True, False or Unknown.'),
      lastHeartbeatTime: ref(Time, 'Last time the condition was reported.'),
      lastTransitionTime: ref(Time, 'Last time the status changed.'),
      reason: str('Reason for the last transition.'),
      message: str('Detail of the last transition.'),
    },
    ['type', 'status'],
  ),
)
const NodeAddress = def(
  C + 'NodeAddress',
  obj(
    'An address of the node.',
    {
      type: str('Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS.'),
      address: str('The address.'),
    },
    ['type', 'address'],
  ),
)
const NodeSystemInfo = def(
  C + 'NodeSystemInfo',
  obj(
    'Identifiers and versions reported by the node.',
    {
      machineID: str('Machine ID.'),
      systemUUID: str('System UUID.'),
      bootID: str('Boot ID.'),
      kernelVersion: str('Kernel version.'),
      osImage: str('OS image.'),
      containerRuntimeVersion: str('Container runtime version, e.g. containerd://1.7.0.'),
      kubeletVersion: str('Kubelet version.'),
      kubeProxyVersion: str('Deprecated kube-proxy version.'),
      operatingSystem: str('Operating system, e.g. linux.'),
      architecture: str('Architecture, e.g. amd64.'),
    },
    [
      'machineID',
      'systemUUID',
      'bootID',
      'kernelVersion',
      'osImage',
      'containerRuntimeVersion',
      'kubeletVersion',
      'kubeProxyVersion',
      'operatingSystem',
      'architecture',
    ],
  ),
)
const NodeStatus = def(
  C + 'NodeStatus',
  obj('Most recently observed status of the node.', {
    capacity: quantityMap('Total resources of the node.'),
    allocatable: quantityMap('Resources available for scheduling.'),
    phase: str('Deprecated.'),
    conditions: mergeList(NodeCondition, 'Current conditions of the node.', 'type'),
    addresses: mergeList(NodeAddress, 'Addresses of the node.', 'type'),
    daemonEndpoints: ref(
      def(
        C + 'NodeDaemonEndpoints',
        obj('Ports of daemons on the node.', {
          kubeletEndpoint: ref(
            def(
              C + 'DaemonEndpoint',
              obj('A daemon port.', { Port: int32('Port number.') }, ['Port']),
            ),
            'Kubelet endpoint.',
          ),
        }),
      ),
      'Endpoints of daemons running on the node.',
    ),
    nodeInfo: ref(NodeSystemInfo, 'General information about the node.'),
    images: atomicList(
      def(
        C + 'ContainerImage',
        obj('A container image.', {
          names: atomicStrList('Names of the image.'),
          sizeBytes: int64('Size in bytes.'),
        }),
      ),
      'Images on the node.',
    ),
    volumesInUse: atomicStrList('Attachable volumes in use.'),
  }),
)
export const Node = def(
  C + 'Node',
  obj('A worker node.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(NodeSpec, 'Behavior of the node.'),
    status: ref(NodeStatus, 'Most recently observed status of the node (read-only).'),
  }),
)

export const Namespace = def(
  C + 'Namespace',
  obj('A scope for names.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(
      def(
        C + 'NamespaceSpec',
        obj('Attributes of the namespace.', {
          finalizers: atomicStrList('Finalizers run before the namespace is removed.'),
        }),
      ),
      'Behavior of the namespace.',
    ),
    status: ref(
      def(
        C + 'NamespaceStatus',
        obj('Status of the namespace.', {
          phase: enumStr(['Active', 'Terminating'], 'Phase of the namespace.'),
          conditions: mergeList(
            def(
              C + 'NamespaceCondition',
              obj(
                'A condition of the namespace.',
                {
                  type: str('Condition type.'),
                  status: str('True, False or Unknown.'),
                  lastTransitionTime: ref(Time, 'Last transition.'),
                  reason: str('Reason.'),
                  message: str('Message.'),
                },
                ['type', 'status'],
              ),
            ),
            'Latest observations.',
            'type',
          ),
        }),
      ),
      'Status of the namespace (read-only).',
    ),
  }),
)

// core/v1 Pod: PodSpec (its scheduling parts live in scheduling.ts) and
// PodStatus (conditions and container statuses), plus PodTemplateSpec for the
// workload kinds and Binding.
import { Type } from '@sinclair/typebox'
import { Container, ResourceRequirements, containerList } from './container'
import { Time, metadataField, quantityMap, typeMeta } from './meta'
import { Affinity, PodSecurityContext, Toleration, TopologySpreadConstraint } from './scheduling'
import { LocalObjectReference, Volume } from './volume'
import {
  atomicList,
  atomicStrList,
  bool,
  def,
  enumStr,
  int32,
  int64,
  mapList,
  mergeList,
  obj,
  ref,
  str,
} from './t'

const C = 'io.k8s.api.core.v1.'

export const PodSpec = def(
  C + 'PodSpec',
  obj(
    'Specification of a pod.',
    {
      volumes: mapList(Volume, 'Volumes that containers of the pod can mount.', ['name'], {
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
        'x-kubernetes-patch-merge-key': 'name',
      }),
      initContainers: containerList(
        'Containers run to completion, in order, before the app containers.',
      ),
      containers: containerList('The containers of the pod; at least one.'),
      ephemeralContainers: mergeList(
        Container,
        'Debugging containers added to a running pod.',
        'name',
      ),
      restartPolicy: enumStr(
        ['Always', 'Never', 'OnFailure'],
        'Restart policy for all containers; Always by default.',
      ),
      terminationGracePeriodSeconds: int64(
        'Seconds the pod is given to stop gracefully; 30 by default.',
      ),
      activeDeadlineSeconds: int64('Seconds the pod may be active before the system fails it.'),
      dnsPolicy: enumStr(
        ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
        'DNS policy for the pod; ClusterFirst by default.',
      ),
      nodeSelector: Type.Record(Type.String(), Type.String(), {
        description: 'Labels a node must have for the pod to fit on it.',
        'x-kubernetes-map-type': 'atomic',
      }),
      serviceAccountName: str('Name of the ServiceAccount the pod runs as.'),
      serviceAccount: str('Deprecated alias of serviceAccountName.'),
      automountServiceAccountToken: bool(
        'Whether a service account token is mounted automatically.',
      ),
      nodeName: str('Node the pod is bound to; set by the scheduler.'),
      hostNetwork: bool("Use the host's network namespace."),
      hostPID: bool("Use the host's PID namespace."),
      hostIPC: bool("Use the host's IPC namespace."),
      shareProcessNamespace: bool('Share one process namespace between all containers.'),
      securityContext: ref(PodSecurityContext, 'Pod-level security attributes.'),
      imagePullSecrets: mergeList(LocalObjectReference, 'Secrets used to pull images.', 'name'),
      hostname: str('Hostname of the pod; the pod name by default.'),
      subdomain: str('Subdomain; the pod FQDN is hostname.subdomain.namespace.svc.cluster-domain.'),
      affinity: ref(Affinity, 'Scheduling constraints.'),
      schedulerName: str('Scheduler that places the pod; default-scheduler by default.'),
      tolerations: atomicList(Toleration, 'Taints the pod tolerates.'),
      hostAliases: mergeList(
        def(
          C + 'HostAlias',
          obj(
            'An /etc/hosts entry.',
            { ip: str('IP address.'), hostnames: atomicStrList('Names.') },
            ['ip'],
          ),
        ),
        'Extra /etc/hosts entries.',
        'ip',
      ),
      priorityClassName: str('Name of the PriorityClass of the pod.'),
      priority: int32('Priority value, filled from priorityClassName.'),
      dnsConfig: ref(
        def(
          C + 'PodDNSConfig',
          obj('DNS settings beyond dnsPolicy.', {
            nameservers: atomicStrList('DNS server IPs.'),
            searches: atomicStrList('Search domains.'),
            options: atomicList(
              def(
                C + 'PodDNSConfigOption',
                obj('A resolver option.', { name: str('Name.'), value: str('Value.') }),
              ),
              'Resolver options.',
            ),
          }),
        ),
        'DNS parameters.',
      ),
      readinessGates: atomicList(
        def(
          C + 'PodReadinessGate',
          obj(
            'An extra condition for pod readiness.',
            { conditionType: str('A pod condition type.') },
            ['conditionType'],
          ),
        ),
        'Extra conditions that must be True for the pod to be ready.',
      ),
      runtimeClassName: str('RuntimeClass used to run the pod.'),
      enableServiceLinks: bool('Inject service environment variables; true by default.'),
      preemptionPolicy: enumStr(
        ['Never', 'PreemptLowerPriority'],
        'Whether the pod may preempt lower-priority pods.',
      ),
      overhead: quantityMap('Resource overhead of running the pod, added to its containers.'),
      topologySpreadConstraints: mapList(
        TopologySpreadConstraint,
        'How pods spread across topology domains.',
        ['topologyKey', 'whenUnsatisfiable'],
        { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'topologyKey' },
      ),
      setHostnameAsFQDN: bool('Set the hostname to the pod FQDN.'),
      os: ref(
        def(
          C + 'PodOS',
          obj('Operating system of the pod.', { name: str('linux or windows.') }, ['name']),
        ),
        'OS.',
      ),
      hostUsers: bool("Use the host's user namespace; true by default."),
      schedulingGates: mergeList(
        def(
          C + 'PodSchedulingGate',
          obj('A gate that holds scheduling.', { name: str('Gate name.') }, ['name']),
        ),
        'Gates that must all be removed before the pod is scheduled.',
        'name',
      ),
      resources: ref(ResourceRequirements, 'Pod-level resources.'),
    },
    ['containers'],
  ),
)

const ContainerState = def(
  C + 'ContainerState',
  obj('Exactly one of waiting, running or terminated.', {
    waiting: ref(
      def(
        C + 'ContainerStateWaiting',
        obj('A waiting container.', {
          reason: str('Why it is waiting, e.g. ContainerCreating.'),
          message: str('Detail.'),
        }),
      ),
      'Details of a waiting container.',
    ),
    running: ref(
      def(
        C + 'ContainerStateRunning',
        obj('A running container.', { startedAt: ref(Time, 'When it started.') }),
      ),
      'Details of a running container.',
    ),
    terminated: ref(
      def(
        C + 'ContainerStateTerminated',
        obj(
          'A terminated container.',
          {
            exitCode: int32('Exit status of the last termination.'),
            signal: int32('Signal of the last termination.'),
            reason: str('Brief reason, e.g. Completed or Error.'),
            message: str('Detail.'),
            startedAt: ref(Time, 'When the last execution started.'),
            finishedAt: ref(Time, 'When the last execution finished.'),
            containerID: str('Container ID, <type>://<id>.'),
          },
          ['exitCode'],
        ),
      ),
      'Details of a terminated container.',
    ),
  }),
)
export const ContainerStatus = def(
  C + 'ContainerStatus',
  obj(
    'Status of a container in the pod.',
    {
      name: str('Container name.'),
      state: ref(ContainerState, 'Current state.'),
      lastTerminationState: ref(ContainerState, 'Last termination state.'),
      ready: bool('Whether the container passes its readiness probe.'),
      restartCount: int32('Times the container has restarted.'),
      image: str('Image the container runs.'),
      imageID: str('Image ID.'),
      containerID: str('Container ID, <type>://<id>.'),
      started: bool('Whether the container has passed its startup probe.'),
      allocatedResources: quantityMap('Resources allocated by the node.'),
    },
    ['name', 'ready', 'restartCount', 'image', 'imageID'],
  ),
)
const containerStatuses = (description: string) => atomicList(ContainerStatus, description)
const PodIP = (what: string) =>
  def(
    C + what,
    obj(
      `An IP address assigned to the ${what === 'HostIP' ? 'host' : 'pod'}.`,
      { ip: str('The IP.') },
      ['ip'],
    ),
  )

export const PodStatus = def(
  C + 'PodStatus',
  obj('Most recently observed status of the pod.', {
    phase: enumStr(
      ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
      'Phase in the pod lifecycle.',
    ),
    conditions: mergeList(
      def(
        C + 'PodCondition',
        obj(
          'A condition of the pod.',
          {
            type: str('PodScheduled, Initialized, ContainersReady, Ready, ...'),
            status: str('True, False or Unknown.'),
            lastProbeTime: ref(Time, 'Last time the condition was probed.'),
            lastTransitionTime: ref(Time, 'Last time the status changed.'),
            reason: str('Reason for the last transition.'),
            message: str('Detail of the last transition.'),
          },
          ['type', 'status'],
        ),
      ),
      'Current service state of the pod.',
      'type',
    ),
    message: str('Why the pod is in this condition.'),
    reason: str('Brief CamelCase reason, e.g. Evicted.'),
    nominatedNodeName: str('Node the pod is nominated to after preempting others.'),
    hostIP: str('IP of the node the pod is bound to.'),
    hostIPs: atomicList(PodIP('HostIP'), 'IPs of the node.'),
    podIP: str('IP allocated to the pod.'),
    podIPs: mergeList(PodIP('PodIP'), 'IPs allocated to the pod.', 'ip'),
    startTime: ref(Time, 'When the kubelet acknowledged the pod.'),
    initContainerStatuses: containerStatuses('Statuses of the init containers.'),
    containerStatuses: containerStatuses('Statuses of the containers.'),
    ephemeralContainerStatuses: containerStatuses('Statuses of the ephemeral containers.'),
    qosClass: enumStr(['BestEffort', 'Burstable', 'Guaranteed'], 'Quality of service class.'),
    resize: str('Status of a requested resize.'),
    observedGeneration: int64('Generation observed by the kubelet.'),
  }),
)

export const Pod = def(
  C + 'Pod',
  obj('A collection of containers that run on a host.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(PodSpec, 'Desired behavior of the pod.'),
    status: ref(PodStatus, 'Most recently observed status of the pod (read-only).'),
  }),
)

export const PodTemplateSpec = def(
  C + 'PodTemplateSpec',
  obj('Describes the pods created from a template.', {
    metadata: metadataField,
    spec: ref(PodSpec, 'Desired behavior of the pod.'),
  }),
)
export const PodTemplate = def(
  C + 'PodTemplate',
  obj('A pod template.', {
    ...typeMeta,
    metadata: metadataField,
    template: ref(PodTemplateSpec, 'The template.'),
  }),
)

export const ObjectReference = def(
  C + 'ObjectReference',
  obj(
    'A reference to an object, with enough detail to inspect or change it.',
    {
      kind: str('Kind of the referent.'),
      namespace: str('Namespace of the referent.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
      apiVersion: str('API version of the referent.'),
      resourceVersion: str('Specific resourceVersion the reference is to.'),
      fieldPath: str('A piece of the object, e.g. spec.containers{name}.'),
    },
    [],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)

export const Binding = def(
  C + 'Binding',
  obj(
    'Binds a pod to a node (what the scheduler posts).',
    { ...typeMeta, metadata: metadataField, target: ref(ObjectReference, 'The node to bind to.') },
    ['target'],
  ),
)

export { NodeSelector, NodeSelectorTerm } from './scheduling'

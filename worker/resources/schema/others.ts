// Smaller API groups: discovery, coordination, events, storage, policy,
// scheduling, authentication, authorization, and our own sim.wheelhouse.dev Clock.
import { Type } from '@sinclair/typebox'
import { Condition, IntOrString, LabelSelector, MicroTime, metadataField, typeMeta } from './meta'
import { EventSource } from './core'
import { ObjectReference } from './pod'
import {
  atomicList,
  atomicStrList,
  bool,
  def,
  int32,
  int64,
  mapList,
  num,
  obj,
  ref,
  str,
  strMap,
} from './t'

const kind = <P extends Parameters<typeof obj>[1]>(
  name: string,
  description: string,
  props: P,
  required: string[] = [],
) =>
  def(
    name,
    obj(description, { ...typeMeta, metadata: metadataField, ...props }, required as never[]),
  )

// discovery.k8s.io/v1
const D = 'io.k8s.api.discovery.v1.'
const Endpoint = def(
  D + 'Endpoint',
  obj(
    'One network endpoint of a service.',
    {
      addresses: Type.Array(Type.String(), {
        description: 'Addresses of the endpoint.',
        'x-kubernetes-list-type': 'set',
      }),
      conditions: ref(
        def(
          D + 'EndpointConditions',
          obj('State of the endpoint.', {
            ready: bool('Ready to receive traffic.'),
            serving: bool('Serving, regardless of termination.'),
            terminating: bool('Terminating.'),
          }),
        ),
        'Current state of the endpoint.',
      ),
      hostname: str('Hostname of the endpoint.'),
      targetRef: ref(ObjectReference, 'The object providing the endpoint.'),
      deprecatedTopology: strMap('Deprecated topology.'),
      nodeName: str('Node hosting the endpoint.'),
      zone: str('Zone the endpoint is in.'),
    },
    ['addresses'],
  ),
)
export const EndpointSlice = kind(
  D + 'EndpointSlice',
  'A subset of the endpoints of a service.',
  {
    addressType: str('IPv4, IPv6 or FQDN.'),
    endpoints: atomicList(Endpoint, 'The endpoints.'),
    ports: atomicList(
      def(
        D + 'EndpointPort',
        obj(
          'A port of the endpoints.',
          {
            name: str('Port name.'),
            protocol: str('TCP, UDP or SCTP.'),
            port: int32('Port number.'),
            appProtocol: str('Application protocol.'),
          },
          [],
          { 'x-kubernetes-map-type': 'atomic' },
        ),
      ),
      'Ports exposed by every endpoint.',
    ),
  },
  ['addressType', 'endpoints'],
)

// coordination.k8s.io/v1
export const Lease = kind(
  'io.k8s.api.coordination.v1.Lease',
  'A lease: a lock held by one holder.',
  {
    spec: ref(
      def(
        'io.k8s.api.coordination.v1.LeaseSpec',
        obj('Specification of the lease.', {
          holderIdentity: str('Identity of the holder.'),
          leaseDurationSeconds: int32('How long candidates wait before taking the lease over.'),
          acquireTime: ref(MicroTime, 'When the current lease was acquired.'),
          renewTime: ref(MicroTime, 'When the holder last renewed the lease.'),
          leaseTransitions: int32('Number of holder changes.'),
          strategy: str('Strategy for picking the leader.'),
          preferredHolder: str('Holder the lease should move to.'),
        }),
      ),
      'Specification of the lease.',
    ),
  },
)

// events.k8s.io/v1
const E = 'io.k8s.api.events.v1.'
export const EventsV1Event = kind(
  E + 'Event',
  'A report of an event somewhere in the cluster.',
  {
    eventTime: ref(MicroTime, 'When the event was first observed.'),
    series: ref(
      def(
        E + 'EventSeries',
        obj(
          'A series of recurring events.',
          { count: int32('Occurrences.'), lastObservedTime: ref(MicroTime, 'Last occurrence.') },
          ['count', 'lastObservedTime'],
        ),
      ),
      'The series this event belongs to.',
    ),
    reportingController: str('Controller that emitted the event.'),
    reportingInstance: str('ID of the controller instance.'),
    action: str('What was done, or failed.'),
    reason: str('Why the action was taken.'),
    regarding: ref(ObjectReference, 'The object this event is about.'),
    related: ref(ObjectReference, 'A secondary object.'),
    note: str('Human-readable description.'),
    type: str('Normal or Warning.'),
    deprecatedSource: ref(EventSource, 'Deprecated source.'),
    deprecatedFirstTimestamp: ref(MicroTime, 'Deprecated.'),
    deprecatedLastTimestamp: ref(MicroTime, 'Deprecated.'),
    deprecatedCount: int32('Deprecated.'),
  },
  ['eventTime'],
)

// storage.k8s.io/v1
export const StorageClass = kind(
  'io.k8s.api.storage.v1.StorageClass',
  'A class of storage that volumes can be dynamically provisioned from.',
  {
    provisioner: str('Name of the volume plugin that provisions volumes.'),
    parameters: strMap('Parameters for the provisioner.'),
    reclaimPolicy: str('Delete (default) or Retain.'),
    mountOptions: atomicStrList('Mount options of provisioned volumes.'),
    allowVolumeExpansion: bool('Whether volumes can be expanded.'),
    volumeBindingMode: str('Immediate (default) or WaitForFirstConsumer.'),
    allowedTopologies: atomicList(
      Type.Unknown({ description: 'A topology selector term.' }),
      'Topologies volumes may be provisioned in.',
    ),
  },
  ['provisioner'],
)

// policy/v1
const P = 'io.k8s.api.policy.v1.'
export const PodDisruptionBudget = kind(
  P + 'PodDisruptionBudget',
  'Limits how many pods of a set may be down at once.',
  {
    spec: ref(
      def(
        P + 'PodDisruptionBudgetSpec',
        obj('Desired budget.', {
          minAvailable: ref(
            IntOrString,
            'Pods that must stay available after an eviction: a number or a percentage.',
          ),
          selector: {
            ...ref(LabelSelector, 'Pods the budget covers.'),
            'x-kubernetes-patch-strategy': 'replace',
          },
          maxUnavailable: ref(
            IntOrString,
            'Pods that may be unavailable after an eviction: a number or a percentage.',
          ),
          unhealthyPodEvictionPolicy: str('IfHealthyBudget or AlwaysAllow.'),
        }),
      ),
      'Desired budget.',
    ),
    status: ref(
      def(
        P + 'PodDisruptionBudgetStatus',
        obj(
          'Observed budget.',
          {
            observedGeneration: int64('Generation observed.'),
            disruptedPods: Type.Record(Type.String(), Type.String({ format: 'date-time' }), {
              description: 'Pods being evicted.',
            }),
            disruptionsAllowed: int32('Disruptions currently allowed.'),
            currentHealthy: int32('Healthy pods.'),
            desiredHealthy: int32('Minimum healthy pods wanted.'),
            expectedPods: int32('Pods counted by the budget.'),
            conditions: mapList(Condition, 'Latest observations.', ['type'], {
              'x-kubernetes-patch-strategy': 'merge',
              'x-kubernetes-patch-merge-key': 'type',
            }),
          },
          ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
        ),
      ),
      'Observed budget (read-only).',
    ),
  },
)
const DeleteOptions = def(
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  obj('Options for a deletion.', {
    ...typeMeta,
    gracePeriodSeconds: int64('Seconds before the object is deleted; 0 means now.'),
    preconditions: ref(
      def(
        'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions',
        obj('Conditions checked before deleting.', {
          uid: str('Expected UID.'),
          resourceVersion: str('Expected resourceVersion.'),
        }),
      ),
      'Must be met before deleting.',
    ),
    orphanDependents: bool('Deprecated: use propagationPolicy.'),
    propagationPolicy: str('Orphan, Background or Foreground.'),
    dryRun: atomicStrList('All: do not persist.'),
  }),
)
export const Eviction = kind(
  P + 'Eviction',
  'Evicts a pod from its node, subject to disruption budgets.',
  {
    deleteOptions: ref(DeleteOptions, 'Options for the deletion.'),
  },
)

// scheduling.k8s.io/v1
export const PriorityClass = kind(
  'io.k8s.api.scheduling.v1.PriorityClass',
  'Maps a priority class name to an integer priority.',
  {
    value: int32('Priority of pods in this class.'),
    globalDefault: bool('Use this class for pods without priorityClassName.'),
    description: str('When this class should be used.'),
    preemptionPolicy: str('Never or PreemptLowerPriority (default).'),
  },
  ['value'],
)

// sim.wheelhouse.dev/v1alpha1
export const Clock = kind(
  'dev.wheelhouse.sim.v1alpha1.Clock',
  "The simulated cluster's clock (cluster-scoped).",
  {
    spec: ref(
      def(
        'dev.wheelhouse.sim.v1alpha1.ClockSpec',
        obj('How simulated time runs.', {
          speed: num('Simulated seconds per real second.'),
          paused: bool('Stop simulated time while true.'),
        }),
      ),
      'How simulated time runs.',
    ),
    status: ref(
      def(
        'dev.wheelhouse.sim.v1alpha1.ClockStatus',
        obj('Current simulated time.', {
          now: Type.String({ format: 'date-time', description: 'Current simulated time.' }),
          speed: num('Speed in effect.'),
          paused: bool('Whether simulated time stands still.'),
          lastStep: Type.Object(
            {
              seconds: int32('How far the clock jumped.'),
              time: Type.String({ format: 'date-time', description: 'Simulated time after the jump.' }),
            },
            { description: 'The last jump made through the step subresource.' },
          ),
        }),
      ),
      'Current simulated time (read-only).',
    ),
  },
)

/** The body of clocks/step: jump simulated time forward at once (create-only, like an Eviction). */
export const ClockStep = kind('dev.wheelhouse.sim.v1alpha1.ClockStep', 'Moves the simulated clock forward at once; every timer due meanwhile runs, in order.', {
  seconds: int32('How far to jump, in simulated seconds (1 to 86400).'),
})

/** The scheduler's account of one pod: its last attempts (read-only; written by the scheduler). */
export const SchedulingDecision = kind(
  'dev.wheelhouse.sim.v1alpha1.SchedulingDecision',
  "Why the scheduler placed a pod where it did, or could not place it: its last attempts, each with the chosen node, the best-scored nodes and every score plugin's weighted score, and the filter verdicts.",
  {
    spec: ref(
      def('dev.wheelhouse.sim.v1alpha1.SchedulingDecisionSpec', obj('Which pod this is about.', { podUID: str('The uid of the pod.') })),
      'Which pod this is about.',
    ),
    status: ref(
      def(
        'dev.wheelhouse.sim.v1alpha1.SchedulingDecisionStatus',
        obj('The last scheduling attempts, oldest first.', {
          attempts: atomicList(
            Type.Object(
              {
                time: Type.String({ format: 'date-time', description: 'When the attempt was made (simulated).' }),
                result: str('Scheduled or Unschedulable.'),
                node: str('The node chosen.'),
                message: str('Why no node fitted, as in the FailedScheduling event.'),
                nodes: int32('Nodes in the cluster.'),
                evaluated: int32('Nodes filtered (upstream stops early in large clusters).'),
                feasible: int32('Nodes that passed every filter.'),
                rejections: Type.Record(Type.String(), Type.Integer(), { description: 'How many nodes each filter reason rejected.' }),
                scored: Type.Array(Type.Object({ node: str(), total: num(), scores: Type.Record(Type.String(), Type.Number()) }), { description: 'The best-scored nodes: each score plugin\'s weighted score.' }),
                rejected: Type.Array(Type.Object({ node: str(), plugin: str(), reasons: Type.Array(Type.String()) }), { description: 'Some rejected nodes, with the filter plugin and its reasons.' }),
              },
              { description: 'One scheduling attempt.' },
            ),
            'The last attempts.',
          ),
        }),
      ),
      'The last scheduling attempts.',
    ),
  },
)

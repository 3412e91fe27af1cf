// The remaining core/v1 kinds: ConfigMap, Secret, Event, ServiceAccount,
// PersistentVolume(Claim), ResourceQuota and LimitRange.
import { Type } from '@sinclair/typebox'
import { MicroTime, Time, metadataField, quantityMap, typeMeta } from './meta'
import {
  HostPathVolumeSource,
  LocalObjectReference,
  NFSVolumeSource,
  PersistentVolumeClaimSpec,
} from './volume'
import { NodeSelector, ObjectReference } from './pod'
import { atomicList, atomicStrList, bool, def, int32, mergeList, obj, ref, str, strMap } from './t'

const C = 'io.k8s.api.core.v1.'

export const ConfigMap = def(
  C + 'ConfigMap',
  obj('Non-confidential configuration data for pods to consume.', {
    ...typeMeta,
    metadata: metadataField,
    data: strMap('UTF-8 configuration data.'),
    binaryData: Type.Record(Type.String(), Type.String({ format: 'byte' }), {
      description: 'Binary configuration data, base64-encoded.',
    }),
    immutable: bool('If true, the data cannot be changed.'),
  }),
)

export const Secret = def(
  C + 'Secret',
  obj('Confidential data such as passwords, tokens or keys.', {
    ...typeMeta,
    metadata: metadataField,
    data: Type.Record(Type.String(), Type.String({ format: 'byte' }), {
      description: 'Secret data; values are base64-encoded.',
    }),
    stringData: strMap('Write-only plain-text data, merged into data on write.'),
    type: str('Used to handle the secret programmatically, e.g. Opaque or kubernetes.io/tls.'),
    immutable: bool('If true, the data cannot be changed.'),
  }),
)

export const EventSource = def(
  C + 'EventSource',
  obj('The component that reported an event.', {
    component: str('Component name.'),
    host: str('Node name.'),
  }),
)
export const Event = def(
  C + 'Event',
  obj(
    'A report of an event somewhere in the cluster.',
    {
      ...typeMeta,
      metadata: metadataField,
      involvedObject: ref(ObjectReference, 'The object this event is about.'),
      reason: str('Short machine-readable reason for the transition.'),
      message: str('Human-readable description of the status.'),
      source: ref(EventSource, 'The component reporting the event.'),
      firstTimestamp: ref(Time, 'When the event was first recorded.'),
      lastTimestamp: ref(Time, 'When the event most recently occurred.'),
      count: int32('How many times the event has occurred.'),
      type: str('Normal or Warning.'),
      eventTime: ref(MicroTime, 'When the event was first observed.'),
      series: ref(
        def(
          C + 'EventSeries',
          obj('A series of recurring events.', {
            count: int32('Occurrences in the series.'),
            lastObservedTime: ref(MicroTime, 'Last occurrence.'),
          }),
        ),
        'The series this event belongs to.',
      ),
      action: str('What was done, or failed.'),
      related: ref(ObjectReference, 'A secondary object.'),
      reportingComponent: str('Controller that emitted the event.'),
      reportingInstance: str('ID of the controller instance.'),
    },
    ['metadata', 'involvedObject'],
  ),
)

export const ServiceAccount = def(
  C + 'ServiceAccount',
  obj('An identity for processes that run in pods.', {
    ...typeMeta,
    metadata: metadataField,
    secrets: mergeList(ObjectReference, 'Secrets pods of this service account may use.', 'name'),
    imagePullSecrets: atomicList(LocalObjectReference, 'Secrets used to pull images.'),
    automountServiceAccountToken: bool('Whether pods mount a token automatically.'),
  }),
)

const SecretReference = def(
  C + 'SecretReference',
  obj('A Secret by name and namespace.', {
    name: str('Name of the Secret.'),
    namespace: str('Namespace of the Secret.'),
  }),
)
const CSIPersistentVolumeSource = def(
  C + 'CSIPersistentVolumeSource',
  obj(
    'A volume managed by an external CSI driver.',
    {
      driver: str('Name of the CSI driver.'),
      volumeHandle: str('The volume as the driver names it.'),
      readOnly: bool('Publish the volume read-only.'),
      fsType: str('Filesystem to mount, e.g. ext4.'),
      volumeAttributes: strMap('Driver-specific attributes.'),
      controllerPublishSecretRef: ref(SecretReference, 'Secret for ControllerPublishVolume.'),
      nodeStageSecretRef: ref(SecretReference, 'Secret for NodeStageVolume.'),
      nodePublishSecretRef: ref(SecretReference, 'Secret for NodePublishVolume.'),
      controllerExpandSecretRef: ref(SecretReference, 'Secret for ControllerExpandVolume.'),
      nodeExpandSecretRef: ref(SecretReference, 'Secret for NodeExpandVolume.'),
    },
    ['driver', 'volumeHandle'],
  ),
)

const PersistentVolumeSpec = def(
  C + 'PersistentVolumeSpec',
  obj('Specification of a persistent volume.', {
    capacity: quantityMap('Capacity of the volume, e.g. storage: 10Gi.'),
    accessModes: atomicStrList('Ways the volume can be mounted.'),
    claimRef: ref(ObjectReference, 'The claim bound to this volume.'),
    persistentVolumeReclaimPolicy: str('Retain, Delete or Recycle.'),
    storageClassName: str('StorageClass the volume belongs to.'),
    mountOptions: atomicStrList('Mount options.'),
    volumeMode: str('Filesystem (default) or Block.'),
    nodeAffinity: ref(
      def(
        C + 'VolumeNodeAffinity',
        obj('Nodes the volume can be accessed from.', { required: ref(NodeSelector) }),
      ),
      'Nodes the volume can be accessed from.',
    ),
    hostPath: ref(HostPathVolumeSource, 'A directory on the host.'),
    nfs: ref(NFSVolumeSource, 'An NFS mount.'),
    local: ref(
      def(
        C + 'LocalVolumeSource',
        obj('A local disk.', { path: str('Path.'), fsType: str('Filesystem.') }, ['path']),
      ),
      'A local disk on a node.',
    ),
    csi: ref(CSIPersistentVolumeSource, 'A volume managed by a CSI driver.'),
  }),
)
export const PersistentVolume = def(
  C + 'PersistentVolume',
  obj('A piece of storage provisioned by an administrator.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(PersistentVolumeSpec, 'Specification of the volume.'),
    status: ref(
      def(
        C + 'PersistentVolumeStatus',
        obj('Status of the volume.', {
          phase: str('Pending, Available, Bound, Released or Failed.'),
          message: str('Why the volume is in this state.'),
          reason: str('Brief reason.'),
          lastPhaseTransitionTime: ref(Time, 'When the phase last changed.'),
        }),
      ),
      'Status of the volume (read-only).',
    ),
  }),
)
export const PersistentVolumeClaim = def(
  C + 'PersistentVolumeClaim',
  obj("A user's request for a persistent volume.", {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(PersistentVolumeClaimSpec, 'Desired characteristics of the volume.'),
    status: ref(
      def(
        C + 'PersistentVolumeClaimStatus',
        obj('Status of the claim.', {
          phase: str('Pending, Bound or Lost.'),
          accessModes: atomicStrList('Access modes of the bound volume.'),
          capacity: quantityMap('Capacity of the bound volume.'),
          conditions: mergeList(
            def(
              C + 'PersistentVolumeClaimCondition',
              obj('A condition of the claim, such as Resizing or FileSystemResizePending.', {
                type: str('Condition type.'),
                status: str('True, False or Unknown.'),
                lastProbeTime: ref(Time, 'When the condition was last probed.'),
                lastTransitionTime: ref(Time, 'When the condition last changed.'),
                reason: str('Brief reason.'),
                message: str('Human-readable details.'),
              }),
            ),
            'Conditions of the claim.',
            'type',
          ),
          allocatedResources: quantityMap('Resources allocated to the claim by a resize.'),
          allocatedResourceStatuses: strMap('Progress of a resize, per resource.'),
        }),
      ),
      'Status of the claim (read-only).',
    ),
  }),
)

export const ResourceQuota = def(
  C + 'ResourceQuota',
  obj('Aggregate resource limits per namespace.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(
      def(
        C + 'ResourceQuotaSpec',
        obj('Desired hard limits.', {
          hard: quantityMap('Hard limit per named resource.'),
          scopes: atomicStrList('Scopes that must match each object tracked.'),
          scopeSelector: ref(
            def(
              C + 'ScopeSelector',
              obj('A selector of quota scopes; its requirements are ANDed.', {
                matchExpressions: atomicList(
                  def(
                    C + 'ScopedResourceSelectorRequirement',
                    obj(
                      'A selector requirement on one scope.',
                      {
                        scopeName: str('The name of the scope that the selector applies to.'),
                        operator: str("The scope's relationship to the values: In, NotIn, Exists or DoesNotExist."),
                        values: atomicStrList('The values: non-empty for In and NotIn, empty for Exists and DoesNotExist.'),
                      },
                      ['scopeName', 'operator'],
                    ),
                  ),
                  'A list of scope selector requirements by scope of the resources.',
                ),
              }),
            ),
            'A collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values.',
          ),
        }),
      ),
      'Desired quota.',
    ),
    status: ref(
      def(
        C + 'ResourceQuotaStatus',
        obj('Enforced limits and current usage.', {
          hard: quantityMap('Enforced hard limits.'),
          used: quantityMap('Current usage.'),
        }),
      ),
      'Actual quota usage (read-only).',
    ),
  }),
)

export const LimitRange = def(
  C + 'LimitRange',
  obj('Resource consumption limits per kind in a namespace.', {
    ...typeMeta,
    metadata: metadataField,
    spec: ref(
      def(
        C + 'LimitRangeSpec',
        obj(
          'The limits.',
          {
            limits: atomicList(
              def(
                C + 'LimitRangeItem',
                obj(
                  'Limits for one kind of object.',
                  {
                    type: str('Pod, Container or PersistentVolumeClaim.'),
                    max: quantityMap('Maximum usage.'),
                    min: quantityMap('Minimum usage.'),
                    default: quantityMap('Default limits.'),
                    defaultRequest: quantityMap('Default requests.'),
                    maxLimitRequestRatio: quantityMap('Maximum limit/request ratio.'),
                  },
                  ['type'],
                ),
              ),
              'The limit items.',
            ),
          },
          ['limits'],
        ),
      ),
      'The limits enforced.',
    ),
  }),
)

// apimachinery meta/v1 types shared by every kind: ObjectMeta, ListMeta,
// LabelSelector, OwnerReference, and the scalar wrappers Time, Quantity and
// IntOrString (upstream definition names, so `kubectl explain` reads naturally).
import { Type } from '@sinclair/typebox'
import {
  atomicList,
  atomicStrList,
  bool,
  def,
  int64,
  mergeList,
  obj,
  ref,
  str,
  strList,
  strMap,
} from './t'

const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.'

export const Time = def(
  M + 'Time',
  Type.String({
    format: 'date-time',
    description: 'A timestamp in RFC 3339 form, serialized with second precision.',
  }),
)
export const MicroTime = def(
  M + 'MicroTime',
  Type.String({ format: 'date-time', description: 'A timestamp with microsecond precision.' }),
)

// Both accept a JSON number or string on the wire; OpenAPI calls them strings
// (int-or-string format), as upstream does.
export const IntOrString = def(
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  Type.Union([Type.Integer(), Type.String()], {
    description:
      'A value that can be an integer or a string (for example a port number or a name).',
    'x-kubernetes-int-or-string': true,
  }),
)
export const Quantity = def(
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  Type.Union([Type.String(), Type.Number()], {
    description:
      'A fixed-point amount such as "100m", "1.5", "128Mi" or "1G": a number with an optional SI or binary suffix.',
  }),
)
export const quantityMap = (description: string) =>
  Type.Record(Type.String(), Quantity, { description })

export const OwnerReference = def(
  M + 'OwnerReference',
  obj(
    'Identifies an object that owns this one; the owner must be in the same namespace or cluster-scoped.',
    {
      apiVersion: str('API version of the owner.'),
      kind: str('Kind of the owner.'),
      name: str('Name of the owner.'),
      uid: str('UID of the owner.'),
      controller: bool('True if the owner is the managing controller.'),
      blockOwnerDeletion: bool(
        'If true, the owner cannot be deleted in the foreground until this object is.',
      ),
    },
    ['apiVersion', 'kind', 'name', 'uid'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)

export const ManagedFieldsEntry = def(
  M + 'ManagedFieldsEntry',
  obj('A record of which fields a workflow (field manager) owns, for server-side apply.', {
    manager: str('Name of the workflow managing these fields.'),
    operation: str('Operation type that led to this entry: Apply or Update.'),
    apiVersion: str('Version of the resource these fields refer to.'),
    time: ref(Time, 'When the fields were last changed.'),
    fieldsType: str('Format of fieldsV1; only "FieldsV1" exists.'),
    fieldsV1: def(
      M + 'FieldsV1',
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'A set of field paths, as a trie in JSON.',
      }),
    ),
    subresource: str('Subresource through which the fields were changed, if any.'),
  }),
)

export const ObjectMeta = def(
  M + 'ObjectMeta',
  obj('Metadata that every persisted resource carries.', {
    name: str('Unique name within a namespace. Required on create unless generateName is set.'),
    generateName: str('Prefix the server uses to generate a unique name when name is empty.'),
    namespace: str('Namespace the object belongs to; empty for cluster-scoped objects.'),
    selfLink: str('Deprecated and unset.'),
    uid: str('Unique identifier set by the server on create; never reused.'),
    resourceVersion: str(
      'Opaque version of the object, used for optimistic concurrency and watches.',
    ),
    generation: int64('Sequence number of a specific generation of the desired state.'),
    creationTimestamp: ref(Time, 'When the server created the object.'),
    deletionTimestamp: ref(
      Time,
      'When the object will be deleted; set when a graceful delete is requested.',
    ),
    deletionGracePeriodSeconds: int64('Seconds allowed for graceful termination before removal.'),
    labels: strMap('Key/value pairs used to organize and select objects.'),
    annotations: strMap('Unstructured key/value data for tools; not used for selection.'),
    ownerReferences: mergeList(
      OwnerReference,
      'Objects this object depends on; it is garbage-collected when all owners are gone.',
      'uid',
    ),
    finalizers: strList('Keys that must be cleared before the object is removed from storage.', {
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'set',
    }),
    managedFields: atomicList(ManagedFieldsEntry, 'Which field manager owns which fields.'),
  }),
)
export const ListMeta = def(
  M + 'ListMeta',
  obj('Metadata that synthetic resources such as lists carry.', {
    selfLink: str('Deprecated and unset.'),
    resourceVersion: str('Version of the list, usable to start a watch.'),
    continue: str('Token to fetch the next page, when the list was limited.'),
    remainingItemCount: int64('Approximate number of items not yet returned.'),
  }),
)

export const LabelSelectorRequirement = def(
  M + 'LabelSelectorRequirement',
  obj(
    'A selector requirement: a key, an operator and values.',
    {
      key: str('The label key the selector applies to.'),
      operator: str('How the key relates to the values: In, NotIn, Exists or DoesNotExist.'),
      values: atomicStrList(
        'Values; non-empty for In and NotIn, empty for Exists and DoesNotExist.',
      ),
    },
    ['key', 'operator'],
  ),
)
export const LabelSelector = def(
  M + 'LabelSelector',
  obj(
    'A label query over a set of resources; matchLabels and matchExpressions are ANDed. An empty selector matches everything.',
    {
      matchLabels: strMap(
        'Equality matches: each key/value pair is an "In" requirement with one value.',
      ),
      matchExpressions: Type.Array(LabelSelectorRequirement, {
        description: 'Set-based requirements.',
        'x-kubernetes-list-type': 'atomic',
      }),
    },
    [],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)

export const Condition = def(
  M + 'Condition',
  obj(
    'One aspect of the current state of a resource.',
    {
      type: str('Condition type in CamelCase.'),
      status: str('True, False or Unknown.'),
      observedGeneration: int64('The .metadata.generation the condition was set from.'),
      lastTransitionTime: ref(Time, 'When the status last changed.'),
      reason: str('Programmatic CamelCase reason for the last transition.'),
      message: str('Human-readable detail about the transition.'),
    },
    ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  ),
)

/** Top-level fields every kind has. */
export const typeMeta = {
  apiVersion: str('Versioned schema of this representation, e.g. "apps/v1".'),
  kind: str('REST resource this object represents, in CamelCase.'),
}
export const metadataField = ref(ObjectMeta, "Standard object's metadata.")
export const listMetadataField = ref(ListMeta, 'Standard list metadata.')

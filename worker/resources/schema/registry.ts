// Which schema describes each group/version/kind, and its upstream-style
// definition name. List kinds are generated from their item kinds.
import type { TSchema } from '@sinclair/typebox'
import { Deployment, ReplicaSet, Scale } from './apps'
import { DNSLookup, TrafficRun } from './network-sim'
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
  SelfSubjectAccessReview,
  SelfSubjectReview,
} from './auth'
import { LocalSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview, TokenRequest } from './auth'
import {
  ConfigMap,
  Event,
  LimitRange,
  PersistentVolume,
  PersistentVolumeClaim,
  ResourceQuota,
} from './core'
import { Secret, ServiceAccount } from './core'
import { Instance, NodePool } from './cloud'
import { listMetadataField, typeMeta } from './meta'
import { Namespace, Node } from './node'
import {
  Clock,
  ClockStep,
  SchedulingDecision,
  EndpointSlice,
  EventsV1Event,
  Eviction,
  Lease,
  PodDisruptionBudget,
  PriorityClass,
} from './others'
import { StorageClass } from './others'
import { VolumeAttachment } from './volume-attachment'
import { Binding, Pod, PodTemplate } from './pod'
import { Endpoints, Service } from './service'
import { DEF, def, list, obj } from './t'

const items: [string, TSchema][] = [
  ['/v1/Pod', Pod],
  ['/v1/Namespace', Namespace],
  ['/v1/Node', Node],
  ['/v1/Service', Service],
  ['/v1/Endpoints', Endpoints],
  ['/v1/ConfigMap', ConfigMap],
  ['/v1/Secret', Secret],
  ['/v1/Event', Event],
  ['/v1/ServiceAccount', ServiceAccount],
  ['/v1/PersistentVolume', PersistentVolume],
  ['/v1/PersistentVolumeClaim', PersistentVolumeClaim],
  ['/v1/ResourceQuota', ResourceQuota],
  ['/v1/LimitRange', LimitRange],
  ['/v1/PodTemplate', PodTemplate],
  ['apps/v1/Deployment', Deployment],
  ['apps/v1/ReplicaSet', ReplicaSet],
  ['discovery.k8s.io/v1/EndpointSlice', EndpointSlice],
  ['coordination.k8s.io/v1/Lease', Lease],
  ['events.k8s.io/v1/Event', EventsV1Event],
  ['storage.k8s.io/v1/StorageClass', StorageClass],
  ['storage.k8s.io/v1/VolumeAttachment', VolumeAttachment],
  ['policy/v1/PodDisruptionBudget', PodDisruptionBudget],
  ['scheduling.k8s.io/v1/PriorityClass', PriorityClass],
  ['rbac.authorization.k8s.io/v1/Role', Role],
  ['rbac.authorization.k8s.io/v1/RoleBinding', RoleBinding],
  ['rbac.authorization.k8s.io/v1/ClusterRole', ClusterRole],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', ClusterRoleBinding],
  ['sim.wheelhouse.dev/v1alpha1/Clock', Clock],
  ['sim.wheelhouse.dev/v1alpha1/SchedulingDecision', SchedulingDecision],
  ['sim.wheelhouse.dev/v1alpha1/NodePool', NodePool],
  ['sim.wheelhouse.dev/v1alpha1/Instance', Instance],
]
// Create-only kinds and subresource bodies: no List form.
const singles: [string, TSchema][] = [
  ['/v1/Binding', Binding],
  ['autoscaling/v1/Scale', Scale],
  ['policy/v1/Eviction', Eviction],
  ['sim.wheelhouse.dev/v1alpha1/ClockStep', ClockStep],
  ['authorization.k8s.io/v1/SelfSubjectAccessReview', SelfSubjectAccessReview],
  ['authorization.k8s.io/v1/SelfSubjectRulesReview', SelfSubjectRulesReview],
  ['authorization.k8s.io/v1/SubjectAccessReview', SubjectAccessReview],
  ['authorization.k8s.io/v1/LocalSubjectAccessReview', LocalSubjectAccessReview],
  ['authentication.k8s.io/v1/SelfSubjectReview', SelfSubjectReview],
  ['authentication.k8s.io/v1/TokenRequest', TokenRequest],
  ['sim.wheelhouse.dev/v1alpha1/TrafficRun', TrafficRun],
  ['sim.wheelhouse.dev/v1alpha1/DNSLookup', DNSLookup],
]

function listOf(gvk: string, item: TSchema): TSchema {
  const kind = gvk.split('/').pop()!
  return def(
    `${nameOf(item)}List`,
    obj(
      `A list of ${kind} objects.`,
      { ...typeMeta, metadata: listMetadataField, items: list(item, `The ${kind} objects.`) },
      ['items'],
    ),
  )
}

/** "group/version/Kind" ("" group for core: "/v1/Pod") → schema, List kinds included. */
export const kindSchemas: Record<string, TSchema> = Object.fromEntries([
  ...items,
  ...items.map(([gvk, s]): [string, TSchema] => [`${gvk}List`, listOf(gvk, s)]),
  ...singles,
])

function nameOf(s: TSchema): string {
  return (s as Record<string, unknown>)[DEF] as string
}

/** Upstream-style definition name, e.g. io.k8s.api.apps.v1.Deployment; undefined for unknown kinds. */
export function definitionName(gvk: string): string | undefined {
  const s = kindSchemas[gvk]
  return s ? nameOf(s) : undefined
}

/** Splits "apps/v1/Deployment" (or "/v1/Pod") into its parts. */
export function parseGvk(gvk: string): { group: string; version: string; kind: string } {
  const parts = gvk.split('/')
  const kind = parts.pop() ?? ''
  const version = parts.pop() ?? ''
  return { group: parts.join('/'), version, kind }
}

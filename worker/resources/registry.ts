// Every kind the API serves, with upstream's names, short names and categories.
import { ALL_VERBS, type KindInfo } from './kind'

const RO = ['get', 'list', 'watch']
const status = (verbs = ['get', 'patch', 'update']) => ({ status: { kind: '', verbs } })
const podFields: KindInfo['fieldSelectors'] = {
  'spec.nodeName': (o) => o.spec?.nodeName ?? '',
  'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
  'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
  'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
  'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
  'status.phase': (o) => o.status?.phase ?? '',
  'status.podIP': (o) => o.status?.podIP ?? '',
  'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
}
const eventFields: KindInfo['fieldSelectors'] = {
  'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
  'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
  'involvedObject.name': (o) => o.involvedObject?.name ?? '',
  'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
  'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
  'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
  'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
  reason: (o) => o.reason ?? '',
  reportingComponent: (o) => o.reportingComponent ?? '',
  source: (o) => o.source?.component ?? '',
  type: (o) => o.type ?? '',
}

export const KINDS: KindInfo[] = [
  // core/v1
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singular: 'namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'], subresources: { ...status(), finalize: { kind: '', verbs: ['update'] } }, fieldSelectors: { 'status.phase': (o) => o.status?.phase ?? '' } },
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true, verbs: ALL_VERBS, shortNames: ['po'], categories: ['all'], subresources: { ...status(), binding: { kind: 'Binding', verbs: ['create'] }, eviction: { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] }, log: { kind: 'Pod', verbs: ['get'] } }, fieldSelectors: podFields },
  { group: '', version: 'v1', kind: 'Binding', resource: 'bindings', singular: 'binding', namespaced: true, verbs: ['create'], virtual: true },
  { group: '', version: 'v1', kind: 'Node', resource: 'nodes', singular: 'node', namespaced: false, verbs: ALL_VERBS, shortNames: ['no'], subresources: { ...status(), proxy: { kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] } }, fieldSelectors: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) } },
  { group: '', version: 'v1', kind: 'Service', resource: 'services', singular: 'service', namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['svc'], categories: ['all'], subresources: status() },
  { group: '', version: 'v1', kind: 'Endpoints', resource: 'endpoints', singular: 'endpoints', namespaced: true, verbs: ALL_VERBS, shortNames: ['ep'] },
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true, verbs: ALL_VERBS, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', singular: 'secret', namespaced: true, verbs: ALL_VERBS, fieldSelectors: { type: (o) => o.type ?? '' } },
  { group: '', version: 'v1', kind: 'Event', resource: 'events', singular: 'event', namespaced: true, verbs: ALL_VERBS, shortNames: ['ev'], fieldSelectors: eventFields },
  { group: '', version: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, verbs: ALL_VERBS, shortNames: ['sa'], subresources: { token: { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] } } },
  { group: '', version: 'v1', kind: 'PersistentVolume', resource: 'persistentvolumes', singular: 'persistentvolume', namespaced: false, verbs: ALL_VERBS, shortNames: ['pv'], subresources: status() },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', namespaced: true, verbs: ALL_VERBS, shortNames: ['pvc'], subresources: status() },
  { group: '', version: 'v1', kind: 'ResourceQuota', resource: 'resourcequotas', singular: 'resourcequota', namespaced: true, verbs: ALL_VERBS, shortNames: ['quota'], subresources: status() },
  { group: '', version: 'v1', kind: 'LimitRange', resource: 'limitranges', singular: 'limitrange', namespaced: true, verbs: ALL_VERBS, shortNames: ['limits'] },
  // apps/v1
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singular: 'deployment', namespaced: true, verbs: ALL_VERBS, shortNames: ['deploy'], categories: ['all'], subresources: { ...status(), scale: { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] } } },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', singular: 'replicaset', namespaced: true, verbs: ALL_VERBS, shortNames: ['rs'], categories: ['all'], subresources: { ...status(), scale: { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] } }, fieldSelectors: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) } },
  // discovery.k8s.io/v1
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', resource: 'endpointslices', singular: 'endpointslice', namespaced: true, verbs: ALL_VERBS },
  // coordination.k8s.io/v1
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', singular: 'lease', namespaced: true, verbs: ALL_VERBS },
  // events.k8s.io/v1
  { group: 'events.k8s.io', version: 'v1', kind: 'Event', resource: 'events', singular: 'event', namespaced: true, verbs: ALL_VERBS, shortNames: ['ev'] },
  // storage.k8s.io/v1
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', resource: 'storageclasses', singular: 'storageclass', namespaced: false, verbs: ALL_VERBS, shortNames: ['sc'] },
  { group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttachment', resource: 'volumeattachments', singular: 'volumeattachment', namespaced: false, verbs: ALL_VERBS, subresources: status() },
  // policy/v1
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', singular: 'poddisruptionbudget', namespaced: true, verbs: ALL_VERBS, shortNames: ['pdb'], subresources: status() },
  // scheduling.k8s.io/v1
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', resource: 'priorityclasses', singular: 'priorityclass', namespaced: false, verbs: ALL_VERBS, shortNames: ['pc'] },
  // rbac.authorization.k8s.io/v1
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', resource: 'roles', singular: 'role', namespaced: true, verbs: ALL_VERBS },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', resource: 'rolebindings', singular: 'rolebinding', namespaced: true, verbs: ALL_VERBS },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', resource: 'clusterroles', singular: 'clusterrole', namespaced: false, verbs: ALL_VERBS },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, verbs: ALL_VERBS },
  // authorization.k8s.io/v1, authentication.k8s.io/v1: reviews, answered and not stored
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', resource: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, verbs: ['create'], virtual: true },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', resource: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', namespaced: false, verbs: ['create'], virtual: true },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview', resource: 'subjectaccessreviews', singular: 'subjectaccessreview', namespaced: false, verbs: ['create'], virtual: true },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'LocalSubjectAccessReview', resource: 'localsubjectaccessreviews', singular: 'localsubjectaccessreview', namespaced: true, verbs: ['create'], virtual: true },
  { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', resource: 'selfsubjectreviews', singular: 'selfsubjectreview', namespaced: false, verbs: ['create'], virtual: true },
  // kubectl 1.27 asks the beta (then alpha) version for `auth whoami`.
  { group: 'authentication.k8s.io', version: 'v1beta1', kind: 'SelfSubjectReview', resource: 'selfsubjectreviews', singular: 'selfsubjectreview', namespaced: false, verbs: ['create'], virtual: true },
  // The simulation's own controls.
  { group: 'sim.wheelhouse.dev', version: 'v1alpha1', kind: 'Clock', resource: 'clocks', singular: 'clock', namespaced: false, verbs: ['get', 'list', 'patch', 'update', 'watch'], subresources: { ...status(), step: { kind: 'ClockStep', verbs: ['create'] } } },
  // Simulated traffic and DNS questions: create-only, the answer is in the returned status.
  { group: 'sim.wheelhouse.dev', version: 'v1alpha1', kind: 'TrafficRun', resource: 'trafficruns', singular: 'trafficrun', namespaced: true, verbs: ['create'], virtual: true },
  { group: 'sim.wheelhouse.dev', version: 'v1alpha1', kind: 'DNSLookup', resource: 'dnslookups', singular: 'dnslookup', namespaced: true, verbs: ['create'], virtual: true },
  { group: 'sim.wheelhouse.dev', version: 'v1alpha1', kind: 'NodePool', resource: 'nodepools', singular: 'nodepool', namespaced: false, verbs: ALL_VERBS, shortNames: ['np'], subresources: { ...status(), scale: { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] } } },
  { group: 'sim.wheelhouse.dev', version: 'v1alpha1', kind: 'Instance', resource: 'instances', singular: 'instance', namespaced: false, verbs: ALL_VERBS, shortNames: ['vm'], subresources: status(), fieldSelectors: { 'spec.pool': (o) => o.spec?.pool ?? '', 'spec.zone': (o) => o.spec?.zone ?? '', 'status.phase': (o) => o.status?.phase ?? '' } },
  { group: 'sim.wheelhouse.dev', version: 'v1alpha1', kind: 'SchedulingDecision', resource: 'schedulingdecisions', singular: 'schedulingdecision', namespaced: true, verbs: ['delete', 'deletecollection', 'get', 'list', 'watch'] },
]

const byResource = new Map<string, KindInfo>(KINDS.map((k) => [`${k.group}/${k.version}/${k.resource}`, k]))

export function findKind(group: string, version: string, resource: string): KindInfo | undefined {
  return byResource.get(`${group}/${version}/${resource}`)
}

export function kindByGVK(apiVersion: string, kind: string): KindInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
  return KINDS.find((k) => k.group === group && k.version === version && k.kind === kind)
}

/** Group → versions, in the order discovery lists them (core first). */
export function groupVersions(): { group: string; versions: string[] }[] {
  const out: { group: string; versions: string[] }[] = []
  for (const k of KINDS) {
    let g = out.find((x) => x.group === k.group)
    if (!g) out.push((g = { group: k.group, versions: [] }))
    if (!g.versions.includes(k.version)) g.versions.push(k.version)
  }
  return out
}

export const READ_ONLY_VERBS = RO

// Upstream defaulting (pkg/apis/*/v1/defaults.go) for the kinds people write by hand.
import { defaultRoleBinding } from './rbac-validation'
import { defaultInstance, defaultNodePool } from './cloud'
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from './storage'
import { defaultService } from './service-defaults'
type O = Record<string, any>

/** imagePullPolicy from the tag: Always for :latest or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent'
  if (image.includes('@')) return 'IfNotPresent'
  const last = image.slice(image.lastIndexOf('/') + 1)
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : ''
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent'
}

function defaultContainer(c: O): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image)
  c.terminationMessagePath ??= '/dev/termination-log'
  c.terminationMessagePolicy ??= 'File'
  c.resources ??= {}
  for (const p of c.ports ?? []) p.protocol ??= 'TCP'
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!probe) continue
    probe.timeoutSeconds ??= 1
    probe.periodSeconds ??= 10
    probe.successThreshold ??= 1
    probe.failureThreshold ??= 3
    if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP'
  }
  // Limits without requests: requests default to the limits.
  if (c.resources.limits) {
    c.resources.requests ??= {}
    for (const [r, q] of Object.entries(c.resources.limits)) c.resources.requests[r] ??= q
  }
}

export function defaultPodSpec(spec: O): void {
  spec.restartPolicy ??= 'Always'
  spec.terminationGracePeriodSeconds ??= 30
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.securityContext ??= {}
  spec.schedulerName ??= 'default-scheduler'
  spec.enableServiceLinks ??= true
  for (const c of spec.initContainers ?? []) defaultContainer(c)
  for (const c of spec.containers ?? []) defaultContainer(c)
  for (const v of spec.volumes ?? []) {
    if (v.configMap) v.configMap.defaultMode ??= 420
    if (v.secret) v.secret.defaultMode ??= 420
    if (v.projected) v.projected.defaultMode ??= 420
    if (!Object.keys(v).some((k) => k !== 'name')) v.emptyDir = {}
  }
}

/** The DefaultTolerationSeconds admission plugin: 300 s for not-ready and unreachable. */
export function defaultTolerationSeconds(spec: O, seconds = 300): void {
  const tolerations: O[] = (spec.tolerations ??= [])
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tolerations.some(
      (t) => (t.key === key || !t.key) && (!t.effect || t.effect === 'NoExecute'),
    )
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds })
  }
}

export function defaultPod(pod: O): void {
  pod.spec ??= {}
  defaultPodSpec(pod.spec)
  pod.spec.serviceAccountName ??= pod.spec.serviceAccount ?? 'default'
  pod.spec.serviceAccount ??= pod.spec.serviceAccountName
  pod.spec.priority ??= 0
  pod.spec.preemptionPolicy ??= 'PreemptLowerPriority'
  defaultTolerationSeconds(pod.spec)
}

export function defaultDeployment(d: O): void {
  d.spec ??= {}
  d.spec.replicas ??= 1
  d.spec.strategy ??= {}
  d.spec.strategy.type ??= 'RollingUpdate'
  if (d.spec.strategy.type === 'RollingUpdate') {
    d.spec.strategy.rollingUpdate ??= {}
    d.spec.strategy.rollingUpdate.maxUnavailable ??= '25%'
    d.spec.strategy.rollingUpdate.maxSurge ??= '25%'
  }
  d.spec.revisionHistoryLimit ??= 10
  d.spec.progressDeadlineSeconds ??= 600
  d.spec.template ??= {}
  d.spec.template.metadata ??= {}
  d.spec.template.metadata.creationTimestamp ??= null
  d.spec.template.spec ??= {}
  defaultPodSpec(d.spec.template.spec)
}

export function defaultReplicaSet(rs: O): void {
  rs.spec ??= {}
  rs.spec.replicas ??= 1
  rs.spec.template ??= {}
  rs.spec.template.metadata ??= {}
  rs.spec.template.spec ??= {}
  defaultPodSpec(rs.spec.template.spec)
}

export function defaultNamespace(ns: O): void {
  ns.spec ??= {}
  ns.spec.finalizers ??= ['kubernetes']
  ns.status = { phase: ns.metadata?.deletionTimestamp ? 'Terminating' : 'Active' }
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name }
}

/** UTF-8 text as base64, as Secret data holds bytes. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin)
}

export function defaultSecret(s: O): void {
  s.type ??= 'Opaque'
  // stringData is write-only: the API server folds it into data (it wins over data).
  if (s.stringData && typeof s.stringData === 'object') {
    s.data ??= {}
    for (const [k, v] of Object.entries(s.stringData)) s.data[k] = base64(String(v))
    delete s.stringData
  }
}

/** Defaulting by kind; kinds without an entry have none. */
export const DEFAULTERS: Record<string, (o: O) => void> = {
  '/v1/Pod': defaultPod,
  '/v1/Service': defaultService,
  '/v1/Namespace': defaultNamespace,
  '/v1/Secret': defaultSecret,
  'apps/v1/Deployment': defaultDeployment,
  'sim.wheelhouse.dev/v1alpha1/Clock': (c) => {
    c.spec ??= {}
    c.spec.speed ??= 1
    c.spec.paused ??= false
  },
  'apps/v1/ReplicaSet': defaultReplicaSet,
  '/v1/PersistentVolume': defaultPersistentVolume,
  '/v1/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  'storage.k8s.io/v1/StorageClass': defaultStorageClass,
  'sim.wheelhouse.dev/v1alpha1/NodePool': defaultNodePool,
  'sim.wheelhouse.dev/v1alpha1/Instance': defaultInstance,
  'rbac.authorization.k8s.io/v1/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': defaultRoleBinding,
}

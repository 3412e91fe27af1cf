// What a workshop participant's namespace gets by default: one ResourceQuota
// and one LimitRange, sized so that a handful of participants share a small
// cluster (3 × standard-4 nodes: 12 cpu, 48Gi) without one crowding the others.
//
// - The LimitRange gives every container 100m/128Mi requests and 500m/512Mi
//   limits unless it says otherwise, so pods written without resources still
//   pass a quota that tracks cpu and memory (upstream refuses them otherwise:
//   "failed quota: … must specify …"), and caps one container at 2 cpu / 2Gi.
// - The quota's lines meet at 20 default pods: 20 × 100m = 2 cpu and
//   20 × 128Mi = 2.5Gi of requests, 20 × 500m = 10 cpu and 20 × 512Mi = 10Gi
//   of limits. Requests are what the scheduler reserves, so 2 cpu / 4Gi is the
//   participant's real share; limits only bound bursts.
// - Services 10 with 2 load balancers and 5 node ports (LB addresses and node
//   ports are cluster-wide, scarce); claims 5 totalling 20Gi, one at most 10Gi.
// - ConfigMaps and Secrets 20 each keep a runaway script from filling the store.
// No maxLimitRequestRatio and no minimum: both refuse manifests copied from
// tutorials, which is a lesson to choose, not a default.
import type { Obj } from '../objects'

export const PARTICIPANT_QUOTA = 'participant-quota'
export const PARTICIPANT_LIMITS = 'participant-limits'

/** The label that marks what the workshop created, so it can be told from the participant's own objects. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'wheelhouse-workshop' }

export const PARTICIPANT_HARD: Record<string, string> = {
  pods: '20',
  'requests.cpu': '2',
  'requests.memory': '4Gi',
  'limits.cpu': '10',
  'limits.memory': '10Gi',
  services: '10',
  'services.loadbalancers': '2',
  'services.nodeports': '5',
  persistentvolumeclaims: '5',
  'requests.storage': '20Gi',
  configmaps: '20',
  secrets: '20',
}

export function participantResourceQuota(namespace: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: PARTICIPANT_QUOTA, namespace, labels: { ...MANAGED_BY } },
    spec: { hard: { ...PARTICIPANT_HARD } },
  }
}

export function participantLimitRange(namespace: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: PARTICIPANT_LIMITS, namespace, labels: { ...MANAGED_BY } },
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: '500m', memory: '512Mi' },
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          max: { cpu: '2', memory: '2Gi' },
        },
        { type: 'PersistentVolumeClaim', max: { storage: '10Gi' } },
      ],
    },
  }
}

/** Both, in the order to create them: the LimitRange first, so no pod slips in undefaulted. */
export const participantNamespaceObjects = (namespace: string): Obj[] => [
  participantLimitRange(namespace),
  participantResourceQuota(namespace),
]

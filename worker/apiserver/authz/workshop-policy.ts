// What a workshop's participants may do, by the cluster's mode, as RBAC objects:
// - namespace-per-person: each edits their own namespace (a RoleBinding to edit)
//   and reads everything else (view, plus the cluster-scoped things the web view
//   shows); their namespace gets the default quota and LimitRange.
// - shared-admin: everyone is cluster-admin, as in a cluster shared by a team.
// - spectator: everyone reads, nobody writes; the leader demonstrates.
// The ClusterRoleBindings name the participants' group, so they are made once at
// cluster creation; joining adds only the person's namespace and its objects.
// The leader (the admin token) is kubeadm:cluster-admins in every mode.
import { MANAGED_BY, participantNamespaceObjects } from '../admission/participant-defaults'
import type { UserInfo } from '../authn'
import type { Obj } from '../objects'
import { type PolicyRule, RBAC_GROUP } from './types'

export type WorkshopMode = 'namespace-per-person' | 'shared-admin' | 'spectator'
export const WORKSHOP_MODES: readonly WorkshopMode[] = ['namespace-per-person', 'shared-admin', 'spectator']
export const DEFAULT_MODE: WorkshopMode = 'namespace-per-person'

export const PARTICIPANTS_GROUP = 'wheelhouse:participants'
export const PARTICIPANT_ROLE = 'wheelhouse:participant'
/** On a participant's namespace: whose it is. */
export const PARTICIPANT_LABEL = 'wheelhouse.dev/participant'
export const DISPLAY_NAME_ANNOTATION = 'wheelhouse.dev/display-name'

export function participantUser(username: string): UserInfo {
  return { username, groups: [PARTICIPANTS_GROUP, 'system:authenticated'] }
}

const R = ['get', 'list', 'watch']
const rule = (apiGroups: string[], resources: string[]): PolicyRule => ({ apiGroups, resources, verbs: R })
const group = { apiGroup: RBAC_GROUP, kind: 'Group', name: PARTICIPANTS_GROUP }

/**
 * The cluster-scoped reads the web view and `kubectl get` need beyond view (which
 * covers namespaced kinds only): nodes, namespaces, volumes, classes, and the
 * simulator's clock, node pools and VMs. SelfSubjectAccessReview and
 * SelfSubjectRulesReview come with system:basic-user.
 */
export function participantClusterRole(): Obj {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name: PARTICIPANT_ROLE, labels: { ...MANAGED_BY } },
    rules: [
      rule([''], ['nodes', 'namespaces', 'persistentvolumes']),
      rule(['storage.k8s.io'], ['storageclasses']),
      rule(['scheduling.k8s.io'], ['priorityclasses']),
      rule(['sim.wheelhouse.dev'], ['clocks', 'nodepools', 'instances']),
    ],
  }
}

function groupBinding(name: string, clusterRole: string): Obj {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...MANAGED_BY } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRole },
    subjects: [{ ...group }],
  }
}

/** What the cluster gets at creation for its mode: the participant role and the group's bindings. */
export function workshopClusterObjects(mode: WorkshopMode): Obj[] {
  const bindings =
    mode === 'shared-admin'
      ? [groupBinding(`${PARTICIPANTS_GROUP}:cluster-admin`, 'cluster-admin')]
      : [groupBinding(`${PARTICIPANTS_GROUP}:view`, 'view'), groupBinding(PARTICIPANTS_GROUP, PARTICIPANT_ROLE)]
  return [participantClusterRole(), ...bindings]
}

export interface Participant {
  username: string
  namespace: string
  displayName: string
}

/** What a participant gets at join, in creation order: their namespace, their rights in it, its defaults. */
export function participantObjects(mode: WorkshopMode, p: Participant): Obj[] {
  const ns: Obj = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: p.namespace,
      labels: { ...MANAGED_BY, [PARTICIPANT_LABEL]: p.username },
      annotations: { [DISPLAY_NAME_ANNOTATION]: p.displayName },
    },
    spec: {},
  }
  // The ServiceAccount controller's account, which pods run as unless told otherwise.
  const sa: Obj = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: p.namespace } }
  if (mode !== 'namespace-per-person') return [ns, sa]
  const edit: Obj = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'edit', namespace: p.namespace, labels: { ...MANAGED_BY } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'edit' },
    subjects: [{ apiGroup: RBAC_GROUP, kind: 'User', name: p.username }],
  }
  return [ns, sa, edit, ...participantNamespaceObjects(p.namespace)]
}

export function isWorkshopMode(v: unknown): v is WorkshopMode {
  return typeof v === 'string' && (WORKSHOP_MODES as readonly string[]).includes(v)
}

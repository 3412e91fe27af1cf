// core/v1 scheduling types used by PodSpec: node and pod (anti-)affinity,
// tolerations, topology spread constraints and the pod security context.
import { Type } from '@sinclair/typebox'
import { SELinuxOptions, SeccompProfile } from './container'
import { LabelSelector } from './meta'
import { atomicList, atomicStrList, bool, def, enumStr, int32, int64, obj, ref, str } from './t'

const C = 'io.k8s.api.core.v1.'

export const NodeSelectorRequirement = def(
  C + 'NodeSelectorRequirement',
  obj(
    'A selector requirement on node labels or fields.',
    {
      key: str('The label key.'),
      operator: enumStr(
        ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
        'How the key relates to the values.',
      ),
      values: atomicStrList(
        'Values; one integer for Gt and Lt, empty for Exists and DoesNotExist.',
      ),
    },
    ['key', 'operator'],
  ),
)
export const NodeSelectorTerm = def(
  C + 'NodeSelectorTerm',
  obj(
    'Requirements that are ANDed; an empty term matches nothing.',
    {
      matchExpressions: atomicList(NodeSelectorRequirement, 'Requirements on node labels.'),
      matchFields: atomicList(NodeSelectorRequirement, 'Requirements on node fields.'),
    },
    [],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
export const NodeSelector = def(
  C + 'NodeSelector',
  obj(
    'Terms that are ORed.',
    { nodeSelectorTerms: atomicList(NodeSelectorTerm, 'The terms.') },
    ['nodeSelectorTerms'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
const weighted = <T extends Parameters<typeof ref>[0]>(
  name: string,
  what: string,
  key: string,
  term: T,
) =>
  def(
    C + name,
    obj(
      `A weighted ${what} term; weights of matching terms add up per node.`,
      { weight: int32('Weight, 1-100.'), [key]: ref(term, 'The term.') },
      ['weight', key],
    ),
  )
const NodeAffinity = def(
  C + 'NodeAffinity',
  obj('Node affinity scheduling rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: ref(NodeSelector, 'Rules a node must meet.'),
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(
      weighted('PreferredSchedulingTerm', 'node selector', 'preference', NodeSelectorTerm),
      'Rules the scheduler prefers nodes to meet.',
    ),
  }),
)
const PodAffinityTerm = def(
  C + 'PodAffinityTerm',
  obj(
    'Pods (matching labelSelector in namespaces) that must or must not be co-located within topologyKey.',
    {
      labelSelector: ref(LabelSelector, 'Query over pods.'),
      namespaceSelector: ref(LabelSelector, 'Query over namespaces the term applies to.'),
      namespaces: atomicStrList('Namespaces the term applies to; the pod namespace by default.'),
      topologyKey: str('Node label whose equal values form a co-location domain.'),
      matchLabelKeys: atomicStrList('Pod label keys merged into labelSelector with In.'),
      mismatchLabelKeys: atomicStrList('Pod label keys merged into labelSelector with NotIn.'),
    },
    ['topologyKey'],
  ),
)
const podAffinity = (name: string, what: string) =>
  def(
    C + name,
    obj(`Inter-pod ${what} scheduling rules.`, {
      requiredDuringSchedulingIgnoredDuringExecution: atomicList(
        PodAffinityTerm,
        'Rules that must hold.',
      ),
      preferredDuringSchedulingIgnoredDuringExecution: atomicList(
        weighted('WeightedPodAffinityTerm', 'pod affinity', 'podAffinityTerm', PodAffinityTerm),
        'Rules the scheduler prefers to hold.',
      ),
    }),
  )
export const Affinity = def(
  C + 'Affinity',
  obj('Scheduling constraints.', {
    nodeAffinity: ref(NodeAffinity, 'Node affinity rules.'),
    podAffinity: ref(podAffinity('PodAffinity', 'affinity'), 'Co-locate with other pods.'),
    podAntiAffinity: ref(
      podAffinity('PodAntiAffinity', 'anti-affinity'),
      'Keep away from other pods.',
    ),
  }),
)

export const Toleration = def(
  C + 'Toleration',
  obj('Lets the pod tolerate a matching taint.', {
    key: str('Taint key; empty with operator Exists matches all keys.'),
    operator: enumStr(['Equal', 'Exists'], 'Equal (default) or Exists.'),
    value: str('Taint value to match; empty with Exists.'),
    effect: enumStr(
      ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
      'Taint effect to match; empty matches all.',
    ),
    tolerationSeconds: int64(
      'For NoExecute: how long the pod stays bound after the taint appears.',
    ),
  }),
)

export const PodSecurityContext = def(
  C + 'PodSecurityContext',
  obj('Pod-level security attributes and common container settings.', {
    seLinuxOptions: ref(SELinuxOptions, 'SELinux context for all containers.'),
    runAsUser: int64('UID to run container entrypoints as.'),
    runAsGroup: int64('GID to run container entrypoints as.'),
    runAsNonRoot: bool('Require containers to run as a non-root user.'),
    supplementalGroups: atomicList(
      Type.Integer({ format: 'int64' }),
      'Extra groups for the first process.',
    ),
    fsGroup: int64('Group that owns mounted volumes.'),
    fsGroupChangePolicy: str('OnRootMismatch or Always.'),
    sysctls: atomicList(
      def(
        C + 'Sysctl',
        obj('A kernel parameter.', { name: str('Name.'), value: str('Value.') }, ['name', 'value']),
      ),
      'Namespaced sysctls.',
    ),
    seccompProfile: ref(SeccompProfile, 'Seccomp options.'),
  }),
)

export const TopologySpreadConstraint = def(
  C + 'TopologySpreadConstraint',
  obj(
    'How to spread matching pods among topology domains.',
    {
      maxSkew: int32('Maximum permitted difference of matching pods between domains.'),
      topologyKey: str('Node label key whose values form domains.'),
      whenUnsatisfiable: enumStr(
        ['DoNotSchedule', 'ScheduleAnyway'],
        'What to do when the constraint cannot be met.',
      ),
      labelSelector: ref(LabelSelector, 'Pods counted in each domain.'),
      minDomains: int32('Minimum number of eligible domains.'),
      nodeAffinityPolicy: str('Honor or Ignore node affinity when counting.'),
      nodeTaintsPolicy: str('Honor or Ignore node taints when counting.'),
      matchLabelKeys: atomicStrList('Pod label keys added to the selector.'),
    },
    ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
  ),
)

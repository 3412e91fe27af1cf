// rbac.authorization.k8s.io/v1, authorization.k8s.io/v1 reviews and
// authentication.k8s.io/v1 SelfSubjectReview and TokenRequest.
import { Type } from '@sinclair/typebox'
import { LabelSelector, Time, metadataField, typeMeta } from './meta'
import { atomicList, atomicStrList, bool, def, int64, obj, ref, str } from './t'

const R = 'io.k8s.api.rbac.v1.'
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

const PolicyRule = def(
  R + 'PolicyRule',
  obj(
    'Actions allowed on resources or non-resource URLs.',
    {
      verbs: atomicStrList('Verbs allowed; "*" means all.'),
      apiGroups: atomicStrList('API groups of the resources; "" is the core group, "*" all.'),
      resources: atomicStrList('Resources the rule applies to; "*" means all.'),
      resourceNames: atomicStrList('Names the rule is limited to; empty means all.'),
      nonResourceURLs: atomicStrList('Non-resource URL paths, e.g. /healthz (cluster roles only).'),
    },
    ['verbs'],
  ),
)
const rules = atomicList(PolicyRule, 'Rules of the role.')
const Subject = def(
  R + 'Subject',
  obj(
    'A user, group or service account.',
    {
      kind: str('User, Group or ServiceAccount.'),
      apiGroup: str(
        'API group of the subject; "" for ServiceAccount, rbac.authorization.k8s.io otherwise.',
      ),
      name: str('Name of the subject.'),
      namespace: str('Namespace, for ServiceAccount subjects.'),
    },
    ['kind', 'name'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
const RoleRef = def(
  R + 'RoleRef',
  obj(
    'The role being granted.',
    {
      apiGroup: str('API group of the role.'),
      kind: str('Role or ClusterRole.'),
      name: str('Name of the role.'),
    },
    ['apiGroup', 'kind', 'name'],
    { 'x-kubernetes-map-type': 'atomic' },
  ),
)
const binding = {
  subjects: atomicList(Subject, 'Who the role is granted to.'),
  roleRef: ref(RoleRef, 'The role granted; immutable.'),
}

export const Role = kind(R + 'Role', 'Namespaced permissions.', { rules })
export const ClusterRole = kind(R + 'ClusterRole', 'Cluster-wide permissions.', {
  rules,
  aggregationRule: ref(
    def(
      R + 'AggregationRule',
      obj('How to compose the rules of a ClusterRole from others.', {
        clusterRoleSelectors: atomicList(LabelSelector, 'ClusterRoles whose rules are aggregated.'),
      }),
    ),
    'Makes the rules controller-managed, from matching ClusterRoles.',
  ),
})
export const RoleBinding = kind(R + 'RoleBinding', 'Grants a role within a namespace.', binding, [
  'roleRef',
])
export const ClusterRoleBinding = kind(
  R + 'ClusterRoleBinding',
  'Grants a cluster role cluster-wide.',
  binding,
  ['roleRef'],
)

// authorization.k8s.io/v1
const Z = 'io.k8s.api.authorization.v1.'
const ResourceAttributes = def(
  Z + 'ResourceAttributes',
  obj('A resource request to authorize.', {
    namespace: str('Namespace of the action; "" means all.'),
    verb: str('Kubernetes verb, or "*".'),
    group: str('API group, or "*".'),
    version: str('API version, or "*".'),
    resource: str('Resource, or "*".'),
    subresource: str('Subresource, or "*".'),
    name: str('Name of the object; "" means all.'),
  }),
)
const NonResourceAttributes = def(
  Z + 'NonResourceAttributes',
  obj('A non-resource request to authorize.', { path: str('URL path.'), verb: str('HTTP verb.') }),
)
const SubjectAccessReviewStatus = def(
  Z + 'SubjectAccessReviewStatus',
  obj(
    'The answer.',
    {
      allowed: bool('Whether the action is allowed.'),
      denied: bool('Whether the action is explicitly denied.'),
      reason: str('Why.'),
      evaluationError: str('Problems evaluating the request.'),
    },
    ['allowed'],
  ),
)
export const SelfSubjectAccessReview = kind(
  Z + 'SelfSubjectAccessReview',
  'Asks whether the current user may perform an action.',
  {
    spec: ref(
      def(
        Z + 'SelfSubjectAccessReviewSpec',
        obj('The action to check; exactly one of the attributes.', {
          resourceAttributes: ref(ResourceAttributes, 'A resource request.'),
          nonResourceAttributes: ref(NonResourceAttributes, 'A non-resource request.'),
        }),
      ),
      'The action being checked.',
    ),
    status: ref(SubjectAccessReviewStatus, 'Whether the action is allowed (set by the server).'),
  },
  ['spec'],
)
const SubjectAccessReviewSpec = def(
  Z + 'SubjectAccessReviewSpec',
  obj('The action to check and who would do it; exactly one of the attributes, and a user or groups.', {
    resourceAttributes: ref(ResourceAttributes, 'A resource request.'),
    nonResourceAttributes: ref(NonResourceAttributes, 'A non-resource request.'),
    user: str('The user to check.'),
    groups: atomicStrList('The groups of the user.'),
    extra: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Extra information of the user.' }),
    uid: str('The uid of the user.'),
  }),
)
export const SubjectAccessReview = kind(
  Z + 'SubjectAccessReview',
  'Asks whether a user or group may perform an action.',
  {
    spec: ref(SubjectAccessReviewSpec, 'The action being checked.'),
    status: ref(SubjectAccessReviewStatus, 'Whether the action is allowed (set by the server).'),
  },
  ['spec'],
)
export const LocalSubjectAccessReview = kind(
  Z + 'LocalSubjectAccessReview',
  'Asks whether a user or group may perform an action in a namespace.',
  {
    spec: ref(SubjectAccessReviewSpec, 'The action being checked; its namespace is the review\'s.'),
    status: ref(SubjectAccessReviewStatus, 'Whether the action is allowed (set by the server).'),
  },
  ['spec'],
)
const ruleList = (
  name: string,
  description: string,
  fields: Parameters<typeof obj>[1],
  req: string[],
) => def(Z + name, obj(description, fields, req as never[]))
export const SelfSubjectRulesReview = kind(
  Z + 'SelfSubjectRulesReview',
  'Lists the actions the current user may perform in a namespace.',
  {
    spec: ref(
      def(
        Z + 'SelfSubjectRulesReviewSpec',
        obj('What to list.', { namespace: str('Namespace to evaluate.') }),
      ),
      'What to list.',
    ),
    status: ref(
      def(
        Z + 'SubjectRulesReviewStatus',
        obj(
          'The allowed rules.',
          {
            resourceRules: atomicList(
              ruleList(
                'ResourceRule',
                'Allowed resource actions.',
                {
                  verbs: atomicStrList('Verbs.'),
                  apiGroups: atomicStrList('API groups.'),
                  resources: atomicStrList('Resources.'),
                  resourceNames: atomicStrList('Names.'),
                },
                ['verbs'],
              ),
              'Allowed resource actions.',
            ),
            nonResourceRules: atomicList(
              ruleList(
                'NonResourceRule',
                'Allowed non-resource actions.',
                {
                  verbs: atomicStrList('Verbs.'),
                  nonResourceURLs: atomicStrList('URL paths.'),
                },
                ['verbs'],
              ),
              'Allowed non-resource actions.',
            ),
            incomplete: bool('True when the list may be incomplete.'),
            evaluationError: str('Problems evaluating the rules.'),
          },
          ['resourceRules', 'nonResourceRules', 'incomplete'],
        ),
      ),
      'The allowed rules (set by the server).',
    ),
  },
  ['spec'],
)

// authentication.k8s.io/v1
const N = 'io.k8s.api.authentication.v1.'
const UserInfo = def(
  N + 'UserInfo',
  obj('A user identity.', {
    username: str('User name.'),
    uid: str('User UID.'),
    groups: atomicStrList('Groups of the user.'),
    extra: Type.Record(Type.String(), Type.Array(Type.String()), {
      description: 'Extra attributes.',
    }),
  }),
)
export const SelfSubjectReview = kind(
  N + 'SelfSubjectReview',
  'Returns the identity of the current user.',
  {
    status: ref(
      def(
        N + 'SelfSubjectReviewStatus',
        obj('The identity.', { userInfo: ref(UserInfo, 'Attributes of the user.') }),
      ),
      'The identity (set by the server).',
    ),
  },
)
export const TokenRequest = kind(
  N + 'TokenRequest',
  'Requests a token for a service account.',
  {
    spec: ref(
      def(
        N + 'TokenRequestSpec',
        obj(
          'The token wanted.',
          {
            audiences: atomicStrList('Intended audiences of the token.'),
            expirationSeconds: int64('Requested lifetime in seconds.'),
            boundObjectRef: ref(
              def(
                N + 'BoundObjectReference',
                obj('An object the token is bound to.', {
                  kind: str('Pod, Secret or Node.'),
                  apiVersion: str('API version.'),
                  name: str('Name.'),
                  uid: str('UID.'),
                }),
              ),
              'Object the token is bound to.',
            ),
          },
          // Upstream defaults empty audiences to the apiserver's own, so not required here.
          [],
        ),
      ),
      'The token wanted.',
    ),
    status: ref(
      def(
        N + 'TokenRequestStatus',
        obj(
          'The issued token.',
          { token: str('The token.'), expirationTimestamp: ref(Time, 'When it expires.') },
          ['token', 'expirationTimestamp'],
        ),
      ),
      'The issued token (set by the server).',
    ),
  },
  ['spec'],
)

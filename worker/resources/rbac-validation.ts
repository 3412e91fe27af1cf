// Roles, ClusterRoles and their bindings: upstream's defaulting (rbac/v1
// SetDefaults_*: a binding's roleRef and a User or Group subject belong to
// rbac.authorization.k8s.io when left empty) and validation (pkg/apis/rbac/
// validation), in its order and words. Names are path segments (validation.ts).
import { goValue, invalidValue } from './service-validation'
import { type Cause, validateDNS1123Subdomain, validatePathSegmentName } from './validation'

type O = Record<string, any>
export const RBAC_GROUP = 'rbac.authorization.k8s.io'

const required = (field: string, detail = ''): Cause => ({ type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' })
const invalid = (field: string, v: unknown, why: string) => invalidValue(field, goValue(v), why)
const notSupported = (field: string, v: unknown, values: string[]): Cause => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${goValue(v ?? '')}: supported values: ${values.map((x) => JSON.stringify(x)).join(', ')}`,
})
const len = (v: unknown) => (Array.isArray(v) ? v.length : 0)

export function defaultRoleBinding(b: O): void {
  b.roleRef ??= {}
  if (!b.roleRef.apiGroup) b.roleRef.apiGroup = RBAC_GROUP
  for (const s of Array.isArray(b.subjects) ? b.subjects : []) {
    if (s && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP
  }
}

function validatePolicyRule(rule: O, namespaced: boolean, at: string): Cause[] {
  const out: Cause[] = []
  if (!len(rule?.verbs)) out.push(required(`${at}.verbs`, 'verbs must contain at least one value'))
  if (len(rule?.nonResourceURLs)) {
    if (namespaced) out.push(invalid(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'))
    if (len(rule.apiGroups) || len(rule.resources) || len(rule.resourceNames))
      out.push(invalid(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'))
    return out
  }
  if (!len(rule?.apiGroups)) out.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'))
  if (!len(rule?.resources)) out.push(required(`${at}.resources`, 'resource rules must supply at least one resource'))
  if (len(rule?.resourceNames) && len(rule.resources) > 1) out.push(required(`${at}.resourceNames`, 'resource names cannot apply to multiple resources'))
  return out
}

/** A Role (namespaced) or a ClusterRole. */
export function validateRole(role: O, namespaced: boolean): Cause[] {
  return (Array.isArray(role.rules) ? role.rules : []).flatMap((r: O, i: number) => validatePolicyRule(r, namespaced, `rules[${i}]`))
}

function validateSubject(s: O, namespaced: boolean, at: string): Cause[] {
  const out: Cause[] = []
  const name = typeof s?.name === 'string' ? s.name : ''
  if (!name) out.push(required(`${at}.name`))
  switch (s?.kind) {
    case 'ServiceAccount':
      if (name) out.push(...validateDNS1123Subdomain(`${at}.name`, name))
      if (s.apiGroup) out.push(notSupported(`${at}.apiGroup`, s.apiGroup, ['']))
      if (!namespaced && !s.namespace) out.push(required(`${at}.namespace`))
      break
    case 'User':
    case 'Group':
      if (!name) out.push(invalid(`${at}.name`, name, `${s.kind === 'User' ? 'user' : 'group'} name cannot be empty`))
      if (s.apiGroup !== RBAC_GROUP) out.push(notSupported(`${at}.apiGroup`, s.apiGroup, [RBAC_GROUP]))
      break
    default:
      out.push(notSupported(`${at}.kind`, s?.kind, ['ServiceAccount', 'User', 'Group']))
  }
  return out
}

/** A RoleBinding (namespaced: it may name a Role or a ClusterRole) or a ClusterRoleBinding; `old` on update. */
export function validateRoleBinding(b: O, namespaced: boolean, old?: O): Cause[] {
  const out: Cause[] = []
  const ref: O = b.roleRef ?? {}
  if (ref.apiGroup !== RBAC_GROUP) out.push(notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]))
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']
  if (!kinds.includes(ref.kind)) out.push(notSupported('roleRef.kind', ref.kind, kinds))
  if (!ref.name) out.push(required('roleRef.name'))
  else out.push(...validatePathSegmentName('roleRef.name', ref.name))
  ;(Array.isArray(b.subjects) ? b.subjects : []).forEach((s: O, i: number) => out.push(...validateSubject(s, namespaced, `subjects[${i}]`)))
  const was: O | undefined = old?.roleRef
  if (was && (was.apiGroup !== ref.apiGroup || was.kind !== ref.kind || was.name !== ref.name))
    out.push(invalidValue('roleRef', `rbac.RoleRef{APIGroup:${JSON.stringify(ref.apiGroup ?? '')}, Kind:${JSON.stringify(ref.kind ?? '')}, Name:${JSON.stringify(ref.name ?? '')}}`, 'cannot change roleRef'))
  return out
}

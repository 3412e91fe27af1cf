import { describe, expect, it } from 'vitest'
import { defaultRoleBinding, validateRole, validateRoleBinding } from './rbac-validation'

const msgs = (causes: { field: string; message: string }[]) => causes.map((c) => `${c.field}: ${c.message}`)
const ref = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }

describe('validateRole (pkg/apis/rbac/validation)', () => {
  it('accepts resource rules and a ClusterRole\'s non-resource rules', () => {
    expect(validateRole({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }, true)).toEqual([])
    expect(validateRole({ rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }, false)).toEqual([])
    expect(validateRole({}, true)).toEqual([])
  })
  it('names what a rule lacks, in upstream words', () => {
    expect(msgs(validateRole({ rules: [{}] }, true))).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ])
    expect(msgs(validateRole({ rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], resourceNames: ['x'], verbs: ['get'] }] }, true))).toEqual([
      'rules[0].resourceNames: Required value: resource names cannot apply to multiple resources',
    ])
  })
  it('keeps non-resource URLs out of Roles and apart from resources', () => {
    expect(msgs(validateRole({ rules: [{ nonResourceURLs: ['/metrics'], resources: ['pods'], verbs: ['get'] }] }, true))).toEqual([
      'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: namespaced rules cannot apply to non-resource URLs',
      'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs',
    ])
  })
})

describe('validateRoleBinding', () => {
  it('accepts a defaulted binding of users, groups and service accounts', () => {
    const b = { roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'default', namespace: 'x' }] }
    defaultRoleBinding(b)
    expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' })
    expect(b.subjects.map((s: any) => s.apiGroup)).toEqual(['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', undefined])
    expect(validateRoleBinding(b, true)).toEqual([])
    expect(validateRoleBinding(b, false)).toEqual([])
  })
  it('refuses a bad roleRef and bad subjects', () => {
    const b = { roleRef: { apiGroup: 'apps', kind: 'Role', name: '' }, subjects: [{ kind: 'Robot', name: 'r2' }, { kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: 'v1' }, { kind: 'User', name: '', apiGroup: 'x' }] }
    expect(msgs(validateRoleBinding(b, false))).toEqual([
      'roleRef.apiGroup: Unsupported value: "apps": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'roleRef.name: Required value',
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      expect.stringMatching(/^subjects\[1\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/),
      'subjects[1].apiGroup: Unsupported value: "v1": supported values: ""',
      'subjects[1].namespace: Required value',
      'subjects[2].name: Required value',
      'subjects[2].name: Invalid value: "": user name cannot be empty',
      'subjects[2].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
    ])
  })
  it('keeps roleRef as it was made, saying it as Go prints the struct', () => {
    expect(validateRoleBinding({ roleRef: ref }, true, { roleRef: ref })).toEqual([])
    expect(msgs(validateRoleBinding({ roleRef: { ...ref, name: 'admin' } }, true, { roleRef: ref }))).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"admin"}: cannot change roleRef',
    ])
  })
})

import { describe, expect, it } from 'vitest'
import type { Attributes } from './attributes'
import { ruleAllows } from './evaluation'
import type { PolicyRule } from './types'

const user = { username: 'u', groups: [] }
const base: Attributes = {
  user,
  verb: '',
  isResourceRequest: true,
  apiGroup: '',
  apiVersion: 'v1',
  resource: '',
  subresource: '',
  namespace: '',
  name: '',
  path: '',
}
const resource = (
  verb: string,
  apiGroup: string,
  resource: string,
  subresource = '',
  name = '',
): Attributes => ({ ...base, verb, apiGroup, resource, subresource, name })
const path = (verb: string, p: string): Attributes => ({
  ...base,
  verb,
  isResourceRequest: false,
  path: p,
})

// Upstream's TestRuleMatches (plugin/pkg/auth/authorizer/rbac/rbac_test.go), case by case.
const cases: { name: string; rule: PolicyRule; requests: [Attributes, boolean][] }[] = [
  {
    name: 'star verb, exact match other',
    rule: { verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] },
    requests: [
      [resource('verb1', 'group1', 'resource1'), true],
      [resource('verb1', 'group2', 'resource1'), false],
      [resource('verb1', 'group1', 'resource2'), false],
      [resource('verb2', 'group1', 'resource1'), true],
      [resource('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star group, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] },
    requests: [
      [resource('verb1', 'group1', 'resource1'), true],
      [resource('verb1', 'group2', 'resource1'), true],
      [resource('verb1', 'group1', 'resource2'), false],
      [resource('verb2', 'group1', 'resource1'), false],
    ],
  },
  {
    name: 'star resource, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['group1'], resources: ['*'] },
    requests: [
      [resource('verb1', 'group1', 'resource1'), true],
      [resource('verb1', 'group2', 'resource1'), false],
      [resource('verb1', 'group1', 'resource2'), true],
      [resource('verb2', 'group1', 'resource1'), false],
      // "*" covers subresources too
      [resource('verb1', 'group1', 'resource1', 'sub'), true],
    ],
  },
  {
    name: 'tuple expansion',
    rule: {
      verbs: ['verb1', 'verb2'],
      apiGroups: ['group1', 'group2'],
      resources: ['resource1', 'resource2'],
    },
    requests: [
      [resource('verb1', 'group1', 'resource1'), true],
      [resource('verb1', 'group2', 'resource2'), true],
      [resource('verb2', 'group1', 'resource2'), true],
      [resource('verb2', 'group2', 'resource1'), true],
      [resource('verb3', 'group1', 'resource1'), false],
    ],
  },
  {
    name: 'subresource expansion',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] },
    requests: [
      [resource('verb1', 'group1', 'resource1', 'subresource1'), true],
      [resource('verb1', 'group2', 'resource1', 'subresource2'), false],
      [resource('verb1', 'group1', 'resource2', 'subresource1'), false],
      [resource('verb2', 'group1', 'resource1', 'subresource1'), true],
      // the subresource rule does not cover the resource itself
      [resource('verb1', 'group1', 'resource1'), false],
    ],
  },
  {
    name: 'star resource, exact subresource (*/subresource)',
    rule: { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] },
    requests: [
      [resource('get', 'apps', 'deployments', 'scale'), true],
      [resource('get', 'apps', 'replicasets', 'scale'), true],
      [resource('get', 'apps', 'deployments'), false],
      [resource('get', 'apps', 'deployments', 'status'), false],
      // only the whole subresource name
      [resource('get', 'apps', 'deployments', 'xscale'), false],
    ],
  },
  {
    name: 'a resource rule does not cover its subresources',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['pods'] },
    requests: [
      [resource('get', '', 'pods'), true],
      [resource('get', '', 'pods', 'status'), false],
      [resource('get', '', 'pods', 'log'), false],
    ],
  },
  {
    name: 'resource names',
    rule: {
      verbs: ['get', 'list', 'watch', 'create', 'update'],
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['settings'],
    },
    requests: [
      [resource('get', '', 'configmaps', '', 'settings'), true],
      [resource('update', '', 'configmaps', '', 'settings'), true],
      [resource('get', '', 'configmaps', '', 'other'), false],
      // a list, watch or create that names no object is not covered
      [resource('list', '', 'configmaps'), false],
      [resource('watch', '', 'configmaps'), false],
      [resource('create', '', 'configmaps'), false],
      // a watch that selects metadata.name=settings names it
      [resource('watch', '', 'configmaps', '', 'settings'), true],
    ],
  },
  {
    name: 'case matters',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    requests: [
      [resource('GET', '', 'pods'), false],
      [resource('get', '', 'Pods'), false],
    ],
  },
  {
    name: 'a rule without apiGroups matches no resource',
    rule: { verbs: ['*'], resources: ['*'] },
    requests: [[resource('get', '', 'pods'), false]],
  },
  {
    name: 'star nonresource, exact match other',
    rule: { verbs: ['verb1'], nonResourceURLs: ['*'] },
    requests: [
      [path('verb1', '/foo'), true],
      [path('verb1', '/foo/bar/one'), true],
      [path('verb2', '/foo'), false],
    ],
  },
  {
    name: 'star nonresource subpath',
    rule: { verbs: ['verb1'], nonResourceURLs: ['/foo/*'] },
    requests: [
      [path('verb1', '/foo'), false],
      [path('verb1', '/foo/bar'), true],
      [path('verb1', '/foo/baz/one'), true],
      [path('verb1', '/notfoo'), false],
      [path('verb1', '/notfoo/bar'), false],
    ],
  },
  {
    name: 'star verb, exact nonresource',
    rule: { verbs: ['*'], nonResourceURLs: ['/foo', '/foo/bar/one'] },
    requests: [
      [path('verb1', '/foo'), true],
      [path('verb1', '/foo/bar'), false],
      [path('verb1', '/foo/bar/one'), true],
      [path('verb2', '/foo'), true],
      [path('verb2', '/foo/baz/one'), false],
    ],
  },
  {
    name: 'a trailing star is a plain prefix, not a path segment',
    rule: { verbs: ['get'], nonResourceURLs: ['/healthz*'] },
    requests: [
      [path('get', '/healthz'), true],
      [path('get', '/healthz/etcd'), true],
      [path('get', '/healthzfoo'), true],
    ],
  },
  {
    name: 'resource rules never match paths, path rules never match resources',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    requests: [[path('get', '/api'), false]],
  },
  {
    name: 'path rules never match resources',
    rule: { verbs: ['*'], nonResourceURLs: ['*'] },
    requests: [[resource('get', '', 'pods'), false]],
  },
]

describe('ruleAllows (RuleAllows and evaluation_helpers)', () => {
  for (const c of cases) {
    it(c.name, () => {
      for (const [attrs, want] of c.requests)
        expect([
          attrs.verb,
          attrs.resource,
          attrs.subresource,
          attrs.name,
          attrs.path,
          ruleAllows(attrs, c.rule),
        ]).toEqual([attrs.verb, attrs.resource, attrs.subresource, attrs.name, attrs.path, want])
    })
  }
})

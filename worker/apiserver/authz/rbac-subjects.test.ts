import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../authn'
import { appliesTo } from './rbac'
import type { Subject } from './types'

const G = 'rbac.authorization.k8s.io'
const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups })
const subject = (s: string): Subject => {
  const i = s.indexOf(':')
  return { kind: s.slice(0, i), apiGroup: G, name: s.slice(i + 1) }
}

// Upstream's TestAppliesTo cases, plus the service-account forms.
describe('appliesTo', () => {
  it.each<[string, Subject[], UserInfo, string, boolean]>([
    ['single subject that matches username', [subject('User:foobar')], user('foobar'), '', true],
    [
      'multiple subjects, one that matches username',
      [subject('User:barfoo'), subject('User:foobar')],
      user('foobar'),
      '',
      true,
    ],
    [
      'multiple subjects, none that match username',
      [subject('User:barfoo'), subject('User:foobar')],
      user('zimzam'),
      '',
      false,
    ],
    [
      'multiple subjects, one that match group',
      [subject('User:barfoo'), subject('Group:foobar')],
      user('zimzam', 'foobar'),
      '',
      true,
    ],
    [
      'one that match group, should ignore namespace',
      [subject('User:barfoo'), subject('Group:foobar')],
      user('zimzam', 'foobar'),
      'namespace1',
      true,
    ],
    [
      'multiple subjects with a service account that matches',
      [
        subject('User:barfoo'),
        subject('Group:foobar'),
        { kind: 'ServiceAccount', namespace: 'kube-system', name: 'default' },
      ],
      user('system:serviceaccount:kube-system:default'),
      'default',
      true,
    ],
    [
      '* user subject name does not match all users',
      [subject('User:*')],
      user('foobar'),
      'default',
      false,
    ],
    [
      'all authenticated and unauthenticated matches an authenticated user',
      [subject('Group:system:authenticated'), subject('Group:system:unauthenticated')],
      user('foobar', 'system:authenticated'),
      'default',
      true,
    ],
    [
      'all authenticated and unauthenticated matches anonymous',
      [subject('Group:system:authenticated'), subject('Group:system:unauthenticated')],
      user('system:anonymous', 'system:unauthenticated'),
      'default',
      true,
    ],
    [
      'a service account without namespace is of the binding namespace',
      [{ kind: 'ServiceAccount', name: 'ci' }],
      user('system:serviceaccount:bob:ci'),
      'bob',
      true,
    ],
    [
      '… and not of another',
      [{ kind: 'ServiceAccount', name: 'ci' }],
      user('system:serviceaccount:eve:ci'),
      'bob',
      false,
    ],
    [
      '… and never in a ClusterRoleBinding',
      [{ kind: 'ServiceAccount', name: 'ci' }],
      user('system:serviceaccount::ci'),
      '',
      false,
    ],
    [
      'a service account is not its name as a user',
      [{ kind: 'ServiceAccount', namespace: 'bob', name: 'ci' }],
      user('ci'),
      'bob',
      false,
    ],
    [
      'system:serviceaccounts group',
      [subject('Group:system:serviceaccounts')],
      user(
        'system:serviceaccount:bob:ci',
        'system:serviceaccounts',
        'system:serviceaccounts:bob',
        'system:authenticated',
      ),
      'bob',
      true,
    ],
    [
      'system:serviceaccounts:<ns> group',
      [subject('Group:system:serviceaccounts:bob')],
      user('system:serviceaccount:bob:ci', 'system:serviceaccounts', 'system:serviceaccounts:bob'),
      'eve',
      true,
    ],
    ['an unknown kind', [{ kind: 'Robot', name: 'foobar' }], user('foobar'), '', false],
    ['no subjects', [], user('foobar'), '', false],
  ])('%s', (_, subjects, u, namespace, want) => {
    expect(!!appliesTo(u, subjects, namespace)).toBe(want)
  })
})

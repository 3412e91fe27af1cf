import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors'
import type { Attributes } from './attributes'
import { admitNamespaceDelete, admitNamespaceLifecycle } from './namespace-lifecycle'

type O = any
const namespaces: Record<string, O> = {
  team: { metadata: { name: 'team' }, status: { phase: 'Active' } },
  going: { metadata: { name: 'going', deletionTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Terminating' } },
}
const lookup = (n: string) => namespaces[n]
const a = (namespace: string | undefined, extra: Partial<Attributes> = {}): Attributes => ({
  operation: 'CREATE',
  group: '',
  resource: 'configmaps',
  namespace,
  name: 'cfg',
  object: { metadata: { name: 'cfg', namespace } },
  ...extra,
})

function status(fn: () => void): O {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApiError) return e.status
    throw e
  }
  return undefined
}

describe('NamespaceLifecycle', () => {
  it.each([
    { name: 'an active namespace', attrs: a('team'), want: undefined },
    { name: 'a missing namespace', attrs: a('nowhere'), want: { code: 404, message: 'namespaces "nowhere" not found' } },
    { name: 'a terminating namespace', attrs: a('going'), want: { code: 403, message: 'configmaps "cfg" is forbidden: unable to create new content in namespace going because it is being terminated' } },
    { name: 'generateName is named before generation', attrs: a('going', { name: undefined, object: { metadata: { generateName: 'cfg-' } } }), want: { code: 403, message: 'configmaps "cfg-" is forbidden: unable to create new content in namespace going because it is being terminated' } },
    { name: 'updates pass', attrs: a('going', { operation: 'UPDATE' }), want: undefined },
    { name: 'cluster-scoped kinds pass', attrs: a(undefined, { resource: 'nodes' }), want: undefined },
    { name: 'namespaces themselves pass', attrs: a('nowhere', { resource: 'namespaces' }), want: undefined },
    { name: 'access reviews pass', attrs: a('nowhere', { group: 'authorization.k8s.io', resource: 'localsubjectaccessreviews' }), want: undefined },
  ])('$name', ({ attrs, want }) => {
    const got = status(() => admitNamespaceLifecycle(attrs, lookup))
    if (!want) return expect(got).toBeUndefined()
    expect(got).toMatchObject(want)
  })

  it('names the NamespaceTerminating cause', () => {
    expect(status(() => admitNamespaceLifecycle(a('going'), lookup)).details.causes).toEqual([
      { type: 'NamespaceTerminating', message: 'namespace going is being terminated', field: 'metadata.namespace' },
    ])
  })

  it.each(['default', 'kube-system', 'kube-public'])('refuses to delete %s', (name) => {
    expect(status(() => admitNamespaceDelete('', 'namespaces', name))).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
    })
  })

  it('lets kube-node-lease and others go, and other kinds named default', () => {
    expect(status(() => admitNamespaceDelete('', 'namespaces', 'kube-node-lease'))).toBeUndefined()
    expect(status(() => admitNamespaceDelete('', 'serviceaccounts', 'default'))).toBeUndefined()
  })
})

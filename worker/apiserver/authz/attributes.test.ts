import { describe, expect, it } from 'vitest'
import type { UserInfo } from '../authn'
import { requestInfo } from '../request-info'
import { nameFromFieldSelector, requestAttributes, reviewAttributes } from './attributes'

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] }

function attrsOf(method: string, target: string) {
  const url = new URL(target, 'https://x')
  const a = requestAttributes(
    requestInfo(method, url.pathname, url.searchParams),
    alice,
    url.searchParams,
  )
  const { user: _user, apiVersion: _v, path: _p, ...rest } = a
  return rest
}

const res = (
  verb: string,
  apiGroup: string,
  resource: string,
  subresource: string,
  namespace: string,
  name: string,
) => ({
  verb,
  isResourceRequest: true,
  apiGroup,
  resource,
  subresource,
  namespace,
  name,
})

describe('requestAttributes (RequestInfoFactory + GetAuthorizerAttributes)', () => {
  it.each([
    ['GET', '/api/v1/namespaces/bob/pods', res('list', '', 'pods', '', 'bob', '')],
    ['GET', '/api/v1/namespaces/bob/pods?watch=true', res('watch', '', 'pods', '', 'bob', '')],
    [
      'GET',
      '/api/v1/namespaces/bob/pods?watch=1&fieldSelector=metadata.name%3Dweb',
      res('watch', '', 'pods', '', 'bob', 'web'),
    ],
    [
      'GET',
      '/api/v1/namespaces/bob/pods?fieldSelector=metadata.name%3Dweb',
      res('list', '', 'pods', '', 'bob', 'web'),
    ],
    ['GET', '/api/v1/namespaces/bob/pods/web', res('get', '', 'pods', '', 'bob', 'web')],
    ['HEAD', '/api/v1/namespaces/bob/pods/web', res('get', '', 'pods', '', 'bob', 'web')],
    ['POST', '/api/v1/namespaces/bob/pods', res('create', '', 'pods', '', 'bob', '')],
    ['PUT', '/api/v1/namespaces/bob/pods/web', res('update', '', 'pods', '', 'bob', 'web')],
    ['PATCH', '/api/v1/namespaces/bob/pods/web', res('patch', '', 'pods', '', 'bob', 'web')],
    ['DELETE', '/api/v1/namespaces/bob/pods/web', res('delete', '', 'pods', '', 'bob', 'web')],
    ['DELETE', '/api/v1/namespaces/bob/pods', res('deletecollection', '', 'pods', '', 'bob', '')],
    // a field selector names an object only for list and watch
    [
      'DELETE',
      '/api/v1/namespaces/bob/pods?fieldSelector=metadata.name%3Dweb',
      res('deletecollection', '', 'pods', '', 'bob', ''),
    ],
    [
      'GET',
      '/api/v1/namespaces/bob/pods/web/log?container=app',
      res('get', '', 'pods', 'log', 'bob', 'web'),
    ],
    [
      'PUT',
      '/api/v1/namespaces/bob/pods/web/status',
      res('update', '', 'pods', 'status', 'bob', 'web'),
    ],
    [
      'POST',
      '/api/v1/namespaces/bob/pods/web/eviction',
      res('create', '', 'pods', 'eviction', 'bob', 'web'),
    ],
    [
      'POST',
      '/api/v1/namespaces/bob/pods/web/binding',
      res('create', '', 'pods', 'binding', 'bob', 'web'),
    ],
    [
      'GET',
      '/apis/apps/v1/namespaces/bob/deployments/web/scale',
      res('get', 'apps', 'deployments', 'scale', 'bob', 'web'),
    ],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/bob/deployments/web/scale',
      res('patch', 'apps', 'deployments', 'scale', 'bob', 'web'),
    ],
    [
      'GET',
      '/api/v1/nodes/worker-1/proxy/iptables-save',
      res('get', '', 'nodes', 'proxy', '', 'worker-1'),
    ],
    [
      'POST',
      '/api/v1/namespaces/bob/serviceaccounts/default/token',
      res('create', '', 'serviceaccounts', 'token', 'bob', 'default'),
    ],
    ['GET', '/api/v1/nodes', res('list', '', 'nodes', '', '', '')],
    ['PATCH', '/api/v1/nodes/worker-1', res('patch', '', 'nodes', '', '', 'worker-1')],
    ['GET', '/api/v1/pods', res('list', '', 'pods', '', '', '')],
    [
      'GET',
      '/apis/apps/v1/deployments?watch=true',
      res('watch', 'apps', 'deployments', '', '', ''),
    ],
    // a namespace's own URL is inside that namespace
    ['GET', '/api/v1/namespaces/bob', res('get', '', 'namespaces', '', 'bob', 'bob')],
    ['DELETE', '/api/v1/namespaces/bob', res('delete', '', 'namespaces', '', 'bob', 'bob')],
    [
      'PUT',
      '/api/v1/namespaces/bob/finalize',
      res('update', '', 'namespaces', 'finalize', 'bob', 'bob'),
    ],
    ['GET', '/api/v1/namespaces/bob/status', res('get', '', 'namespaces', 'status', 'bob', 'bob')],
    ['GET', '/api/v1/namespaces', res('list', '', 'namespaces', '', '', '')],
    [
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      res('create', 'authorization.k8s.io', 'selfsubjectaccessreviews', '', '', ''),
    ],
    [
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/bob/rolebindings',
      res('create', 'rbac.authorization.k8s.io', 'rolebindings', '', 'bob', ''),
    ],
    [
      'POST',
      '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster/step',
      res('create', 'sim.wheelhouse.dev', 'clocks', 'step', '', 'cluster'),
    ],
    [
      'POST',
      '/apis/sim.wheelhouse.dev/v1alpha1/namespaces/bob/trafficruns',
      res('create', 'sim.wheelhouse.dev', 'trafficruns', '', 'bob', ''),
    ],
  ])('%s %s', (method, target, want) => {
    expect(attrsOf(method, target)).toEqual(want)
  })

  it.each([
    ['GET', '/version', 'get'],
    ['GET', '/api', 'get'],
    ['GET', '/apis', 'get'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/apis/apps', 'get'],
    ['GET', '/apis/apps/v1', 'get'],
    ['GET', '/openapi/v3/apis/apps/v1', 'get'],
    ['HEAD', '/healthz', 'head'],
    ['POST', '/metrics', 'post'],
  ])('%s %s is a non-resource request with the lowercase method as verb', (method, path, verb) => {
    const a = requestAttributes(requestInfo(method, path, new URLSearchParams()), alice)
    expect(a).toMatchObject({
      isResourceRequest: false,
      verb,
      path,
      resource: '',
      namespace: '',
      name: '',
    })
  })

  it('carries the user and the API version', () => {
    const url = new URL('https://x/apis/apps/v1/namespaces/bob/deployments')
    const a = requestAttributes(
      requestInfo('GET', url.pathname, url.searchParams),
      alice,
      url.searchParams,
    )
    expect(a.user).toBe(alice)
    expect(a.apiVersion).toBe('v1')
  })
})

describe('nameFromFieldSelector (fields.Selector.RequiresExactMatch("metadata.name"))', () => {
  it.each([
    ['metadata.name=web', 'web'],
    ['metadata.name==web', 'web'],
    ['metadata.name!=web', ''],
    ['spec.nodeName=worker-1,metadata.name=web', 'web'],
    ['metadata.name=web,spec.nodeName!=worker-1', 'web'],
    ['metadata.name=a\\,b', 'a,b'],
    ['metadata.name=a\\=b', 'a=b'],
    ['metadata.name=', ''],
    ['status.phase=Running', ''],
    // not a valid path segment name: no name, the request stays a plain list
    ['metadata.name=a/b', ''],
    ['metadata.name=..', ''],
    ['metadata.name=50%', ''],
    // a selector that does not parse is dropped whole
    ['metadata.name=a=b', ''],
    ['metadata.name=web,bogus', ''],
    ['metadata.name=a\\x', ''],
    ['', ''],
  ])('%j → %j', (selector, want) => {
    expect(nameFromFieldSelector(selector)).toBe(want)
  })
})

describe('reviewAttributes (ResourceAttributesFrom / NonResourceAttributesFrom)', () => {
  it('takes resource attributes as given', () => {
    expect(
      reviewAttributes(
        {
          resourceAttributes: {
            namespace: 'bob',
            verb: 'get',
            group: 'apps',
            resource: 'deployments',
            subresource: 'scale',
            name: 'web',
          },
        },
        alice,
      ),
    ).toEqual({
      user: alice,
      verb: 'get',
      isResourceRequest: true,
      apiGroup: 'apps',
      apiVersion: '',
      resource: 'deployments',
      subresource: 'scale',
      namespace: 'bob',
      name: 'web',
      path: '',
    })
  })

  it('takes non-resource attributes', () => {
    expect(
      reviewAttributes({ nonResourceAttributes: { path: '/metrics', verb: 'get' } }, alice),
    ).toMatchObject({ isResourceRequest: false, verb: 'get', path: '/metrics' })
  })
})

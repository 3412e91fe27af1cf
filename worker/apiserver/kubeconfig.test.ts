import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { apiServerUrl, kubeconfigText } from './kubeconfig'

describe('kubeconfigText', () => {
  it('points a deployed cluster at its https origin', () => {
    const text = kubeconfigText({ cluster: 'room', user: 'alice', token: 'whp_abc', namespace: 'alice', requestUrl: 'https://wheelhouse.example.dev/clusters/room/join' })
    const doc = parse(text)
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'wheelhouse-room', cluster: { server: 'https://wheelhouse.example.dev/clusters/room' } }],
      users: [{ name: 'wheelhouse-room-alice', user: { token: 'whp_abc' } }],
      contexts: [{ name: 'wheelhouse-room', context: { cluster: 'wheelhouse-room', user: 'wheelhouse-room-alice', namespace: 'alice' } }],
      'current-context': 'wheelhouse-room',
    })
    expect(text).not.toContain('certificate-authority')
  })

  it('sends kubectl to the local TLS front and names its CA', () => {
    const text = kubeconfigText({ cluster: 'demo', user: 'admin', token: 't', namespace: 'default', requestUrl: 'http://127.0.0.1:8787/clusters' })
    expect(parse(text).clusters[0].cluster.server).toBe('https://127.0.0.1:8443/clusters/demo')
    expect(text).toContain('--certificate-authority=.wrangler/wheelhouse/tls/ca.crt')
  })

  it('prefers PUBLIC_URL, path included', () => {
    expect(apiServerUrl('x', 'http://internal:8787/clusters', 'https://k8s.example.org/wh/')).toEqual({ server: 'https://k8s.example.org/wh/clusters/x', local: false })
    expect(apiServerUrl('x', 'https://a.example/clusters')).toEqual({ server: 'https://a.example/clusters/x', local: false })
  })
})

import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { kubeconfigFor } from './kubeconfig'

const id = { cluster: 'demo', token: 'tok"en', name: 'Ada Lovelace' }

describe('kubeconfigFor', () => {
  it('points a deployed (https) origin at itself', () => {
    const k = kubeconfigFor(id, { protocol: 'https:', hostname: 'wh.example.dev', host: 'wh.example.dev' })
    const c = parse(k.text)
    expect(c.clusters[0].cluster).toEqual({ server: 'https://wh.example.dev/clusters/demo' })
    expect(c.users[0]).toEqual({ name: 'wheelhouse-demo-ada-lovelace', user: { token: 'tok"en' } })
    expect(c['current-context']).toBe('wheelhouse-demo')
    expect(c.contexts[0].context).toEqual({ cluster: 'wheelhouse-demo', user: 'wheelhouse-demo-ada-lovelace', namespace: 'default' })
    expect(k.command).toBe('KUBECONFIG=~/Downloads/wheelhouse-demo.kubeconfig kubectl get pods')
    expect(k.local).toBe(false)
  })
  it('sends the local (http) server through its TLS front, naming the local CA', () => {
    const k = kubeconfigFor(id, { protocol: 'http:', hostname: '127.0.0.1', host: '127.0.0.1:8787' })
    expect(parse(k.text).clusters[0].cluster.server).toBe('https://127.0.0.1:8443/clusters/demo')
    expect(k.command).toContain('--certificate-authority=.wrangler/wheelhouse/tls/ca.crt')
    expect(k.local).toBe(true)
  })
  it("puts a participant in their own namespace, under the username the cluster gave", () => {
    const k = kubeconfigFor({ ...id, username: 'ada-lovelace-2', namespace: 'ada-lovelace-2' }, { protocol: 'https:', hostname: 'wh.example.dev', host: 'wh.example.dev' })
    expect(parse(k.text).contexts[0].context).toEqual({ cluster: 'wheelhouse-demo', user: 'wheelhouse-demo-ada-lovelace-2', namespace: 'ada-lovelace-2' })
  })
})

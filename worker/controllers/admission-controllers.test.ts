// The resourcequota, serviceaccount and root-ca-cert-publisher controllers, on a recording context.
import { describe, expect, it } from 'vitest'
import { recordingContext } from './framework/recording-context'
import { NAMESPACES, PODS } from './framework/types'
import { QUOTA_RESYNC_MS, quotaNeedsSync, RESOURCE_QUOTAS, resourceQuotaController, syncNamespaceQuotas } from './resource-quota'
import { CONFIG_MAPS, DESCRIPTION_ANNOTATION, ROOT_CA_CONFIGMAP, simulatedRootCA, syncRootCA } from './root-ca-publisher'
import { SERVICE_ACCOUNTS, syncServiceAccounts } from './serviceaccount'

type O = any
const T0 = Date.parse('2025-01-01T00:00:00Z')
const ns = (name: string, extra: O = {}): O => ({ metadata: { name, uid: `uid-${name}`, ...extra }, status: { phase: extra.deletionTimestamp ? 'Terminating' : 'Active' } })
const pod = (name: string, extra: O = {}): O => ({ metadata: { name, namespace: 'team', ...extra.metadata }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] }, status: { phase: 'Running', ...extra.status } })
const quota = (hard: O, status?: O): O => ({ metadata: { name: 'q', namespace: 'team' }, spec: { hard }, ...(status && { status }) })

describe('resourcequota controller', () => {
  it('sets status.hard and measures status.used, then resyncs in 5 minutes', () => {
    const r = recordingContext([[RESOURCE_QUOTAS, quota({ pods: '5', 'requests.cpu': '1' })], [PODS, pod('a')], [PODS, pod('b')], [PODS, pod('done', { status: { phase: 'Succeeded' } })]], T0)
    syncNamespaceQuotas('team', r.ctx)
    expect(r.get(RESOURCE_QUOTAS, 'team', 'q')!.status).toEqual({ hard: { pods: '5', 'requests.cpu': '1' }, used: { pods: '2', 'requests.cpu': '200m' } })
    expect(r.requeues).toEqual([['team', QUOTA_RESYNC_MS]])
    syncNamespaceQuotas('team', r.ctx)
    expect(r.writes).toEqual(['updateStatus /v1/resourcequotas q']) // nothing changed the second time
  })

  it('looks again when a deleted pod stops charging', () => {
    const deleting = pod('a', { metadata: { deletionTimestamp: new Date(T0 + 30_000).toISOString(), deletionGracePeriodSeconds: 30 } })
    const r = recordingContext([[RESOURCE_QUOTAS, quota({ pods: '5' })], [PODS, deleting]], T0)
    syncNamespaceQuotas('team', r.ctx)
    expect(r.requeues).toEqual([['team', 60_001]])
  })

  it('does nothing in a namespace without quotas', () => {
    const r = recordingContext([[PODS, pod('a')]], T0)
    syncNamespaceQuotas('team', r.ctx)
    expect(r.writes).toEqual([])
    expect(r.requeues).toEqual([])
  })

  it('wakes on quotas whose status lags, deletions and finished pods; not on its own charges', () => {
    const w = resourceQuotaController.watches
    expect(w[RESOURCE_QUOTAS]!(quota({ pods: '5' }), undefined, false)).toEqual(['team'])
    expect(quotaNeedsSync(quota({ pods: '5' }, { hard: { pods: '5' }, used: { pods: '1' } }))).toBe(false)
    expect(quotaNeedsSync(quota({ pods: '6' }, { hard: { pods: '5' }, used: { pods: '1' } }))).toBe(true)
    expect(w[PODS]!(pod('a'), undefined, false)).toEqual([])
    expect(w[PODS]!(pod('a'), undefined, true)).toEqual(['team'])
    expect(w[PODS]!(pod('a', { status: { phase: 'Failed' } }), undefined, false)).toEqual(['team'])
    expect(w['/v1/configmaps']!({ metadata: { name: 'c', namespace: 'team' } }, undefined, false)).toEqual([])
    expect(w['/v1/configmaps']!({ metadata: { name: 'c', namespace: 'team' } }, undefined, true)).toEqual(['team'])
    expect(w['/v1/events']).toBeUndefined()
  })
})

describe('serviceaccount controller', () => {
  it('creates default in an active namespace, once', () => {
    const r = recordingContext([[NAMESPACES, ns('team')]], T0)
    syncServiceAccounts('team', r.ctx)
    syncServiceAccounts('team', r.ctx)
    expect(r.writes).toEqual(['create /v1/serviceaccounts default'])
    expect(r.get(SERVICE_ACCOUNTS, 'team', 'default')).toBeTruthy()
  })

  it('leaves terminating and missing namespaces alone', () => {
    const r = recordingContext([[NAMESPACES, ns('going', { deletionTimestamp: '2025-01-01T00:00:00Z' })]], T0)
    syncServiceAccounts('going', r.ctx)
    syncServiceAccounts('gone', r.ctx)
    expect(r.writes).toEqual([])
  })
})

describe('root-ca-cert-publisher', () => {
  it('derives a stable PEM per cluster that looks like a kubeadm CA', () => {
    const a = simulatedRootCA('c/uid-1')
    expect(a).toBe(simulatedRootCA('c/uid-1'))
    expect(a).not.toBe(simulatedRootCA('c/uid-2'))
    expect(a).toMatch(/^-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgII[A-Za-z0-9+/]{44}\n([A-Za-z0-9+/]{64}\n)+[A-Za-z0-9+/=]+\n-----END CERTIFICATE-----\n$/)
  })

  it('creates kube-root-ca.crt, and puts back its data and description', () => {
    const r = recordingContext([[NAMESPACES, ns('kube-system')], [NAMESPACES, ns('team')]], T0)
    syncRootCA('team', r.ctx)
    const cm = r.get(CONFIG_MAPS, 'team', ROOT_CA_CONFIGMAP)!
    expect(cm.data['ca.crt']).toBe(simulatedRootCA('/uid-kube-system'))
    expect(cm.metadata.annotations[DESCRIPTION_ANNOTATION]).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/)
    r.ctx.update(CONFIG_MAPS, { ...cm, data: { 'ca.crt': 'tampered' } })
    syncRootCA('team', r.ctx)
    expect(r.get(CONFIG_MAPS, 'team', ROOT_CA_CONFIGMAP)!.data['ca.crt']).toBe(cm.data['ca.crt'])
    syncRootCA('team', r.ctx)
    expect(r.writes).toEqual(['create /v1/configmaps kube-root-ca.crt', 'update /v1/configmaps kube-root-ca.crt', 'update /v1/configmaps kube-root-ca.crt'])
  })
})

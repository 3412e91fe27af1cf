// @kubernetes/client-node, unmodified, against a real local server over TLS:
// list, watch, and an informer that relists on 410 after a compaction without missing an object.
import * as k8s from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalCluster, startLocalCluster } from '../support/local-cluster'

let cluster: LocalCluster
let kc: k8s.KubeConfig
let core: k8s.CoreV1Api
beforeAll(async () => {
  cluster = await startLocalCluster('client-node')
  kc = new k8s.KubeConfig()
  kc.loadFromFile(cluster.kubeconfigFile)
  core = kc.makeApiClient(k8s.CoreV1Api)
})
afterAll(async () => {
  await cluster?.stop()
})

const until = async (what: string, ok: () => boolean, ms = 20_000) => {
  const t0 = Date.now()
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Compacts the cluster's store to its current revision, through the admin etcd gateway. */
async function compactNow(): Promise<number> {
  const h = { authorization: `Bearer ${cluster.token}` }
  const base = `${cluster.server.url}/clusters/client-node/etcd/v3`
  const head = (await (await fetch(`${base}/kv/range`, { method: 'POST', headers: h, body: JSON.stringify({ key: btoa('/'), range_end: btoa('\0'), count_only: true }) })).json()) as { header: { revision: string } }
  const rev = Number(head.header.revision)
  const r = await fetch(`${base}/kv/compaction`, { method: 'POST', headers: h, body: JSON.stringify({ revision: String(rev) }) })
  expect(r.status).toBe(200)
  return rev
}

describe('@kubernetes/client-node', () => {
  it('lists namespaces and creates, reads and lists configmaps', async () => {
    const nss = await core.listNamespace()
    expect(nss.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system']))
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-node' }, data: { a: '1' } } })
    const cm = await core.readNamespacedConfigMap({ namespace: 'default', name: 'from-node' })
    expect(cm.data).toEqual({ a: '1' })
    const list = await core.listNamespacedConfigMap({ namespace: 'default' })
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/)
    expect(list.items.map((c) => c.metadata?.name)).toContain('from-node')
  })

  it('watches ADDED, MODIFIED and DELETED', async () => {
    const events: string[] = []
    const w = new k8s.Watch(kc)
    const req = await w.watch('/api/v1/namespaces/default/configmaps', { labelSelector: 'w=1' }, (type, obj) => events.push(`${type} ${obj.metadata.name}`), () => undefined)
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched', labels: { w: '1' } } } })
    // client-node 1.x patches with JSON patch by default.
    const patched = await core.patchNamespacedConfigMap({ namespace: 'default', name: 'watched', body: [{ op: 'add', path: '/data', value: { x: 'y' } }] })
    expect(patched.data).toEqual({ x: 'y' })
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'watched' })
    await until('three events', () => events.length >= 3)
    req.abort()
    expect(events).toEqual(['ADDED watched', 'MODIFIED watched', 'DELETED watched'])
  })

  it('keeps an informer complete across a compaction: 410, relist, nothing missed', async () => {
    await core.createNamespace({ body: { metadata: { name: 'inf' } } })
    await core.createNamespace({ body: { metadata: { name: 'noise' } } })
    let lists = 0
    const listFn = () => {
      lists++
      return core.listNamespacedConfigMap({ namespace: 'inf' })
    }
    // The server ends each watch after 2 s, so the informer resumes from its last resourceVersion.
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/configmaps?timeoutSeconds=2', listFn)
    const errors: unknown[] = []
    informer.on('error', (e) => errors.push(e))
    await informer.start()
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'a' } } })
    await until('a', () => informer.list().some((c) => c.metadata?.name === 'a'))
    // Writes the informer does not watch move the revision past its resourceVersion...
    for (let i = 0; i < 20; i++) await core.createNamespacedConfigMap({ namespace: 'noise', body: { metadata: { name: `n${i}` } } })
    // ...then history below it is compacted. When its watch turns over, it resumes from a
    // compacted revision, gets 410 Expired, and relists.
    await compactNow()
    await until('a relist', () => lists >= 2, 10_000)
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'b' } } })
    await core.deleteNamespacedConfigMap({ namespace: 'inf', name: 'a' })
    await until('b, and a gone', () => informer.list().some((c) => c.metadata?.name === 'b') && !informer.list().some((c) => c.metadata?.name === 'a'))
    // Across another turnover (no compaction this time) it resumes without relisting.
    const before = lists
    await new Promise((r) => setTimeout(r, 2_500))
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'c' } } })
    await until('c', () => informer.list().some((c) => c.metadata?.name === 'c'))
    expect(lists).toBe(before)
    expect(errors).toEqual([])
    await informer.stop()
    expect(lists).toBeGreaterThanOrEqual(2)
    // kube-root-ca.crt: the root CA publisher's, in every namespace as on a real cluster (made seconds ago).
    expect(informer.list().map((c) => c.metadata?.name).sort()).toEqual(['b', 'c', 'kube-root-ca.crt'])
  })
})

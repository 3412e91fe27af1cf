// Persistent volumes inside the cluster object: the seeded default class, the
// PV controller binding claims, the simulated cloud provisioning disks (at
// once or where the first consumer lands), reclaim policies, and the
// protection finalizers that keep a claim in use from going.
import { describe, expect, it } from 'vitest'
import { api, newCluster, type TestCluster } from './helpers'

/** Steps the simulated clock a second at a time until check holds. */
async function stepUntil<T>(
  c: TestCluster,
  check: () => Promise<T | undefined | false>,
  what: string,
  maxSteps = 90,
): Promise<T> {
  for (let i = 0; i < maxSteps; i++) {
    const v = await check()
    if (v) return v
    await c.stub.setClock({ stepMs: 1_000 })
    await new Promise((r) => setTimeout(r, 30))
  }
  throw new Error(`never: ${what}`)
}

async function step(c: TestCluster, seconds: number) {
  for (let i = 0; i < seconds; i++) {
    await c.stub.setClock({ stepMs: 1_000 })
    await new Promise((r) => setTimeout(r, 30))
  }
}

const claim = (name: string, spec: Record<string, any> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
})
const PVCS = '/api/v1/namespaces/default/persistentvolumeclaims'
const getClaim = async (c: TestCluster, name: string) =>
  (await api(c, 'GET', `${PVCS}/${name}`)).json
const bound = (c: TestCluster, name: string) =>
  stepUntil(
    c,
    async () => {
      const o = await getClaim(c, name)
      return o.status?.phase === 'Bound' ? o : undefined
    },
    `claim ${name} Bound`,
  )
const eventsOf = async (c: TestCluster, name: string) =>
  (
    await api(
      c,
      'GET',
      `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${name}`,
    )
  ).json.items
    .sort((a: any, b: any) => a.firstTimestamp.localeCompare(b.firstTimestamp))
    .map((e: any) => `${e.reason} [${e.source.component}]: ${e.message}`)
const zoneOf = (pv: any): string =>
  pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]
const nodesReady = (c: TestCluster) =>
  stepUntil(
    c,
    async () => {
      const nodes = (await api(c, 'GET', '/api/v1/nodes')).json.items
      return nodes.length === 3 &&
        nodes.every((n: any) => n.metadata.labels?.['topology.kubernetes.io/zone'])
        ? nodes
        : undefined
    },
    'three nodes with zones',
  )

describe('persistent volumes', () => {
  it('serves the seeded classes, standard the default', async () => {
    const c = await newCluster()
    const list = (await api(c, 'GET', '/apis/storage.k8s.io/v1/storageclasses')).json.items
    expect(
      list.map((s: any) => [
        s.metadata.name,
        s.provisioner,
        s.reclaimPolicy,
        s.volumeBindingMode,
        s.allowVolumeExpansion,
      ]),
    ).toEqual([
      ['standard', 'pd.csi.wheelhouse.dev', 'Delete', 'Immediate', true],
      ['standard-rwo', 'pd.csi.wheelhouse.dev', 'Delete', 'WaitForFirstConsumer', true],
    ])
    expect(list[0].metadata.annotations).toEqual({
      'storageclass.kubernetes.io/is-default-class': 'true',
    })
  })

  it('refuses a claim without a storage request, naming the field', async () => {
    const c = await newCluster()
    const r = await api(c, 'POST', PVCS, {
      ...claim('data'),
      spec: { accessModes: ['ReadWriteOnce'] },
    })
    expect(r.status).toBe(422)
    expect(r.json.message).toBe(
      'PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Required value',
    )
    expect((await api(c, 'GET', `${PVCS}/data`)).status).toBe(404)
  })

  it('provisions a claim without a class in the default class: events, a zoned volume, Bound', async () => {
    const c = await newCluster({ nodes: 3 })
    await nodesReady(c)
    const created = await api(c, 'POST', PVCS, claim('data'))
    expect(created.status).toBe(201)
    expect(created.json.spec.storageClassName).toBe('standard')
    expect(created.json.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection'])
    expect(created.json.status).toEqual({ phase: 'Pending' })

    // The disk takes a few simulated seconds: nothing is bound yet.
    await step(c, 2)
    expect((await getClaim(c, 'data')).status.phase).toBe('Pending')
    expect((await api(c, 'GET', '/api/v1/persistentvolumes')).json.items).toEqual([])

    const pvc = await bound(c, 'data')
    const pv = (await api(c, 'GET', `/api/v1/persistentvolumes/${pvc.spec.volumeName}`)).json
    expect(pvc.spec.volumeName).toBe(`pvc-${pvc.metadata.uid}`)
    expect(pvc.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.beta.kubernetes.io/storage-provisioner': 'pd.csi.wheelhouse.dev',
      'volume.kubernetes.io/storage-provisioner': 'pd.csi.wheelhouse.dev',
    })
    expect(pvc.status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '1Gi' },
    })
    expect(['zone-a', 'zone-b', 'zone-c']).toContain(zoneOf(pv))
    expect(pv.spec.csi.volumeHandle).toBe(
      `projects/${c.name}/zones/${zoneOf(pv)}/disks/${pv.metadata.name}`,
    )
    expect(pv.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      claimRef: { name: 'data', uid: pvc.metadata.uid },
    })
    expect(pv.status.phase).toBe('Bound')
    expect(pv.metadata.finalizers).toEqual([
      'external-provisioner.volume.kubernetes.io/finalizer',
      'kubernetes.io/pv-protection',
    ])

    const events = await eventsOf(c, 'data')
    expect(events).toContain(
      "ExternalProvisioning [persistentvolume-controller]: Waiting for a volume to be created either by the external provisioner 'pd.csi.wheelhouse.dev' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    )
    expect(events).toContain(
      'Provisioning [pd.csi.wheelhouse.dev_csi-controller]: External provisioner is provisioning volume for claim "default/data"',
    )
    expect(events.at(-1)).toBe(
      `ProvisioningSucceeded [pd.csi.wheelhouse.dev_csi-controller]: Successfully provisioned volume ${pv.metadata.name}`,
    )

    // Growing it: the cloud grows the disk and the volume; the filesystem waits for a node.
    const patched = await api(
      c,
      'PATCH',
      `${PVCS}/data`,
      { spec: { resources: { requests: { storage: '3Gi' } } } },
      'application/merge-patch+json',
    )
    expect(patched.status).toBe(200)
    const grown = await stepUntil(
      c,
      async () => {
        const o = await getClaim(c, 'data')
        return o.status.allocatedResourceStatuses?.storage === 'NodeResizePending' ? o : undefined
      },
      'disk grown',
    )
    expect(
      (await api(c, 'GET', `/api/v1/persistentvolumes/${pv.metadata.name}`)).json.spec.capacity,
    ).toEqual({ storage: '3Gi' })
    expect(grown.status.capacity).toEqual({ storage: '1Gi' })
    expect(grown.status.conditions.map((x: any) => x.type)).toContain('FileSystemResizePending')
    const resizeEvents = await eventsOf(c, 'data')
    expect(resizeEvents).toContain(
      'ExternalExpanding [volume_expand]: waiting for an external controller to expand this PVC',
    )
    expect(resizeEvents).toContain(
      `Resizing [external-resizer pd.csi.wheelhouse.dev]: External resizer is resizing volume ${pv.metadata.name}`,
    )
    expect(resizeEvents).toContain(
      'FileSystemResizeRequired [external-resizer pd.csi.wheelhouse.dev]: Require file system resize of volume on node',
    )
    // It cannot shrink below what it has.
    const shrink = await api(
      c,
      'PATCH',
      `${PVCS}/data`,
      { spec: { resources: { requests: { storage: '1Gi' } } } },
      'application/merge-patch+json',
    )
    expect(shrink.status).toBe(422)
    expect(shrink.json.message).toContain(
      'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    )

    // Delete reclaim: the claim goes, then the disk and its volume.
    expect((await api(c, 'DELETE', `${PVCS}/data`)).status).toBe(200)
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', `/api/v1/persistentvolumes/${pv.metadata.name}`)).status === 404,
      'volume deleted',
    )
    expect((await api(c, 'GET', `${PVCS}/data`)).status).toBe(404)
  })

  it('WaitForFirstConsumer: Pending until a node is selected, then a disk in that node’s zone', async () => {
    const c = await newCluster({ nodes: 3 })
    const nodes = await nodesReady(c)
    expect(
      (await api(c, 'POST', PVCS, claim('late', { storageClassName: 'standard-rwo' }))).status,
    ).toBe(201)
    await stepUntil(c, async () => (await eventsOf(c, 'late')).length > 0, 'an event')
    await step(c, 20)
    expect((await getClaim(c, 'late')).status.phase).toBe('Pending')
    expect((await api(c, 'GET', '/api/v1/persistentvolumes')).json.items).toEqual([])
    expect(await eventsOf(c, 'late')).toEqual([
      'WaitForFirstConsumer [persistentvolume-controller]: waiting for first consumer to be created before binding',
    ])

    // What the scheduler's VolumeBinding plugin writes once it places the first pod.
    const node = nodes.find((n: any) => n.metadata.name === 'worker-2')
    await api(
      c,
      'PATCH',
      `${PVCS}/late`,
      { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'worker-2' } } },
      'application/merge-patch+json',
    )
    const pvc = await bound(c, 'late')
    const pv = (await api(c, 'GET', `/api/v1/persistentvolumes/${pvc.spec.volumeName}`)).json
    expect(zoneOf(pv)).toBe(node.metadata.labels['topology.kubernetes.io/zone'])
  })

  it('binds a static volume to a matching claim; Retain leaves it Released', async () => {
    const c = await newCluster()
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'manual-1' },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'manual',
        hostPath: { path: '/data/manual-1' },
      },
    }
    const created = await api(c, 'POST', '/api/v1/persistentvolumes', pv)
    expect(created.status).toBe(201)
    expect(created.json.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
    })
    expect(created.json.metadata.finalizers).toEqual(['kubernetes.io/pv-protection'])
    expect(
      (
        await api(
          c,
          'POST',
          PVCS,
          claim('static', {
            storageClassName: 'manual',
            resources: { requests: { storage: '2Gi' } },
          }),
        )
      ).status,
    ).toBe(201)
    const pvc = await bound(c, 'static')
    expect(pvc.spec.volumeName).toBe('manual-1')
    expect(pvc.status.capacity).toEqual({ storage: '5Gi' })
    const v = (await api(c, 'GET', '/api/v1/persistentvolumes/manual-1')).json
    expect(v.spec.claimRef).toMatchObject({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'static',
      uid: pvc.metadata.uid,
    })
    expect(v.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' })
    expect(v.status.phase).toBe('Bound')

    await api(c, 'DELETE', `${PVCS}/static`)
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/api/v1/persistentvolumes/manual-1')).json.status?.phase ===
        'Released',
      'Released',
    )
    await step(c, 20)
    const released = await api(c, 'GET', '/api/v1/persistentvolumes/manual-1')
    expect(released.status).toBe(200)
    expect(released.json.status.phase).toBe('Released')
  })

  it('gives a pod’s ephemeral volume its own claim, gone with the pod', async () => {
    const c = await newCluster({ nodes: 3 })
    await nodesReady(c)
    const pod = {
      metadata: { name: 'scratchy' },
      spec: {
        nodeName: 'worker-1',
        containers: [{ name: 'app', image: 'nginx:1.27' }],
        volumes: [
          {
            name: 'scratch',
            ephemeral: {
              volumeClaimTemplate: {
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: '1Gi' } },
                },
              },
            },
          },
        ],
      },
    }
    const created = (await api(c, 'POST', '/api/v1/namespaces/default/pods', pod)).json
    const pvc = await bound(c, 'scratchy-scratch')
    expect(pvc.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'scratchy',
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    expect(pvc.spec.storageClassName).toBe('standard')
    await api(c, 'DELETE', '/api/v1/namespaces/default/pods/scratchy', { gracePeriodSeconds: 0 })
    await stepUntil(
      c,
      async () => (await api(c, 'GET', `${PVCS}/scratchy-scratch`)).status === 404,
      'claim collected',
    )
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', `/api/v1/persistentvolumes/${pvc.spec.volumeName}`)).status === 404,
      'disk deleted',
    )
  })

  it('keeps a claim in use by a pod Terminating until the pod is gone', async () => {
    const c = await newCluster({ nodes: 3 })
    await nodesReady(c)
    await api(c, 'POST', '/api/v1/persistentvolumes', {
      metadata: { name: 'shared' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'manual',
        hostPath: { path: '/data/shared' },
      },
    })
    await api(c, 'POST', PVCS, claim('used', { storageClassName: 'manual' }))
    await bound(c, 'used')
    const pod = {
      metadata: { name: 'user' },
      spec: {
        nodeName: 'worker-1',
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'used' } }],
      },
    }
    expect((await api(c, 'POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201)
    expect((await api(c, 'DELETE', `${PVCS}/used`)).status).toBe(200)
    await step(c, 10)
    const terminating = await getClaim(c, 'used')
    expect(terminating.metadata.deletionTimestamp).toBeDefined()
    expect(terminating.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection'])
    // The volume it holds stays Bound and protected meanwhile.
    expect((await api(c, 'GET', '/api/v1/persistentvolumes/shared')).json.status.phase).toBe(
      'Bound',
    )

    await api(c, 'DELETE', '/api/v1/namespaces/default/pods/user', { gracePeriodSeconds: 0 })
    await stepUntil(
      c,
      async () => (await api(c, 'GET', `${PVCS}/used`)).status === 404,
      'claim gone',
    )
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/api/v1/persistentvolumes/shared')).json.status?.phase === 'Released',
      'volume Released',
    )
  })
})

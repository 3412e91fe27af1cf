// Volumes from the consumer's side, inside workerd with the scheduler, the
// controllers and real kubelets: a pod whose claim is bound to a zone-b disk
// lands on the zone-b node, the attach/detach controller asks for the disk,
// the cloud attaches it and the kubelet starts the pod; a missing claim keeps
// a pod Pending; a ReadWriteOnce disk in use on one node is refused to another.
import { describe, expect, it } from 'vitest'
import { api, newCluster, type TestCluster, until } from './helpers'

/** Steps the clock a second at a time until check holds. */
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

const readyNodes = (c: TestCluster, n: number) =>
  until(async () => {
    const list = (await api(c, 'GET', '/api/v1/nodes')).json.items
    return list.filter((x: any) => x.status?.allocatable).length === n
  }, 'nodes with status')

/** A pre-provisioned disk in zone-b, pre-bound to claim `claim`. */
const diskPV = (name: string, claim: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    capacity: { storage: '1Gi' },
    accessModes: ['ReadWriteOnce'],
    persistentVolumeReclaimPolicy: 'Retain',
    storageClassName: '',
    claimRef: { namespace: 'default', name: claim },
    csi: {
      driver: 'pd.csi.wheelhouse.dev',
      volumeHandle: `projects/sim/zones/zone-b/disks/${name}`,
    },
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] },
            ],
          },
        ],
      },
    },
  },
})

const claim = (name: string, volumeName: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    storageClassName: '',
    volumeName,
  },
})

const pod = (name: string, claimName: string, extra: Record<string, any> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [
      { name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    ],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    ...extra,
  },
})

const getPod = async (c: TestCluster, name: string) =>
  (await api(c, 'GET', `/api/v1/namespaces/default/pods/${name}`)).json

const eventsOf = async (c: TestCluster, pod: string, reason: string) =>
  (
    await api(
      c,
      'GET',
      `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${pod},reason=${reason}`,
    )
  ).json.items

async function boundDisk(c: TestCluster) {
  expect((await api(c, 'POST', '/api/v1/persistentvolumes', diskPV('disk-b', 'data'))).status).toBe(
    201,
  )
  expect(
    (
      await api(
        c,
        'POST',
        '/api/v1/namespaces/default/persistentvolumeclaims',
        claim('data', 'disk-b'),
      )
    ).status,
  ).toBe(201)
  await stepUntil(
    c,
    async () =>
      (await api(c, 'GET', '/api/v1/namespaces/default/persistentvolumeclaims/data')).json.status
        ?.phase === 'Bound',
    'the claim Bound',
  )
}

describe('volumes: scheduling, attaching and mounting', () => {
  it('runs a pod on the node in its disk’s zone once the disk is attached there', async () => {
    const c = await newCluster({ nodes: 3 })
    await readyNodes(c, 3)
    await boundDisk(c)
    expect(
      (await api(c, 'POST', '/api/v1/namespaces/default/pods', pod('db', 'data'))).status,
    ).toBe(201)
    const node = await stepUntil(c, async () => (await getPod(c, 'db')).spec.nodeName, 'binding')
    expect(node).toBe('worker-2')

    const va = await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/storage.k8s.io/v1/volumeattachments')).json.items.find(
          (x: any) => x.status?.attached,
        ),
      'an attached VolumeAttachment',
    )
    expect(va.metadata.name).toMatch(/^csi-[0-9a-f]{64}$/)
    expect(va.spec).toEqual({
      attacher: 'pd.csi.wheelhouse.dev',
      nodeName: 'worker-2',
      source: { persistentVolumeName: 'disk-b' },
    })
    const unique = 'kubernetes.io/csi/pd.csi.wheelhouse.dev^projects/sim/zones/zone-b/disks/disk-b'
    const running = await stepUntil(
      c,
      async () => {
        const p = await getPod(c, 'db')
        return p.status.phase === 'Running' && p
      },
      'the pod Running',
    )
    expect(running.spec.nodeName).toBe('worker-2')
    const n = (await api(c, 'GET', '/api/v1/nodes/worker-2')).json
    expect(n.status.volumesAttached).toEqual([{ name: unique, devicePath: '' }])
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/api/v1/nodes/worker-2')).json.status.volumesInUse?.[0] === unique,
      'volumesInUse reported',
    )
    expect((await eventsOf(c, 'db', 'SuccessfulAttachVolume')).map((e: any) => e.message)).toEqual([
      'AttachVolume.Attach succeeded for volume "disk-b" ',
    ])

    // The table kubectl prints.
    const table = await c.stub.fetch(
      new Request(`http://x/clusters/${c.name}/apis/storage.k8s.io/v1/volumeattachments`, {
        headers: {
          authorization: `Bearer ${c.token}`,
          accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
        },
      }),
    )
    const t = (await table.json()) as any
    expect(t.columnDefinitions.map((d: any) => d.name)).toEqual([
      'Name',
      'Attacher',
      'PV',
      'Node',
      'Attached',
      'Age',
    ])
    expect(t.rows[0].cells.slice(0, 5)).toEqual([
      va.metadata.name,
      'pd.csi.wheelhouse.dev',
      'disk-b',
      'worker-2',
      true,
    ])

    // Deleted, the pod stops; once the kubelet no longer uses the disk it is detached.
    await api(c, 'DELETE', '/api/v1/namespaces/default/pods/db')
    await stepUntil(
      c,
      async () =>
        (await api(c, 'GET', '/apis/storage.k8s.io/v1/volumeattachments')).json.items.length === 0,
      'the VolumeAttachment gone',
      120,
    )
    const after = (await api(c, 'GET', '/api/v1/nodes/worker-2')).json.status
    expect(after.volumesAttached).toBeUndefined()
    expect(after.volumesInUse).toBeUndefined()
  })

  it('provisions a WaitForFirstConsumer claim in the chosen node’s zone, then binds and runs the pod there', async () => {
    const c = await newCluster({ nodes: 3 })
    await readyNodes(c, 3)
    const wffc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'cache' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '2Gi' } },
        storageClassName: 'standard-rwo',
      },
    }
    expect(
      (await api(c, 'POST', '/api/v1/namespaces/default/persistentvolumeclaims', wffc)).status,
    ).toBe(201)
    await api(c, 'POST', '/api/v1/namespaces/default/pods', pod('web', 'cache'))
    const running = await stepUntil(
      c,
      async () => {
        const p = await getPod(c, 'web')
        return p.status.phase === 'Running' && p
      },
      'the pod Running',
    )
    const pvc = (await api(c, 'GET', '/api/v1/namespaces/default/persistentvolumeclaims/cache'))
      .json
    expect(pvc.metadata.annotations['volume.kubernetes.io/selected-node']).toBe(
      running.spec.nodeName,
    )
    const pv = (await api(c, 'GET', `/api/v1/persistentvolumes/${pvc.spec.volumeName}`)).json
    const node = (await api(c, 'GET', `/api/v1/nodes/${running.spec.nodeName}`)).json
    const zone = pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]
    expect(node.metadata.labels['topology.kubernetes.io/zone']).toBe(zone)
  })

  it('keeps a pod whose claim does not exist Pending, with the scheduler’s reason', async () => {
    const c = await newCluster({ nodes: 3 })
    await readyNodes(c, 3)
    await api(c, 'POST', '/api/v1/namespaces/default/pods', pod('orphan', 'missing'))
    const cond = await until(
      async () =>
        (await getPod(c, 'orphan')).status.conditions?.find((x: any) => x.type === 'PodScheduled'),
      'PodScheduled condition',
    )
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' })
    expect(cond.message).toBe(
      '0/3 nodes are available: persistentvolumeclaim "missing" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    )
    expect((await getPod(c, 'orphan')).status.phase).toBe('Pending')
  })

  it('refuses a ReadWriteOnce disk attached to one node to a pod on another: Multi-Attach error', async () => {
    const c = await newCluster({ nodes: 3 })
    await readyNodes(c, 3)
    await boundDisk(c)
    await api(c, 'POST', '/api/v1/namespaces/default/pods', pod('first', 'data'))
    await stepUntil(
      c,
      async () => (await getPod(c, 'first')).status.phase === 'Running',
      'first Running',
    )
    // A second pod forced onto worker-1 (zone-a) by name, as a user's nodeName skips the scheduler.
    await api(
      c,
      'POST',
      '/api/v1/namespaces/default/pods',
      pod('second', 'data', { nodeName: 'worker-1' }),
    )
    const ev = await stepUntil(
      c,
      async () => (await eventsOf(c, 'second', 'FailedAttachVolume'))[0],
      'FailedAttachVolume',
    )
    expect(ev).toMatchObject({
      type: 'Warning',
      message: 'Multi-Attach error for volume "disk-b" Volume is already used by pod(s) first',
      source: { component: 'attachdetach-controller' },
    })
    // Only the first node has the disk; the second pod keeps waiting for it, silently.
    const vas = (await api(c, 'GET', '/apis/storage.k8s.io/v1/volumeattachments')).json.items
    expect(vas.map((x: any) => x.spec.nodeName)).toEqual(['worker-2'])
    for (let i = 0; i < 5; i++) await c.stub.setClock({ stepMs: 1_000 })
    const second = await getPod(c, 'second')
    expect(second.status.phase).toBe('Pending')
    expect(second.status.containerStatuses?.[0]?.state).toEqual({
      waiting: { reason: 'ContainerCreating' },
    })
    expect(await eventsOf(c, 'second', 'FailedAttachVolume')).toHaveLength(1)
  })
})

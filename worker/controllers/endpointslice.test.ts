import { describe, expect, it } from 'vitest'
import {
  desiredEndpointGroups,
  endpointSliceController,
  planSlices,
  podToEndpoint,
} from './endpointslice'
import {
  type ControllerContext,
  type KindRef,
  type Obj,
  ENDPOINTSLICES,
  NODES,
  PODS,
  SERVICES,
} from './framework/types'
import { selectorMatches } from './label-selector'

const T0 = Date.parse('2025-01-01T00:00:00Z')

// A recording context, as upstream's fake clientset: objects in a Map, writes listed.
function fakeContext(objs: [KindRef, Obj][]) {
  const store = new Map<string, Obj>()
  const id = (k: KindRef, ns: string | undefined, n: string) => `${k}|${ns ?? ''}|${n}`
  for (const [k, o] of objs)
    store.set(id(k, o.metadata.namespace, o.metadata.name), structuredClone(o))
  const writes: string[] = []
  let n = 0
  const put = (verb: string, k: KindRef, o: Obj) => {
    const name = o.metadata.name ?? `${o.metadata.generateName}${'abcde'[n++]!.repeat(5)}`
    writes.push(
      `${verb} ${name} ${(o.endpoints ?? []).map((e: Obj) => e.targetRef?.name).join(',')}`,
    )
    const saved = { ...structuredClone(o), metadata: { ...o.metadata, name, uid: `uid-${name}` } }
    store.set(id(k, o.metadata.namespace, name), saved)
    return saved
  }
  const ctx: ControllerContext = {
    now: T0,
    get: (k, ns, n) => store.get(id(k, ns, n)),
    list: (k, opts) =>
      [...store.entries()]
        .filter(([key]) => key.startsWith(`${k}|`))
        .map(([, o]) => o)
        .filter((o) => !opts?.namespace || o.metadata.namespace === opts.namespace)
        .filter(
          (o) =>
            !opts?.labelSelector || selectorMatches(opts.labelSelector as never, o.metadata.labels),
        ),
    create: (k, o) => put('create', k, o),
    update: (k, o) => put('update', k, o),
    updateStatus: (k, o) => put('updateStatus', k, o),
    delete: (k, ns, n) => {
      writes.push(`delete ${n}`)
      store.delete(id(k, ns, n))
    },
    event: () => {},
    requeueAfter: () => {},
  }
  return { ctx, writes, slices: () => ctx.list(ENDPOINTSLICES) }
}

const svc = (spec: Obj['spec'] = {}): Obj => ({
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'svc-uid',
    creationTimestamp: '2025-01-01T00:00:00Z',
  },
  spec: {
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    ...spec,
  },
})
const pod = (
  name: string,
  ip: string | undefined,
  opts: { ready?: boolean; port?: boolean; terminating?: boolean } = {},
): Obj => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    labels: { app: 'web' },
    ...(opts.terminating ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
  spec: {
    nodeName: 'n1',
    containers: [
      {
        name: 'c',
        ports: opts.port === false ? [] : [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      },
    ],
  },
  status: {
    phase: 'Running',
    podIP: ip,
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
  },
})

describe('podToEndpoint', () => {
  const cases = [
    {
      name: 'ready',
      pod: pod('a', '10.0.0.1'),
      svc: svc(),
      want: { ready: true, serving: true, terminating: false },
    },
    {
      name: 'not ready',
      pod: pod('a', '10.0.0.1', { ready: false }),
      svc: svc(),
      want: { ready: false, serving: false, terminating: false },
    },
    {
      name: 'terminating',
      pod: pod('a', '10.0.0.1', { terminating: true }),
      svc: svc(),
      want: { ready: false, serving: true, terminating: true },
    },
    {
      name: 'terminating, publishNotReadyAddresses',
      pod: pod('a', '10.0.0.1', { terminating: true }),
      svc: svc({ publishNotReadyAddresses: true }),
      want: { ready: true, serving: true, terminating: true },
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(podToEndpoint(c.pod, c.svc, undefined).conditions).toEqual(c.want))
  it('the whole endpoint', () =>
    expect(podToEndpoint(pod('a', '10.0.0.1'), svc(), 'us-east-1a')).toEqual({
      addresses: ['10.0.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
      nodeName: 'n1',
      zone: 'us-east-1a',
    }))
})

describe('desiredEndpointGroups', () => {
  it('groups by resolved ports, skipping pods without IP or the port', () => {
    const s = svc({
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'm', port: 9100 },
      ],
    })
    const g = desiredEndpointGroups(
      s,
      [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { port: false }), pod('c', undefined)],
      () => undefined,
    )
    expect([...g.entries()].map(([k, v]) => [k, v.endpoints.map((e) => e.targetRef.name)])).toEqual(
      [
        ['http/8080/TCP,m/9100/TCP', ['a']],
        ['m/9100/TCP', ['b']],
      ],
    )
  })
})

describe('planSlices', () => {
  const ports = [{ name: 'http', port: 8080, protocol: 'TCP' }]
  const ep = (n: string) => ({
    addresses: [`10.0.0.${n.charCodeAt(0)}`],
    targetRef: { uid: n, name: n },
  })
  const slice = (name: string, eps: string[], p = ports): Obj => ({
    metadata: {
      name,
      labels: {
        'kubernetes.io/service-name': 'web',
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
    },
    endpoints: eps.map(ep),
    ports: p,
  })
  const groups = (eps: string[]) =>
    new Map(eps.length ? [['http/8080/TCP', { ports, endpoints: eps.map(ep) }]] : [])
  const summary = (p: ReturnType<typeof planSlices>) => ({
    create: p.create.map((s) => s.endpoints.map((e: Obj) => e.targetRef.uid).join('')),
    update: p.update.map(
      (s) => `${s.metadata.name}:${s.endpoints.map((e: Obj) => e.targetRef.uid).join('')}`,
    ),
    delete: p.delete.map((s) => s.metadata.name),
  })
  const cases = [
    {
      name: 'none yet: chunks of 2',
      existing: [],
      want: ['a', 'b', 'c'],
      out: { create: ['ab', 'c'], update: [], delete: [] },
    },
    {
      name: 'unchanged: nothing',
      existing: [slice('s1', ['a', 'b'])],
      want: ['a', 'b'],
      out: { create: [], update: [], delete: [] },
    },
    {
      name: 'a new one fills the slice with room',
      existing: [slice('s1', ['a', 'b']), slice('s2', ['c'])],
      want: ['a', 'b', 'c', 'd'],
      out: { create: [], update: ['s2:cd'], delete: [] },
    },
    {
      name: 'endpoints stay where they are',
      existing: [slice('s1', ['a', 'b']), slice('s2', ['c', 'd'])],
      want: ['b', 'd', 'e'],
      out: { create: [], update: ['s1:be', 's2:d'], delete: [] },
    },
    {
      name: 'emptied slices go',
      existing: [slice('s1', ['a']), slice('s2', ['c'])],
      want: ['c'],
      out: { create: [], update: [], delete: ['s1'] },
    },
    {
      name: 'no endpoints: one placeholder stays',
      existing: [slice('s1', ['a']), slice('s2', ['c'])],
      want: [],
      out: { create: [], update: ['s1:'], delete: ['s2'] },
    },
    {
      name: 'no endpoints, no slice: a placeholder',
      existing: [],
      want: [],
      out: { create: [''], update: [], delete: [] },
    },
    {
      name: 'other ports: replaced',
      existing: [slice('s1', ['a'], [{ name: 'http', port: 9090, protocol: 'TCP' }])],
      want: ['a'],
      out: { create: ['a'], update: [], delete: ['s1'] },
    },
  ]
  for (const c of cases)
    it(c.name, () =>
      expect(summary(planSlices(svc(), c.existing, groups(c.want), 2))).toEqual(c.out),
    )
})

describe('sync', () => {
  it('creates a slice named from the Service, with zone, labels and owner; then idles', () => {
    const node: Obj = { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } }
    const f = fakeContext([
      [SERVICES, svc()],
      [PODS, pod('a', '10.0.0.1')],
      [PODS, pod('b', '10.0.0.2', { ready: false })],
      [NODES, node],
    ])
    endpointSliceController.sync('default/web', f.ctx)
    expect(f.writes).toEqual(['create web-aaaaa a,b'])
    const [s] = f.slices()
    expect(s!.metadata.labels).toEqual({
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
    expect(s!.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: 'svc-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    expect(s!.addressType).toBe('IPv4')
    expect(s!.endpoints[0].zone).toBe('z1')
    expect(s!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }])
    endpointSliceController.sync('default/*', f.ctx)
    expect(f.writes).toHaveLength(1)
  })
  it('a selectorless Service is left alone', () => {
    const f = fakeContext([[SERVICES, svc({ selector: undefined })]])
    endpointSliceController.sync('default/web', f.ctx)
    expect(f.writes).toEqual([])
  })
})

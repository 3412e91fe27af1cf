import { describe, expect, it } from 'vitest'
import {
  computeEndpointSubsets,
  endpointsController,
  findPort,
  shouldPodBeInEndpoints,
  truncateSubsets,
} from './endpoints'
import {
  type ControllerContext,
  type KindRef,
  type Obj,
  ENDPOINTS,
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
  const put = (verb: string, k: KindRef, o: Obj) => {
    writes.push(`${verb} ${k} ${o.metadata.name}`)
    const saved = {
      ...structuredClone(o),
      metadata: { ...o.metadata, resourceVersion: String(writes.length) },
    }
    store.set(id(k, o.metadata.namespace, o.metadata.name), saved)
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
      writes.push(`delete ${k} ${n}`)
      store.delete(id(k, ns, n))
    },
    event: () => {},
    requeueAfter: () => {},
  }
  return { ctx, writes, get: (k: KindRef, n: string) => store.get(id(k, 'default', n)) }
}

const svc = (spec: Obj['spec'] = {}): Obj => ({
  metadata: {
    name: 'web',
    namespace: 'default',
    creationTimestamp: '2025-01-01T00:00:00Z',
    labels: { tier: 'fe' },
  },
  spec: {
    selector: { app: 'web' },
    clusterIP: '10.96.0.10',
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    ...spec,
  },
})
const pod = (
  name: string,
  ip: string | undefined,
  opts: { ready?: boolean; port?: boolean; extra?: Obj } = {},
): Obj => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    labels: { app: 'web' },
    ...opts.extra?.metadata,
  },
  spec: {
    nodeName: 'n1',
    containers: [
      {
        name: 'c',
        ports: opts.port === false ? [] : [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      },
    ],
    ...opts.extra?.spec,
  },
  status: {
    phase: 'Running',
    podIP: ip,
    conditions: [
      {
        type: 'Ready',
        status: opts.ready === false ? 'False' : 'True',
        lastTransitionTime: '2025-01-01T00:01:00Z',
      },
    ],
  },
})
const addr = (name: string, ip: string) => ({
  ip,
  nodeName: 'n1',
  targetRef: { kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` },
})

describe('findPort', () => {
  const p = pod('a', '10.0.0.1')
  const cases = [
    { name: 'number', port: { port: 80, targetPort: 9090 }, want: 9090 },
    { name: 'defaults to port', port: { port: 80 }, want: 80 },
    { name: 'named', port: { port: 80, targetPort: 'http' }, want: 8080 },
    {
      name: 'named, other protocol',
      port: { port: 80, targetPort: 'http', protocol: 'UDP' },
      want: undefined,
    },
    { name: 'named, missing', port: { port: 80, targetPort: 'grpc' }, want: undefined },
  ]
  for (const c of cases) it(c.name, () => expect(findPort(p, c.port)).toBe(c.want))
})

describe('shouldPodBeInEndpoints', () => {
  const cases = [
    { name: 'running with IP', pod: pod('a', '10.0.0.1'), incl: false, want: true },
    { name: 'no IP', pod: pod('a', undefined), incl: false, want: false },
    {
      name: 'terminating',
      pod: pod('a', '10.0.0.1', { extra: { metadata: { deletionTimestamp: 'x' } } }),
      incl: false,
      want: false,
    },
    {
      name: 'terminating, included',
      pod: pod('a', '10.0.0.1', { extra: { metadata: { deletionTimestamp: 'x' } } }),
      incl: true,
      want: true,
    },
    {
      name: 'succeeded with restartPolicy Never',
      pod: {
        ...pod('a', '10.0.0.1', { extra: { metadata: {}, spec: { restartPolicy: 'Never' } } }),
        status: { podIP: '10.0.0.1', phase: 'Succeeded' },
      },
      incl: false,
      want: false,
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(shouldPodBeInEndpoints(c.pod, c.incl)).toBe(c.want))
})

describe('computeEndpointSubsets', () => {
  const cases = [
    {
      name: 'ready and not ready, sorted by IP',
      svc: svc(),
      pods: [pod('b', '10.0.0.10'), pod('a', '10.0.0.9'), pod('c', '10.0.0.2', { ready: false })],
      want: [
        {
          addresses: [addr('a', '10.0.0.9'), addr('b', '10.0.0.10')],
          notReadyAddresses: [addr('c', '10.0.0.2')],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    },
    {
      name: 'a pod lacking the named port is left out; no IP skipped; other labels skipped',
      svc: svc(),
      pods: [
        pod('a', '10.0.0.1'),
        pod('b', '10.0.0.2', { port: false }),
        pod('c', undefined),
        pod('d', '10.0.0.4', { extra: { metadata: { labels: { app: 'db' } } } }),
      ],
      want: [
        {
          addresses: [addr('a', '10.0.0.1')],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    },
    {
      name: 'two ports, one named: the pod lacking it gets a subset of its own',
      svc: svc({
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9100, targetPort: 9100 },
        ],
      }),
      pods: [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { port: false })],
      want: [
        {
          addresses: [addr('a', '10.0.0.1')],
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9100, protocol: 'TCP' },
          ],
        },
        {
          addresses: [addr('b', '10.0.0.2')],
          ports: [{ name: 'metrics', port: 9100, protocol: 'TCP' }],
        },
      ],
    },
    {
      name: 'publishNotReadyAddresses lists everyone ready; hostname for its subdomain',
      svc: svc({ publishNotReadyAddresses: true }),
      pods: [
        pod('a', '10.0.0.1', {
          ready: false,
          extra: { metadata: {}, spec: { hostname: 'a', subdomain: 'web' } },
        }),
      ],
      want: [
        {
          addresses: [{ ...addr('a', '10.0.0.1'), hostname: 'a' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    },
    {
      name: 'no ports, not headless: nothing',
      svc: svc({ ports: [] }),
      pods: [pod('a', '10.0.0.1')],
      want: [],
    },
    {
      name: 'no ports, headless: bare addresses',
      svc: svc({ ports: [], clusterIP: 'None' }),
      pods: [pod('a', '10.0.0.1')],
      want: [{ addresses: [addr('a', '10.0.0.1')] }],
    },
  ]
  for (const c of cases)
    it(c.name, () => expect(computeEndpointSubsets(c.svc, c.pods)).toEqual(c.want))
})

describe('truncateSubsets', () => {
  it('cuts at 1000 addresses', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({ ip: `10.0.${i >> 8}.${i & 255}` }))
    const got = truncateSubsets([
      { addresses: many.slice(0, 900), notReadyAddresses: many.slice(900) },
    ])
    expect(got.truncated).toBe(true)
    expect(got.subsets[0]!.addresses).toHaveLength(900)
    expect(got.subsets[0]!.notReadyAddresses).toHaveLength(100)
  })
})

describe('sync', () => {
  it('creates the Endpoints, then writes only on change', () => {
    const f = fakeContext([
      [SERVICES, svc()],
      [PODS, pod('a', '10.0.0.1')],
    ])
    endpointsController.sync('default/web', f.ctx)
    expect(f.writes).toEqual([`create ${ENDPOINTS} web`])
    const ep = f.get(ENDPOINTS, 'web')!
    expect(ep.metadata.labels).toEqual({ tier: 'fe' })
    expect(ep.metadata.annotations).toEqual({
      'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:01:00Z',
    })
    endpointsController.sync('default/*', f.ctx)
    expect(f.writes).toHaveLength(1)
  })
  it('a selectorless Service is left alone; a deleted one loses its Endpoints', () => {
    const manual: Obj = {
      metadata: { name: 'ext', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '1.2.3.4' }] }],
    }
    const f = fakeContext([
      [
        SERVICES,
        {
          ...svc(),
          metadata: { name: 'ext', namespace: 'default' },
          spec: { ports: [{ port: 80 }] },
        },
      ],
      [ENDPOINTS, manual],
      [ENDPOINTS, { metadata: { name: 'gone', namespace: 'default' } }],
    ])
    endpointsController.sync('default/ext', f.ctx)
    endpointsController.sync('default/gone', f.ctx)
    expect(f.writes).toEqual([`delete ${ENDPOINTS} gone`])
  })
  it('a pod write names its namespace', () =>
    expect(endpointsController.watches[PODS]!(pod('a', '10.0.0.1'), undefined, false)).toEqual([
      'default/*',
    ]))
})

// The cluster DNS against the Kubernetes DNS specification's records, and a
// pod resolver's search-list walk.
import { describe, expect, it } from 'vitest'
import { type DnsView, nslookupOutput, query, resolve, searchList } from './dns'

type Obj = Record<string, any>
const svc = (namespace: string, name: string, spec: Obj): Obj => ({ metadata: { namespace, name }, spec })
const SERVICES = [
  svc('default', 'kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }),
  svc('default', 'web', { clusterIP: '10.96.100.5', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  svc('shop', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
  svc('shop', 'ext', { type: 'ExternalName', externalName: 'db.example.com' }),
]
const SLICES: Record<string, Obj[]> = {
  'shop/db': [
    {
      addressType: 'IPv4',
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.2.9'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.244.1.4'], hostname: 'db-1', conditions: { ready: true } },
        { addresses: ['10.244.3.3'], hostname: 'db-2', conditions: { ready: false } },
      ],
    },
  ],
}
const view: DnsView = {
  service: (ns, name) => SERVICES.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
  endpointSlices: (ns, name) => SLICES[`${ns}/${name}`] ?? [],
  namespaceExists: (ns) => ['default', 'shop', 'kube-system'].includes(ns),
  serviceByIP: (ip) => SERVICES.find((s) => s.spec.clusterIP === ip),
}
const data = (a: { answers: { data: string }[] }) => a.answers.map((r) => r.data)

describe('query', () => {
  it.each([
    ['web.default.svc.cluster.local', 'A', 'NOERROR', ['10.96.100.5']],
    ['kubernetes.default.svc.cluster.local.', 'A', 'NOERROR', ['10.96.0.1']],
    ['web.shop.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['db.shop.svc.cluster.local', 'A', 'NOERROR', ['10.244.1.4', '10.244.2.9']],
    ['db-0.db.shop.svc.cluster.local', 'A', 'NOERROR', ['10.244.2.9']],
    ['db-2.db.shop.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['ext.shop.svc.cluster.local', 'A', 'NOERROR', ['db.example.com']],
    ['_http._tcp.web.default.svc.cluster.local', 'SRV', 'NOERROR', ['0 100 80 web.default.svc.cluster.local']],
    ['_pg._tcp.db.shop.svc.cluster.local', 'SRV', 'NOERROR', ['0 50 5432 db-1.db.shop.svc.cluster.local', '0 50 5432 db-0.db.shop.svc.cluster.local']],
    ['_http._udp.web.default.svc.cluster.local', 'SRV', 'NXDOMAIN', []],
    ['10-244-1-4.shop.pod.cluster.local', 'A', 'NOERROR', ['10.244.1.4']],
    ['10-244-1-4.nope.pod.cluster.local', 'A', 'NXDOMAIN', []],
    ['5.100.96.10.in-addr.arpa', 'PTR', 'NOERROR', ['web.default.svc.cluster.local']],
    ['example.com', 'A', 'NXDOMAIN', []],
  ] as const)('%s %s → %s %j', (name, type, rcode, answers) => {
    const a = query(view, name, type)
    expect(a.rcode).toBe(rcode)
    expect(data(a)).toEqual(answers)
  })

  it('answers the CNAME of an ExternalName service whatever the type asked', () => {
    expect(query(view, 'ext.shop.svc.cluster.local', 'A').answers[0]).toEqual({ name: 'ext.shop.svc.cluster.local', type: 'CNAME', ttl: 30, data: 'db.example.com' })
  })
})

describe('resolve (ndots:5 search list)', () => {
  it('tries the search domains first for short names', () => {
    expect(resolve(view, 'web', 'A', searchList('default'))).toMatchObject({ rcode: 'NOERROR', name: 'web.default.svc.cluster.local' })
    expect(resolve(view, 'kubernetes.default', 'A', searchList('shop'))).toMatchObject({ name: 'kubernetes.default.svc.cluster.local' })
    expect(resolve(view, 'web', 'A', searchList('shop'))).toMatchObject({ rcode: 'NXDOMAIN', name: 'web' })
  })
  it('takes a name with a trailing dot as absolute', () => {
    expect(resolve(view, 'web.', 'A', searchList('default')).rcode).toBe('NXDOMAIN')
  })
})

describe('nslookupOutput', () => {
  it('prints as nslookup does', () => {
    const a = resolve(view, 'web', 'A', searchList('default'))
    expect(nslookupOutput('web', a)).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.100.5\n\n')
    expect(nslookupOutput('nope', resolve(view, 'nope', 'A', searchList('default')))).toBe(
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope: NXDOMAIN\n",
    )
  })
})

import { describe, expect, it } from 'vitest'
import { defaultService } from '../../resources/service-defaults'
import { ApiError } from '../errors'
import type { Obj } from '../objects'
import { type AllocDeps, allocateCreate, NodePortOperation } from './allocate'
import { NodePortRange, randomScan, ServiceIPRange } from './ranges'

/** A deps whose stored Services hold `ips` and `ports`; rand returns 0 unless told. */
function deps(ips: string[] = [], ports: number[] = [], opts: Partial<AllocDeps> = {}): AllocDeps {
  return {
    inUse: { ip: (ip) => ips.includes(ip), port: (p) => ports.includes(p) },
    dryRun: false,
    rand: () => 0,
    ips: new ServiceIPRange(),
    ports: new NodePortRange(),
    ...opts,
  }
}

function svc(spec: Record<string, any>, name = "x"): Obj {
  const o: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec }
  defaultService(o)
  if (o.spec.clusterIP && !o.spec.clusterIPs) o.spec.clusterIPs = [o.spec.clusterIP]
  return o
}

function failure(fn: () => void): { code: number; message: string; causes: unknown } {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApiError) return { code: err.status.code, message: err.status.message, causes: err.status.details?.causes }
    throw err
  }
  throw new Error('expected an ApiError')
}

const port80 = () => [{ port: 80, protocol: 'TCP', targetPort: 80 }]

describe('ranges', () => {
  it('10.96.0.0/12 has 2^20 - 2 usable addresses from 10.96.0.1, the first 256 kept for static requests', () => {
    const r = new ServiceIPRange()
    expect([r.max, r.offset, r.ipAt(0), r.ipAt(r.max - 1)]).toEqual([1048574, 256, '10.96.0.1', '10.111.255.254'])
    expect([r.offsetOf('10.96.0.0'), r.offsetOf('10.111.255.255'), r.offsetOf('10.112.0.1'), r.offsetOf('10.96.0.10')]).toEqual([undefined, undefined, undefined, 9])
  })

  it('30000-32767 keeps 86 ports (2768/32) for static requests', () => {
    const r = new NodePortRange()
    expect([r.text, r.offset, r.contains(29999), r.contains(30000), r.contains(32767), r.contains(32768)]).toEqual(['30000-32767', 86, false, true, true, false])
  })

  it.each([
    { name: 'upper band first, at the random start', max: 10, offset: 4, taken: [], start: 2, want: 6 },
    { name: 'scans forward past taken slots, wrapping in the band', max: 10, offset: 4, taken: [8, 9], start: 4, want: 4 },
    { name: 'falls back to the lower band when the upper is full', max: 10, offset: 4, taken: [4, 5, 6, 7, 8, 9], start: 1, want: 1 },
    { name: 'nothing when everything is taken', max: 4, offset: 2, taken: [0, 1, 2, 3], start: 0, want: undefined },
    { name: 'no lower band for small ranges', max: 5, offset: 0, taken: [0], start: 0, want: 1 },
  ])('randomScan: $name', ({ max, offset, taken, start, want }) => {
    expect(randomScan(max, offset, (i) => (taken as number[]).includes(i), () => start)).toBe(want)
  })
})

describe('allocateCreate: cluster IPs', () => {
  it('gives a dynamic IP from the upper band (never below 10.96.1.1)', () => {
    const o = svc({ ports: port80() })
    allocateCreate(o, deps([], [], { rand: () => 0 }))
    expect(o.spec).toMatchObject({ clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })
  })

  it('skips addresses stored Services hold', () => {
    const o = svc({ ports: port80() })
    allocateCreate(o, deps(['10.96.1.1', '10.96.1.2']))
    expect(o.spec.clusterIP).toBe('10.96.1.3')
  })

  it('honours a requested IP anywhere in the range, the low band included', () => {
    const o = svc({ clusterIP: '10.96.0.10', ports: port80() })
    allocateCreate(o, deps(['10.96.0.1']))
    expect(o.spec).toMatchObject({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] })
  })

  it.each([
    { name: 'taken', ip: '10.96.0.10', held: ['10.96.0.10'], why: 'provided IP is already allocated' },
    { name: 'outside the range', ip: '10.200.0.1', held: [], why: 'the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12' },
    { name: 'the network address', ip: '10.96.0.0', held: [], why: 'the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12' },
    { name: 'the broadcast address', ip: '10.111.255.255', held: [], why: 'the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12' },
  ])('refuses a requested IP $name with upstream wording', ({ ip, held, why }) => {
    const f = failure(() => allocateCreate(svc({ clusterIP: ip, ports: port80() }), deps(held)))
    const message = `Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: ${why}`
    expect(f).toEqual({ code: 422, message: `Service "x" is invalid: spec.clusterIPs: ${message}`, causes: [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', message }] })
  })

  it('answers 500 when the range is full', () => {
    const full: AllocDeps = { ...deps(), inUse: { ip: () => true, port: () => false } }
    expect(failure(() => allocateCreate(svc({ ports: port80() }), full))).toMatchObject({ code: 500, message: 'Internal error occurred: failed to allocate a serviceIP: range is full' })
  })

  it('headless (None) and ExternalName services get no IP', () => {
    const headless = svc({ clusterIP: 'None', selector: { app: 'a' } })
    allocateCreate(headless, deps())
    expect(headless.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })
    const ext = svc({ type: 'ExternalName', externalName: 'example.com' })
    allocateCreate(ext, deps())
    expect(ext.spec.clusterIP).toBeUndefined()
    expect(ext.spec.ipFamilies).toBeUndefined()
  })

  it('headless without a selector is RequireDualStack with both families, as upstream defaults it', () => {
    const o = svc({ clusterIP: 'None' })
    allocateCreate(o, deps())
    expect(o.spec).toMatchObject({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] })
  })

  it.each([
    { name: 'an IPv6 cluster IP', spec: { clusterIP: 'fd00::1' }, msg: 'spec.clusterIPs[0]: Invalid value: []string{"fd00::1"}: IPv6 is not configured on this cluster' },
    { name: 'the IPv6 family', spec: { ipFamilies: ['IPv6'] }, msg: 'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster' },
    { name: 'RequireDualStack', spec: { ipFamilyPolicy: 'RequireDualStack' }, msg: 'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services' },
    { name: 'a malformed cluster IP', spec: { clusterIP: '10.96.0.300' }, msg: 'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' },
    { name: 'clusterIPs not matching clusterIP', spec: { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.6'] }, msg: 'spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: first value must match `clusterIP`' },
  ])('refuses $name on a single-stack IPv4 cluster', ({ spec, msg }) => {
    expect(failure(() => allocateCreate(svc({ ...spec, ports: port80() }), deps())).message).toBe(`Service "x" is invalid: ${msg}`)
  })

  it('PreferDualStack stays single-family here', () => {
    const o = svc({ ipFamilyPolicy: 'PreferDualStack', ports: port80() })
    allocateCreate(o, deps())
    expect(o.spec).toMatchObject({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] })
  })

  it('dry run: a requested IP is only checked for range, a dynamic one is the network address', () => {
    const taken = svc({ clusterIP: '10.96.0.10', ports: port80() })
    allocateCreate(taken, deps(['10.96.0.10'], [], { dryRun: true }))
    expect(taken.spec.clusterIP).toBe('10.96.0.10')
    const dynamic = svc({ ports: port80() })
    allocateCreate(dynamic, deps([], [], { dryRun: true }))
    expect(dynamic.spec.clusterIP).toBe('10.96.0.0')
  })
})

describe('allocateCreate: node ports', () => {
  it('allocates from the upper band for NodePort, leaving ClusterIP services alone', () => {
    const np = svc({ type: 'NodePort', ports: port80() })
    allocateCreate(np, deps([], [], { rand: () => 0 }))
    expect(np.spec.ports[0].nodePort).toBe(30086)
    const cip = svc({ ports: port80() })
    allocateCreate(cip, deps())
    expect(cip.spec.ports[0].nodePort).toBeUndefined()
  })

  it('honours a requested port and refuses a taken or out-of-range one', () => {
    const ok = svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })
    allocateCreate(ok, deps())
    expect(ok.spec.ports[0].nodePort).toBe(30080)
    expect(failure(() => allocateCreate(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), deps([], [30080]))).message).toBe(
      'Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    )
    expect(failure(() => allocateCreate(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), deps())).message).toBe(
      'Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    )
  })

  it('ports sharing a number (53/UDP, 53/TCP) share one node port', () => {
    const o = svc({ type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'm', port: 9153 }] })
    allocateCreate(o, deps([], [], { rand: () => 0 }))
    expect(o.spec.ports.map((p: Obj) => p.nodePort)).toEqual([30086, 30086, 30087])
  })

  it('two ports asking for the same node port on different numbers: the second is refused', () => {
    const o = svc({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }] })
    expect(failure(() => allocateCreate(o, deps())).message).toBe('Service "x" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated')
  })

  it('LoadBalancer: node ports unless allocateLoadBalancerNodePorts is false (requests still honoured)', () => {
    const lb = svc({ type: 'LoadBalancer', ports: port80() })
    allocateCreate(lb, deps())
    expect(lb.spec.ports[0].nodePort).toBe(30086)
    const none = svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81, nodePort: 30081 }] })
    allocateCreate(none, deps())
    expect(none.spec.ports.map((p: Obj) => p.nodePort)).toEqual([undefined, 30081])
  })

  it('LoadBalancer with externalTrafficPolicy Local gets a health-check node port too', () => {
    const o = svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: port80() })
    allocateCreate(o, deps())
    expect([o.spec.ports[0].nodePort, o.spec.healthCheckNodePort]).toEqual([30086, 30087])
    expect(failure(() => allocateCreate(svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30100, ports: port80() }), deps([], [30100]))))
      .toMatchObject({ code: 500, message: 'Internal error occurred: failed to allocate requested HealthCheck NodePort 30100: provided port is already allocated' })
  })

  it('dry run: placeholders past the range (32769, 32770), taken requests still refused', () => {
    const o = svc({ type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] })
    allocateCreate(o, deps([], [], { dryRun: true }))
    expect(o.spec.ports.map((p: Obj) => p.nodePort)).toEqual([32769, 32770])
    const op = new NodePortOperation(deps([], [30080], { dryRun: true }))
    expect([op.allocate(30080), op.allocate(80)]).toEqual(['provided port is already allocated', undefined])
  })

  it('answers 500 when the node-port range is full', () => {
    const full: AllocDeps = { ...deps(), inUse: { ip: () => false, port: () => true } }
    expect(failure(() => allocateCreate(svc({ type: 'NodePort', ports: port80() }), full))).toMatchObject({ code: 500, message: 'Internal error occurred: failed to allocate a nodePort: range is full' })
  })
})

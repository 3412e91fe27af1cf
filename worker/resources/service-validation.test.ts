import { describe, expect, it } from 'vitest'
import { defaultService } from './service-defaults'
import { goValue, validateService, validateServiceStatus } from './service-validation'
import { validateMeta } from './validation'
import { findKind } from './registry'

type O = Record<string, any>

/** A defaulted, allocated-looking Service with spec overrides. */
function svc(spec: O, meta: O = {}): O {
  const o: O = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', ...meta }, spec: structuredClone(spec) }
  defaultService(o)
  const s = o.spec
  if (s.type !== 'ExternalName') {
    s.clusterIP ??= '10.96.3.4'
    s.clusterIPs ??= [s.clusterIP]
    s.ipFamilies ??= ['IPv4']
    s.ipFamilyPolicy ??= 'SingleStack'
  }
  return o
}
const messages = (o: O) => validateService(o).map((c) => `${c.field}: ${c.message}`)

const P = (extra: O = {}) => ({ port: 80, ...extra })

describe('goValue prints values as Go field errors do', () => {
  it.each([
    ['x', '"x"'],
    [30080, '30080'],
    [true, 'true'],
    [['10.96.0.10'], '[]string{"10.96.0.10"}'],
    [['a', 'b'], '[]string{"a", "b"}'],
    [undefined, 'null'],
  ])('%j → %s', (v, want) => expect(goValue(v)).toBe(want))
})

describe('validateService', () => {
  it('accepts a plain ClusterIP service', () => {
    expect(messages(svc({ selector: { app: 'web' }, ports: [P()] }))).toEqual([])
  })

  it.each<{ name: string; spec: O; want: string[] }>([
    { name: 'no ports', spec: { selector: { a: 'b' } }, want: ['spec.ports: Required value'] },
    { name: 'headless without ports is fine', spec: { clusterIP: 'None' }, want: [] },
    { name: 'unnamed second port', spec: { ports: [P({ name: 'http' }), P({ port: 443 })] }, want: ['spec.ports[1].name: Required value'] },
    { name: 'both ports unnamed', spec: { ports: [P(), P({ port: 443 })] }, want: ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'] },
    {
      name: 'duplicate port names',
      spec: { ports: [P({ name: 'web' }), P({ name: 'web', port: 81 })] },
      want: ['spec.ports[1].name: Duplicate value: "web"'],
    },
    {
      name: 'duplicate port and protocol',
      spec: { ports: [P({ name: 'a' }), P({ name: 'b' })] },
      want: ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    },
    { name: 'same port, different protocols', spec: { ports: [P({ name: 'a', protocol: 'UDP' }), P({ name: 'b' })] }, want: [] },
    {
      name: 'port out of range',
      spec: { ports: [P({ port: 70000 })] },
      want: ['spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    },
    { name: 'port zero', spec: { ports: [P({ port: 0, targetPort: 8080 })] }, want: ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'] },
    { name: 'bad protocol', spec: { ports: [P({ protocol: 'HTTP' })] }, want: ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'] },
    {
      name: 'bad named targetPort',
      spec: { ports: [P({ targetPort: 'Http_Port' })] },
      want: ['spec.ports[0].targetPort: Invalid value: "Http_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    },
    { name: 'numeric-only named targetPort', spec: { ports: [P({ targetPort: '8080' })] }, want: ['spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)'] },
    { name: 'bad type', spec: { type: 'Magic', ports: [P()] }, want: ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'] },
    { name: 'node port on a ClusterIP service', spec: { ports: [P({ nodePort: 30080 })] }, want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"] },
    {
      name: 'duplicate node ports',
      spec: { type: 'NodePort', ports: [P({ name: 'a', nodePort: 30080 }), P({ name: 'b', port: 81, nodePort: 30080 })] },
      want: ['spec.ports[1].nodePort: Duplicate value: 30080'],
    },
    { name: 'headless NodePort', spec: { type: 'NodePort', clusterIP: 'None', ports: [P()] }, want: ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"] },
    { name: 'ExternalName without a name', spec: { type: 'ExternalName' }, want: ['spec.externalName: Required value'] },
    {
      name: 'ExternalName that is not a DNS name',
      spec: { type: 'ExternalName', externalName: 'Not_A_Name' },
      want: [
        `spec.externalName: Invalid value: "Not_A_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    },
    { name: 'ExternalName with a trailing dot', spec: { type: 'ExternalName', externalName: 'db.example.com.' }, want: [] },
    { name: 'ExternalName with a cluster IP', spec: { type: 'ExternalName', externalName: 'x.io', clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] }, want: ['spec.clusterIPs: Forbidden: may not be set for ExternalName services'] },
    {
      name: 'ClientIP affinity with a zero timeout',
      spec: { ports: [P()], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } },
      want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
    },
    {
      name: 'ClientIP affinity timeout too long',
      spec: { ports: [P()], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } },
      want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400'],
    },
    { name: 'bad session affinity', spec: { ports: [P()], sessionAffinity: 'Sticky' }, want: ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'] },
    { name: 'bad external IP', spec: { ports: [P()], externalIPs: ['nope'] }, want: ['spec.externalIPs[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] },
    { name: 'loopback external IP', spec: { ports: [P()], externalIPs: ['127.0.0.1'] }, want: ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'] },
    { name: 'externalTrafficPolicy on a ClusterIP service', spec: { ports: [P()], externalTrafficPolicy: 'Local' }, want: ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'] },
    { name: 'bad externalTrafficPolicy', spec: { type: 'NodePort', ports: [P()], externalTrafficPolicy: 'Global' }, want: ['spec.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"'] },
    {
      name: 'healthCheckNodePort without Local',
      spec: { type: 'LoadBalancer', ports: [P()], healthCheckNodePort: 30100 },
      want: ["spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
    },
    { name: 'LoadBalancer Local without its health-check port', spec: { type: 'LoadBalancer', ports: [P()], externalTrafficPolicy: 'Local' }, want: ['spec.healthCheckNodePort: Required value'] },
    { name: 'allocateLoadBalancerNodePorts on NodePort', spec: { type: 'NodePort', ports: [P()], allocateLoadBalancerNodePorts: true }, want: ["spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"] },
    { name: 'source ranges off a LoadBalancer', spec: { ports: [P()], loadBalancerSourceRanges: ['10.0.0.0/8'] }, want: ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"] },
    { name: 'bad source range', spec: { type: 'LoadBalancer', ports: [P()], loadBalancerSourceRanges: ['10.0.0.0'] }, want: ['spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'] },
    { name: 'bad internalTrafficPolicy', spec: { ports: [P()], internalTrafficPolicy: 'Node' }, want: ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'] },
    { name: 'bad trafficDistribution', spec: { ports: [P()], trafficDistribution: 'Anywhere' }, want: ['spec.trafficDistribution: Unsupported value: "Anywhere": supported values: "PreferClose"'] },
    { name: 'loadBalancerClass off a LoadBalancer', spec: { ports: [P()], loadBalancerClass: 'example.com/lb' }, want: ["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"] },
    {
      name: 'bad selector value',
      spec: { ports: [P()], selector: { app: 'a b' } },
      want: [
        `spec.selector: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    },
  ])('$name', ({ spec, want }) => {
    expect(messages(svc(spec))).toEqual(want)
  })

  it('Service names are DNS-1035 labels: no leading digit', () => {
    const k = findKind('', 'v1', 'services')!
    expect(validateMeta(k, { metadata: { name: '1web' } }).map((c) => c.message)).toEqual([
      `Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ])
    expect(validateMeta(k, { metadata: { name: 'web-1' } })).toEqual([])
  })
})

describe('validateServiceStatus', () => {
  const lb = (ingress: O[], type = 'LoadBalancer') => ({ spec: { type }, status: { loadBalancer: { ingress } } })
  it.each<{ name: string; o: O; want: string[] }>([
    { name: 'a VIP', o: lb([{ ip: '203.0.113.5', ipMode: 'VIP' }]), want: [] },
    { name: 'a hostname', o: lb([{ hostname: 'lb.example.com' }]), want: [] },
    { name: 'ingress on a ClusterIP service', o: lb([{ ip: '203.0.113.5', ipMode: 'VIP' }], 'ClusterIP'), want: ["status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'"] },
    { name: 'a bad IP', o: lb([{ ip: 'x', ipMode: 'VIP' }]), want: ['status.loadBalancer.ingress[0].ip: Invalid value: "x": must be a valid IP address'] },
    { name: 'an IP without ipMode', o: lb([{ ip: '203.0.113.5' }]), want: ['status.loadBalancer.ingress[0].ipMode: Required value: must be specified when `ip` is set'] },
    { name: 'ipMode without an IP', o: lb([{ hostname: 'a.example.com', ipMode: 'VIP' }]), want: ['status.loadBalancer.ingress[0].ipMode: Forbidden: may not be specified when `ip` is not set'] },
    { name: 'a bad ipMode', o: lb([{ ip: '203.0.113.5', ipMode: 'Tunnel' }]), want: ['status.loadBalancer.ingress[0].ipMode: Unsupported value: "Tunnel": supported values: "Proxy", "VIP"'] },
    { name: 'an IP as hostname', o: lb([{ hostname: '203.0.113.5' }]), want: ['status.loadBalancer.ingress[0].hostname: Invalid value: "203.0.113.5": must be a DNS name, not an IP address'] },
  ])('$name', ({ o, want }) => expect(validateServiceStatus(o).map((c) => `${c.field}: ${c.message}`)).toEqual(want))
})

import { describe, expect, it } from 'vitest'
import { decodeProtobufObject, ProtobufError } from './k8s-proto'

// A minimal encoder for fixtures: tag + varint / length-delimited fields.
const varint = (n: number): number[] => {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
  return out
}
const enc = new TextEncoder()
const ld = (no: number, bytes: number[] | Uint8Array) => [...varint(no * 8 + 2), ...varint(bytes.length), ...bytes]
const str = (no: number, s: string) => ld(no, [...enc.encode(s)])
const int = (no: number, n: number) => [...varint(no * 8), ...varint(n)]
const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...ld(1, [...str(1, apiVersion), ...str(2, kind)]), ...ld(2, raw), ...str(3, ''), ...str(4, '')])

describe('protobuf bodies', () => {
  it('decodes a ConfigMap the way kubectl create configmap sends it, zero fields omitted', () => {
    const meta = [...str(1, 'cm'), ...str(2, ''), ...str(3, ''), ...int(7, 0), ...ld(8, [])]
    const data = ld(2, [...str(1, 'a'), ...str(2, 'b')])
    const body = envelope('v1', 'ConfigMap', [...ld(1, meta), ...data])
    expect(decodeProtobufObject(body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', creationTimestamp: null }, data: { a: 'b' } })
  })

  it('decodes a SelfSubjectAccessReview (kubectl auth can-i)', () => {
    const attrs = [...str(1, 'default'), ...str(2, 'list'), ...str(3, ''), ...str(5, 'pods')]
    const body = envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', [...ld(1, []), ...ld(2, ld(1, attrs))])
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
    })
  })

  it('decodes RBAC objects as kubectl create role / rolebinding send them', () => {
    const rule = [...str(1, 'get'), ...str(1, 'list'), ...str(2, ''), ...str(3, 'pods'), ...str(4, 'web')]
    const role = envelope('rbac.authorization.k8s.io/v1', 'Role', [...ld(1, str(1, 'reader')), ...ld(2, rule)])
    expect(decodeProtobufObject(role)).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] }],
    })
    const subject = [...str(1, 'ServiceAccount'), ...str(3, 'bot'), ...str(4, 'team')]
    const ref = [...str(1, 'rbac.authorization.k8s.io'), ...str(2, 'Role'), ...str(3, 'reader')]
    const binding = envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', [...ld(1, str(1, 'b')), ...ld(2, subject), ...ld(3, ref)])
    expect(decodeProtobufObject(binding)).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'team' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    })
    const sar = envelope('authorization.k8s.io/v1', 'SubjectAccessReview', [...ld(1, []), ...ld(2, [...ld(2, [...str(1, '/healthz'), ...str(2, 'get')]), ...str(3, 'alice'), ...str(4, 'devs')])])
    expect(decodeProtobufObject(sar)).toMatchObject({ spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'alice', groups: ['devs'] } })
  })

  it('keeps a pointer field at zero (replicas: 0) and turns IntOrString into its JSON form', () => {
    const port = [...str(2, 'TCP'), ...int(3, 80), ...ld(4, [...int(1, 0), ...int(2, 8080)])]
    const body = envelope('v1', 'Service', [...ld(1, str(1, 's')), ...ld(2, ld(1, port))])
    expect(decodeProtobufObject(body)).toMatchObject({ spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] } })
    const dep = envelope('apps/v1', 'Deployment', [...ld(1, str(1, 'd')), ...ld(2, int(1, 0))])
    expect(decodeProtobufObject(dep)).toMatchObject({ spec: { replicas: 0 } })
  })

  it('decodes a TokenRequest as kubectl create token sends it (Go writes empty meta and status)', () => {
    const meta = [...str(1, ''), ...str(2, ''), ...str(3, ''), ...int(7, 0), ...ld(8, [])]
    const status = [...str(1, ''), ...ld(2, [])]
    const plain = envelope('authentication.k8s.io/v1', 'TokenRequest', [...ld(1, meta), ...ld(2, []), ...ld(3, status)])
    expect(decodeProtobufObject(plain)).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { creationTimestamp: null }, spec: {} })
    // --audience=vault --duration=20m --bound-object-kind=Pod --bound-object-name=p
    const ref = [...str(1, 'Pod'), ...str(2, 'v1'), ...str(3, 'p'), ...str(4, '')]
    const spec = [...str(1, 'vault'), ...ld(3, ref), ...int(4, 1200)]
    const full = envelope('authentication.k8s.io/v1', 'TokenRequest', [...ld(1, meta), ...ld(2, spec), ...ld(3, status)])
    expect(decodeProtobufObject(full)).toMatchObject({ spec: { audiences: ['vault'], expirationSeconds: 1200, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } } })
  })

  it('decodes the Service kubectl create service nodeport sends (zero fields omitted, pointers kept)', () => {
    const meta = [...str(1, 'x'), ...str(2, ''), ...str(3, ''), ...int(7, 0), ...ld(8, []), ...ld(11, [...str(1, 'app'), ...str(2, 'x')])]
    const port = [...str(1, '80-8080'), ...str(2, 'TCP'), ...int(3, 80), ...ld(4, [...int(1, 0), ...int(2, 8080)]), ...int(5, 30080)]
    const spec = [
      ...ld(1, port),
      ...ld(2, [...str(1, 'app'), ...str(2, 'x')]),
      ...str(3, ''),
      ...str(4, 'NodePort'),
      ...str(7, ''),
      ...str(8, ''),
      ...str(10, ''),
      ...str(11, ''),
      ...int(12, 0),
      ...int(13, 0),
    ]
    const body = envelope('v1', 'Service', [...ld(1, meta), ...ld(2, spec), ...ld(3, ld(1, []))])
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x', creationTimestamp: null, labels: { app: 'x' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'x' }, type: 'NodePort' },
    })
  })

  it('decodes every ServiceSpec field at its upstream number', () => {
    const spec = [
      ...str(3, 'None'),
      ...ld(18, [...enc.encode('None')]),
      ...str(4, 'LoadBalancer'),
      ...str(5, '198.51.100.1'),
      ...str(7, 'ClientIP'),
      ...str(9, '10.0.0.0/8'),
      ...str(10, 'db.example.com'),
      ...str(11, 'Local'),
      ...int(12, 31000),
      ...int(13, 1),
      ...ld(14, ld(1, int(1, 600))),
      ...str(17, 'SingleStack'),
      ...str(19, 'IPv4'),
      ...int(20, 0),
      ...str(21, 'example.com/lb'),
      ...str(22, 'Local'),
      ...str(23, 'PreferClose'),
      ...ld(1, [...int(3, 443), ...str(6, 'https')]),
    ]
    expect(decodeProtobufObject(envelope('v1', 'Service', [...ld(1, str(1, 's')), ...ld(2, spec)])).spec).toEqual({
      clusterIP: 'None',
      clusterIPs: ['None'],
      type: 'LoadBalancer',
      externalIPs: ['198.51.100.1'],
      sessionAffinity: 'ClientIP',
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      externalName: 'db.example.com',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 31000,
      publishNotReadyAddresses: true,
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      allocateLoadBalancerNodePorts: false,
      loadBalancerClass: 'example.com/lb',
      internalTrafficPolicy: 'Local',
      trafficDistribution: 'PreferClose',
      ports: [{ port: 443, appProtocol: 'https' }],
    })
  })

  it('refuses a body without the prefix, a truncated one, and an unknown kind', () => {
    expect(() => decodeProtobufObject(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(ProtobufError)
    expect(() => decodeProtobufObject(new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x20, 0x01]))).toThrow(/truncated/)
    expect(() => decodeProtobufObject(envelope('v1', 'Gizmo', []))).toThrow('no kind "Gizmo" is registered for version "v1"')
  })
})

// Decoding the protobuf bodies kubectl 1.32+ sends for create, auth can-i and
// whoami: the "k8s\0" envelope, runtime.Unknown, and the messages those commands
// carry, into the same JSON object the JSON API would receive. Field numbers are
// facts of the wire format (k8s.io/api generated.proto); no code generation, no eval.

export class ProtobufError extends Error {
  override readonly name = 'ProtobufError'
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00]

class Reader {
  pos = 0
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}
  varint(): number {
    let result = 0
    let shift = 0
    for (;;) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint')
      const b = this.buf[this.pos++]!
      result += (b & 0x7f) * 2 ** shift
      if (b < 0x80) return result
      shift += 7
      if (shift > 63) throw new ProtobufError('varint too long')
    }
  }
  bytes(): Uint8Array {
    const n = this.varint()
    if (this.pos + n > this.end) throw new ProtobufError('truncated length-delimited field')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
  skip(wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.pos += 8
    else if (wire === 2) this.bytes()
    else if (wire === 5) this.pos += 4
    else throw new ProtobufError(`unsupported wire type ${wire}`)
    if (this.pos > this.end) throw new ProtobufError('truncated field')
  }
}

type Scalar = 'string' | 'bytes' | 'int' | 'bool' | 'time' | 'intstr' | 'quantity'
/** field number → [json name, type or message table, repeated?] ; maps are "map:<value type>". */
type Field = [string, Scalar | Msg | `map:${'string' | 'bytes' | 'quantity'}`, ('repeated' | undefined)?]
interface Msg {
  [field: number]: Field
}

const text = new TextDecoder()
const b64 = (u: Uint8Array) => {
  let s = ''
  for (const b of u) s += String.fromCharCode(b)
  return btoa(s)
}

const Time: Msg = { 1: ['seconds', 'int'], 2: ['nanos', 'int'] }
const OwnerReference: Msg = { 1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['controller', 'bool'], 7: ['blockOwnerDeletion', 'bool'] }
const ObjectMeta: Msg = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  8: ['creationTimestamp', 'time'],
  11: ['labels', 'map:string'],
  12: ['annotations', 'map:string'],
  13: ['ownerReferences', OwnerReference, 'repeated'],
  14: ['finalizers', 'string', 'repeated'],
}
const LabelSelectorRequirement: Msg = { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', 'repeated'] }
const LabelSelector: Msg = { 1: ['matchLabels', 'map:string'], 2: ['matchExpressions', LabelSelectorRequirement, 'repeated'] }
const ContainerPort: Msg = { 1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'] }
const KeySelector: Msg = { 1: ['localObjectReference', { 1: ['name', 'string'] }], 2: ['key', 'string'], 3: ['optional', 'bool'] }
const EnvVarSource: Msg = {
  1: ['fieldRef', { 1: ['apiVersion', 'string'], 2: ['fieldPath', 'string'] }],
  2: ['resourceFieldRef', { 1: ['containerName', 'string'], 2: ['resource', 'string'], 3: ['divisor', 'quantity'] }],
  3: ['configMapKeyRef', KeySelector],
  4: ['secretKeyRef', KeySelector],
}
const EnvVar: Msg = { 1: ['name', 'string'], 2: ['value', 'string'], 3: ['valueFrom', EnvVarSource] }
const ResourceRequirements: Msg = { 1: ['limits', 'map:quantity'], 2: ['requests', 'map:quantity'] }
const VolumeMount: Msg = { 1: ['name', 'string'], 2: ['readOnly', 'bool'], 3: ['mountPath', 'string'], 4: ['subPath', 'string'] }
const Container: Msg = {
  1: ['name', 'string'],
  2: ['image', 'string'],
  3: ['command', 'string', 'repeated'],
  4: ['args', 'string', 'repeated'],
  5: ['workingDir', 'string'],
  6: ['ports', ContainerPort, 'repeated'],
  7: ['env', EnvVar, 'repeated'],
  8: ['resources', ResourceRequirements],
  9: ['volumeMounts', VolumeMount, 'repeated'],
  13: ['terminationMessagePath', 'string'],
  14: ['imagePullPolicy', 'string'],
  16: ['stdin', 'bool'],
  17: ['stdinOnce', 'bool'],
  18: ['tty', 'bool'],
  20: ['terminationMessagePolicy', 'string'],
}
const PodSpec: Msg = {
  2: ['containers', Container, 'repeated'],
  3: ['restartPolicy', 'string'],
  4: ['terminationGracePeriodSeconds', 'int'],
  6: ['dnsPolicy', 'string'],
  7: ['nodeSelector', 'map:string'],
  8: ['serviceAccountName', 'string'],
  10: ['nodeName', 'string'],
  20: ['initContainers', Container, 'repeated'],
}
const PodTemplateSpec: Msg = { 1: ['metadata', ObjectMeta], 2: ['spec', PodSpec] }
const IntOrString: Msg = { 1: ['type', 'int'], 2: ['intVal', 'int'], 3: ['strVal', 'string'] }
const DeploymentStrategy: Msg = { 1: ['type', 'string'], 2: ['rollingUpdate', { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] }] }
const DeploymentSpec: Msg = {
  1: ['replicas', 'int'],
  2: ['selector', LabelSelector],
  3: ['template', PodTemplateSpec],
  4: ['strategy', DeploymentStrategy],
  5: ['minReadySeconds', 'int'],
  6: ['revisionHistoryLimit', 'int'],
  7: ['paused', 'bool'],
  9: ['progressDeadlineSeconds', 'int'],
}
const ServicePort: Msg = { 1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int'], 4: ['targetPort', 'intstr'], 5: ['nodePort', 'int'], 6: ['appProtocol', 'string'] }
const ServiceSpec: Msg = {
  1: ['ports', ServicePort, 'repeated'],
  2: ['selector', 'map:string'],
  3: ['clusterIP', 'string'],
  4: ['type', 'string'],
  5: ['externalIPs', 'string', 'repeated'],
  7: ['sessionAffinity', 'string'],
  8: ['loadBalancerIP', 'string'],
  9: ['loadBalancerSourceRanges', 'string', 'repeated'],
  10: ['externalName', 'string'],
  11: ['externalTrafficPolicy', 'string'],
  12: ['healthCheckNodePort', 'int'],
  13: ['publishNotReadyAddresses', 'bool'],
  14: ['sessionAffinityConfig', { 1: ['clientIP', { 1: ['timeoutSeconds', 'int'] }] }],
  17: ['ipFamilyPolicy', 'string'],
  18: ['clusterIPs', 'string', 'repeated'],
  19: ['ipFamilies', 'string', 'repeated'],
  20: ['allocateLoadBalancerNodePorts', 'bool'],
  21: ['loadBalancerClass', 'string'],
  22: ['internalTrafficPolicy', 'string'],
  23: ['trafficDistribution', 'string'],
}
const ResourceAttributes: Msg = { 1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string'] }
const NonResourceAttributes: Msg = { 1: ['path', 'string'], 2: ['verb', 'string'] }
const SubjectAccessReviewSpec: Msg = {
  1: ['resourceAttributes', ResourceAttributes],
  2: ['nonResourceAttributes', NonResourceAttributes],
  3: ['user', 'string'],
  4: ['groups', 'string', 'repeated'],
  6: ['uid', 'string'],
}
const PolicyRule: Msg = { 1: ['verbs', 'string', 'repeated'], 2: ['apiGroups', 'string', 'repeated'], 3: ['resources', 'string', 'repeated'], 4: ['resourceNames', 'string', 'repeated'], 5: ['nonResourceURLs', 'string', 'repeated'] }
const Subject: Msg = { 1: ['kind', 'string'], 2: ['apiGroup', 'string'], 3: ['name', 'string'], 4: ['namespace', 'string'] }
const RoleRef: Msg = { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] }
const RoleBinding: Msg = { 1: ['metadata', ObjectMeta], 2: ['subjects', Subject, 'repeated'], 3: ['roleRef', RoleRef] }

/** Top-level kinds: "<apiVersion>/<kind>" → message. */
const KINDS: Record<string, Msg> = {
  'v1/Namespace': { 1: ['metadata', ObjectMeta], 2: ['spec', { 1: ['finalizers', 'string', 'repeated'] }] },
  'v1/ConfigMap': { 1: ['metadata', ObjectMeta], 2: ['data', 'map:string'], 3: ['binaryData', 'map:bytes'], 4: ['immutable', 'bool'] },
  'v1/Secret': { 1: ['metadata', ObjectMeta], 2: ['data', 'map:bytes'], 3: ['type', 'string'], 4: ['stringData', 'map:string'], 5: ['immutable', 'bool'] },
  'v1/Service': { 1: ['metadata', ObjectMeta], 2: ['spec', ServiceSpec] },
  'v1/ServiceAccount': { 1: ['metadata', ObjectMeta] },
  'apps/v1/Deployment': { 1: ['metadata', ObjectMeta], 2: ['spec', DeploymentSpec] },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': { 1: ['metadata', ObjectMeta], 2: ['spec', { 1: ['resourceAttributes', ResourceAttributes], 2: ['nonResourceAttributes', NonResourceAttributes] }] },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': { 1: ['metadata', ObjectMeta], 2: ['spec', { 1: ['namespace', 'string'] }] },
  'authorization.k8s.io/v1/SubjectAccessReview': { 1: ['metadata', ObjectMeta], 2: ['spec', SubjectAccessReviewSpec] },
  'authorization.k8s.io/v1/LocalSubjectAccessReview': { 1: ['metadata', ObjectMeta], 2: ['spec', SubjectAccessReviewSpec] },
  // kubectl create role / clusterrole / rolebinding / clusterrolebinding
  'rbac.authorization.k8s.io/v1/Role': { 1: ['metadata', ObjectMeta], 2: ['rules', PolicyRule, 'repeated'] },
  'rbac.authorization.k8s.io/v1/ClusterRole': { 1: ['metadata', ObjectMeta], 2: ['rules', PolicyRule, 'repeated'], 3: ['aggregationRule', { 1: ['clusterRoleSelectors', LabelSelector, 'repeated'] }] },
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': RoleBinding,
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: ['metadata', ObjectMeta] },
  'authentication.k8s.io/v1/TokenRequest': {
    1: ['metadata', ObjectMeta],
    2: ['spec', { 1: ['audiences', 'string', 'repeated'], 4: ['expirationSeconds', 'int'], 3: ['boundObjectRef', { 1: ['kind', 'string'], 2: ['apiVersion', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'] }] }],
  },
}

function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

function decodeMap(bytes: Uint8Array, valueType: string): [string, unknown] {
  const r = new Reader(bytes)
  let key = ''
  let value: unknown = valueType === 'bytes' ? '' : ''
  while (r.pos < r.end) {
    const tag = r.varint()
    const no = Math.floor(tag / 8)
    if (no === 1) key = text.decode(r.bytes())
    else if (no === 2) {
      const v = r.bytes()
      value = valueType === 'bytes' ? b64(v) : valueType === 'quantity' ? String((decodeMessage(v, { 1: ['string', 'string'] }) as { string?: string }).string ?? '') : text.decode(v)
    } else r.skip(tag & 7)
  }
  return [key, value]
}

/**
 * Go writes every non-pointer field, zero or not; its JSON would omit them
 * (omitempty). Pointer fields (replicas, immutable, …) keep their zero.
 */
const POINTER_FIELDS = new Set(['replicas', 'terminationGracePeriodSeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'activeDeadlineSeconds', 'expirationSeconds', 'immutable', 'optional', 'controller', 'blockOwnerDeletion', 'automountServiceAccountToken', 'appProtocol', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution', 'timeoutSeconds'])
function isOmittedZero(name: string, value: unknown): boolean {
  if (POINTER_FIELDS.has(name)) return false
  return value === '' || value === 0 || value === false
}

function decodeMessage(bytes: Uint8Array, msg: Msg): Record<string, unknown> {
  const r = new Reader(bytes)
  const out: Record<string, unknown> = {}
  while (r.pos < r.end) {
    const tag = r.varint()
    const no = Math.floor(tag / 8)
    const wire = tag & 7
    const f = msg[no]
    if (!f) {
      r.skip(wire)
      continue
    }
    const [name, type, repeated] = f
    let value: unknown
    if (typeof type === 'object') value = decodeMessage(r.bytes(), type)
    else if (type.startsWith('map:')) {
      const [k, v] = decodeMap(r.bytes(), type.slice(4))
      const m = (out[name] ??= {}) as Record<string, unknown>
      m[k] = v
      continue
    } else if (type === 'string') value = text.decode(r.bytes())
    else if (type === 'bytes') value = b64(r.bytes())
    else if (type === 'int') value = wire === 0 ? r.varint() : (r.skip(wire), 0)
    else if (type === 'bool') value = r.varint() !== 0
    else if (type === 'time') {
      const t = decodeMessage(r.bytes(), Time) as { seconds?: number }
      value = t.seconds ? rfc3339(t.seconds) : null
    } else if (type === 'quantity') value = (decodeMessage(r.bytes(), { 1: ['string', 'string'] }) as { string?: string }).string ?? ''
    else if (type === 'intstr') {
      const v = decodeMessage(r.bytes(), IntOrString) as { type?: number; intVal?: number; strVal?: string }
      value = v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0)
    }
    if (repeated) ((out[name] ??= []) as unknown[]).push(value)
    else if (!isOmittedZero(name, value)) out[name] = value
  }
  return out
}

/** Decodes a `k8s\0`-prefixed protobuf body into the object's JSON form. */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) throw new ProtobufError('protobuf body does not start with the "k8s\\0" prefix')
  const unknown = decodeMessage(body.subarray(4), {
    1: ['typeMeta', { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] }],
    2: ['raw', 'bytes'],
    3: ['contentEncoding', 'string'],
    4: ['contentType', 'string'],
  }) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: string }
  const apiVersion = unknown.typeMeta?.apiVersion ?? ''
  const kind = unknown.typeMeta?.kind ?? ''
  const msg = KINDS[`${apiVersion}/${kind}`]
  if (!msg) throw new ProtobufError(`no kind "${kind}" is registered for version "${apiVersion}" in protobuf`)
  const raw = unknown.raw ? Uint8Array.from(atob(unknown.raw), (c) => c.charCodeAt(0)) : new Uint8Array()
  const obj = decodeMessage(raw, msg)
  return { apiVersion, kind, ...obj }
}

// Service validation in upstream's order and wording (pkg/apis/core/validation:
// ValidateService, ValidateServiceUpdate, ValidateServiceClusterIPsRelatedFields).
// Values in messages are printed as Go's field errors print them: strings quoted,
// []string as `[]string{"a", "b"}`, structs with %#v.
import { isIP, isIPv4, isIPv6, parseIPv4CIDR, specialIPReason } from './ip-address'
import { type Cause, validateDNS1123Label, validateDNS1123Subdomain, validateLabels } from './validation'

type O = Record<string, any>

/** A value as apimachinery's field.Error prints it. */
export function goValue(v: unknown): string {
  if (v === undefined || v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}`
  return JSON.stringify(v)
}
/** A []string field that may be nil. */
export const goStrings = (v: string[] | undefined) => (v === undefined ? '[]string(nil)' : goValue(v))

export const invalidValue = (field: string, shown: string, why: string): Cause => ({ type: 'FieldValueInvalid', field, message: `Invalid value: ${shown}: ${why}` })
const invalid = (field: string, v: unknown, why: string) => invalidValue(field, goValue(v), why)
const required = (field: string, detail = ''): Cause => ({ type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' })
const forbidden = (field: string, detail: string): Cause => ({ type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` })
const duplicate = (field: string, shown: string): Cause => ({ type: 'FieldValueDuplicate', field, message: `Duplicate value: ${shown}` })
const notSupported = (field: string, v: unknown, values: string[]): Cause => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${goValue(v)}: supported values: ${values.map((x) => JSON.stringify(x)).join(', ')}`,
})

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const MAX_AFFINITY_SECONDS = 86400
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges'

export const isHeadlessService = (s: O | undefined) => s?.spec?.clusterIPs?.length === 1 && s.spec.clusterIPs[0] === 'None'
export const needsHealthCheck = (s: O) => s.spec?.type === 'LoadBalancer' && s.spec?.externalTrafficPolicy === 'Local'
/** LoadBalancer, NodePort, or a ClusterIP service with external IPs (upstream's ExternallyAccessible). */
export const externallyAccessible = (s: O) =>
  s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort' || (s.spec?.type === 'ClusterIP' && (s.spec?.externalIPs?.length ?? 0) > 0)

export function portNumErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive']
}

/** IsValidPortName: an IANA_SVC_NAME. */
export function portNameErrors(name: string): string[] {
  const out: string[] = []
  if (name.length > 15) out.push('must be no more than 15 characters')
  if (!/^[-a-z0-9]+$/.test(name)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  else if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)')
  if (name.includes('--')) out.push('must not contain consecutive hyphens')
  if (name.startsWith('-') || name.endsWith('-')) out.push('must not begin or end with a hyphen')
  return out
}

const QUALIFIED = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
/** IsQualifiedName: an optional DNS subdomain prefix and a name. */
function qualifiedNameErrors(field: string, value: string): Cause[] {
  const parts = value.split('/')
  if (parts.length > 2) return [invalid(field, value, `a qualified name ${QUALIFIED} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`)]
  const out: Cause[] = []
  const name = parts[parts.length - 1]!
  if (parts.length === 2) {
    if (!parts[0]) out.push(invalid(field, value, 'prefix part must be non-empty'))
    else for (const c of validateDNS1123Subdomain(field, parts[0])) out.push(invalid(field, value, `prefix part ${c.message.replace(/^Invalid value: "[^"]*": /, '')}`))
  }
  if (!name) out.push(invalid(field, value, 'name part must be non-empty'))
  else if (name.length > 63) out.push(invalid(field, value, 'name part must be no more than 63 characters'))
  if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) out.push(invalid(field, value, `name part ${QUALIFIED}`))
  return out
}

const ipErrors = (field: string, ip: string): Cause[] => (isIP(ip) ? [] : [invalid(field, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')])
const cidrErrors = (field: string, v: string): Cause[] =>
  parseIPv4CIDR(v) || (v.includes('/') && isIPv6(v.split('/')[0]!)) ? [] : [invalid(field, v, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')]

/** How Go prints the internal core.ServicePort key of a duplicate (protocol, port) pair. */
const servicePortKey = (protocol: string, port: number) =>
  `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol ?? '')}, AppProtocol:(*string)(nil), Port:${port ?? 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`

function validateServicePort(p: O, i: number, requireName: boolean, names: Set<string>): Cause[] {
  const f = `spec.ports[${i}]`
  const out: Cause[] = []
  if (requireName && !p.name) out.push(required(`${f}.name`))
  else if (p.name) {
    out.push(...validateDNS1123Label(`${f}.name`, p.name))
    if (names.has(p.name)) out.push(duplicate(`${f}.name`, goValue(p.name)))
    else names.add(p.name)
  }
  for (const why of portNumErrors(p.port ?? 0)) out.push(invalid(`${f}.port`, p.port ?? 0, why))
  if (!p.protocol) out.push(required(`${f}.protocol`))
  else if (!PROTOCOLS.includes(p.protocol)) out.push(notSupported(`${f}.protocol`, p.protocol, PROTOCOLS))
  const tp = p.targetPort ?? 0
  if (typeof tp === 'string') for (const why of portNameErrors(tp)) out.push(invalid(`${f}.targetPort`, tp, why))
  else for (const why of portNumErrors(tp)) out.push(invalid(`${f}.targetPort`, tp, why))
  if (p.appProtocol !== undefined) out.push(...qualifiedNameErrors(`${f}.appProtocol`, p.appProtocol))
  return out
}

function validateClientIPAffinity(cfg: O | undefined): Cause[] {
  const f = 'spec.sessionAffinityConfig'
  const detail = 'when session affinity type is ClientIP'
  if (!cfg) return [required(f, detail)]
  if (!cfg.clientIP) return [required(`${f}.clientIP`, detail)]
  const t = cfg.clientIP.timeoutSeconds
  if (t === undefined || t === null) return [required(`${f}.clientIP.timeoutSeconds`, detail)]
  if (t <= 0 || t > MAX_AFFINITY_SECONDS) return [invalid(`${f}.clientIP.timeoutSeconds`, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)]
  return []
}

/** clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy on their own; the allocator runs this before it allocates. */
export function validateServiceClusterIPsRelatedFields(svc: O): Cause[] {
  const s = svc.spec ?? {}
  if (s.type === 'ExternalName') return []
  const out: Cause[] = []
  const ips: string[] = s.clusterIPs ?? []
  if (s.clusterIP) {
    if (!ips.length) out.push(required('spec.clusterIPs'))
    else if (ips[0] !== s.clusterIP) out.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'))
  } else if (ips.length) out.push(invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'))
  const seen = new Set<string>()
  ;(s.ipFamilies ?? []).forEach((fam: string, i: number) => {
    if (fam !== 'IPv4' && fam !== 'IPv6') out.push(notSupported(`spec.ipFamilies[${i}]`, fam, ['IPv4', 'IPv6']))
    if (seen.has(fam)) out.push(duplicate(`spec.ipFamilies[${i}]`, goValue(fam)))
    seen.add(fam)
  })
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack']
  if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null && !policies.includes(s.ipFamilyPolicy))
    out.push(notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, policies))
  let badIPs = false
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true
        out.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value"))
      }
      return
    }
    const errs = ipErrors(`spec.clusterIPs[${i}]`, ip)
    if (errs.length) badIPs = true
    out.push(...errs)
  })
  if (ips.length > 2) out.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'))
  if (badIPs) return out
  if (ips.length > 1 && !(ips.length === 2 && isIPv4(ips[0]!) !== isIPv4(ips[1]!)))
    out.push(invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'))
  const fams: string[] = s.ipFamilies ?? []
  if (!isHeadlessService(svc) && ips.length && fams.length)
    ips.forEach((ip, i) => {
      if (i >= fams.length) return
      if (fams[i] === 'IPv4' && isIPv6(ip)) out.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``))
      if (fams[i] === 'IPv6' && !isIPv6(ip)) out.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``))
    })
  return out
}

/** ValidateService without the object meta (validateMeta covers it). */
export function validateService(svc: O): Cause[] {
  const s = svc.spec ?? {}
  const out: Cause[] = []
  const ports: O[] = Array.isArray(s.ports) ? s.ports : []
  const headless = isHeadlessService(svc)
  if (!ports.length && !headless && s.type !== 'ExternalName') out.push(required('spec.ports'))
  if (s.type === 'LoadBalancer' && headless) out.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"))
  if (s.type === 'NodePort' && headless) out.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"))
  if (s.type === 'ExternalName') {
    if (s.clusterIPs?.length) out.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'))
    if (s.ipFamilies?.length) out.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'))
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null) out.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'))
    // A CNAME may end with a dot to say it is fully qualified.
    const cname = String(s.externalName ?? '').replace(/\.$/, '')
    if (cname) out.push(...validateDNS1123Subdomain('spec.externalName', cname))
    else out.push(required('spec.externalName'))
  }
  const names = new Set<string>()
  ports.forEach((p, i) => out.push(...validateServicePort(p ?? {}, i, ports.length > 1, names)))
  if (s.selector !== undefined && s.selector !== null) out.push(...validateLabels('spec.selector', s.selector))
  if (!s.sessionAffinity) out.push(required('spec.sessionAffinity'))
  else if (!['ClientIP', 'None'].includes(s.sessionAffinity)) out.push(notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']))
  if (s.sessionAffinity === 'ClientIP') out.push(...validateClientIPAffinity(s.sessionAffinityConfig))
  else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig) out.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'))
  out.push(...validateServiceClusterIPsRelatedFields(svc))
  ;(s.externalIPs ?? []).forEach((ip: string, i: number) => {
    const f = `spec.externalIPs[${i}]`
    const errs = ipErrors(f, ip)
    if (errs.length) out.push(...errs)
    else {
      const why = specialIPReason(ip)
      if (why) out.push(invalid(f, ip, why))
    }
  })
  if (!s.type) out.push(required('spec.type'))
  else if (!TYPES.includes(s.type)) out.push(notSupported('spec.type', s.type, TYPES))
  if (s.type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (p?.nodePort) out.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"))
    })
  const nodePorts = new Set<string>()
  ports.forEach((p, i) => {
    if (!p?.nodePort) return
    const key = `${p.protocol}/${p.nodePort}`
    if (nodePorts.has(key)) out.push(duplicate(`spec.ports[${i}].nodePort`, goValue(p.nodePort)))
    nodePorts.add(key)
  })
  const portKeys = new Set<string>()
  ports.forEach((p, i) => {
    const key = `${p?.protocol}/${p?.port}`
    if (portKeys.has(key)) out.push(duplicate(`spec.ports[${i}]`, servicePortKey(p?.protocol, p?.port)))
    portKeys.add(key)
  })
  out.push(...validateSourceRanges(svc))
  if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null && s.type !== 'LoadBalancer')
    out.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"))
  // Upstream names this field without its "spec." (defaulting makes it unreachable through the API).
  if (s.type === 'LoadBalancer' && (s.allocateLoadBalancerNodePorts === undefined || s.allocateLoadBalancerNodePorts === null)) out.push(required('allocateLoadBalancerNodePorts'))
  out.push(...validateLoadBalancerClass(svc))
  out.push(...validateExternalTrafficPolicy(svc))
  if (s.internalTrafficPolicy === undefined || s.internalTrafficPolicy === null) {
    if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(s.type)) out.push(required('spec.internalTrafficPolicy'))
  } else if (!['Cluster', 'Local'].includes(s.internalTrafficPolicy)) out.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']))
  if (s.trafficDistribution !== undefined && s.trafficDistribution !== null && s.trafficDistribution !== 'PreferClose')
    out.push(notSupported('spec.trafficDistribution', s.trafficDistribution, ['PreferClose']))
  return out
}

function validateSourceRanges(svc: O): Cause[] {
  const s = svc.spec ?? {}
  const out: Cause[] = []
  const lbOnly = "may only be used when `type` is 'LoadBalancer'"
  if (s.loadBalancerSourceRanges?.length) {
    // Upstream's field path really is capitalised here.
    const f = 'spec.LoadBalancerSourceRanges'
    if (s.type !== 'LoadBalancer') out.push(forbidden(f, lbOnly))
    s.loadBalancerSourceRanges.forEach((v: string, i: number) => out.push(...cidrErrors(`${f}[${i}]`, String(v).trim())))
    return out
  }
  const ann = svc.metadata?.annotations?.[LB_SOURCE_RANGES_ANNOTATION]
  if (ann === undefined) return out
  const f = `metadata.annotations[${LB_SOURCE_RANGES_ANNOTATION}]`
  if (s.type !== 'LoadBalancer') out.push(forbidden(f, lbOnly))
  const val = String(ann).trim()
  if (val) for (const v of val.split(',')) out.push(...cidrErrors(f, v.trim()))
  return out
}

function validateLoadBalancerClass(svc: O, old?: O): Cause[] {
  const out: Cause[] = []
  const cls = svc.spec?.loadBalancerClass
  const isLB = (o: O) => o.spec?.type === 'LoadBalancer'
  if (old && isLB(old) && isLB(svc) && (old.spec?.loadBalancerClass ?? null) !== (cls ?? null))
    out.push(invalid('spec.loadBalancerClass', cls, 'may not change once set'))
  if (cls === undefined || cls === null) return out
  if (isLB(svc)) out.push(...qualifiedNameErrors('spec.loadBalancerClass', cls))
  else out.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"))
  return out
}

function validateExternalTrafficPolicy(svc: O): Cause[] {
  const s = svc.spec ?? {}
  const out: Cause[] = []
  if (!externallyAccessible(svc)) {
    if (s.externalTrafficPolicy) out.push(invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'))
  } else if (!s.externalTrafficPolicy) out.push(required('spec.externalTrafficPolicy'))
  else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) out.push(notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']))
  const hc = s.healthCheckNodePort ?? 0
  if (!needsHealthCheck(svc)) {
    if (hc !== 0) out.push(invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
  } else if (hc === 0) out.push(required('spec.healthCheckNodePort'))
  else for (const why of portNumErrors(hc)) out.push(invalid('spec.healthCheckNodePort', hc, why))
  return out
}

function validateUpgradeDowngradeClusterIPs(old: O, svc: O): Cause[] {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return []
  if (isHeadlessService(old) && isHeadlessService(svc)) return []
  const was: string[] = old.spec?.clusterIPs ?? []
  const now: string[] | undefined = svc.spec?.clusterIPs
  const list = now ?? []
  const out: Cause[] = []
  const immutable = (i: number) => invalidValue(`spec.clusterIPs[${i}]`, goStrings(now), 'may not change once set')
  if (was.length === list.length) was.forEach((ip, i) => ip !== list[i] && out.push(immutable(i)))
  else if (was.length > list.length) {
    if (!list.length) out.push(invalidValue('spec.clusterIPs[0]', goStrings(now), 'primary clusterIP can not be unset'))
    if (was.length && list.length && list[0] !== was[0]) out.push(immutable(0))
    if (list.length === 1 && svc.spec?.ipFamilyPolicy !== 'SingleStack')
      out.push(invalid('spec.ipFamilyPolicy', svc.spec?.ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary clusterIP"))
  } else if (was.length && list[0] !== was[0]) out.push(immutable(0))
  return out
}

function validateUpgradeDowngradeIPFamilies(old: O, svc: O): Cause[] {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return []
  if (isHeadlessService(old) || isHeadlessService(svc)) return []
  const was: string[] = old.spec?.ipFamilies ?? []
  const now: string[] = svc.spec?.ipFamilies ?? []
  const out: Cause[] = []
  if (was.length === now.length) {
    if (was.some((f, i) => f !== now[i])) out.push(invalidValue('spec.ipFamilies[0]', goStrings(svc.spec?.ipFamilies), 'may not change once set'))
  } else if (was.length > now.length) {
    if (!svc.spec?.clusterIPs?.length) out.push(invalidValue('spec.ipFamilies[0]', goStrings(svc.spec?.ipFamilies), 'primary ipFamily can not be unset'))
    if (now.length && now[0] !== was[0]) out.push(invalidValue('spec.ipFamilies[0]', goStrings(svc.spec?.clusterIPs), 'may not change once set'))
    if (now.length === 1 && svc.spec?.ipFamilyPolicy !== 'SingleStack')
      out.push(invalid('spec.ipFamilyPolicy', svc.spec?.ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary ipFamily"))
  } else if (was.length && now.length && now[0] !== was[0]) out.push(invalidValue('spec.ipFamilies[0]', goStrings(svc.spec?.clusterIPs), 'may not change once set'))
  return out
}

/** ValidateServiceUpdate without the object meta. */
export function validateServiceUpdate(svc: O, old: O): Cause[] {
  const out = [...validateUpgradeDowngradeClusterIPs(old, svc), ...validateUpgradeDowngradeIPFamilies(old, svc), ...validateLoadBalancerClass(svc, old).filter((c) => c.message.endsWith('may not change once set'))]
  if (needsHealthCheck(old) && needsHealthCheck(svc) && (svc.spec?.healthCheckNodePort ?? 0) !== (old.spec?.healthCheckNodePort ?? 0))
    out.push(forbidden('spec.healthCheckNodePort', 'field is immutable'))
  return [...out, ...validateService(svc)]
}

/** ValidateServiceStatusUpdate's ValidateLoadBalancerStatus. */
export function validateServiceStatus(svc: O): Cause[] {
  const ingress: O[] = svc.status?.loadBalancer?.ingress ?? []
  const f = 'status.loadBalancer.ingress'
  if (svc.spec?.type !== 'LoadBalancer' && ingress.length) return [forbidden(f, "may only be used when `spec.type` is 'LoadBalancer'")]
  const out: Cause[] = []
  ingress.forEach((ing, i) => {
    const p = `${f}[${i}]`
    if (ing.ip && !isIP(ing.ip)) out.push(invalid(`${p}.ip`, ing.ip, 'must be a valid IP address'))
    if (!ing.ipMode) {
      if (ing.ip) out.push(required(`${p}.ipMode`, 'must be specified when `ip` is set'))
    } else if (!ing.ip) out.push(forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'))
    else if (!['Proxy', 'VIP'].includes(ing.ipMode)) out.push(notSupported(`${p}.ipMode`, ing.ipMode, ['Proxy', 'VIP']))
    if (ing.hostname) {
      out.push(...validateDNS1123Subdomain(`${p}.hostname`, ing.hostname))
      if (isIP(ing.hostname)) out.push(invalid(`${p}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'))
    }
  })
  return out
}

// The service map: what kube-proxy keeps of each Service port (upstream's
// BaseServicePortInfo, pkg/proxy/serviceport.go and servicechangetracker.go).
// Headless Services (clusterIP None) and ExternalName Services have no cluster
// IP and get no rules; this is the IPv4 proxier, so IPv6 addresses are ignored.

type Obj = Record<string, any>

export type Protocol = 'TCP' | 'UDP' | 'SCTP'

export interface ServicePort {
  /** Upstream's ServicePortName.String(): "ns/name:port", or "ns/name" for an unnamed port. */
  name: string
  namespace: string
  service: string
  portName: string
  protocol: Protocol
  clusterIP: string
  port: number
  /** 0 when the port has none. */
  nodePort: number
  externalIPs: string[]
  /** status.loadBalancer.ingress IPs (VIP mode only: Proxy-mode ingress is the load balancer's business). */
  loadBalancerVIPs: string[]
  /** Normalized CIDRs (network address, prefix). */
  loadBalancerSourceRanges: string[]
  /** 0 unless a LoadBalancer with Local external traffic policy. */
  healthCheckNodePort: number
  /** ClientIP session affinity's timeout; 0 without affinity. */
  stickyMaxAgeSeconds: number
  externalPolicyLocal: boolean
  internalPolicyLocal: boolean
}

/** Upstream's key for a service port in the service and endpoints maps: the name and the protocol. */
export const servicePortKey = (name: string, protocol: string) => `${name}/${protocol}`

export const servicePortName = (namespace: string, service: string, port: string | undefined) =>
  `${namespace}/${service}${port ? `:${port}` : ''}`

export function isIPv4(s: unknown): s is string {
  if (typeof s !== 'string') return false
  const parts = s.split('.')
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
}

/** ParseIPSloppy then String(): leading zeros dropped ("010.0.0.1" is 10.0.0.1). */
export const normalizeIP = (ip: string) => ip.split('.').map(Number).join('.')

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0)
}

const intToIP = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')

/** An IPv4 CIDR as Go's IPNet.String() prints it (host bits cleared), or undefined. */
export function normalizeCIDR(s: string): string | undefined {
  const [ip, bits, extra] = s.trim().split('/')
  const prefix = Number(bits)
  if (extra !== undefined || !isIPv4(ip) || !/^\d{1,2}$/.test(bits ?? '') || prefix > 32)
    return undefined
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return `${intToIP((ipToInt(ip) & mask) >>> 0)}/${prefix}`
}

/** Whether ip lies in cidr (a bare address is a /32). */
export function cidrContains(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split('/')
  const prefix = bits === undefined ? 32 : Number(bits)
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return (ipToInt(net!) & mask) >>> 0 === (ipToInt(ip) & mask) >>> 0
}

/** apiservice.ExternallyAccessible: NodePort and LoadBalancer Services, or a ClusterIP one with external IPs. */
function serviceExternallyAccessible(svc: Obj): boolean {
  const type = svc.spec?.type ?? 'ClusterIP'
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && (svc.spec?.externalIPs?.length ?? 0) > 0)
  )
}

/** The ports kube-proxy programs for a Service; none for a headless or ExternalName one. */
export function servicePortsOf(svc: Obj): ServicePort[] {
  const spec = svc.spec ?? {}
  const clusterIP: string | undefined = spec.clusterIP
  if (!clusterIP || clusterIP === 'None' || !isIPv4(clusterIP)) return []
  const externalPolicyLocal =
    serviceExternallyAccessible(svc) && spec.externalTrafficPolicy === 'Local'
  const internalPolicyLocal = spec.internalTrafficPolicy === 'Local'
  const sticky =
    spec.sessionAffinity === 'ClientIP'
      ? Number(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800)
      : 0
  const externalIPs = ((spec.externalIPs ?? []) as string[]).filter(isIPv4).map(normalizeIP)
  const sourceRanges = ((spec.loadBalancerSourceRanges ?? []) as string[])
    .map(normalizeCIDR)
    .filter((c): c is string => !!c)
  const vips = ((svc.status?.loadBalancer?.ingress ?? []) as Obj[])
    .filter((ing) => ing.ip && (ing.ipMode ?? 'VIP') === 'VIP' && isIPv4(ing.ip))
    .map((ing) => normalizeIP(ing.ip))
  const healthCheck =
    (spec.type === 'LoadBalancer' && externalPolicyLocal && Number(spec.healthCheckNodePort)) || 0
  return ((spec.ports ?? []) as Obj[]).map((p) => ({
    name: servicePortName(svc.metadata.namespace, svc.metadata.name, p.name),
    namespace: svc.metadata.namespace,
    service: svc.metadata.name,
    portName: p.name ?? '',
    protocol: (p.protocol ?? 'TCP') as Protocol,
    clusterIP: normalizeIP(clusterIP),
    port: Number(p.port),
    nodePort: Number(p.nodePort ?? 0),
    externalIPs,
    loadBalancerVIPs: vips,
    loadBalancerSourceRanges: sourceRanges,
    healthCheckNodePort: healthCheck,
    stickyMaxAgeSeconds: sticky,
    externalPolicyLocal,
    internalPolicyLocal,
  }))
}

export const externallyAccessible = (sp: ServicePort) =>
  sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0

/** Cluster endpoints serve internal traffic under Cluster policy, and external traffic's short circuit. */
export const usesClusterEndpoints = (sp: ServicePort) =>
  !sp.internalPolicyLocal || externallyAccessible(sp)

export const usesLocalEndpoints = (sp: ServicePort) =>
  sp.internalPolicyLocal || (sp.externalPolicyLocal && externallyAccessible(sp))

// Service defaulting as pkg/apis/core/v1/defaults.go's SetDefaults_Service does
// it. ipFamilies and ipFamilyPolicy are not defaults: the API server's
// allocator sets them (they depend on the cluster's ranges and on the request).
import { externallyAccessible } from './service-validation'

type O = Record<string, any>

export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800

export function defaultService(s: O): void {
  const spec: O = (s.spec ??= {})
  spec.sessionAffinity ||= 'None'
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig
  if (spec.sessionAffinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds
    if (t === undefined || t === null) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } }
  }
  spec.type ||= 'ClusterIP'
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!p || typeof p !== 'object') continue
    p.protocol ||= 'TCP'
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port ?? 0
  }
  if (externallyAccessible(s) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster'
  if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type)) spec.internalTrafficPolicy ??= 'Cluster'
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true
  defaultLoadBalancerIPMode(s)
  // LoadBalancerStatus is a struct, not a pointer: it is always there, empty or not.
  s.status ??= {}
  s.status.loadBalancer ??= {}
}

/** LoadBalancerIPMode (beta, on in 1.32): a load balancer's ingress IPs are VIPs unless said otherwise. */
export function defaultLoadBalancerIPMode(s: O): void {
  if (s.spec?.type !== 'LoadBalancer') return
  for (const ing of s.status?.loadBalancer?.ingress ?? []) if (ing?.ip && !ing.ipMode) ing.ipMode = 'VIP'
}

// kube-proxy's chain names: a prefix and the first 16 characters of the
// base32 (RFC 4648, padded alphabet) encoding of a SHA-256 hash, because
// iptables chain names are at most 28 characters. Hashed exactly as upstream
// (pkg/proxy/iptables/proxier.go: portProtoHash, servicePortEndpointChainName),
// so a chain name here is the one a real node would show.
import { sha256 } from './sha256'

export const KUBE_SERVICES = 'KUBE-SERVICES'
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES'
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS'
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING'
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ'
export const KUBE_FORWARD = 'KUBE-FORWARD'
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL'
export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY'
/** The kubelet's copy of the anti-martian rule, which kube-proxy also writes. */
export const KUBE_FIREWALL = 'KUBE-FIREWALL'
export const KUBE_KUBELET_CANARY = 'KUBE-KUBELET-CANARY'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Go's base32.StdEncoding, without the padding (we only ever keep a prefix). */
export function base32(bytes: Uint8Array): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

/** Hashes are recomputed on every sync: remember them (bounded, as services come and go). */
const memo = new Map<string, string>()
function hash16(s: string): string {
  let h = memo.get(s)
  if (h === undefined) {
    if (memo.size >= 50_000) memo.clear()
    memo.set(s, (h = base32(sha256(s)).slice(0, 16)))
  }
  return h
}

/** `svcPortName` is upstream's ServicePortName.String(): "ns/name:port", or "ns/name" for an unnamed port; protocol lower case. */
export const portProtoHash = (svcPortName: string, protocol: string) =>
  hash16(svcPortName + protocol)

/** The chain that balances over the endpoints of Cluster traffic policy. */
export const clusterPolicyChain = (svcPortName: string, protocol: string) =>
  `KUBE-SVC-${portProtoHash(svcPortName, protocol)}`
/** The chain that balances over this node's endpoints, for Local traffic policy. */
export const localPolicyChain = (svcPortName: string, protocol: string) =>
  `KUBE-SVL-${portProtoHash(svcPortName, protocol)}`
/** loadBalancerSourceRanges filtering. */
export const firewallChain = (svcPortName: string, protocol: string) =>
  `KUBE-FW-${portProtoHash(svcPortName, protocol)}`
/** Where external traffic (NodePort, LoadBalancer, external IPs) goes first. */
export const externalChain = (svcPortName: string, protocol: string) =>
  `KUBE-EXT-${portProtoHash(svcPortName, protocol)}`
/** One endpoint's DNAT; `endpoint` is "ip:port". */
export const endpointChain = (svcPortName: string, protocol: string, endpoint: string) =>
  `KUBE-SEP-${hash16(svcPortName + protocol + endpoint)}`

const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-EXT-']

/** A per-service chain (kube-proxy deletes those no longer in use). */
export const isServiceChainName = (name: string) =>
  SERVICE_CHAIN_PREFIXES.some((p) => name.startsWith(p))

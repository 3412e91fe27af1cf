// The two ranges kube-apiserver hands out for Services: cluster IPs from
// --service-cluster-ip-range (10.96.0.0/12, kubeadm's default) and node ports
// from --service-node-port-range (30000-32767). Upstream's bitmap allocators
// (registry/core/service/ipallocator, portallocator) split each range in two:
// dynamic allocation picks at random from the upper band first, so that the
// lower band stays free for addresses people ask for by value (10.96.0.10).
// What is taken is not kept here: the caller answers "is this one in use?".
import { formatIPv4, type IPv4Net, parseIPv4, parseIPv4CIDR } from '../../resources/ip-address'

export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12'
export const SERVICE_NODE_PORT_RANGE = { base: 30000, size: 2768 } // 30000-32767

export const ERR_IP_ALLOCATED = 'provided IP is already allocated'
export const ERR_PORT_ALLOCATED = 'provided port is already allocated'
export const ERR_FULL = 'range is full'

/** A random index in [0, n). */
export type Rand = (n: number) => number
export const cryptoRand: Rand = (n) => crypto.getRandomValues(new Uint32Array(1))[0]! % n

/**
 * upstream allocator's randomScanStrategyWithOffset: a random start in the
 * upper band [offset, max), scanning forward for a free slot, then the same in
 * the lower band [0, offset). undefined when everything is taken.
 */
export function randomScan(max: number, offset: number, taken: (i: number) => boolean, rand: Rand): number | undefined {
  const upper = max - offset
  if (upper > 0) {
    const start = rand(upper)
    for (let i = 0; i < upper; i++) {
      const at = offset + ((start + i) % upper)
      if (!taken(at)) return at
    }
  }
  if (offset > 0) {
    const start = rand(offset)
    for (let i = 0; i < offset; i++) {
      const at = (start + i) % offset
      if (!taken(at)) return at
    }
  }
  return undefined
}

/** min(max(lo, size/step), hi), 0 for ranges no larger than lo: upstream's calculateRangeOffset. */
function rangeOffset(size: number, lo: number, hi: number, step: number): number {
  if (size <= lo) return 0
  return Math.min(Math.max(lo, Math.floor(size / step)), hi)
}

/** Cluster IPs: the CIDR without its network and broadcast addresses. */
export class ServiceIPRange {
  readonly net: IPv4Net
  /** First usable address (network + 1) and how many follow it. */
  readonly base: number
  readonly max: number
  readonly offset: number

  constructor(cidr = SERVICE_CLUSTER_IP_RANGE) {
    const net = parseIPv4CIDR(cidr)
    if (!net) throw new Error(`bad service CIDR ${cidr}`)
    this.net = net
    this.base = net.base + 1
    this.max = Math.max(0, net.size - 2)
    this.offset = rangeOffset(net.size, 16, 256, 16)
  }

  /** The address's offset in the range, or undefined when outside it (network and broadcast included). */
  offsetOf(ip: string): number | undefined {
    const n = parseIPv4(ip)
    if (n === undefined) return undefined
    const off = n - this.base
    return off >= 0 && off < this.max ? off : undefined
  }

  ipAt(offset: number): string {
    return formatIPv4(this.base + offset)
  }

  notInRange(ip: string): string {
    const n = parseIPv4(ip)
    return `the provided IP (${n === undefined ? ip : formatIPv4(n)}) is not in the valid range. The range of valid IPs is ${this.net.text}`
  }
}

export class NodePortRange {
  readonly offset: number
  constructor(
    readonly base = SERVICE_NODE_PORT_RANGE.base,
    readonly size = SERVICE_NODE_PORT_RANGE.size,
  ) {
    this.offset = rangeOffset(size, 16, 128, 32)
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port < this.base + this.size
  }

  get text(): string {
    return `${this.base}-${this.base + this.size - 1}`
  }

  notInRange(): string {
    return `provided port is not in the valid range. The range of valid ports is ${this.text}`
  }
}

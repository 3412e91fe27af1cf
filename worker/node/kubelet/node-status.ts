// The Node status a kubelet posts: capacity and allocatable from the simulated
// hardware, the four conditions with upstream's reasons, addresses, nodeInfo
// and the images on the node. Posted when it changes and at least every 5 min.
import { CAPACITY_ANNOTATION } from '../../resources/node-rpc'
import { formatBinary, parseQuantity } from '../../resources/quantity'
import { rfc3339 } from './pod-status'

type Obj = Record<string, any>

export const KUBELET_VERSION = 'v1.32.0'
/** nodeStatusReportFrequency: an unchanged status is still posted this often. */
export const STATUS_REPORT_MS = 5 * 60_000
/** The node Lease: 40 s, renewed every quarter of that. */
export const LEASE_DURATION_S = 40
export const LEASE_RENEW_MS = 10_000
/** The kubelet's hard eviction threshold, memory.available<100Mi, kept out of allocatable. */
const EVICTION_RESERVE = 100 * 2 ** 20

export interface Hardware {
  cpu: number
  memory: number
  pods: number
  ephemeralStorage: number
}

/** The node's simulated hardware, from its capacity annotation (default 4 CPU, 16Gi, 110 pods). */
export function hardwareOf(node: Obj): Hardware {
  const hw: Hardware = { cpu: 4, memory: 16 * 2 ** 30, pods: 110, ephemeralStorage: 100 * 2 ** 30 }
  const spec: string = node.metadata?.annotations?.[CAPACITY_ANNOTATION] ?? ''
  for (const part of spec.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim())
    const q = parseQuantity(v)
    if (!k || q === undefined || q <= 0) continue
    if (k === 'cpu') hw.cpu = q
    if (k === 'memory') hw.memory = q
    if (k === 'pods') hw.pods = Math.floor(q)
    if (k === 'ephemeral-storage') hw.ephemeralStorage = q
  }
  return hw
}

/** The node's address on the simulated host network, from its pod CIDR's index. */
export function hostIPOf(podCIDR: string | undefined): string {
  const n = Number(/^10\.244\.(\d+)\./.exec(podCIDR ?? '')?.[1] ?? 0)
  return `172.18.${Math.floor((n + 2) / 256)}.${(n + 2) % 256}`
}

function hex(s: string, len: number): string {
  let h = 0x811c9dc5
  let out = ''
  for (let round = 0; out.length < len; round++) {
    for (let i = 0; i < s.length; i++)
      h = Math.imul(h ^ (s.charCodeAt(i) + round), 0x01000193) >>> 0
    out += h.toString(16).padStart(8, '0')
  }
  return out.slice(0, len)
}

const uuid = (s: string) => {
  const h = hex(s, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export interface NodeStatusInput {
  node: Obj
  /** Changes with every power cycle. */
  boot: number
  heartbeat: number
  /** When the kubelet (re)started: conditions date from here. */
  readySince: number
  images: { names: string[]; sizeBytes: number }[]
  /** Attachable volumes the node's pods use (VolumeManager.GetVolumesInUse), sorted. */
  volumesInUse?: string[]
}

export function nodeStatus(input: NodeStatusInput): Obj {
  const hw = hardwareOf(input.node)
  const name: string = input.node.metadata.name
  const hb = rfc3339(input.heartbeat)
  const since = rfc3339(input.readySince)
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: hb,
    lastTransitionTime: since,
    reason,
    message,
  })
  const capacity = {
    cpu: String(hw.cpu),
    'ephemeral-storage': formatBinary(hw.ephemeralStorage),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: formatBinary(hw.memory),
    pods: String(hw.pods),
  }
  return {
    capacity,
    allocatable: { ...capacity, memory: formatBinary(hw.memory - EVICTION_RESERVE) },
    conditions: [
      cond(
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
      ),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond(
        'PIDPressure',
        'False',
        'KubeletHasSufficientPID',
        'kubelet has sufficient PID available',
      ),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: hostIPOf(input.node.spec?.podCIDR) },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: hex(`machine/${name}`, 32),
      systemUUID: uuid(`system/${name}`),
      bootID: uuid(`boot/${name}/${input.boot}`),
      kernelVersion: '6.1.0-28-cloud-amd64',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.7.24',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: input.images,
    ...(input.volumesInUse?.length ? { volumesInUse: input.volumesInUse } : {}),
  }
}

/** A status with its heartbeat times blanked: what "changed" is judged on. */
export function withoutHeartbeat(status: Obj): string {
  return JSON.stringify({
    ...status,
    conditions: (status.conditions ?? []).map((c: Obj) => ({ ...c, lastHeartbeatTime: '' })),
  })
}

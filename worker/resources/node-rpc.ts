// What a kubelet and its cluster say to each other: the one small interface a
// node object reaches its cluster through, as a real kubelet reaches the API
// server, and what the cluster pushes to a node (its watch, in effect). Both
// sides import this file; it holds types only.
import type { ClockState } from '../sim/clock'

type Obj = Record<string, any>

/** The annotation on a Node that injects a fault: "poweroff" or "partition". */
export const FAULT_ANNOTATION = 'sim.wheelhouse.dev/fault'
/** "none" on a Node: a hollow node with no kubelet (its status is whatever clients write), for scale runs. */
export const KUBELET_ANNOTATION = 'sim.wheelhouse.dev/kubelet'
/** Simulated hardware of a Node, e.g. "cpu=4,memory=16Gi,pods=110". */
export const CAPACITY_ANNOTATION = 'sim.wheelhouse.dev/capacity'

export type Fault = 'poweroff' | 'partition' | undefined

/** What the cluster tells a node about itself: sent on creation and on every change of the Node. */
export interface NodeConfig {
  cluster: string
  /** The Node object as stored (spec, labels, annotations). */
  node: Obj
  clock: ClockState
}

/** One pod change pushed to the node it is bound to; `pod` undefined means it is gone. */
export interface PodPush {
  namespace: string
  name: string
  pod?: Obj
}

export interface KubeletEvent {
  /** The object the event is about (a Pod, or the Node). */
  involvedObject: {
    apiVersion: string
    kind: string
    name: string
    namespace?: string
    uid?: string
    fieldPath?: string
  }
  reason: string
  message: string
  type: 'Normal' | 'Warning'
  /** Simulated ms. */
  time: number
}

export interface PodStatusUpdate {
  namespace: string
  name: string
  uid: string
  status: Obj
}

/** One batch of a kubelet's writes and reads: a node sends at most one per alarm run. */
export interface KubeletReport {
  node: string
  /** The Node's status as the kubelet computes it: sent when it changed, and at least every 5 min. */
  nodeStatus?: Obj
  /** Renews the node's Lease in kube-node-lease. */
  renewLease?: { renewTime: number; leaseDurationSeconds: number }
  pods?: PodStatusUpdate[]
  events?: KubeletEvent[]
  /** Pods whose containers have all stopped after a graceful deletion: the kubelet removes them. */
  deletePods?: { namespace: string; name: string; uid: string }[]
  /** ConfigMaps and Secrets the kubelet needs for env and volumes; claims and volumes it mounts. */
  reads?: ObjectRead[]
  /** Every pod bound to this node, for a kubelet that (re)starts or reconnects. */
  relist?: boolean
}

export interface ObjectRead {
  resource: 'configmaps' | 'secrets' | 'persistentvolumeclaims' | 'persistentvolumes'
  /** "" for PersistentVolumes (cluster-scoped). */
  namespace: string
  name: string
}

export interface KubeletReply {
  /** False once the Node object is gone: the kubelet stops. */
  registered: boolean
  /** In the order of the report's reads; null for an object that does not exist. */
  reads: (Obj | null)[]
  /** With relist: every pod bound to the node. */
  pods?: Obj[]
}

/** What the API server asks a kubelet for `kubectl logs`. */
export interface LogRequest {
  namespace: string
  name: string
  container?: string
  previous?: boolean
  tailLines?: number
  sinceSeconds?: number
  sinceTime?: number
  timestamps?: boolean
  limitBytes?: number
}

export type LogReply =
  /** `last`: the time of the last line sent, for a follower's next ask; `done`: the container will write no more. */
  | { ok: true; text: string; last?: number; done: boolean }
  | { ok: false; code: number; reason: string; message: string }

/**
 * Requests that reached a pod on this node (simulated traffic, after kube-proxy
 * chose the endpoint): a container listening on the port answers, and logs
 * them if its image logs requests; otherwise the connection is refused.
 */
export interface ServeBatch {
  namespace: string
  name: string
  /** The pod IP the packets were sent to. */
  ip: string
  port: number
  method: string
  path: string
  /** The Host header. */
  host: string
  /** Source addresses as the pod sees them (after any masquerade), with counts. */
  clients: { ip: string; count: number }[]
}

export interface ServeResult {
  answered: number
  refused: number
  /** Nothing at that address any more (the pod is gone, or has another IP). */
  timedOut: number
  /** The last answer, as a client would print it. */
  response?: { code: number; body: string }
}

/** Packets for kube-proxy to route through this node's rules, in one batch. */
export interface RouteRequest {
  /** The destination as the packet carries it. */
  ip: string
  port: number
  protocol: 'TCP' | 'UDP' | 'SCTP'
  /** Arriving from outside the node (NodePort, LoadBalancer) rather than from a local pod. */
  external: boolean
  /** Source addresses (session affinity keys on them), with counts. */
  clients: { ip: string; count: number }[]
}

export type RouteReply =
  | {
      ok: true
      /**
       * Where the rules sent each client's packets (after DNAT); `service` is
       * namespace/name:port; `masquerade` when a KUBE-MARK-MASQ rule marked them
       * (the pod then sees this node's IP as the source).
       */
      endpoints: { client: string; ip: string; port: number; count: number; service: string; masquerade?: boolean }[]
      /** Rejected by a REJECT rule (a service without endpoints). */
      refused: number
      /** Dropped by a DROP rule (Local traffic policy, no local endpoint): the client times out. */
      dropped?: number
      /** Matched no service rule: the destination is taken as it is. */
      unmatched: number
    }
  | { ok: false; code: number; reason: string; message: string }

/** One Service or EndpointSlice as kube-proxy's informers see it; `object` undefined: deleted. */
export interface ProxyObject {
  namespace: string
  name: string
  object?: Obj
}

/** Service and EndpointSlice changes pushed to a node's kube-proxy (its watch, in effect). */
export interface ProxyPush {
  /** A page of a full list: the first starts it; at the last, what the node had and was not listed is gone. */
  relist?: { first: boolean; last: boolean }
  services: ProxyObject[]
  endpointSlices: ProxyObject[]
}

export interface ProxyRuleView {
  /** As kube-proxy writes it to iptables-restore, after "-A chain". */
  args: string
  /** As iptables-save prints it back. */
  text: string
  /** The jump or action, if any: a chain name, ACCEPT, DROP, REJECT, DNAT, MARK, MASQUERADE, RETURN. */
  target?: string
  packets: number
  bytes: number
}

export interface ProxyChainView {
  name: string
  /** Built-in chains only. */
  policy?: string
  packets: number
  bytes: number
  /** The service port a per-service chain belongs to. */
  service?: string
  rules: ProxyRuleView[]
}

export interface ProxyEndpointView {
  endpoint: string
  ip: string
  port: number
  nodeName?: string
  zone?: string
  ready: boolean
  serving: boolean
  terminating: boolean
  local: boolean
  /** Its KUBE-SEP chain, when this node may send traffic to it. */
  chain?: string
  /** Chosen for Cluster traffic policy (KUBE-SVC) / Local traffic policy (KUBE-SVL). */
  cluster: boolean
  localPolicy: boolean
}

export interface ProxyServiceView {
  service: string
  protocol: string
  clusterIP: string
  port: number
  nodePort?: number
  externalIPs: string[]
  loadBalancerIPs: string[]
  /** ClientIP affinity timeout in seconds, when set. */
  sessionAffinitySeconds?: number
  internalTrafficPolicy: 'Cluster' | 'Local'
  externalTrafficPolicy: 'Cluster' | 'Local'
  chains: { cluster?: string; local?: string; external?: string; firewall?: string }
  /** No usable endpoint anywhere: connections are rejected. */
  rejected: boolean
  endpoints: ProxyEndpointView[]
}

/** What a node's kube-proxy programs: its tables as a model, per-service views, and iptables-save's text. */
export type ProxyRulesReply =
  | {
      ok: true
      node: string
      nodeIP: string
      tables: { name: 'mangle' | 'filter' | 'nat'; chains: ProxyChainView[] }[]
      services: ProxyServiceView[]
      /** With counters (`iptables-save -c`) when asked. */
      iptablesSave: string
    }
  | { ok: false; code: number; reason: string; message: string }

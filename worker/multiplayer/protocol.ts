// The live feed between a browser and its cluster: one WebSocket per browser
// to the cluster object, JSON text messages both ways. Types only: the web
// client imports this file with `import type`, nothing else from worker/.
//
// Connect: GET /clusters/{name}/live with `Upgrade: websocket` and the
// subprotocols `wheelhouse.v1` and `base64url.bearer.authorization.k8s.io.<token
// in base64url, no padding>` (browsers cannot set Authorization on a
// WebSocket; this is how kube-apiserver takes a bearer token there too). The
// server answers with the `wheelhouse.v1` subprotocol, or 401 before upgrading.

export const LIVE_PATH = '/live'
export const LIVE_SUBPROTOCOL = 'wheelhouse.v1'
export const BEARER_SUBPROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.'
/** The server batches what it sends: at most this long after the first event of a batch. */
export const BATCH_MS = 100
/**
 * Flow control (workerd's WebSocket has no bufferedAmount, so the client tells
 * the server what it has read). The client acks at least every ACK_EVERY
 * characters received (the sum of `data.length` of the server's messages);
 * the server sends list and replay pages only while less than FLOW_WINDOW is
 * unacknowledged, and closes the socket with 1013 (try again later) past
 * FLOW_LIMIT: the client then reconnects and resumes from its last resourceVersion.
 */
export const ACK_EVERY = 64 * 1024
export const FLOW_WINDOW = 1024 * 1024
export const FLOW_LIMIT = 16 * 1024 * 1024

type Obj = Record<string, any>

/** A kind as the API names it, optionally narrowed; one watch, in effect. */
export interface Subscription {
  /** Chosen by the client, unique on its socket. */
  id: string
  /** '' for the core group. */
  group: string
  version: string
  /** The plural resource, e.g. "pods", "nodes", "deployments". */
  resource: string
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  /**
   * Resume after this resourceVersion (the last the client saw for this
   * subscription): the server replays what happened since, without a list.
   * Absent: the server sends the current objects first (ADDED), then `synced`.
   * Too old (compacted): the server sends `expired` and the client relists.
   */
  resourceVersion?: string
}

/** What a person is looking at, for the others to see highlighted. */
export interface FocusTarget {
  kind: string
  namespace?: string
  name: string
}

export interface Person {
  /** This connection's id (one person may have several tabs: several ids). */
  id: string
  /** The authenticated user (from the token), e.g. "admin" or "system:serviceaccount:default:alice". */
  user: string
  /** The display name the person chose. */
  name: string
  /** A CSS colour, assigned by the server unless the client asked for one. */
  color: string
  focus?: FocusTarget
}

export type ClientMessage =
  | { type: 'subscribe'; sub: Subscription }
  | { type: 'unsubscribe'; id: string }
  /** Sets this connection's display name, colour or focus (null clears it). */
  | { type: 'presence'; name?: string; color?: string; focus?: FocusTarget | null }
  | { type: 'ping'; t: number }
  /** Flow control: the total length of the server's messages received on this socket so far. */
  | { type: 'ack'; received: number }

export interface FeedEvent {
  sub: string
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  object: Obj
  /**
   * Who made this write: a person's display name when a person's request made it,
   * otherwise the user or component that did (e.g. "replicaset-controller",
   * "kubelet worker-2", "default-scheduler").
   */
  by?: string
}

export type ServerMessage =
  | { type: 'welcome'; you: Person; people: Person[]; cluster: string }
  /** Everyone present, after any join, leave or change of name, colour or focus. */
  | { type: 'people'; people: Person[] }
  /** Events of any of this socket's subscriptions, in store order, batched (BATCH_MS). */
  | { type: 'events'; events: FeedEvent[] }
  /** The initial objects of a subscription have all been sent; live events follow. */
  | { type: 'synced'; sub: string; resourceVersion: string }
  /** The subscription's progress, when nothing changed for a while (like a watch BOOKMARK). */
  | { type: 'bookmark'; sub: string; resourceVersion: string }
  /** The subscription's resourceVersion is too old (410 Gone): relist without one. */
  | { type: 'expired'; sub: string }
  /** A refused message or subscription; `status` is a Kubernetes Status. */
  | { type: 'error'; sub?: string; status: Obj }
  | { type: 'pong'; t: number }

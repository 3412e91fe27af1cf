// What each node's kube-proxy has yet to hear: the cluster's side of its
// Service and EndpointSlice informers. Every change moves the object's row of
// proxy_changes forward; each node has a cursor into that log and is sent what
// lies past it, as the objects are now. A node that is new, or could not hear
// (powered off, partitioned: it keeps its stale rules meanwhile), lists
// everything again, in pages, as an informer relists after its watch broke.
import { getTableName } from 'drizzle-orm'
import {
  FAULT_ANNOTATION,
  KUBELET_ANNOTATION,
  type ProxyObject,
  type ProxyPush,
} from '../resources/node-rpc'
import { findKind } from '../resources/registry'
import type { Obj, Objects } from './objects'
import { proxyChanges, proxyCursors } from './schema'

const CHANGES = getTableName(proxyChanges)
const CURSORS = getTableName(proxyCursors)
const NODES = findKind('', 'v1', 'nodes')!
export const PROXY_KINDS = {
  services: findKind('', 'v1', 'services')!,
  endpointslices: findKind('discovery.k8s.io', 'v1', 'endpointslices')!,
}
export type ProxyResource = keyof typeof PROXY_KINDS

/** The cursor of a node that must list everything. */
export const RELIST = -1
/** Objects per push, and nodes per pass. */
const PAGE = 500
const NODES_PER_PASS = 100
/** Pages sent to one node in one pass before others get their turn. */
const PAGES_PER_NODE = 10

/** What kube-proxy keeps of a Service: enough for its rules, nothing it never reads. */
export function trimService(svc: Obj): Obj {
  return {
    metadata: { namespace: svc.metadata.namespace, name: svc.metadata.name },
    spec: svc.spec ?? {},
    status: { loadBalancer: svc.status?.loadBalancer ?? {} },
  }
}

/** What kube-proxy keeps of an EndpointSlice. */
export function trimEndpointSlice(s: Obj): Obj {
  return {
    metadata: {
      namespace: s.metadata.namespace,
      name: s.metadata.name,
      labels: s.metadata.labels ?? {},
    },
    addressType: s.addressType,
    endpoints: ((s.endpoints ?? []) as Obj[]).map((e) => ({
      addresses: e.addresses,
      conditions: e.conditions ?? {},
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      ...(e.zone ? { zone: e.zone } : {}),
      ...(e.hints ? { hints: e.hints } : {}),
    })),
    ports: s.ports ?? [],
  }
}

const trim = (r: ProxyResource, o: Obj) =>
  r === 'services' ? trimService(o) : trimEndpointSlice(o)

/** Sends one push to a node's kube-proxy; false when it cannot hear. */
export type ProxySend = (node: string, push: ProxyPush) => Promise<boolean>

export class ProxyFeed {
  readonly #sql: SqlStorage
  #seq: number

  constructor(sql: SqlStorage) {
    this.#sql = sql
    this.#seq = Number(
      sql.exec<{ s: number | null }>(`SELECT MAX(seq) AS s FROM ${CHANGES}`).one().s ?? 0,
    )
  }

  /** The newest change. */
  get head(): number {
    return this.#seq
  }

  changed(resource: ProxyResource, namespace: string, name: string): void {
    this.#sql.exec(
      `INSERT INTO ${CHANGES} (resource, namespace, name, seq) VALUES (?, ?, ?, ?) ON CONFLICT(resource, namespace, name) DO UPDATE SET seq = excluded.seq`,
      resource,
      namespace,
      name,
      ++this.#seq,
    )
  }

  /** A node with a kube-proxy: it lists everything first, unless it is already following. */
  watch(node: string): void {
    this.#sql.exec(
      `INSERT INTO ${CURSORS} (node, seq) VALUES (?, ?) ON CONFLICT(node) DO NOTHING`,
      node,
      RELIST,
    )
  }

  /** The node must list everything again. */
  relist(node: string): void {
    this.#sql.exec(
      `INSERT INTO ${CURSORS} (node, seq) VALUES (?, ?) ON CONFLICT(node) DO UPDATE SET seq = excluded.seq`,
      node,
      RELIST,
    )
  }

  /** The node is gone, or hollow. */
  forget(node: string): void {
    this.#sql.exec(`DELETE FROM ${CURSORS} WHERE node = ?`, node)
  }

  cursor(node: string): number | undefined {
    const row = this.#sql
      .exec<{ seq: number }>(`SELECT seq FROM ${CURSORS} WHERE node = ?`, node)
      .toArray()[0]
    return row && Number(row.seq)
  }

  /** Nodes that have something to hear. */
  behind(limit = NODES_PER_PASS): { node: string; seq: number }[] {
    return this.#sql
      .exec<{ node: string; seq: number }>(
        `SELECT node, seq FROM ${CURSORS} WHERE seq < ? ORDER BY seq LIMIT ?`,
        this.#seq,
        limit,
      )
      .toArray()
      .map((r) => ({ node: r.node, seq: Number(r.seq) }))
  }

  #advance(node: string, seq: number): void {
    // Only a node still followed (not forgotten, not sent back to relist meanwhile) moves on.
    this.#sql.exec(
      `UPDATE ${CURSORS} SET seq = ? WHERE node = ? AND seq < ? AND seq != ?`,
      seq,
      node,
      seq,
      RELIST,
    )
  }

  #since(
    seq: number,
    limit: number,
  ): { resource: ProxyResource; namespace: string; name: string; seq: number }[] {
    return this.#sql
      .exec<{ resource: ProxyResource; namespace: string; name: string; seq: number }>(
        `SELECT resource, namespace, name, seq FROM ${CHANGES} WHERE seq > ? ORDER BY seq LIMIT ?`,
        seq,
        limit,
      )
      .toArray()
      .map((r) => ({ ...r, seq: Number(r.seq) }))
  }

  /** Drops what every following node has heard (relisting nodes need no log). */
  trim(): void {
    const row = this.#sql
      .exec<{ s: number | null }>(`SELECT MIN(seq) AS s FROM ${CURSORS} WHERE seq != ?`, RELIST)
      .one()
    this.#sql.exec(
      `DELETE FROM ${CHANGES} WHERE seq <= ?`,
      row.s === null ? this.#seq : Number(row.s),
    )
  }

  /** One pass: each node behind hears what it missed. True when some node is still behind. */
  async push(objects: Objects, send: ProxySend): Promise<boolean> {
    let failed: unknown
    await Promise.all(
      this.behind().map(async ({ node, seq }) => {
        const n = objects.get(NODES, undefined, node)
        if (!n || n.metadata.annotations?.[KUBELET_ANNOTATION] === 'none') return this.forget(node)
        // A faulted node hears nothing: it lists again once it can.
        if (n.metadata.annotations?.[FAULT_ANNOTATION]) return this.relist(node)
        try {
          if (seq === RELIST) await this.#relistNode(objects, node, send)
          else await this.#catchUp(objects, node, seq, send)
        } catch (err) {
          failed = err
        }
      }),
    )
    this.trim()
    if (failed) throw failed
    return this.behind(1).length > 0
  }

  async #catchUp(objects: Objects, node: string, seq: number, send: ProxySend): Promise<void> {
    for (let page = 0; page < PAGES_PER_NODE; page++) {
      const rows = this.#since(seq, PAGE)
      if (!rows.length) return
      const push: ProxyPush = { services: [], endpointSlices: [] }
      for (const r of rows) {
        const o = objects.get(PROXY_KINDS[r.resource], r.namespace, r.name)
        const entry: ProxyObject = {
          namespace: r.namespace,
          name: r.name,
          ...(o ? { object: trim(r.resource, o) } : {}),
        }
        ;(r.resource === 'services' ? push.services : push.endpointSlices).push(entry)
      }
      if (!(await send(node, push))) return this.relist(node)
      seq = rows[rows.length - 1]!.seq
      this.#advance(node, seq)
    }
  }

  /** Everything, page by page; what the node had and was not listed goes at the last page. */
  async #relistNode(objects: Objects, node: string, send: ProxySend): Promise<void> {
    const head = this.#seq
    let held: ProxyPush | undefined
    let first = true
    const flush = async (last: boolean) => {
      if (!held) return true
      held.relist = { first, last }
      first = false
      const ok = await send(node, held)
      held = undefined
      return ok
    }
    for (const resource of ['services', 'endpointslices'] as const) {
      let cont: string | undefined
      do {
        const page = objects.list(PROXY_KINDS[resource], { limit: PAGE, continue: cont })
        cont = page.continue
        if (!(await flush(false))) return
        held = { services: [], endpointSlices: [] }
        const list = resource === 'services' ? held.services : held.endpointSlices
        for (const o of page.items)
          list.push({
            namespace: o.metadata.namespace,
            name: o.metadata.name,
            object: trim(resource, o),
          })
      } while (cont)
    }
    if (!(await flush(true))) return
    // Back to following, from where the list began (later changes are sent again: harmless).
    this.#sql.exec(`UPDATE ${CURSORS} SET seq = ? WHERE node = ? AND seq = ?`, head, node, RELIST)
  }
}

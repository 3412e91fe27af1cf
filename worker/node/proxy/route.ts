// Packets through the rules: a batch of new connections, each client's
// packets walked through the node's chains as netfilter would (nat
// PREROUTING, or OUTPUT for the host's own; then filter INPUT, FORWARD or
// OUTPUT; then nat POSTROUTING), with the statistic match splitting a batch
// at random, xt_recent lists for session affinity, marks for masquerading,
// and a packet and byte count on every rule it passes.
import { cidrContains, ipToInt } from './service-port'
import { binomial } from './random'
import { type Chain, findChain, type Proto, type Rule, type Ruleset, type TableName } from './rules'

/** The first packet of a TCP connection (SYN with options), as the nat table sees it. */
export const PACKET_BYTES = 60

/** xt_recent's lists (one per KUBE-SEP chain with affinity): client IP → last seen, simulated ms. */
export interface RecentLists {
  lastSeen(list: string, ip: string): number | undefined
  set(list: string, ip: string, now: number): void
  remove(list: string, ip: string): void
}

export interface RouteContext {
  ruleset: Ruleset
  /** The node's own addresses ("--src-type/--dst-type LOCAL"): its IP, the pod bridge, loopback. */
  isLocal(ip: string): boolean
  nodeIP: string
  /** The node's pod CIDR; masquerading towards it uses the bridge address. */
  podCIDR: string
  podGateway: string
  now: number
  random: () => number
  recent: RecentLists
}

export interface RouteBatch {
  ip: string
  port: number
  protocol: Proto
  clients: { ip: string; count: number }[]
}

/** Where one client's connections went. */
export interface Delivery {
  /** The client as it sent them. */
  client: string
  ip: string
  port: number
  /** "ns/name:port" of the KUBE-SEP chain that chose the endpoint. */
  service: string
  count: number
  /** Masqueraded: the endpoint sees `source`, this node's address, instead of the client. */
  masquerade: boolean
  source: string
}

export interface RouteResult {
  /** By endpoint, service, client and masquerade. */
  deliveries: Map<string, Delivery>
  /** REJECTed: the client sees "connection refused". */
  refused: number
  /** DROPped: the client times out. */
  dropped: number
  /** No rule rewrote the destination: plain routing to a pod or node address. */
  unmatched: number
  /** Rules and built-in chain policies that counted packets in this call, and how many (for the caller to persist). */
  hits: Map<Rule | Chain, number>
}

interface Packet {
  src: string
  dst: string
  /** src and dst as integers, for matching. */
  s: number
  d: number
  dport: number
  proto: Proto
  mark: number
  masqueraded?: boolean
  /** The DNAT the nat table applied, and the service of the chain that did it. */
  dnat?: { ip: string; port: number; service: string }
}

interface Flow {
  n: number
  pkt: Packet
}

type Verdict = 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN'

interface Outcome extends Flow {
  verdict: Verdict
}

/** A rule's matches as one test, and what it does when it matches (built once per rule). */
interface Compiled {
  test: (pkt: Packet, ctx: RouteContext) => boolean
  probability?: number
  sets: string[]
}

type Test = (p: Packet, ctx: RouteContext) => boolean

const compiled = new WeakMap<Rule, Compiled>()

function netTest(cidr: string, not: boolean | undefined, pick: (p: Packet) => number): Test {
  const [ip, bits] = cidr.split('/')
  const prefix = bits === undefined ? 32 : Number(bits)
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  const net = (ipToInt(ip!) & mask) >>> 0
  return (p) => ((pick(p) & mask) >>> 0 === net) !== !!not
}

function compile(r: Rule): Compiled {
  const tests: Test[] = []
  let probability: number | undefined
  const sets: string[] = []
  for (const m of r.matches) {
    switch (m.m) {
      case 'proto':
        tests.push((p) => p.proto === m.proto)
        break
      case 'src':
        tests.push(netTest(m.cidr, m.not, (p) => p.s))
        break
      case 'dst':
        tests.push(netTest(m.cidr, m.not, (p) => p.d))
        break
      case 'dport':
        tests.push((p) => p.dport === m.port)
        break
      case 'addrtype':
        tests.push(
          m.dir === 'src' ? (p, ctx) => ctx.isLocal(p.src) : (p, ctx) => ctx.isLocal(p.dst),
        )
        break
      case 'statistic':
        probability = Number(m.probability)
        break
      case 'recent':
        if ('set' in m) sets.push(m.name)
        else
          tests.push((p, ctx) => {
            const seen = ctx.recent.lastSeen(m.name, p.src)
            if (seen === undefined) return false
            if (ctx.now - seen <= m.seconds * 1000) return true
            if (m.reap) ctx.recent.remove(m.name, p.src)
            return false
          })
        break
      case 'mark':
        tests.push((p) => ((p.mark & m.mask) === m.value) !== !!m.not)
        break
      case 'conntrack':
        // Every connection here is new; after a DNAT conntrack also reports DNAT.
        tests.push(
          (p) => m.states.some((s) => s === 'NEW' || (s === 'DNAT' && !!p.dnat)) !== !!m.not,
        )
        break
    }
  }
  return { test: (p, ctx) => tests.every((t) => t(p, ctx)), probability, sets }
}

/**
 * Long chains (KUBE-SERVICES, KUBE-NODEPORTS) indexed by what their rules
 * require of a packet, so a packet is tested only against rules that could
 * match it, in the same order: the kernel's linear walk, without its cost.
 */
interface ChainIndex {
  /** "proto|dst|dport" for rules requiring all three exactly. */
  exact: Map<string, number[]>
  /** "proto|dport" for rules requiring those but no single destination. */
  port: Map<string, number[]>
  rest: number[]
}

const INDEX_FROM = 16
const indexes = new WeakMap<Chain, ChainIndex>()

function indexOf(c: Chain): ChainIndex {
  let ix = indexes.get(c)
  if (ix) return ix
  ix = { exact: new Map(), port: new Map(), rest: [] }
  c.rules.forEach((r, i) => {
    let proto: string | undefined
    let dport: number | undefined
    let dst: string | undefined
    for (const m of r.matches) {
      if (m.m === 'proto') proto = m.proto
      else if (m.m === 'dport') dport = m.port
      else if (m.m === 'dst' && !m.not && (!m.cidr.includes('/') || m.cidr.endsWith('/32')))
        dst = m.cidr.replace('/32', '')
    }
    if (proto && dport !== undefined && dst) push(ix!.exact, `${proto}|${ipToInt(dst)}|${dport}`, i)
    else if (proto && dport !== undefined) push(ix!.port, `${proto}|${dport}`, i)
    else ix!.rest.push(i)
  })
  indexes.set(c, ix)
  return ix
}

function push(m: Map<string, number[]>, k: string, i: number): void {
  const l = m.get(k)
  if (l) l.push(i)
  else m.set(k, [i])
}

/** Indices of the rules at or after `from` that could match the packet, in order. */
function* candidates(c: Chain, pkt: Packet, from: number): Generator<number> {
  if (c.rules.length < INDEX_FROM) {
    for (let i = from; i < c.rules.length; i++) yield i
    return
  }
  const ix = indexOf(c)
  const lists = [
    ix.exact.get(`${pkt.proto}|${pkt.d}|${pkt.dport}`) ?? [],
    ix.port.get(`${pkt.proto}|${pkt.dport}`) ?? [],
    ix.rest,
  ]
  const at = lists.map((l) => lowerBound(l, from))
  for (;;) {
    let best = -1
    for (let k = 0; k < 3; k++)
      if (at[k]! < lists[k]!.length && (best < 0 || lists[k]![at[k]!]! < lists[best]![at[best]!]!))
        best = k
    if (best < 0) return
    yield lists[best]![at[best]!++]!
  }
}

function lowerBound(l: number[], v: number): number {
  let lo = 0
  let hi = l.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (l[mid]! < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

class Walker {
  readonly hits = new Map<Rule | Chain, number>()
  readonly #chains = new Map<string, Chain | undefined>()
  constructor(readonly ctx: RouteContext) {}

  #chain(table: TableName, name: string): Chain | undefined {
    const key = `${table}/${name}`
    if (!this.#chains.has(key)) this.#chains.set(key, findChain(this.ctx.ruleset, table, name))
    return this.#chains.get(key)
  }

  #compiled(r: Rule): Compiled {
    let c = compiled.get(r)
    if (!c) compiled.set(r, (c = compile(r)))
    return c
  }

  #count(x: Rule | Chain, n: number): void {
    x.packets += n
    x.bytes += n * PACKET_BYTES
    this.hits.set(x, (this.hits.get(x) ?? 0) + n)
  }

  run(table: TableName, name: string, flow: Flow): Outcome[] {
    const c = this.#chain(table, name)
    if (!c) return [{ ...flow, verdict: 'RETURN' }]
    const done: Outcome[] = []
    // Flows waiting to go on from a rule: what a match split off, or what came back from a jump.
    const work: { f: Flow; from: number }[] = [{ f: flow, from: 0 }]
    while (work.length) {
      let { f, from } = work.pop()!
      let consumed = false
      for (const i of candidates(c, f.pkt, from)) {
        const r = c.rules[i]!
        const cr = this.#compiled(r)
        let hit = cr.test(f.pkt, this.ctx) ? f.n : 0
        if (hit && cr.probability !== undefined)
          hit = binomial(hit, cr.probability, this.ctx.random)
        if (!hit) continue
        this.#count(r, hit)
        for (const list of cr.sets) this.ctx.recent.set(list, f.pkt.src, this.ctx.now)
        const next: Flow[] = []
        this.#apply(table, c, r, { n: hit, pkt: f.pkt }, next, done)
        for (const g of next) work.push({ f: g, from: i + 1 })
        if (hit === f.n) {
          consumed = true
          break
        }
        f = { n: f.n - hit, pkt: f.pkt }
      }
      if (consumed) continue
      // Off the end of a built-in chain: its policy.
      if (c.policy) this.#count(c, f.n)
      done.push({ ...f, verdict: c.policy ?? 'RETURN' })
    }
    return done
  }

  /** The target of a matched rule: flows that go on join next, those decided join done. */
  #apply(table: TableName, c: Chain, r: Rule, taken: Flow, next: Flow[], done: Outcome[]): void {
    const t = r.target
    const pkt = taken.pkt
    if (!t) next.push(taken)
    else if ('to' in t) {
      const [ip, port] = t.to.split(':')
      const dnat = { ip: ip!, port: Number(port), service: c.service ?? '' }
      done.push({
        n: taken.n,
        pkt: { ...pkt, dst: dnat.ip, d: ipToInt(dnat.ip), dport: dnat.port, dnat },
        verdict: 'ACCEPT',
      })
    } else if ('op' in t)
      next.push({
        n: taken.n,
        pkt: { ...pkt, mark: t.op === 'or' ? pkt.mark | t.value : pkt.mark ^ t.value },
      })
    else if ('randomFully' in t)
      done.push({ n: taken.n, verdict: 'ACCEPT', pkt: this.#masquerade(pkt) })
    else if (t.j === 'ACCEPT' || t.j === 'DROP' || t.j === 'REJECT' || t.j === 'RETURN')
      done.push({ ...taken, verdict: t.j })
    else
      for (const o of this.run(table, t.j, taken)) {
        if (o.verdict === 'RETURN') next.push({ n: o.n, pkt: o.pkt })
        else done.push(o)
      }
  }

  /** The source becomes the address of the interface towards the destination. */
  #masquerade(pkt: Packet): Packet {
    const src = cidrContains(this.ctx.podCIDR, pkt.dst) ? this.ctx.podGateway : this.ctx.nodeIP
    return { ...pkt, src, s: ipToInt(src), masqueraded: true }
  }
}

/** Walks each client's new connections through the rules. */
export function route(ctx: RouteContext, batch: RouteBatch): RouteResult {
  const w = new Walker(ctx)
  const result: RouteResult = {
    deliveries: new Map(),
    refused: 0,
    dropped: 0,
    unmatched: 0,
    hits: w.hits,
  }
  for (const client of batch.clients) {
    // The first connection alone: an affinity it records applies to the rest.
    const sizes = client.count > 1 ? [1, client.count - 1] : client.count === 1 ? [1] : []
    for (const n of sizes) {
      const pkt: Packet = {
        src: client.ip,
        dst: batch.ip,
        s: ipToInt(client.ip),
        d: ipToInt(batch.ip),
        dport: batch.port,
        proto: batch.protocol,
        mark: 0,
      }
      const host = ctx.isLocal(client.ip)
      // mangle's chains are empty here, but every packet passes them (and their policies count it).
      w.run('mangle', host ? 'OUTPUT' : 'PREROUTING', { n, pkt })
      for (const nat of w.run('nat', host ? 'OUTPUT' : 'PREROUTING', { n, pkt })) {
        const filterChain = host ? 'OUTPUT' : ctx.isLocal(nat.pkt.dst) ? 'INPUT' : 'FORWARD'
        if (!host) w.run('mangle', filterChain, nat)
        for (const f of w.run('filter', filterChain, nat)) {
          if (f.verdict === 'REJECT') result.refused += f.n
          else if (f.verdict === 'DROP') result.dropped += f.n
          else if (!f.pkt.dnat) {
            if (filterChain !== 'INPUT') passPostrouting(w, f)
            result.unmatched += f.n
          } else {
            // Delivered here (INPUT) skips POSTROUTING; anything leaving the node passes it.
            for (const post of filterChain === 'INPUT' ? [f] : passPostrouting(w, f))
              deliver(result, client.ip, f.pkt.dnat, post)
          }
        }
      }
    }
  }
  return result
}

function passPostrouting(w: Walker, f: Flow): Outcome[] {
  w.run('mangle', 'POSTROUTING', f)
  return w.run('nat', 'POSTROUTING', f)
}

function deliver(
  result: RouteResult,
  client: string,
  d: NonNullable<Packet['dnat']>,
  post: Flow,
): void {
  const masquerade = !!post.pkt.masqueraded
  const key = `${d.ip}:${d.port}|${d.service}|${client}|${masquerade}`
  const e = result.deliveries.get(key)
  if (e) e.count += post.n
  else result.deliveries.set(key, { client, ...d, count: post.n, masquerade, source: post.pkt.src })
}

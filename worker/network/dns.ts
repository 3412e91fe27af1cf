// The cluster DNS: what CoreDNS's kubernetes plugin answers (the records of
// the Kubernetes DNS specification, kubernetes/dns docs/specification.md) and
// how a pod's resolver walks its search list (ndots:5), with nslookup's output.
// Pure: the caller passes a view of Services, EndpointSlices and namespaces.

type Obj = Record<string, any>

export const CLUSTER_DOMAIN = 'cluster.local'
export const DNS_SERVICE_IP = '10.96.0.10'
/** kubeadm's Corefile: `ttl 30` in the kubernetes plugin. */
export const DNS_TTL = 30

export type RecordType = 'A' | 'SRV' | 'CNAME' | 'PTR'
export const RECORD_TYPES: RecordType[] = ['A', 'SRV', 'CNAME', 'PTR']

export interface DnsRecord {
  name: string
  type: RecordType
  ttl: number
  data: string
}

export interface DnsView {
  service(namespace: string, name: string): Obj | undefined
  /** The EndpointSlices of a Service (label kubernetes.io/service-name). */
  endpointSlices(namespace: string, service: string): Obj[]
  namespaceExists(namespace: string): boolean
  /** The Service whose ClusterIP this is, for PTR. */
  serviceByIP(ip: string): Obj | undefined
}

export interface Answer {
  rcode: 'NOERROR' | 'NXDOMAIN'
  /** The fully qualified name answered (or the last one tried). */
  name: string
  answers: DnsRecord[]
}

/** The search list of a pod in this namespace (ClusterFirst dnsPolicy). */
export function searchList(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN]
}

/**
 * A resolver's walk as glibc/musl do it with ndots:5: a name with fewer than
 * five dots tries the search domains first, then itself; a trailing dot means
 * absolute. The first answer that is not NXDOMAIN wins.
 */
export function resolve(view: DnsView, name: string, type: RecordType, search: string[]): Answer {
  const absolute = name.endsWith('.')
  const bare = name.replace(/\.$/, '').toLowerCase()
  const dots = bare.split('.').length - 1
  const candidates = absolute ? [bare] : dots >= 5 ? [bare, ...search.map((s) => `${bare}.${s}`)] : [...search.map((s) => `${bare}.${s}`), bare]
  let last: Answer = { rcode: 'NXDOMAIN', name: bare, answers: [] }
  for (const c of candidates) {
    last = query(view, c, type)
    if (last.rcode !== 'NXDOMAIN') return last
  }
  return last
}

/** One fully qualified question to the kubernetes plugin. */
export function query(view: DnsView, fqdn: string, type: RecordType): Answer {
  const name = fqdn.replace(/\.$/, '').toLowerCase()
  const nx: Answer = { rcode: 'NXDOMAIN', name, answers: [] }
  const empty: Answer = { rcode: 'NOERROR', name, answers: [] }
  const rr = (data: string, t: RecordType = type, n = name): DnsRecord => ({ name: n, type: t, ttl: DNS_TTL, data })

  if (type === 'PTR') {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name)
    if (!m) return nx
    const ip = [m[4], m[3], m[2], m[1]].join('.')
    const svc = view.serviceByIP(ip)
    return svc ? { rcode: 'NOERROR', name, answers: [rr(`${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}`)] } : nx
  }
  if (!name.endsWith(`.${CLUSTER_DOMAIN}`)) return nx
  const labels = name.slice(0, -CLUSTER_DOMAIN.length - 1).split('.')

  // <a-b-c-d>.<namespace>.pod.cluster.local: CoreDNS's `pods insecure` answers the IP in the name.
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = labels[0]!.replaceAll('-', '.')
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !view.namespaceExists(labels[1]!)) return nx
    return type === 'A' ? { rcode: 'NOERROR', name, answers: [rr(ip)] } : empty
  }
  if (labels[labels.length - 1] !== 'svc') return nx
  const rest = labels.slice(0, -1)

  // _<port>._<proto>.<service>.<namespace>.svc.cluster.local
  if (rest.length === 4 && rest[0]!.startsWith('_') && rest[1]!.startsWith('_')) {
    const [portName, proto, svcName, ns] = [rest[0]!.slice(1), rest[1]!.slice(1).toUpperCase(), rest[2]!, rest[3]!]
    const svc = view.service(ns, svcName)
    if (!svc) return nx
    const port = (svc.spec?.ports ?? []).find((p: Obj) => p.name === portName && (p.protocol ?? 'TCP') === proto)
    if (!port || type !== 'SRV') return port ? empty : nx
    const host = `${svcName}.${ns}.svc.${CLUSTER_DOMAIN}`
    if (!isHeadless(svc)) return { rcode: 'NOERROR', name, answers: [rr(`0 100 ${port.port} ${host}`)] }
    const eps = endpointsOf(view, svc).filter((e) => e.ports.some((p) => p.name === portName && p.protocol === proto))
    const weight = eps.length ? Math.floor(100 / eps.length) : 0
    return {
      rcode: 'NOERROR',
      name,
      answers: eps.map((e) => rr(`0 ${weight} ${e.ports.find((p) => p.name === portName)!.port} ${e.hostname ?? e.ip.replaceAll('.', '-')}.${host}`)),
    }
  }

  // <hostname>.<service>.<namespace>.svc.cluster.local: a headless service's named endpoint.
  if (rest.length === 3) {
    const [host, svcName, ns] = rest as [string, string, string]
    const svc = view.service(ns, svcName)
    if (!svc || !isHeadless(svc)) return nx
    const ep = endpointsOf(view, svc).find((e) => e.hostname === host || e.ip.replaceAll('.', '-') === host)
    if (!ep) return nx
    return type === 'A' ? { rcode: 'NOERROR', name, answers: [rr(ep.ip)] } : empty
  }

  // <service>.<namespace>.svc.cluster.local
  if (rest.length === 2) {
    const [svcName, ns] = rest as [string, string]
    const svc = view.service(ns, svcName)
    if (!svc) return nx
    if (svc.spec?.type === 'ExternalName') {
      const target = String(svc.spec.externalName ?? '').replace(/\.$/, '')
      return { rcode: 'NOERROR', name, answers: [rr(target, 'CNAME')] }
    }
    if (type !== 'A') return empty
    if (!isHeadless(svc)) return { rcode: 'NOERROR', name, answers: [rr(svc.spec.clusterIP)] }
    return { rcode: 'NOERROR', name, answers: endpointsOf(view, svc).map((e) => rr(e.ip)) }
  }
  return nx
}

const isHeadless = (svc: Obj) => svc.spec?.clusterIP === 'None'

interface Endpoint {
  ip: string
  hostname?: string
  ports: { name: string; port: number; protocol: string }[]
}

/** Ready endpoints (all of them with publishNotReadyAddresses), deduplicated by address. */
function endpointsOf(view: DnsView, svc: Obj): Endpoint[] {
  const all = svc.spec?.publishNotReadyAddresses === true
  const out = new Map<string, Endpoint>()
  for (const slice of view.endpointSlices(svc.metadata.namespace, svc.metadata.name)) {
    if (slice.addressType && slice.addressType !== 'IPv4') continue
    const ports = (slice.ports ?? []).map((p: Obj) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }))
    for (const e of slice.endpoints ?? []) {
      if (!all && e.conditions?.ready === false) continue
      for (const ip of e.addresses ?? []) if (!out.has(ip)) out.set(ip, { ip, hostname: e.hostname, ports })
    }
  }
  return [...out.values()].sort((a, b) => (a.ip < b.ip ? -1 : 1))
}

/** What `nslookup <name>` prints (bind's nslookup, as in the dnsutils image). */
export function nslookupOutput(question: string, a: Answer): string {
  const head = `Server:\t\t${DNS_SERVICE_IP}\nAddress:\t${DNS_SERVICE_IP}#53\n\n`
  if (a.rcode === 'NXDOMAIN') return `${head}** server can't find ${question.replace(/\.$/, '')}: NXDOMAIN\n`
  if (a.answers.length === 0) return `${head}*** Can't find ${question.replace(/\.$/, '')}: No answer\n`
  const lines = a.answers.map((r) => {
    switch (r.type) {
      case 'A':
        return `Name:\t${r.name}\nAddress: ${r.data}`
      case 'CNAME':
        return `${r.name}\tcanonical name = ${r.data}.`
      case 'SRV':
        return `${r.name}\tservice = ${r.data}.`
      case 'PTR':
        return `${r.name}\tname = ${r.data}.`
    }
  })
  return `${head}${lines.join('\n')}\n\n`
}

// The core kinds' columns besides pods, as kubectl get prints them.
import { AGE, col, joinOrNone, NAME, selectorString, wide } from './columns'
import { since } from './duration'
import type { Printer } from './types'

const age = (o: any, now: number) => since(o.metadata?.creationTimestamp, now)

export const namespacePrinter: Printer = {
  columns: [NAME, col('Status', 'The status of the namespace'), AGE],
  row: (o, now) => [o.metadata.name, o.status?.phase ?? '', age(o, now)],
}

export const configMapPrinter: Printer = {
  columns: [NAME, col('Data', 'Data contains the configuration data.', { type: 'integer' }), AGE],
  row: (o, now) => [o.metadata.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)],
}

export const secretPrinter: Printer = {
  columns: [NAME, col('Type', 'The type of the secret'), col('Data', 'The number of entries in the secret', { type: 'integer' }), AGE],
  row: (o, now) => [o.metadata.name, o.type ?? '', Object.keys(o.data ?? {}).length, age(o, now)],
}

export const serviceAccountPrinter: Printer = {
  columns: [NAME, col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { type: 'integer' }), AGE],
  row: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o, now)],
}

/** makePortString: "80/TCP", or "80:30080/TCP" with a node port. */
function servicePorts(s: any): string {
  const ports: any[] = s.spec?.ports ?? []
  if (!ports.length) return '<none>'
  return ports.map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',')
}

/** getServiceExternalIP; Tables are built wide on the server, so load balancer addresses are never cut. */
function externalIP(s: any): string {
  const ext: string[] = s.spec?.externalIPs ?? []
  switch (s.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>'
    case 'LoadBalancer': {
      const lb = [...new Set<string>((s.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean))].sort()
      const all = [...lb, ...ext]
      return all.length ? all.join(',') : '<pending>'
    }
    case 'ExternalName':
      return s.spec?.externalName ?? ''
  }
  return '<unknown>'
}

/** labels.FormatLabels: keys sorted, "<none>" when empty. */
function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort()
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>'
}

export const servicePrinter: Printer = {
  columns: [
    NAME,
    col('Type', 'Type determines how the Service is exposed.'),
    col('Cluster-IP', 'ClusterIP is the IP address of the service and is usually assigned randomly by the master.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE,
    wide('Selector', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  row: (o, now) => [o.metadata.name, o.spec?.type ?? '', o.spec?.clusterIPs?.[0] || o.spec?.clusterIP || '<none>', externalIP(o), servicePorts(o), age(o, now), formatLabels(o.spec?.selector)],
}

export const endpointsPrinter: Printer = {
  columns: [NAME, col('Endpoints', 'Endpoints is the list of endpoints in the service.'), AGE],
  row(o, now) {
    const eps: string[] = []
    for (const s of o.subsets ?? []) for (const a of s.addresses ?? []) for (const p of s.ports ?? [{}]) eps.push(p.port ? `${a.ip}:${p.port}` : a.ip)
    const shown = eps.slice(0, 3).join(',')
    return [o.metadata.name, eps.length ? (eps.length > 3 ? `${shown} + ${eps.length - 3} more...` : shown) : '<none>', age(o, now)]
  },
}

function nodeStatus(n: any): string {
  const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready')
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown']
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled')
  return parts.join(',')
}

function nodeRoles(n: any): string {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries<string>(n.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length))
    else if (k === 'kubernetes.io/role' && v) roles.add(v)
  }
  return roles.size ? [...roles].sort().join(',') : '<none>'
}

export const nodePrinter: Printer = {
  columns: [
    NAME,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE,
    col('Version', 'Kubelet Version reported by the node.'),
    wide('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.'),
    wide('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.'),
    wide('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    wide('Kernel-Version', 'Kernel Version reported by the node from `uname -r` (e.g. 3.16.0-0.bpo.4-amd64).'),
    wide('Container-Runtime', 'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  row(n, now) {
    const addr = (t: string) => (n.status?.addresses ?? []).find((a: any) => a.type === t)?.address ?? '<none>'
    const info = n.status?.nodeInfo ?? {}
    return [n.metadata.name, nodeStatus(n), nodeRoles(n), age(n, now), info.kubeletVersion ?? '', addr('InternalIP'), addr('ExternalIP'), info.osImage ?? '<unknown>', info.kernelVersion ?? '<unknown>', info.containerRuntimeVersion ?? '<unknown>']
  },
}

function eventObject(e: any): string {
  const o = e.involvedObject ?? e.regarding ?? {}
  return `${String(o.kind ?? '').toLowerCase()}/${o.name ?? ''}`
}

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'Time when last occurrence was recorded.'),
    col('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col('Reason', 'This should be a short, machine understandable string that gives the reason for this event being generated.'),
    col('Object', 'The object that this event is about.'),
    col('Message', 'A human-readable description of the status of this operation.'),
    wide('Subobject', 'The subobject that this event is about.'),
    wide('Source', 'The component reporting this event.'),
    wide('First Seen', 'The time at which the event was first recorded.'),
    wide('Count', 'The number of times this event has occurred.'),
    col('Name', 'Name must be unique within a namespace.', { format: 'name', priority: 1 }),
  ],
  row(e, now) {
    const last = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp
    const first = e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp
    const count = e.series?.count ?? e.count ?? 1
    const source = e.source?.component ? [e.source.component, e.source.host].filter(Boolean).join(', ') : e.reportingComponent || '<none>'
    return [since(last, now), e.type ?? '', e.reason ?? '', eventObject(e), (e.message ?? e.note ?? '').trim(), e.involvedObject?.fieldPath ?? '', source, since(first, now), count, e.metadata.name]
  },
}

export { joinOrNone, selectorString }

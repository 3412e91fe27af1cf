// kubectl describe node (describeNode, describeNodeResource): roles, taints,
// the Lease, conditions, addresses, capacity, system info, the non-terminated
// pods with their requests as shares of allocatable, and the events.
import type { Ctx } from '../context'
import type { Obj } from '../types'
import { add, canonical, formatQuantity, milliValue, tryQuantity, value, zero } from '../util/quantity'
import { get, podRequestsAndLimits, type ResourceList } from '../util/resources'
import { rfc1123z } from '../util/time'
import { cmpStr, describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, PrefixWriter, since } from './writer'

function roles(node: Obj): string[] {
  const out = new Set<string>()
  for (const [k, v] of Object.entries<string>(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length)
      if (role) out.add(role)
    } else if (k === 'kubernetes.io/role' && v) out.add(v)
  }
  return [...out].sort()
}

const pct = (part: number, whole: number) => (whole ? Math.trunc((part / whole) * 100) : 0)
const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods'])

export async function describeNode(ctx: Ctx, name: string): Promise<string> {
  const node = await ctx.client.get(`/api/v1/nodes/${encodeURIComponent(name)}`)
  const now = await ctx.now()
  const pods: Obj[] = []
  let cont: string | undefined
  do {
    const list = await ctx.client.get('/api/v1/pods', { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`, limit: 500, continue: cont })
    pods.push(...(list.items ?? []))
    cont = list.metadata?.continue || undefined
  } while (cont)
  const byUid = await eventsFor(ctx, { name, namespace: '', kind: 'Node', uid: node.metadata.uid })
  const byName = await eventsFor(ctx, { name, namespace: '', kind: 'Node', uid: name })
  const events = byUid ? [...byUid, ...(byName ?? [])] : undefined
  let lease: Obj | undefined
  let leaseErr = ''
  try {
    lease = await ctx.client.get(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`)
  } catch (err) {
    leaseErr = (err as Error).message
  }

  const w = new PrefixWriter()
  const st: Obj = node.status ?? {}
  w.write(0, `Name:\t${node.metadata.name}\n`)
  const r = roles(node)
  w.write(0, `Roles:\t${r.length ? r.join(',') : '<none>'}\n`)
  printLabelsMultiline(w, 'Labels', node.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations)
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`)
  printTaintsMultiline(w, 'Taints', node.spec?.taints)
  w.write(0, `Unschedulable:\t${!!node.spec?.unschedulable}\n`)
  if (lease) {
    w.write(0, 'Lease:\n')
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`)
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`)
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`)
  } else w.write(0, `Lease:\tFailed to get lease: ${leaseErr}\n`)
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n')
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n')
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`)
  }
  w.write(0, 'Addresses:\n')
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`)
  for (const [title, list] of [
    ['Capacity', st.capacity],
    ['Allocatable', st.allocatable],
  ] as const) {
    if (!list || !Object.keys(list).length) continue
    w.write(0, `${title}:\n`)
    for (const k of Object.keys(list).sort()) w.write(0, `  ${k}:\t${canonical(list[k])}\n`)
  }
  const info: Obj = st.nodeInfo ?? {}
  w.write(0, 'System Info:\n')
  for (const [label, key] of [
    ['Machine ID', 'machineID'],
    ['System UUID', 'systemUUID'],
    ['Boot ID', 'bootID'],
    ['Kernel Version', 'kernelVersion'],
    ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'],
    ['Architecture', 'architecture'],
    ['Container Runtime Version', 'containerRuntimeVersion'],
    ['Kubelet Version', 'kubeletVersion'],
    ['Kube-Proxy Version', 'kubeProxyVersion'],
  ])
    w.write(0, `  ${label}:\t${info[key!] ?? ''}\n`)
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`)
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`)
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`)
  describeNodeResource(w, pods, node, now)
  if (events) describeEvents(w, events, now)
  return w.toString()
}

function describeNodeResource(w: PrefixWriter, pods: Obj[], node: Obj, now: number) {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`)
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n')
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n')
  const alloc: Obj = Object.keys(node.status?.allocatable ?? {}).length ? node.status.allocatable : (node.status?.capacity ?? {})
  const q = (k: string) => tryQuantity(alloc[k]) ?? zero()
  const cpu = milliValue(q('cpu'))
  const mem = value(q('memory'))
  const eph = value(q('ephemeral-storage'))
  const reqs: ResourceList = new Map()
  const lims: ResourceList = new Map()
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod)
    const cr = get(requests, 'cpu')
    const cl = get(limits, 'cpu')
    const mr = get(requests, 'memory')
    const ml = get(limits, 'memory')
    w.write(
      1,
      `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${formatQuantity(cr)} (${pct(milliValue(cr), cpu)}%)\t${formatQuantity(cl)} (${pct(milliValue(cl), cpu)}%)\t${formatQuantity(mr)} (${pct(value(mr), mem)}%)\t${formatQuantity(ml)} (${pct(value(ml), mem)}%)\t${since(pod.metadata.creationTimestamp, now)}\n`,
    )
    for (const [k, v] of requests) reqs.set(k, reqs.has(k) ? add(reqs.get(k)!, v) : v)
    for (const [k, v] of limits) lims.set(k, lims.has(k) ? add(lims.get(k)!, v) : v)
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n')
  w.write(1, 'Resource\tRequests\tLimits\n')
  w.write(1, '--------\t--------\t------\n')
  const row = (name: string, whole: number, v: (x: ReturnType<typeof get>) => number) => {
    const r = get(reqs, name)
    const l = get(lims, name)
    w.write(1, `${name}\t${formatQuantity(r)} (${pct(v(r), whole)}%)\t${formatQuantity(l)} (${pct(v(l), whole)}%)\n`)
  }
  row('cpu', cpu, milliValue)
  row('memory', mem, value)
  row('ephemeral-storage', eph, value)
  const names = Object.keys(alloc)
  for (const name of names.filter((n) => n.startsWith('hugepages-')).sort(cmpStr)) row(name, value(q(name)), value)
  for (const name of names.filter((n) => !n.startsWith('hugepages-') && !STANDARD.has(n) && !n.startsWith('requests.') && !n.startsWith('limits.')).sort(cmpStr))
    w.write(1, `${name}\t${formatQuantity(get(reqs, name))}\t${formatQuantity(get(lims, name))}\n`)
}

// A pod's effective requests and limits (kubectl/pkg/util/resource
// PodRequestsAndLimits: containers summed, init containers as a maximum,
// restartable sidecars added, overhead on top) and its QoS class.
import type { Obj } from '../types'
import { add, cmp, type Quantity, tryQuantity, zero } from './quantity'

export type ResourceList = Map<string, Quantity>

function addList(list: ResourceList, more: Obj | ResourceList | undefined) {
  const entries = more instanceof Map ? [...more.entries()] : Object.entries(more ?? {}).map(([k, v]) => [k, tryQuantity(v)] as const)
  for (const [name, q] of entries) {
    if (!q) continue
    const cur = list.get(name)
    list.set(name, cur ? add(cur, q) : { ...q })
  }
}

function maxList(list: ResourceList, other: ResourceList) {
  for (const [name, q] of other) {
    const cur = list.get(name)
    if (!cur || cmp(q, cur) > 0) list.set(name, { ...q })
  }
}

function effective(pod: Obj, field: 'requests' | 'limits'): ResourceList {
  const out: ResourceList = new Map()
  for (const c of pod.spec?.containers ?? []) addList(out, c.resources?.[field])
  const sidecars: ResourceList = new Map()
  const init: ResourceList = new Map()
  for (const c of pod.spec?.initContainers ?? []) {
    let r: ResourceList
    if (c.restartPolicy === 'Always') {
      addList(out, c.resources?.[field])
      addList(sidecars, c.resources?.[field])
      r = sidecars
    } else {
      r = new Map()
      addList(r, c.resources?.[field])
      addList(r, sidecars)
    }
    maxList(init, r)
  }
  maxList(out, init)
  if (pod.spec?.overhead) {
    if (field === 'requests') addList(out, pod.spec.overhead)
    else for (const [name, v] of Object.entries(pod.spec.overhead)) {
      const cur = out.get(name)
      const q = tryQuantity(v)
      if (cur && q && cur.nanos !== 0n) out.set(name, add(cur, q))
    }
  }
  return out
}

export function podRequestsAndLimits(pod: Obj): { requests: ResourceList; limits: ResourceList } {
  return { requests: effective(pod, 'requests'), limits: effective(pod, 'limits') }
}

export const get = (list: ResourceList, name: string): Quantity => list.get(name) ?? zero()

/** GetPodQOS: status.qosClass, else computed from requests and limits. */
export function podQOS(pod: Obj): string {
  if (pod.status?.qosClass) return pod.status.qosClass
  const requests: ResourceList = new Map()
  const limits: ResourceList = new Map()
  let guaranteed = true
  const positive = (l: Obj | undefined) => Object.entries(l ?? {}).filter(([k, v]) => (k === 'cpu' || k === 'memory') && (tryQuantity(v)?.nanos ?? 0n) > 0n)
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    addList(requests, Object.fromEntries(positive(c.resources?.requests)))
    addList(limits, Object.fromEntries(positive(c.resources?.limits)))
    const keys = positive(c.resources?.limits).map(([k]) => k)
    if (!keys.includes('cpu') || !keys.includes('memory')) guaranteed = false
  }
  if (!requests.size && !limits.size) return 'BestEffort'
  if (guaranteed) for (const [name, q] of requests) if (!limits.has(name) || cmp(limits.get(name)!, q) !== 0) guaranteed = false
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}

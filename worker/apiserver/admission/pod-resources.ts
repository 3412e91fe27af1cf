// A pod's requests and limits as one list, with component-helpers'
// arithmetic (resource.PodRequests / PodLimits): the containers add up,
// restartable init containers (sidecars) add up with them, each ordinary init
// container counts with the sidecars started before it, and the pod needs the
// larger of the two; pod-level resources (cpu, memory) override; the overhead
// is added unless left out (LimitRanger leaves it out, quota counts it).
import type { Obj } from '../objects'
import { add, cmp, fromWire, type ResourceList } from './resource-list'

export interface PodResourcesOptions {
  excludeOverhead?: boolean
}

const POD_LEVEL = ['cpu', 'memory']

function addInto(list: ResourceList, more: ResourceList): void {
  for (const [k, v] of Object.entries(more)) list[k] = list[k] ? add(list[k]!, v) : v
}

function maxInto(list: ResourceList, other: ResourceList): void {
  for (const [k, v] of Object.entries(other)) if (!list[k] || cmp(v, list[k]!) > 0) list[k] = v
}

const isSidecar = (c: Obj) => c.restartPolicy === 'Always'

function aggregate(pod: Obj, bucket: 'requests' | 'limits'): ResourceList {
  const total: ResourceList = {}
  for (const c of pod.spec?.containers ?? []) addInto(total, fromWire(c.resources?.[bucket]))
  const sidecars: ResourceList = {}
  const inits: ResourceList = {}
  for (const c of pod.spec?.initContainers ?? []) {
    const own = fromWire(c.resources?.[bucket])
    if (isSidecar(c)) {
      addInto(total, own)
      addInto(sidecars, own)
      maxInto(inits, sidecars)
    } else {
      const withSidecars: ResourceList = {}
      addInto(withSidecars, own)
      addInto(withSidecars, sidecars)
      maxInto(inits, withSidecars)
    }
  }
  maxInto(total, inits)
  const podLevel = fromWire(pod.spec?.resources?.[bucket])
  for (const r of POD_LEVEL) if (podLevel[r]) total[r] = podLevel[r]!
  return total
}

export function podRequests(pod: Obj, opts: PodResourcesOptions = {}): ResourceList {
  const reqs = aggregate(pod, 'requests')
  if (!opts.excludeOverhead && pod.spec?.overhead) addInto(reqs, fromWire(pod.spec.overhead))
  return reqs
}

export function podLimits(pod: Obj, opts: PodResourcesOptions = {}): ResourceList {
  const limits = aggregate(pod, 'limits')
  // The overhead adds only to limits that are set and not zero.
  if (!opts.excludeOverhead && pod.spec?.overhead)
    for (const [k, v] of Object.entries(fromWire(pod.spec.overhead)))
      if (limits[k] && limits[k]!.nanos !== 0n) limits[k] = add(limits[k]!, v)
  return limits
}

// The namespace controller's finalization: a Terminating namespace has its
// contents deleted, and once nothing is left its "kubernetes" finalizer is
// removed and it goes away. Runs in slices from the cluster's alarm.
import { rfc3339 } from '../apiserver/context'
import type { Objects } from '../apiserver/objects'
import { KINDS, findKind } from '../resources/registry'

const NAMESPACES = findKind('', 'v1', 'namespaces')!
const BATCH = 200

/** One slice of work on namespace `name`; returns true when the namespace is gone (or was never terminating). */
export function finalizeNamespace(objects: Objects, name: string, now: number): boolean {
  const ns = objects.get(NAMESPACES, undefined, name)
  if (!ns || !ns.metadata.deletionTimestamp) return true
  let budget = BATCH
  let remaining = 0
  for (const k of KINDS) {
    if (!k.namespaced || k.virtual) continue
    const page = objects.list(k, { namespace: name })
    for (const o of page.items) {
      if (budget <= 0) {
        remaining++
        continue
      }
      if (o.metadata.deletionTimestamp) {
        // Pods bound to a node terminate gracefully through their kubelet; past their deadline they go.
        const due = Date.parse(o.metadata.deletionTimestamp)
        if (!o.metadata.finalizers?.length && due <= now) {
          objects.remove(k, o)
          budget--
        } else remaining++
        continue
      }
      budget--
      const bound = k.kind === 'Pod' && !k.group && o.spec?.nodeName
      if (bound) {
        const grace = o.spec?.terminationGracePeriodSeconds ?? 30
        const next = structuredClone(o)
        next.metadata.deletionTimestamp = rfc3339(now + grace * 1000)
        next.metadata.deletionGracePeriodSeconds = grace
        objects.update(k, next, o.metadata.resourceVersion)
        remaining++
      } else if (o.metadata.finalizers?.length) {
        const next = structuredClone(o)
        next.metadata.deletionTimestamp = rfc3339(now)
        next.metadata.deletionGracePeriodSeconds = 0
        objects.update(k, next, o.metadata.resourceVersion)
        remaining++
      } else objects.remove(k, o)
    }
  }
  if (remaining > 0) return false
  const fresh = objects.get(NAMESPACES, undefined, name)!
  objects.remove(NAMESPACES, fresh)
  return true
}

// Writes the workshop's RBAC objects and a participant's namespace through the
// API server's objects, as the system would: prepared like any create, and
// skipped when already there (a reset puts back only what is missing).
import { kindByGVK } from '../../resources/registry'
import type { Obj, Objects } from '../objects'
import { prepareForCreate } from '../prepare'

export function createMissing(objects: Objects, objs: readonly Obj[], now: number): Obj[] {
  const created: Obj[] = []
  for (const o of objs) {
    const k = kindByGVK(o.apiVersion, o.kind)
    if (!k) throw new Error(`no kind ${o.apiVersion} ${o.kind}`)
    if (objects.get(k, o.metadata.namespace, o.metadata.name)) continue
    const copy = structuredClone(o)
    prepareForCreate(k, copy, now)
    created.push(objects.create(k, copy))
  }
  return created
}

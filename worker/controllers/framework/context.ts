// The ControllerContext over the cluster's objects: reads straight from the
// store, writes through the API server's preparation (defaulting, validation,
// generation, status rules), admission and delete semantics, so a controller
// is just another client, with resourceVersion preconditions on every update.
import { applyDelete, finishDeletionIfDone, type Scheduler } from '../../apiserver/handlers/delete'
import { ApiError, notFoundError } from '../../apiserver/errors'
import { recordEvent } from '../../apiserver/events'
import type { Objects } from '../../apiserver/objects'
import { prepareForCreate, prepareForUpdate } from '../../apiserver/prepare'
import { type LabelRequirement, matchLabels } from '../../apiserver/selectors'
import { status } from '../../apiserver/status'
import type { KindInfo } from '../../resources/kind'
import { findKind } from '../../resources/registry'
import type { ControllerContext, DeleteOptions, KindRef, ListOptions, Obj } from './types'

const kinds = new Map<KindRef, KindInfo>()
export function kindOf(ref: KindRef): KindInfo {
  let k = kinds.get(ref)
  if (!k) {
    const [group, version, resource] = ref.split('/') as [string, string, string]
    k = findKind(group, version, resource)
    if (!k) throw new Error(`unknown kind ${ref}`)
    kinds.set(ref, k)
  }
  return k
}

export const refOf = (k: KindInfo): KindRef => `${k.group}/${k.version}/${k.resource}`

/** A metav1.LabelSelector as the API server's label requirements. */
export function selectorRequirements(sel: Record<string, any>): LabelRequirement[] {
  const reqs: LabelRequirement[] = Object.entries(
    (sel.matchLabels ?? {}) as Record<string, string>,
  ).map(([key, v]) => ({ key, op: '=' as const, values: [v] }))
  for (const e of sel.matchExpressions ?? []) {
    const op = (
      { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<
        string,
        LabelRequirement['op']
      >
    )[e.operator]
    if (!op)
      throw new ApiError(
        status(422, 'Invalid', `"${e.operator}" is not a valid label selector operator`),
      )
    reqs.push({ key: e.key, op, values: e.values ?? [] })
  }
  return reqs
}

function fieldOf(o: Obj, path: string): string | undefined {
  let v: any = o
  for (const part of path.split('.')) v = v?.[part]
  return v === undefined ? undefined : String(v)
}

const sameContent = (a: Obj, b: Obj) =>
  JSON.stringify({ ...a, metadata: { ...a.metadata, resourceVersion: '' } }) ===
  JSON.stringify({ ...b, metadata: { ...b.metadata, resourceVersion: '' } })

export interface ContextDeps {
  objects: Objects
  now: number
  clockSteppedAt?: number
  clusterName?: string
  timers: Scheduler
  component: string
  requeueAfter(key: string, ms: number): void
}

export function controllerContext(d: ContextDeps): ControllerContext {
  const { objects } = d
  return {
    now: d.now,
    clockSteppedAt: d.clockSteppedAt,
    clusterName: d.clusterName,
    get: (kind, namespace, name) => objects.get(kindOf(kind), namespace, name),
    list(kind: KindRef, opts: ListOptions = {}) {
      const labels = opts.labelSelector ? selectorRequirements(opts.labelSelector) : undefined
      // A selector with nothing in it selects everything; a missing one too (callers pass none to mean all).
      return objects
        .list(kindOf(kind), { namespace: opts.namespace })
        .items.filter(
          (o) =>
            (!labels?.length || matchLabels(labels, o.metadata.labels)) &&
            Object.entries(opts.fields ?? {}).every(([f, v]) => fieldOf(o, f) === v),
        )
    },
    create(kind, obj) {
      const k = kindOf(kind)
      const o = structuredClone(obj)
      o.apiVersion = k.group ? `${k.group}/${k.version}` : k.version
      o.kind = k.kind
      // Admission included (quota, LimitRanger, ServiceAccount...): a controller is an API client.
      prepareForCreate(k, o, d.now, { objects })
      return objects.create(k, o)
    },
    update(kind, obj) {
      const k = kindOf(kind)
      const old = objects.get(k, obj.metadata.namespace, obj.metadata.name)
      if (!old) throw notFoundError(k, obj.metadata.name)
      const o = structuredClone(obj)
      prepareForUpdate(k, o, old, undefined, { objects })
      if (sameContent(o, old)) return old
      // An object being deleted goes once its last finalizer is removed, as through the API.
      return finishDeletionIfDone(
        { objects, kind: k },
        objects.update(k, o, obj.metadata.resourceVersion ?? old.metadata.resourceVersion),
      )
    },
    updateStatus(kind, obj) {
      const k = kindOf(kind)
      const old = objects.get(k, obj.metadata.namespace, obj.metadata.name)
      if (!old) throw notFoundError(k, obj.metadata.name)
      const o = structuredClone(obj)
      prepareForUpdate(k, o, old, 'status')
      if (sameContent(o, old)) return old
      return objects.update(k, o, obj.metadata.resourceVersion ?? old.metadata.resourceVersion)
    },
    delete(kind: KindRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}) {
      const k = kindOf(kind)
      const o = objects.get(k, namespace, name)
      if (!o) return
      applyDelete(
        objects,
        k,
        o,
        {
          gracePeriodSeconds: opts.gracePeriodSeconds,
          propagationPolicy: opts.propagationPolicy,
          preconditions: opts.uid ? { uid: opts.uid } : undefined,
        },
        d.now,
        d.timers,
      )
    },
    event(obj, type, reason, message) {
      const k =
        obj.kind && obj.apiVersion
          ? { apiVersion: obj.apiVersion, kind: obj.kind }
          : { apiVersion: 'v1', kind: 'Pod' }
      recordEvent(
        objects,
        {
          involvedObject: {
            ...k,
            name: obj.metadata.name,
            namespace: obj.metadata.namespace,
            uid: obj.metadata.uid,
          },
          reason,
          message,
          type,
          time: d.now,
        },
        { component: d.component },
      )
    },
    requeueAfter: (key, ms) => d.requeueAfter(key, ms),
  }
}

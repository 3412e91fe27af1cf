// The garbage collector: ownerReferences cascading deletion. A dependent whose
// owners are all gone (or deleting in the foreground) is deleted; one that
// still has a live owner only loses its references to the others. An owner
// deleting in the foreground (foregroundDeletion finalizer) has its dependents
// deleted and keeps its finalizer until no dependent with blockOwnerDeletion
// remains; an orphaning owner (orphan finalizer) has its references removed
// from its dependents, then its finalizer. Upstream keeps a graph of every
// object's owners and dependents in memory; we have no graph and instead read
// owners by name and list a namespace's candidate dependents when an owner is
// deleting or gone.
import {
  type Controller,
  type ControllerContext,
  type DeleteOptions,
  type KindRef,
  type Obj,
  DEPLOYMENTS,
  ENDPOINTSLICES,
  LEASES,
  NODES,
  PODS,
  REPLICASETS,
  SERVICES,
  keyOf,
  splitKey,
} from './framework/types'

export const FINALIZER_ORPHAN = 'orphan'
export const FINALIZER_FOREGROUND = 'foregroundDeletion'

/** The kinds whose objects we check as dependents. */
export const DEPENDENT_KINDS: KindRef[] = [
  PODS,
  REPLICASETS,
  DEPLOYMENTS,
  ENDPOINTSLICES,
  LEASES,
  // Claims of generic ephemeral volumes, owned by their pods.
  '/v1/persistentvolumeclaims',
]
/** Owner kinds by "group/Kind" of an ownerReference (any version). */
const OWNER_KINDS: Record<string, KindRef> = {
  '/Pod': PODS,
  '/Node': NODES,
  '/Service': SERVICES,
  'apps/ReplicaSet': REPLICASETS,
  'apps/Deployment': DEPLOYMENTS,
  'discovery.k8s.io/EndpointSlice': ENDPOINTSLICES,
  'coordination.k8s.io/Lease': LEASES,
}
const CLUSTER_SCOPED = new Set<KindRef>([NODES])

type OwnerRef = Record<string, any>

/** The KindRef an ownerReference names, or undefined for a kind we do not know (then taken as alive). */
export function ownerKindOf(ref: OwnerRef): KindRef | undefined {
  const v: string = ref.apiVersion ?? ''
  const group = v.includes('/') ? v.slice(0, v.indexOf('/')) : ''
  return OWNER_KINDS[`${group}/${ref.kind}`]
}

const finalizers = (o: Obj): string[] => o.metadata.finalizers ?? []
const hasFinalizer = (o: Obj, f: string) => finalizers(o).includes(f)
export const isDeletingDependents = (o: Obj) =>
  !!o.metadata.deletionTimestamp && hasFinalizer(o, FINALIZER_FOREGROUND)

export const ownerKey = (kind: KindRef, o: { namespace?: string; name: string }) =>
  `owner:${kind}:${o.namespace ? `${o.namespace}/${o.name}` : o.name}`
export const dependentKey = (kind: KindRef, o: Obj) => `dep:${kind}:${keyOf(o)}`

/** `owner:` / `dep:` keys back into their parts. */
export function parseKey(
  key: string,
): { role: 'owner' | 'dep'; kind: KindRef; namespace?: string; name: string } | undefined {
  const m = /^(owner|dep):([^:]+):(.+)$/.exec(key)
  if (!m) return undefined
  return { role: m[1] as 'owner' | 'dep', kind: m[2]!, ...splitKey(m[3]!) }
}

export interface OwnerClassification {
  /** Alive and not deleting in the foreground. */
  solid: OwnerRef[]
  /** Absent, or present with another uid. */
  dangling: OwnerRef[]
  /** Deleting with foregroundDeletion: waiting for its dependents. */
  waiting: OwnerRef[]
}

/** upstream's classifyReferences, with owners looked up by `lookup`. */
export function classifyOwners(
  dep: Obj,
  lookup: (ref: OwnerRef) => Obj | undefined | 'unknown',
): OwnerClassification {
  const out: OwnerClassification = { solid: [], dangling: [], waiting: [] }
  for (const ref of dep.metadata.ownerReferences ?? []) {
    const owner = lookup(ref)
    if (owner === 'unknown') out.solid.push(ref)
    else if (!owner || owner.metadata.uid !== ref.uid) out.dangling.push(ref)
    else if (isDeletingDependents(owner)) out.waiting.push(ref)
    else out.solid.push(ref)
  }
  return out
}

export type DependentAction =
  | { action: 'none' }
  | { action: 'removeRefs'; uids: string[] }
  | { action: 'delete'; propagationPolicy: NonNullable<DeleteOptions['propagationPolicy']> }

/**
 * What happens to a dependent (attemptToDeleteItem): with a solid owner it
 * keeps only the live references; otherwise it is deleted, in the foreground
 * when an owner waits for it and it has dependents of its own.
 */
export function decideDependent(
  dep: Obj,
  c: OwnerClassification,
  hasDependents: boolean,
): DependentAction {
  if (!(dep.metadata.ownerReferences ?? []).length) return { action: 'none' }
  if (c.solid.length) {
    const uids = [...c.dangling, ...c.waiting].map((r) => r.uid)
    return uids.length ? { action: 'removeRefs', uids } : { action: 'none' }
  }
  if (dep.metadata.deletionTimestamp) return { action: 'none' }
  if (c.waiting.length && hasDependents)
    return { action: 'delete', propagationPolicy: 'Foreground' }
  if (hasFinalizer(dep, FINALIZER_ORPHAN)) return { action: 'delete', propagationPolicy: 'Orphan' }
  if (hasFinalizer(dep, FINALIZER_FOREGROUND))
    return { action: 'delete', propagationPolicy: 'Foreground' }
  return { action: 'delete', propagationPolicy: 'Background' }
}

export const withoutOwnerRefs = (o: Obj, uids: string[]): Obj => {
  const refs = (o.metadata.ownerReferences ?? []).filter((r: OwnerRef) => !uids.includes(r.uid))
  const metadata: Record<string, any> = { ...o.metadata, ownerReferences: refs }
  if (!refs.length) delete metadata.ownerReferences
  return { ...o, metadata }
}

export const withoutFinalizer = (o: Obj, f: string): Obj => {
  const rest = finalizers(o).filter((x) => x !== f)
  const metadata: Record<string, any> = { ...o.metadata, finalizers: rest }
  if (!rest.length) delete metadata.finalizers
  return { ...o, metadata }
}

function lookupOwner(ctx: ControllerContext, dep: Obj) {
  return (ref: OwnerRef): Obj | undefined | 'unknown' => {
    const kind = ownerKindOf(ref)
    if (!kind) return 'unknown'
    return ctx.get(kind, CLUSTER_SCOPED.has(kind) ? undefined : dep.metadata.namespace, ref.name)
  }
}

/** Removes finalizer f; when none is left the object goes, as the API's write path does. */
function removeFinalizer(ctx: ControllerContext, kind: KindRef, o: Obj, f: string): void {
  const saved = ctx.update(kind, withoutFinalizer(o, f))
  if (saved.metadata.deletionTimestamp && !finalizers(saved).length)
    ctx.delete(kind, saved.metadata.namespace, saved.metadata.name, { uid: saved.metadata.uid })
}

function attemptToDeleteDependent(
  ctx: ControllerContext,
  kind: KindRef,
  dep: Obj,
  referenced: Set<string>,
): void {
  const d = decideDependent(
    dep,
    classifyOwners(dep, lookupOwner(ctx, dep)),
    referenced.has(dep.metadata.uid),
  )
  if (d.action === 'removeRefs') ctx.update(kind, withoutOwnerRefs(dep, d.uids))
  else if (d.action === 'delete')
    ctx.delete(kind, dep.metadata.namespace, dep.metadata.name, {
      uid: dep.metadata.uid,
      propagationPolicy: d.propagationPolicy,
    })
}

/**
 * The objects of the dependent kinds in scope that name an owner of `kind`
 * and `name`, and the uids any of them refers to (who has dependents).
 */
function candidates(
  ctx: ControllerContext,
  kind: KindRef,
  namespace: string | undefined,
  name: string,
): { deps: [KindRef, Obj][]; referenced: Set<string> } {
  const deps: [KindRef, Obj][] = []
  const referenced = new Set<string>()
  for (const k of DEPENDENT_KINDS)
    for (const o of ctx.list(k, namespace ? { namespace } : {})) {
      const refs: OwnerRef[] = o.metadata.ownerReferences ?? []
      for (const r of refs) referenced.add(r.uid)
      if (refs.some((r) => r.name === name && ownerKindOf(r) === kind)) deps.push([k, o])
    }
  return { deps, referenced }
}

function syncOwner(
  ctx: ControllerContext,
  kind: KindRef,
  namespace: string | undefined,
  name: string,
): void {
  const owner = ctx.get(kind, namespace, name)
  // A live owner needs nothing; its dependents' own keys catch references to an older uid.
  if (owner && !owner.metadata.deletionTimestamp) return
  const { deps, referenced } = candidates(ctx, kind, namespace, name)
  const refersToOwner = (o: Obj) =>
    !!owner &&
    (o.metadata.ownerReferences ?? []).some((r: OwnerRef) => r.uid === owner.metadata.uid)
  if (owner && hasFinalizer(owner, FINALIZER_ORPHAN)) {
    for (const [k, o] of deps)
      if (refersToOwner(o)) ctx.update(k, withoutOwnerRefs(o, [owner.metadata.uid]))
    removeFinalizer(ctx, kind, owner, FINALIZER_ORPHAN)
    return
  }
  const blocks = (o: Obj) =>
    (o.metadata.ownerReferences ?? []).some(
      (r: OwnerRef) => r.uid === owner?.metadata.uid && r.blockOwnerDeletion,
    )
  // Blocking dependents first, as upstream deletes them ahead of the rest.
  const ordered = [...deps].sort(([, a], [, b]) => Number(blocks(b)) - Number(blocks(a)))
  for (const [k, o] of ordered) attemptToDeleteDependent(ctx, k, o, referenced)
  if (!owner || !isDeletingDependents(owner)) return
  const blocking = ordered.filter(
    ([k, o]) =>
      blocks(o) &&
      ctx.get(k, o.metadata.namespace, o.metadata.name)?.metadata.uid === o.metadata.uid,
  )
  // Still blocked: a blocking dependent's deletion enqueues this owner again.
  if (!blocking.length) removeFinalizer(ctx, kind, owner, FINALIZER_FOREGROUND)
}

function syncDependent(
  ctx: ControllerContext,
  kind: KindRef,
  namespace: string | undefined,
  name: string,
): void {
  const dep = ctx.get(kind, namespace, name)
  if (!dep || !(dep.metadata.ownerReferences ?? []).length) return
  const c = classifyOwners(dep, lookupOwner(ctx, dep))
  // Whether it has dependents matters only when an owner waits for it; only then list.
  let has = false
  if (!c.solid.length && c.waiting.length)
    has = DEPENDENT_KINDS.some((k) =>
      ctx
        .list(k, { namespace })
        .some((o) =>
          (o.metadata.ownerReferences ?? []).some((r: OwnerRef) => r.uid === dep.metadata.uid),
        ),
    )
  attemptToDeleteDependent(ctx, kind, dep, new Set(has ? [dep.metadata.uid] : []))
}

/** Keys: `owner:<KindRef>:<ns>/<name>` (or `<name>` when cluster-scoped) and `dep:<KindRef>:<ns>/<name>`. */
export function syncGarbageCollector(key: string, ctx: ControllerContext): void {
  const k = parseKey(key)
  if (!k) return
  if (k.role === 'owner') syncOwner(ctx, k.kind, k.namespace, k.name)
  else syncDependent(ctx, k.kind, k.namespace, k.name)
}

/**
 * For a write to an object of `kind`: its owner key when it is gone or
 * deleting with a propagation finalizer, its dependent key when it has
 * owners, and, when it is gone, the keys of the owners it may have blocked.
 */
export function gcKeysFor(kind: KindRef) {
  return (o: Obj, _old: Obj | undefined, deleted: boolean): string[] => {
    const keys: string[] = []
    const m = o.metadata
    if (
      deleted ||
      (m.deletionTimestamp &&
        (hasFinalizer(o, FINALIZER_ORPHAN) || hasFinalizer(o, FINALIZER_FOREGROUND)))
    )
      keys.push(ownerKey(kind, m as { namespace?: string; name: string }))
    const refs: OwnerRef[] = m.ownerReferences ?? []
    if (!deleted && refs.length) keys.push(dependentKey(kind, o))
    if (deleted)
      for (const r of refs) {
        const ok = ownerKindOf(r)
        if (ok && r.blockOwnerDeletion)
          keys.push(
            ownerKey(ok, {
              namespace: CLUSTER_SCOPED.has(ok) ? undefined : m.namespace,
              name: r.name,
            }),
          )
      }
    return keys
  }
}

export const garbageCollectorController: Controller = {
  name: 'garbage-collector',
  component: 'garbage-collector-controller',
  watches: Object.fromEntries([...DEPENDENT_KINDS, SERVICES, NODES].map((k) => [k, gcKeysFor(k)])),
  sync: syncGarbageCollector,
}

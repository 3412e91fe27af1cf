// kube-apiserver's admission chain for our enabled plugins, in upstream's order
// (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins): the mutating phase
// runs on the decoded, defaulted object before the name is generated and the
// strategy prepares and validates it; the validating phase runs after, quota
// last. prepare.ts calls these for every writer that passes a WriteContext (the
// handlers and the controllers' context); the system's own seeding does not.
import type { KindInfo } from '../../resources/kind'
import { findKind } from '../../resources/registry'
import { admitPriority } from '../admission-priority'
import { admitClaimResize, admitStorageCreate } from '../admission-storage'
import type { Obj, Objects } from '../objects'
import type { Attributes } from './attributes'
import { admitClusterLimits, ObjectCounts } from './cluster-limits'
import { admitLimitRangerDefaults, admitLimitRangerValidate } from './limit-ranger'
import { admitNamespaceLifecycle } from './namespace-lifecycle'
import { admitResourceQuota } from './resource-quota'
import { admitServiceAccount } from './service-account'

const NAMESPACES = findKind('', 'v1', 'namespaces')!
const LIMIT_RANGES = findKind('', 'v1', 'limitranges')!
const SERVICE_ACCOUNTS = findKind('', 'v1', 'serviceaccounts')!
export const RESOURCE_QUOTAS = findKind('', 'v1', 'resourcequotas')!
const NODE_POOLS = findKind('sim.wheelhouse.dev', 'v1alpha1', 'nodepools')!

export interface AdmissionContext {
  objects: Objects
  now: number
  dryRun?: boolean
}

const isPod = (k: KindInfo) => k.group === '' && k.kind === 'Pod'

function attributes(k: KindInfo, o: Obj, name: string | undefined, w: AdmissionContext, old?: Obj): Attributes {
  return {
    operation: old ? 'UPDATE' : 'CREATE',
    group: k.group,
    resource: k.resource,
    namespace: k.namespaced ? o.metadata.namespace : undefined,
    name,
    object: o,
    oldObject: old,
    dryRun: w.dryRun,
  }
}

const inNamespace = (objects: Objects, k: KindInfo, ns: string | undefined) =>
  ns ? objects.list(k, { namespace: ns }).items : []

/**
 * The mutating plugins on create: NamespaceLifecycle, LimitRanger (defaults),
 * ServiceAccount, Priority, DefaultStorageClass and StorageObjectInUseProtection.
 * `name` is the name the request carried (none when generated).
 */
export function admitCreateMutating(k: KindInfo, o: Obj, name: string | undefined, w: AdmissionContext): void {
  const { objects } = w
  const a = attributes(k, o, name, w)
  admitNamespaceLifecycle(a, (ns) => objects.get(NAMESPACES, undefined, ns))
  if (isPod(k)) {
    admitLimitRangerDefaults(a, inNamespace(objects, LIMIT_RANGES, a.namespace))
    admitServiceAccount(a, (ns, sa) => objects.get(SERVICE_ACCOUNTS, ns, sa))
    admitPriority(objects, o)
  }
  admitStorageCreate(objects, k, o)
}

/**
 * The validating plugins on create and update: LimitRanger, PersistentVolumeClaimResize,
 * the cluster's limits, then ResourceQuota. Returns the quotas whose status.used the
 * write charges, to be stored with the object (Objects.writeWith), none for a dry run.
 */
export function admitValidating(k: KindInfo, o: Obj, name: string | undefined, w: AdmissionContext, old?: Obj): Obj[] {
  const { objects } = w
  const a = attributes(k, o, name, w, old)
  // What is read is read only for the kinds that need it: most updates need nothing.
  const core = k.group === ''
  if (core && (k.resource === 'pods' || k.resource === 'persistentvolumeclaims'))
    admitLimitRangerValidate(a, inNamespace(objects, LIMIT_RANGES, a.namespace))
  if (old) admitClaimResize(objects, k, o, old)
  admitClusterLimits(a, objects.limits?.(), ObjectCounts.of(objects.store), () => objects.list(NODE_POOLS).items)
  // On update only Services and claims can charge more (pods and object counts are charged on create).
  if (old && !(core && (k.resource === 'services' || k.resource === 'persistentvolumeclaims'))) return []
  return admitResourceQuota({ ...a, now: w.now }, inNamespace(objects, RESOURCE_QUOTAS, a.namespace))
}

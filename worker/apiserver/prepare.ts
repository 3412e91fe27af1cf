// What the API server does to an object on its way in, for every writer:
// type meta checks, server-owned metadata, defaulting, validation, status rules.
import { randomSuffix } from './name-suffix'
import { apiVersionOf, type KindInfo } from '../resources/kind'
import { DEFAULTERS } from '../resources/defaults'
import { validateKind } from '../resources/validation'
import { ApiError, badRequestError, invalidError } from './errors'
import { rfc3339 } from './context'
import type { Obj, Objects } from './objects'
import { status } from './status'
import { defaultService } from '../resources/service-defaults'
import { validateService, validateServiceStatus, validateServiceUpdate } from '../resources/service-validation'
import { allocDeps } from './services/in-use'
import { beginServiceCreate, beginServiceUpdate } from './services/strategy'
import { admitCreateMutating, admitValidating, RESOURCE_QUOTAS } from './admission/admit'
import { defaultLimitRange } from './admission/limit-ranger'
import { validateLimitRange, validateResourceQuota } from './admission/policy-validation'

const kindKey = (k: KindInfo) => `${k.group}/${k.version}/${k.kind}`
const SERVICE = '/v1/Service'

/**
 * What a write sees of the cluster: Services take their cluster IP and node ports
 * from what is stored, and admission (admission/admit.ts) reads namespaces,
 * LimitRanges, ServiceAccounts and quotas. A write prepared with one is an API
 * client's (a request, a controller) and is admitted; without one, the system's own.
 */
export interface WriteContext {
  objects: Objects
  dryRun?: boolean
}

function writeContext(k: KindInfo, w: WriteContext | undefined): WriteContext {
  if (!w) throw new Error(`a ${k.kind} is written without the cluster's objects to allocate from`)
  return w
}
/** Kinds whose spec changes bump metadata.generation (everything with a spec, as upstream's strategies do; Services have none). */
const hasSpec = (o: Obj) => o.spec !== undefined && !(o.apiVersion === 'v1' && o.kind === 'Service')

export function checkTypeMeta(k: KindInfo, o: unknown): Obj {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw badRequestError('the body of the request was not a JSON object')
  const obj = o as Obj
  const want = apiVersionOf(k)
  if (obj.apiVersion !== undefined && obj.apiVersion !== want)
    throw badRequestError(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`)
  if (obj.kind !== undefined && obj.kind !== k.kind && !(k.virtual && obj.kind))
    throw badRequestError(`the kind in the data (${obj.kind}) does not match the expected kind (${k.kind})`)
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata) || obj.metadata === null))
    throw badRequestError('metadata must be an object')
  obj.apiVersion = want
  obj.kind = k.kind
  obj.metadata ??= {}
  return obj
}

/** Namespace in the body and the URL must agree; the URL fills it in. */
export function reconcileNamespace(k: KindInfo, o: Obj, urlNamespace: string | undefined): void {
  if (!k.namespaced) {
    delete o.metadata.namespace
    return
  }
  if (o.metadata.namespace && urlNamespace && o.metadata.namespace !== urlNamespace)
    throw badRequestError('the namespace of the provided object does not match the namespace sent on the request')
  o.metadata.namespace = urlNamespace ?? o.metadata.namespace
  if (!o.metadata.namespace) throw badRequestError('the server could not find the requested resource: a namespace is required')
}

export function prepareForCreate(k: KindInfo, o: Obj, now: number, w?: WriteContext): void {
  const m = o.metadata
  const requested: string | undefined = m.name || undefined
  const generateName: string | undefined = m.generateName || undefined
  if (!m.name && m.generateName) m.name = `${m.generateName}${randomSuffix()}`
  if (m.resourceVersion) throw new ApiError(status(400, 'BadRequest', 'resourceVersion should not be set on objects to be created'))
  m.uid = crypto.randomUUID()
  m.creationTimestamp = rfc3339(now)
  delete m.deletionTimestamp
  delete m.deletionGracePeriodSeconds
  if (hasSpec(o)) m.generation = 1
  if (k.subresources?.status) delete o.status
  const isPod = kindKey(k) === '/v1/Pod'
  if (isPod) o.status = { phase: 'Pending' }
  DEFAULTERS[kindKey(k)]?.(o)
  // Mutating admission sees the defaulted object; upstream runs it before the name is generated.
  const admission = w && { objects: w.objects, now, dryRun: w.dryRun }
  if (admission) admitCreateMutating(k, o, requested ?? generateName, admission)
  // The QoS class follows what admission set (LimitRanger's defaults), as the pod strategy's PrepareForCreate.
  if (isPod) o.status.qosClass = qosClass(o)
  // Allocation comes before validation, as upstream's BeginCreate runs before the strategy's Validate.
  if (kindKey(k) === SERVICE) {
    const { objects, dryRun } = writeContext(k, w)
    beginServiceCreate(o, allocDeps(objects, dryRun))
  }
  const causes = validateKind(k, o)
  if (kindKey(k) === SERVICE) causes.push(...validateService(o))
  causes.push(...validatePolicy(k, o))
  if (causes.length) throw invalidError(k, m.name ?? '', causes)
  if (admission) w.objects.attach(o, charges(admitValidating(k, o, requested, admission)))
}

/** ResourceQuota and LimitRange: their validation (and the LimitRange's defaulting, SetDefaults_LimitRangeItem). */
function validatePolicy(k: KindInfo, o: Obj, old?: Obj) {
  if (kindKey(k) === '/v1/ResourceQuota') return validateResourceQuota(o, old)
  if (kindKey(k) !== '/v1/LimitRange') return []
  defaultLimitRange(o)
  for (const item of o.spec?.limits ?? [])
    for (const f of ['default', 'defaultRequest']) if (item[f] && !Object.keys(item[f]).length) delete item[f]
  return validateLimitRange(o)
}

const charges = (quotas: Obj[]) => quotas.map((object) => ({ kind: RESOURCE_QUOTAS, object }))

/** Main-resource update: identity and status from the old object, generation on spec change. */
export function prepareForUpdate(k: KindInfo, o: Obj, old: Obj, subresource?: string, w?: WriteContext): void {
  const m = o.metadata
  for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'])
    if (old.metadata[f] !== undefined) m[f] = old.metadata[f]
    else delete m[f]
  if (m.name !== old.metadata.name) throw invalidError(k, old.metadata.name, [{ type: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: ${JSON.stringify(m.name)}: field is immutable` }])
  if (subresource === 'status') {
    // Only status changes through /status.
    const { status: st, metadata } = o
    for (const key of Object.keys(o)) delete o[key]
    Object.assign(o, structuredClone(old), { status: st })
    o.metadata = { ...old.metadata, labels: metadata.labels ?? old.metadata.labels, annotations: metadata.annotations ?? old.metadata.annotations }
    if (kindKey(k) === SERVICE) {
      defaultService(o) // the stored spec is already defaulted; this defaults what status was sent
      const causes = validateServiceStatus(o)
      if (causes.length) throw invalidError(k, o.metadata.name, causes)
    }
    return
  }
  if (k.subresources?.status) o.status = old.status
  DEFAULTERS[kindKey(k)]?.(o)
  if (kindKey(k) === SERVICE) {
    const { objects, dryRun } = writeContext(k, w)
    beginServiceUpdate(o, old, allocDeps(objects, dryRun))
  }
  if (hasSpec(o) && JSON.stringify(o.spec) !== JSON.stringify(old.spec)) m.generation = (old.metadata.generation ?? 0) + 1
  const causes = validateKind(k, o, old)
  if (kindKey(k) === SERVICE) causes.push(...validateServiceUpdate(o, old))
  causes.push(...validatePolicy(k, o, old))
  if (causes.length) throw invalidError(k, m.name, causes)
  // now: 0, since only a pod's usage reads the clock, and pods are charged on create only.
  if (w) w.objects.attach(o, charges(admitValidating(k, o, m.name, { objects: w.objects, now: 0, dryRun: w.dryRun }, old)))
}

/** Guaranteed, Burstable or BestEffort, from the containers' requests and limits. */
export function qosClass(pod: Obj): string {
  const cs: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]
  let any = false
  let guaranteed = true
  for (const c of cs) {
    const req = c.resources?.requests ?? {}
    const lim = c.resources?.limits ?? {}
    if (Object.keys(req).length || Object.keys(lim).length) any = true
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false
    }
  }
  if (!any) return 'BestEffort'
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount),
// on pod creation: the pod runs as `default` unless it names an account, the
// account must exist, its token is mounted into every container as the
// projected volume `kube-api-access-<5 random>` (a bound token, the cluster CA
// from the kube-root-ca.crt ConfigMap, the namespace), the account's image
// pull secrets are copied when the pod names none, and an account annotated
// kubernetes.io/enforce-mountable-secrets limits the secrets a pod may use.
// Pure: the caller passes a lookup of ServiceAccounts.
import type { Obj } from '../objects'
import { randomSuffix } from '../name-suffix'
import { type Attributes, forbidden } from './attributes'

export const DEFAULT_SERVICE_ACCOUNT = 'default'
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-'
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount'
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt'
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets'
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror'
/** The kubelet refreshes the projected token; an hour and 7 s marks tokens only warned about when old. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7

export type ServiceAccountLookup = (namespace: string, name: string) => Obj | undefined

const applies = (a: Attributes) =>
  a.group === '' && a.resource === 'pods' && !a.subresource && a.operation === 'CREATE'

/** The projected volume source of the token (upstream's TokenVolumeSource). */
export function tokenVolumeSource(): Record<string, any> {
  return {
    defaultMode: 420,
    sources: [
      {
        serviceAccountToken: {
          expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
          path: 'token',
        },
      },
      { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [
            { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
          ],
        },
      },
    ],
  }
}

/** The pod's choice wins, then the account's; mounted by default. */
function shouldAutomount(sa: Obj, pod: Obj): boolean {
  if (typeof pod.spec?.automountServiceAccountToken === 'boolean')
    return pod.spec.automountServiceAccountToken
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken
  return true
}

/**
 * Mutates a new pod as the plugin's Admit does, then checks it as its Validate
 * does. `generateName` makes the volume's random suffix (tests pass a fixed one).
 */
export function admitServiceAccount(
  a: Attributes,
  lookup: ServiceAccountLookup,
  generateName: (prefix: string) => string = (p) => p + randomSuffix(),
): void {
  if (!applies(a)) return
  const pod = a.object
  pod.spec ??= {}
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return validateMirrorPod(a)
  pod.spec.serviceAccountName ||= DEFAULT_SERVICE_ACCOUNT
  const sa = lookupOrForbid(a, lookup, true)
  if (shouldAutomount(sa, pod)) mountServiceAccountToken(pod, generateName)
  if (!pod.spec.imagePullSecrets?.length && sa.imagePullSecrets?.length)
    pod.spec.imagePullSecrets = sa.imagePullSecrets.map((s: Obj) => ({ name: s.name }))
  validate(a, lookup)
}

function lookupOrForbid(a: Attributes, lookup: ServiceAccountLookup, mutating: boolean): Obj {
  const name = a.object.spec.serviceAccountName
  const sa = lookup(a.namespace ?? '', name)
  if (!sa)
    throw forbidden(
      a,
      `error looking up service account ${a.namespace}/${name}: serviceaccount "${name}" not found`,
      { mutating },
    )
  return sa
}

function validate(a: Attributes, lookup: ServiceAccountLookup): void {
  const pod = a.object
  if (!pod.spec.serviceAccountName)
    throw forbidden(
      a,
      `no service account specified for pod ${a.namespace}/${pod.metadata.name ?? ''}`,
    )
  const sa = lookupOrForbid(a, lookup, false)
  if (
    ['1', 't', 'true'].includes(
      String(sa.metadata?.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION]).toLowerCase(),
    )
  ) {
    const why = limitSecretReferences(sa, pod)
    if (why) throw forbidden(a, why)
  }
}

/** Mirror pods (static pods seen through the API) may use no account, secret or token. */
function validateMirrorPod(a: Attributes): void {
  const spec = a.object.spec
  if (spec.serviceAccountName) throw forbidden(a, 'a mirror pod may not reference service accounts')
  const containers: Obj[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
  const usesSecret =
    (spec.imagePullSecrets?.length ?? 0) > 0 ||
    (spec.volumes ?? []).some(
      (v: Obj) => v.secret || v.projected?.sources?.some((s: Obj) => s.secret),
    ) ||
    containers.some(
      (c) =>
        (c.env ?? []).some((e: Obj) => e.valueFrom?.secretKeyRef) ||
        (c.envFrom ?? []).some((e: Obj) => e.secretRef),
    )
  if (usesSecret) throw forbidden(a, 'a mirror pod may not reference secrets')
  if (
    (spec.volumes ?? []).some((v: Obj) =>
      v.projected?.sources?.some((s: Obj) => s.serviceAccountToken),
    )
  )
    throw forbidden(a, 'a mirror pod may not use ServiceAccountToken volume projections')
}

/** Every container mounts the token volume unless something is already mounted at its path. */
function mountServiceAccountToken(pod: Obj, generateName: (prefix: string) => string): void {
  const spec = pod.spec
  const existing = (spec.volumes ?? []).find((v: Obj) =>
    String(v.name).startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX),
  )
  const volumeName: string = existing?.name ?? generateName(SERVICE_ACCOUNT_VOLUME_PREFIX)
  let needed = false
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.volumeMounts ?? []).some((m: Obj) => m.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH))
      continue
    ;(c.volumeMounts ??= []).push({
      name: volumeName,
      readOnly: true,
      mountPath: DEFAULT_API_TOKEN_MOUNT_PATH,
    })
    needed = true
  }
  if (!existing && needed)
    (spec.volumes ??= []).push({ name: volumeName, projected: tokenVolumeSource() })
}

/** With enforce-mountable-secrets, a pod may use only the secrets its account lists. */
function limitSecretReferences(sa: Obj, pod: Obj): string | undefined {
  const mountable = new Set((sa.secrets ?? []).map((s: Obj) => s.name))
  for (const v of pod.spec.volumes ?? []) {
    if (v.secret && !mountable.has(v.secret.secretName))
      return `volume with secret.secretName="${v.secret.secretName}" is not allowed because service account ${sa.metadata.name} does not reference that secret`
  }
  const groups: [string, Obj[]][] = [
    ['init container', pod.spec.initContainers ?? []],
    ['container', pod.spec.containers ?? []],
  ]
  for (const [what, containers] of groups)
    for (const c of containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef
        if (ref && !mountable.has(ref.name))
          return `${what} ${c.name} with envVar ${e.name} referencing secret.secretName="${ref.name}" is not allowed because service account ${sa.metadata.name} does not reference that secret`
      }
      for (const e of c.envFrom ?? []) {
        if (e.secretRef && !mountable.has(e.secretRef.name))
          return `${what} ${c.name} with envFrom referencing secret.secretName="${e.secretRef.name}" is not allowed because service account ${sa.metadata.name} does not reference that secret`
      }
    }
  const pullSecrets = new Set((sa.imagePullSecrets ?? []).map((s: Obj) => s.name))
  const refs: Obj[] = pod.spec.imagePullSecrets ?? []
  for (let i = 0; i < refs.length; i++)
    if (!pullSecrets.has(refs[i]!.name))
      return `imagePullSecrets[${i}].name="${refs[i]!.name}" is not allowed because service account ${sa.metadata.name} does not reference that imagePullSecret`
  return undefined
}

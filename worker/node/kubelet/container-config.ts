// What a container sees when it starts: its environment (env, envFrom,
// valueFrom) and its mounted files (configMap, secret, projected, downwardAPI
// volumes), resolved as the kubelet resolves them, with upstream's messages for
// what is missing. Pure: ConfigMaps and Secrets come through `lookup`.
import type { ObjectRead } from '../../resources/node-rpc'
import { parseQuantity } from '../../resources/quantity'

type Obj = Record<string, any>

/** An object the kubelet fetched: null when it does not exist, undefined when not fetched yet. */
export type ConfigLookup = (
  resource: ObjectRead['resource'],
  namespace: string,
  name: string,
) => Obj | null | undefined

export interface PodFacts {
  podIP?: string
  hostIP?: string
  nodeName: string
  /** Node allocatable, for resourceFieldRef without a limit. */
  allocatable: { cpu: number; memory: number }
}

export type ConfigResult =
  | { ok: true; env: Record<string, string>; files: Record<string, string> }
  /** CreateContainerConfigError (env), or a FailedMount (volume): the kubelet retries. */
  | { ok: false; mount: boolean; message: string }
  /** Objects to fetch before deciding. */
  | { ok: 'fetch'; reads: ObjectRead[] }

class Missing {
  constructor(readonly read: ObjectRead) {}
}
class Failure {
  constructor(readonly message: string) {}
}

const decode = (b64: string): string => {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))
  } catch {
    return ''
  }
}

/** The data of a ConfigMap or Secret as text; throws Missing/Failure, or returns undefined when optional and absent. */
function dataOf(
  lookup: ConfigLookup,
  resource: ObjectRead['resource'],
  namespace: string,
  name: string,
  optional: boolean,
): Record<string, string> | undefined {
  const o = lookup(resource, namespace, name)
  if (o === undefined) throw new Missing({ resource, namespace, name })
  if (o === null) {
    if (optional) return undefined
    throw new Failure(`${resource === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`)
  }
  if (resource === 'secrets')
    return Object.fromEntries(
      Object.entries((o.data ?? {}) as Record<string, string>).map(([k, v]) => [k, decode(v)]),
    )
  return {
    ...(o.data ?? {}),
    ...Object.fromEntries(
      Object.entries((o.binaryData ?? {}) as Record<string, string>).map(([k, v]) => [
        k,
        decode(v),
      ]),
    ),
  }
}

/** metadata.labels['app'] and friends, for fieldRef and downwardAPI. */
function fieldValue(pod: Obj, path: string, facts: PodFacts): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path)
  if (m) return pod.metadata?.[m[1]!]?.[m[2]!] ?? ''
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name
    case 'metadata.namespace':
      return pod.metadata.namespace
    case 'metadata.uid':
      return pod.metadata.uid ?? ''
    case 'metadata.labels':
    case 'metadata.annotations':
      return Object.entries(pod.metadata?.[path.slice(9)] ?? {})
        .map(([k, v]) => `${k}="${v}"`)
        .join('\n')
    case 'spec.nodeName':
      return facts.nodeName
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default'
    case 'status.podIP':
    case 'status.podIPs':
      return facts.podIP ?? ''
    case 'status.hostIP':
    case 'status.hostIPs':
      return facts.hostIP ?? ''
    default:
      return ''
  }
}

function resourceValue(
  pod: Obj,
  ref: Obj,
  containerName: string | undefined,
  facts: PodFacts,
): string {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (x: Obj) => x.name === containerName,
  )
  const [kind, res] = String(ref.resource).split('.') as [string, string]
  const node = res === 'cpu' ? facts.allocatable.cpu : facts.allocatable.memory
  const raw =
    parseQuantity(c?.resources?.[kind]?.[res]) ?? (kind === 'limits' ? node : res === 'cpu' ? 0 : 0)
  const divisor = parseQuantity(ref.divisor) ?? 1
  return String(Math.ceil(raw / divisor))
}

/** Kubernetes' $(VAR) expansion: defined names expand, $$ escapes, the rest stays as written. */
export function expandVars(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) =>
    all === '$$' ? '$' : name !== undefined && name in env ? env[name]! : all,
  )
}

function environment(
  pod: Obj,
  c: Obj,
  lookup: ConfigLookup,
  facts: PodFacts,
): Record<string, string> {
  const ns = pod.metadata.namespace
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod.spec?.hostname ?? pod.metadata.name,
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
  }
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef
    if (!ref) continue
    const data = dataOf(
      lookup,
      from.configMapRef ? 'configmaps' : 'secrets',
      ns,
      ref.name,
      ref.optional === true,
    )
    for (const [k, v] of Object.entries(data ?? {})) env[`${from.prefix ?? ''}${k}`] = v
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env[e.name] = expandVars(e.value ?? '', env)
      continue
    }
    const vf = e.valueFrom
    const keyRef = vf.configMapKeyRef ?? vf.secretKeyRef
    if (keyRef) {
      const resource = vf.configMapKeyRef ? 'configmaps' : 'secrets'
      const data = dataOf(lookup, resource, ns, keyRef.name, keyRef.optional === true)
      if (data === undefined) continue
      if (!(keyRef.key in data)) {
        if (keyRef.optional) continue
        throw new Failure(
          `couldn't find key ${keyRef.key} in ${resource === 'configmaps' ? 'ConfigMap' : 'Secret'} ${ns}/${keyRef.name}`,
        )
      }
      env[e.name] = data[keyRef.key]!
    } else if (vf.fieldRef) env[e.name] = fieldValue(pod, vf.fieldRef.fieldPath, facts)
    else if (vf.resourceFieldRef)
      env[e.name] = resourceValue(
        pod,
        vf.resourceFieldRef,
        vf.resourceFieldRef.containerName ?? c.name,
        facts,
      )
  }
  return env
}

/** The files one volume source provides, as paths relative to its mount point. */
function volumeFiles(
  pod: Obj,
  v: Obj,
  lookup: ConfigLookup,
  facts: PodFacts,
): Record<string, string> {
  const ns = pod.metadata.namespace
  const out: Record<string, string> = {}
  const fromData = (
    data: Record<string, string> | undefined,
    items: Obj[] | undefined,
    what: string,
    name: string,
  ) => {
    if (!data) return
    if (!items) return Object.assign(out, data)
    for (const it of items) {
      if (!(it.key in data)) {
        if (it.optional) continue
        throw new Failure(
          `configmap references non-existent config key: ${it.key}`.replace('configmap', what),
        )
      }
      out[it.path] = data[it.key]!
    }
    void name
  }
  if (v.configMap)
    fromData(
      dataOf(lookup, 'configmaps', ns, v.configMap.name, v.configMap.optional === true),
      v.configMap.items,
      'configmap',
      v.configMap.name,
    )
  if (v.secret)
    fromData(
      dataOf(lookup, 'secrets', ns, v.secret.secretName, v.secret.optional === true),
      v.secret.items,
      'secret',
      v.secret.secretName,
    )
  if (v.downwardAPI)
    for (const it of v.downwardAPI.items ?? [])
      out[it.path] = it.fieldRef
        ? fieldValue(pod, it.fieldRef.fieldPath, facts)
        : resourceValue(pod, it.resourceFieldRef ?? {}, it.resourceFieldRef?.containerName, facts)
  for (const src of v.projected?.sources ?? []) {
    if (src.configMap)
      fromData(
        dataOf(lookup, 'configmaps', ns, src.configMap.name, src.configMap.optional === true),
        src.configMap.items,
        'configmap',
        src.configMap.name,
      )
    if (src.secret)
      fromData(
        dataOf(lookup, 'secrets', ns, src.secret.name, src.secret.optional === true),
        src.secret.items,
        'secret',
        src.secret.name,
      )
    if (src.downwardAPI)
      Object.assign(out, volumeFiles(pod, { downwardAPI: src.downwardAPI }, lookup, facts))
    if (src.serviceAccountToken) out[src.serviceAccountToken.path] = serviceAccountToken(pod)
  }
  return out
}

/** Not a credential: the simulated workloads never call the API with it. */
const serviceAccountToken = (pod: Obj) =>
  `simulated-token-for-system:serviceaccount:${pod.metadata.namespace}:${pod.spec?.serviceAccountName ?? 'default'}`

function mountedFiles(
  pod: Obj,
  c: Obj,
  lookup: ConfigLookup,
  facts: PodFacts,
): Record<string, string> {
  const files: Record<string, string> = {}
  const volumes = new Map<string, Obj>((pod.spec?.volumes ?? []).map((v: Obj) => [v.name, v]))
  for (const m of c.volumeMounts ?? []) {
    const v = volumes.get(m.name)
    if (!v) continue
    const provided = volumeFiles(pod, v, lookup, facts)
    const base = String(m.mountPath).replace(/\/+$/, '')
    if (m.subPath) {
      if (m.subPath in provided) files[base] = provided[m.subPath]!
      continue
    }
    for (const [rel, content] of Object.entries(provided)) files[`${base}/${rel}`] = content
  }
  // The service account's token, CA and namespace come as the kube-api-access
  // volume the ServiceAccount admission plugin adds, like any projected volume.
  return files
}

/** Checks every volume of the pod can be set up (the kubelet mounts before any container starts). */
export function mountVolumes(pod: Obj, lookup: ConfigLookup, facts: PodFacts): ConfigResult {
  const reads: ObjectRead[] = []
  for (const v of pod.spec?.volumes ?? []) {
    try {
      volumeFiles(pod, v, lookup, facts)
    } catch (err) {
      if (err instanceof Missing) reads.push(err.read)
      else if (err instanceof Failure)
        return {
          ok: false,
          mount: true,
          message: `MountVolume.SetUp failed for volume "${v.name}" : ${err.message}`,
        }
      else throw err
    }
  }
  return reads.length ? { ok: 'fetch', reads } : { ok: true, env: {}, files: {} }
}

export function resolveContainerConfig(
  pod: Obj,
  c: Obj,
  lookup: ConfigLookup,
  facts: PodFacts,
): ConfigResult {
  try {
    const env = environment(pod, c, lookup, facts)
    const files = mountedFiles(pod, c, lookup, facts)
    return { ok: true, env, files }
  } catch (err) {
    if (err instanceof Missing) return { ok: 'fetch', reads: [err.read] }
    if (err instanceof Failure) return { ok: false, mount: false, message: err.message }
    throw err
  }
}

/** Every ConfigMap and Secret a pod refers to: fetched together before its containers start. */
export function podConfigReads(pod: Obj): ObjectRead[] {
  const ns = pod.metadata.namespace
  const seen = new Map<string, ObjectRead>()
  const add = (resource: ObjectRead['resource'], name: string | undefined) => {
    if (name) seen.set(`${resource}/${name}`, { resource, namespace: ns, name })
  }
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const f of c.envFrom ?? []) {
      add('configmaps', f.configMapRef?.name)
      add('secrets', f.secretRef?.name)
    }
    for (const e of c.env ?? []) {
      add('configmaps', e.valueFrom?.configMapKeyRef?.name)
      add('secrets', e.valueFrom?.secretKeyRef?.name)
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    add('configmaps', v.configMap?.name)
    add('secrets', v.secret?.secretName)
    for (const s of v.projected?.sources ?? []) {
      add('configmaps', s.configMap?.name)
      add('secrets', s.secret?.name)
    }
  }
  return [...seen.values()]
}

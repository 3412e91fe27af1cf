// kubectl describe pod, and the container, volume and pod-template sections
// the workload describers share (describePod, describeContainers,
// describeVolumes, DescribePodTemplate in kubectl/pkg/describe).
import type { Obj } from '../types'
import { canonical, milliValue, tryQuantity, value } from '../util/quantity'
import { podQOS } from '../util/resources'
import { rfc1123z } from '../util/time'
import { controllerOf, cmpStr, describeEvents, formatLabelSelector, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline, PrefixWriter, since, type Writer } from './writer'

const stringOrNone = (s: string) => (s ? s : '<none>')
const printBool = (b: unknown) => (b ? 'True' : 'False')
const intOrString = (v: unknown) => (v === undefined || v === null ? '' : String(v))

function describeResources(w: Writer, resources: Obj | undefined, level: number) {
  if (!resources) return
  for (const field of ['limits', 'requests'] as const) {
    const list: Obj = resources[field] ?? {}
    const names = Object.keys(list).sort()
    if (names.length) w.write(level, `${field === 'limits' ? 'Limits' : 'Requests'}:\n`)
    for (const n of names) w.write(level + 1, `${n}:\t${canonical(list[n])}\n`)
  }
}

export function describeProbe(p: Obj): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`
  if (p.httpGet) {
    const port = intOrString(p.httpGet.port)
    const host = p.httpGet.host ?? ''
    const hostPort = port ? (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`) : host
    return `http-get ${String(p.httpGet.scheme ?? '').toLowerCase()}://${hostPort}${p.httpGet.path ?? ''} ${attrs}`
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${intOrString(p.tcpSocket.port)} ${attrs}`
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`
  return `unknown ${attrs}`
}

function describeState(w: Writer, name: string, state: Obj | undefined) {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`)
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`)
  } else if (state?.waiting) {
    w.write(2, `${name}:\tWaiting\n`)
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`)
  } else if (state?.terminated) {
    const t = state.terminated
    w.write(2, `${name}:\tTerminated\n`)
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`)
    if (t.message) w.write(3, `Message:\t${t.message}\n`)
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`)
    if (t.signal > 0) w.write(3, `Signal:\t${t.signal}\n`)
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`)
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`)
  } else w.write(2, `${name}:\tWaiting\n`)
}

/** A fieldRef's value on the pod (EnvValueRetriever), for the simple paths pods use. */
function fieldValue(pod: Obj | undefined, path: string): string {
  if (!pod) return ''
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path)
  if (m) return pod.metadata?.[m[1]!]?.[m[2]!] ?? ''
  const v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Obj)[k] : undefined), pod)
  return v === undefined || v === null ? '' : String(v)
}

function resourceFieldValue(ref: Obj, container: Obj): string {
  const [field, name] = String(ref.resource ?? '').split('.') as [string, string]
  const q = tryQuantity(container.resources?.[field]?.[name])
  const divisor = tryQuantity(ref.divisor ?? '1')
  if (!q || !divisor) return '0'
  if (name === 'cpu') return String(Math.ceil(milliValue(q) / Math.max(1, milliValue(divisor))))
  return String(Math.ceil(value(q) / Math.max(1, value(divisor))))
}

function describeEnv(w: Writer, c: Obj, pod: Obj | undefined) {
  w.write(2, `Environment:${c.env?.length ? '' : '\t<none>'}\n`)
  for (const e of c.env ?? []) {
    const from = e.valueFrom
    if (!from) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`))
    } else if (from.fieldRef) w.write(3, `${e.name}:\t${fieldValue(pod, from.fieldRef.fieldPath)} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`)
    else if (from.resourceFieldRef) {
      let v = resourceFieldValue(from.resourceFieldRef, c)
      const r = from.resourceFieldRef.resource
      if (v === '0' && (r === 'limits.cpu' || r === 'limits.memory')) v = 'node allocatable'
      w.write(3, `${e.name}:\t${v} (${r})\n`)
    } else if (from.secretKeyRef) w.write(3, `${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${!!from.secretKeyRef.optional}\n`)
    else if (from.configMapKeyRef) w.write(3, `${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${!!from.configMapKeyRef.optional}\n`)
  }
}

export function describeContainers(w: Writer, label: string, containers: Obj[], statuses: Obj[] | undefined, pod: Obj | undefined, space: string) {
  const byName = new Map<string, Obj>((statuses ?? []).map((s) => [s.name, s]))
  w.write(0, `${space}${label}:${containers.length ? '' : ' <none>'}\n`)
  for (const c of containers) {
    const st = byName.get(c.name)
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`)
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`)
    w.write(2, `Image:\t${c.image ?? ''}\n`)
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ''}\n`)
    const ports = (c.ports ?? []).map((p: Obj) => `${p.containerPort}/${p.protocol ?? ''}`).join(', ')
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${stringOrNone(ports)}\n`)
    const hostPorts = (c.ports ?? []).map((p: Obj) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ')
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${stringOrNone(hostPorts)}\n`)
    if (c.securityContext?.seccompProfile) {
      w.write(2, `SeccompProfile:\t${c.securityContext.seccompProfile.type}\n`)
      if (c.securityContext.seccompProfile.type === 'Localhost') w.write(3, `LocalhostProfile:\t${c.securityContext.seccompProfile.localhostProfile}\n`)
    }
    for (const [title, list] of [
      ['Command', c.command],
      ['Args', c.args],
    ] as const) {
      if (!list?.length) continue
      w.write(2, `${title}:\n`)
      for (const s of list as string[]) for (const line of s.split('\n')) w.write(3, `${line}\n`)
    }
    if (st) {
      describeState(w, 'State', st.state)
      if (st.lastState?.terminated) describeState(w, 'Last State', st.lastState)
      w.write(2, `Ready:\t${printBool(st.ready)}\n`)
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`)
    }
    describeResources(w, c.resources ?? {}, 2)
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`)
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`)
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`)
    if (c.envFrom?.length) {
      w.write(2, 'Environment Variables from:\n')
      for (const e of c.envFrom) {
        const [from, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : e.secretRef ? ['Secret', e.secretRef] : ['', {}]
        const prefix = e.prefix ? ` with prefix '${e.prefix}'` : ''
        w.write(3, `${ref.name ?? ''}\t${from}${prefix}\tOptional: ${!!ref.optional}\n`)
      }
    }
    describeEnv(w, c, pod)
    const mounts = [...(c.volumeMounts ?? [])].sort((a: Obj, b: Obj) => cmpStr(a.mountPath, b.mountPath))
    w.write(2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`)
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw']
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`)
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`)
    }
    if (c.volumeDevices?.length) {
      w.write(2, 'Devices:\n')
      for (const d of [...c.volumeDevices].sort((a: Obj, b: Obj) => cmpStr(a.devicePath, b.devicePath))) w.write(3, `${d.devicePath} from ${d.name}\n`)
    }
  }
}

function describeVolume(w: Writer, v: Obj) {
  const t = (type: string, rows: [string, unknown][]) => w.write(2, `Type:\t${type}\n${rows.map(([k, x]) => `    ${k}:\t${x}\n`).join('')}`)
  if (v.hostPath) return t('HostPath (bare host directory volume)', [['Path', v.hostPath.path], ['HostPathType', v.hostPath.type || '<none>']])
  if (v.emptyDir) {
    const size = tryQuantity(v.emptyDir.sizeLimit)
    return t("EmptyDir (a temporary directory that shares a pod's lifetime)", [['Medium', v.emptyDir.medium ?? ''], ['SizeLimit', size && size.nanos > 0n ? canonical(v.emptyDir.sizeLimit) : '<unset>']])
  }
  if (v.secret) return t('Secret (a volume populated by a Secret)', [['SecretName', v.secret.secretName ?? ''], ['Optional', !!v.secret.optional]])
  if (v.configMap) return t('ConfigMap (a volume populated by a ConfigMap)', [['Name', v.configMap.name ?? ''], ['Optional', !!v.configMap.optional]])
  if (v.persistentVolumeClaim) return t('PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [['ClaimName', v.persistentVolumeClaim.claimName], ['ReadOnly', !!v.persistentVolumeClaim.readOnly]])
  if (v.downwardAPI) {
    w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n')
    for (const i of v.downwardAPI.items ?? []) {
      if (i.fieldRef) w.write(3, `${i.fieldRef.fieldPath} -> ${i.path}\n`)
      else if (i.resourceFieldRef) w.write(3, `${i.resourceFieldRef.resource} -> ${i.path}\n`)
    }
    return
  }
  if (v.projected) {
    w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n')
    for (const s of v.projected.sources ?? []) {
      if (s.secret) w.write(2, `SecretName:\t${s.secret.name}\n    SecretOptionalName:\t${s.secret.optional === undefined ? '<nil>' : s.secret.optional}\n`)
      else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n')
      else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name}\n    ConfigMapOptional:\t${s.configMap.optional === undefined ? '<nil>' : s.configMap.optional}\n`)
      else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`)
    }
    return
  }
  if (v.csi) {
    t('CSI (a Container Storage Interface (CSI) volume source)', [['Driver', v.csi.driver], ['FSType', v.csi.fsType ?? ''], ['ReadOnly', !!v.csi.readOnly]])
    return printCSIAttributes(w, v.csi.volumeAttributes)
  }
  if (v.ephemeral) return w.write(2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n')
  w.write(1, '<unknown>\n')
}

function printCSIAttributes(w: Writer, attrs: Record<string, string> | undefined) {
  w.write(2, 'VolumeAttributes:\t')
  const keys = Object.keys(attrs ?? {}).sort()
  if (!keys.length) return w.writeLine('<none>')
  keys.forEach((k, i) => {
    if (i) {
      w.write(2, '')
      w.write(2, '\t')
    }
    const line = `${k}=${attrs![k]}`
    w.write(2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`)
  })
}

export function describeVolumes(w: Writer, volumes: Obj[] | undefined, space: string) {
  if (!volumes?.length) return w.write(0, `${space}Volumes:\t<none>\n`)
  w.write(0, `${space}Volumes:\n`)
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`)
    describeVolume(w, v)
  }
}

function describeTopologySpread(w: Writer, tscs: Obj[] | undefined, space: string) {
  if (!tscs?.length) return
  const sorted = [...tscs].sort((a, b) => cmpStr(a.topologyKey, b.topologyKey))
  w.write(0, `${space}Topology Spread Constraints:\t`)
  sorted.forEach((t, i) => {
    if (i) w.write(0, `${space}\t`)
    let s = `${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded`
    if (t.labelSelector) s += ` for selector ${formatLabelSelector(t.labelSelector)}`
    w.write(0, s + '\n')
  })
}

export function describePodTemplate(w: Writer, template: Obj | undefined) {
  w.write(0, 'Pod Template:\n')
  if (!template) return w.write(1, '<unset>')
  printLabelsMultiline(w, '  Labels', template.metadata?.labels)
  if (Object.keys(template.metadata?.annotations ?? {}).length) printAnnotationsMultiline(w, '  Annotations', template.metadata.annotations)
  const spec: Obj = template.spec ?? {}
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`)
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ')
  describeContainers(w, 'Containers', spec.containers ?? [], undefined, undefined, '  ')
  describeVolumes(w, spec.volumes, '  ')
  describeTopologySpread(w, spec.topologySpreadConstraints, '  ')
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`)
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector)
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations)
}

export function describePod(pod: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter()
  const spec: Obj = pod.spec ?? {}
  const status: Obj = pod.status ?? {}
  w.write(0, `Name:\t${pod.metadata.name}\n`)
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`)
  if (spec.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`)
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`)
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`)
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`)
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n')
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`)
  printLabelsMultiline(w, 'Labels', pod.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', pod.metadata.annotations)
  if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${since(pod.metadata.deletionTimestamp, now)})\n`)
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`)
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`)
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`)
  if (status.message) w.write(0, `Message:\t${status.message}\n`)
  if (spec.securityContext?.seccompProfile) {
    w.write(0, `SeccompProfile:\t${spec.securityContext.seccompProfile.type}\n`)
    if (spec.securityContext.seccompProfile.type === 'Localhost') w.write(0, `LocalhostProfile:\t${spec.securityContext.seccompProfile.localhostProfile}\n`)
  }
  w.write(0, `IP:\t${status.podIP ?? ''}\n`)
  if (!status.podIPs?.length) w.write(0, 'IPs:\t<none>\n')
  else {
    w.write(0, 'IPs:\n')
    for (const ip of status.podIPs) w.write(1, `IP:\t${ip.ip}\n`)
  }
  const owner = controllerOf(pod)
  if (owner) w.write(0, `Controlled By:\t${owner}\n`)
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`)
  if (spec.resources) {
    w.write(0, 'Resources:\n')
    describeResources(w, spec.resources, 1)
  }
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, pod, '')
  describeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses, pod, '')
  if (spec.ephemeralContainers?.length) describeContainers(w, 'Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses, pod, '')
  if (spec.readinessGates?.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n')
    for (const g of spec.readinessGates) {
      const c = (status.conditions ?? []).find((x: Obj) => x.type === g.conditionType)
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`)
    }
  }
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n')
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status} \n`)
  }
  describeVolumes(w, spec.volumes, '')
  w.write(0, `QoS Class:\t${podQOS(pod)}\n`)
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector)
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations)
  describeTopologySpread(w, spec.topologySpreadConstraints, '')
  if (events) describeEvents(w, events, now)
  return w.toString()
}

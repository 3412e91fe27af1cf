// kubectl describe service, namespace, configmap and secret, and the generic
// describer every other kind gets (its fields, smart labels, then events).
import type { ApiResource } from '../client'
import type { Ctx } from '../context'
import type { Obj } from '../types'
import { canonical } from '../util/quantity'
import { rfc1123z } from '../util/time'
import { cmpStr, describeEvents, eventsFor, printAnnotationsMultiline, printLabelsMultiline, PrefixWriter, type Writer } from './writer'
import { formatLabels } from '../printers/table'

const nsPath = (ns: string, res: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/${res}`

/** formatEndpointSlices: ready addresses with the port, three at most, then "+ N more...". */
function formatEndpointSlices(slices: Obj[], portName: string): string {
  if (!slices.length) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const s of slices) {
    if (!s.ports?.length) {
      for (const e of s.endpoints ?? []) {
        if (list.length === max) more = true
        if (e.conditions?.ready === false) continue
        if (!more) list.push(e.addresses?.[0])
        count++
      }
    } else {
      for (const p of s.ports) {
        if ((p.name ?? '') !== portName) continue
        for (const e of s.endpoints ?? []) {
          if (list.length === max) more = true
          if (e.conditions?.ready === false) continue
          const addr: string = e.addresses?.[0] ?? ''
          if (!more) list.push(addr.includes(':') ? `[${addr}]:${p.port}` : `${addr}:${p.port}`)
          count++
        }
      }
    }
  }
  const s = list.join(',')
  return more ? `${s} + ${count - max} more...` : s
}

export async function describeService(ctx: Ctx, ns: string, name: string): Promise<string> {
  const svc = await ctx.client.get(`${nsPath(ns, 'services')}/${encodeURIComponent(name)}`)
  const now = await ctx.now()
  let slices: Obj[] = []
  try {
    slices = (await ctx.client.get(`/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${name}` })).items ?? []
  } catch {
    slices = []
  }
  const events = await eventsFor(ctx, { name, namespace: ns, kind: 'Service', uid: svc.metadata.uid })
  const w = new PrefixWriter()
  const spec: Obj = svc.spec ?? {}
  w.write(0, `Name:\t${svc.metadata.name}\n`)
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`)
  printLabelsMultiline(w, 'Labels', svc.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', svc.metadata.annotations)
  w.write(0, `Selector:\t${Object.keys(spec.selector ?? {}).length ? formatLabels(spec.selector) : ''}\n`)
  w.write(0, `Type:\t${spec.type ?? ''}\n`)
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`)
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`)
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`)
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`)
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`)
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`)
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`)
  const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? []
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i.hostname ?? ''))).join(', ')}\n`)
  for (const p of spec.ports ?? []) {
    const pname = p.name || '<unset>'
    w.write(0, `Port:\t${pname}\t${p.port}/${p.protocol}\n`)
    w.write(0, `TargetPort:\t${p.targetPort ?? 0}/${p.protocol}\n`)
    if (p.nodePort) w.write(0, `NodePort:\t${pname}\t${p.nodePort}/${p.protocol}\n`)
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`)
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`)
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`)
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`)
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`)
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`)
  if (events) describeEvents(w, events, now)
  return w.toString()
}

async function listOrNone(ctx: Ctx, path: string): Promise<Obj[] | undefined> {
  try {
    return (await ctx.client.get(path, { limit: 500 })).items ?? []
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined
    throw err
  }
}

export async function describeNamespace(ctx: Ctx, name: string): Promise<string> {
  const ns = await ctx.client.get(`/api/v1/namespaces/${encodeURIComponent(name)}`)
  const quotas = await listOrNone(ctx, nsPath(name, 'resourcequotas'))
  const limits = await listOrNone(ctx, nsPath(name, 'limitranges'))
  const w = new PrefixWriter()
  w.write(0, `Name:\t${ns.metadata.name}\n`)
  printLabelsMultiline(w, 'Labels', ns.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations)
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`)
  if (ns.status?.conditions?.length) {
    w.write(0, 'Conditions:\n')
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n')
    w.write(1, '----\t------\t------------------\t------\t-------\n')
    for (const c of ns.status.conditions) w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`)
  }
  if (quotas) {
    w.write(0, '\n')
    if (!quotas.length) w.write(0, 'No resource quota.\n')
    else {
      w.write(0, 'Resource Quotas\n')
      for (const q of [...quotas].sort((a, b) => cmpStr(a.metadata.name, b.metadata.name))) {
        w.write(1, `Name:\t${q.metadata.name}\n`)
        if (q.spec?.scopes?.length) w.write(1, `Scopes:\t${[...q.spec.scopes].sort().join(', ')}\n`)
        w.write(1, 'Resource\tUsed\tHard\n')
        w.write(1, '--------\t---\t---\n')
        for (const r of Object.keys(q.status?.hard ?? {}).sort()) w.write(1, `${r}\t${canonical(q.status?.used?.[r] ?? '0')}\t${canonical(q.status.hard[r])}\n`)
      }
    }
  }
  if (limits) {
    w.write(0, '\n')
    if (!limits.length) w.write(0, 'No LimitRange resource.\n')
    else {
      w.write(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n')
      w.write(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n')
      for (const lr of limits)
        for (const item of lr.spec?.limits ?? []) {
          const keys = new Set<string>([...Object.keys(item.max ?? {}), ...Object.keys(item.min ?? {}), ...Object.keys(item.default ?? {}), ...Object.keys(item.defaultRequest ?? {}), ...Object.keys(item.maxLimitRequestRatio ?? {})])
          const v = (m: Obj | undefined, k: string) => (m && k in m ? canonical(m[k]) : '-')
          for (const k of keys) w.write(0, ` ${item.type}\t${k}\t${v(item.min, k)}\t${v(item.max, k)}\t${v(item.defaultRequest, k)}\t${v(item.default, k)}\t${v(item.maxLimitRequestRatio, k)}\n`)
        }
    }
  }
  return w.toString()
}

export async function describeConfigMap(ctx: Ctx, ns: string, name: string): Promise<string> {
  const cm = await ctx.client.get(`${nsPath(ns, 'configmaps')}/${encodeURIComponent(name)}`)
  const now = await ctx.now()
  const w = new PrefixWriter()
  w.write(0, `Name:\t${cm.metadata.name}\n`)
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`)
  printLabelsMultiline(w, 'Labels', cm.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', cm.metadata.annotations)
  w.write(0, '\nData\n====\n')
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${k}:\n----\n`)
    w.write(0, `${cm.data[k]}\n`)
    w.write(0, '\n')
  }
  w.write(0, '\nBinaryData\n====\n')
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${k}: ${atob(cm.binaryData[k]).length} bytes\n`)
  w.write(0, '\n')
  const events = await eventsFor(ctx, { name, namespace: ns, kind: 'ConfigMap', uid: cm.metadata.uid })
  if (events) describeEvents(w, events, now)
  return w.toString()
}

export async function describeSecret(ctx: Ctx, ns: string, name: string): Promise<string> {
  const s = await ctx.client.get(`${nsPath(ns, 'secrets')}/${encodeURIComponent(name)}`)
  const w = new PrefixWriter()
  w.write(0, `Name:\t${s.metadata.name}\n`)
  w.write(0, `Namespace:\t${s.metadata.namespace}\n`)
  printLabelsMultiline(w, 'Labels', s.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', s.metadata.annotations)
  w.write(0, `\nType:\t${s.type ?? ''}\n`)
  w.write(0, '\nData\n====\n')
  for (const k of Object.keys(s.data ?? {}).sort()) {
    const bytes = atob(s.data[k])
    if (k === 'token' && s.type === 'kubernetes.io/service-account-token') w.write(0, `${k}:\t${bytes}\n`)
    else w.write(0, `${k}:\t${bytes.length} bytes\n`)
  }
  return w.toString()
}

/** smartLabelFor: "podCIDR" → "Pod CIDR", "apiVersion" → "API Version". */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field
  const parts = field.match(/[\p{Lu}]+(?![\p{Ll}])|[\p{Lu}]?[\p{Ll}]+|-+|[^\p{L}]+/gu) ?? [field]
  return parts
    .filter((p) => p !== '_')
    .map((p) => (['API', 'URL', 'UID', 'OSB', 'GUID'].includes(p.toUpperCase()) ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1)))
    .join(' ')
}

const SKIP = ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']

function printContent(w: Writer, level: number, content: Obj, prefix: string) {
  for (const field of Object.keys(content).sort()) {
    const v = content[field]
    const path = `${prefix}.${field}`
    if (SKIP.includes(path)) continue
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      w.write(level, `${smartLabel(field)}:\n`)
      printContent(w, level + 1, v, path)
    } else if (Array.isArray(v)) {
      w.write(level, `${smartLabel(field)}:\n`)
      for (const child of v) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) printContent(w, level + 1, child, path)
        else w.write(level + 1, `${goValue(child)}\n`)
      }
    } else w.write(level, `${smartLabel(field)}:\t${goValue(v)}\n`)
  }
}

const goValue = (v: unknown): string => (v === null || v === undefined ? '<nil>' : Array.isArray(v) ? `[${v.map(goValue).join(' ')}]` : String(v))

export async function describeGeneric(ctx: Ctx, r: ApiResource, ns: string | undefined, name: string): Promise<string> {
  const o = await ctx.client.get(ctx.client.path(r, ns, name))
  const now = await ctx.now()
  const events = await eventsFor(ctx, { name, namespace: o.metadata?.namespace ?? '', kind: o.kind, uid: o.metadata?.uid })
  const w = new PrefixWriter()
  w.write(0, `Name:\t${o.metadata?.name ?? ''}\n`)
  w.write(0, `Namespace:\t${o.metadata?.namespace ?? ''}\n`)
  printLabelsMultiline(w, 'Labels', o.metadata?.labels)
  printAnnotationsMultiline(w, 'Annotations', o.metadata?.annotations)
  printContent(w, 0, o, '')
  if (events) describeEvents(w, events, now)
  return w.toString()
}

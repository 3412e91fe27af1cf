// kubectl describe deployment and replicaset (describeDeployment,
// describeReplicaSet): replicas, strategy, the pod template, conditions, the
// ReplicaSets a Deployment owns (new and old), pod phases a ReplicaSet owns.
import type { Ctx } from '../context'
import type { Obj } from '../types'
import { rfc1123z } from '../util/time'
import { describePodTemplate } from './pod'
import { controllerOf, describeEvents, eventsFor, formatLabelSelector, printAnnotationsMultiline, printLabelsMultiline, PrefixWriter, selectorString } from './writer'

const nsPath = (ns: string, res: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${res}`

async function listAll(ctx: Ctx, path: string, query: Record<string, string>): Promise<Obj[]> {
  const items: Obj[] = []
  let cont: string | undefined
  do {
    const list = await ctx.client.get(path, { ...query, limit: 500, continue: cont })
    items.push(...(list.items ?? []))
    cont = list.metadata?.continue || undefined
  } while (cont)
  return items
}

const controlledBy = (o: Obj, uid: string) => (o.metadata?.ownerReferences ?? []).some((r: Obj) => r.controller && r.uid === uid)

/** A template without the pod-template-hash label, for EqualIgnoreHash. */
function withoutHash(t: Obj | undefined): string {
  const c = structuredClone(t ?? {})
  if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash']
  return JSON.stringify(sortKeys(c))
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, sortKeys((v as Obj)[k])]))
  return v
}

/** The ReplicaSets a Deployment controls: the one matching its template (oldest first) and the others. */
export async function replicaSetsOf(ctx: Ctx, d: Obj): Promise<{ all: Obj[]; newRS?: Obj; old: Obj[] }> {
  const sel = selectorString(d.spec?.selector)
  const all = (await listAll(ctx, nsPath(d.metadata.namespace, 'replicasets'), { labelSelector: sel })).filter((rs) => controlledBy(rs, d.metadata.uid))
  const byAge = [...all].sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp) || (a.metadata.name < b.metadata.name ? -1 : 1))
  const want = withoutHash(d.spec?.template)
  const newRS = byAge.find((rs) => withoutHash(rs.spec?.template) === want)
  return { all, newRS, old: all.filter((rs) => rs !== newRS) }
}

const rsList = (list: Obj[]) => (list.length ? list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') : '<none>')

export async function describeDeployment(ctx: Ctx, ns: string, name: string): Promise<string> {
  const d = await ctx.client.get(`${nsPath(ns, 'deployments')}/${encodeURIComponent(name)}`)
  const now = await ctx.now()
  const events = await eventsFor(ctx, { name, namespace: ns, kind: 'Deployment', uid: d.metadata.uid })
  let rs: { newRS?: Obj; old: Obj[] } | undefined
  try {
    rs = await replicaSetsOf(ctx, d)
  } catch {
    rs = undefined
  }
  const w = new PrefixWriter()
  const spec: Obj = d.spec ?? {}
  const st: Obj = d.status ?? {}
  w.write(0, `Name:\t${d.metadata.name}\n`)
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`)
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`)
  printLabelsMultiline(w, 'Labels', d.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations)
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`)
  w.write(0, `Replicas:\t${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`)
  w.write(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`)
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`)
  const ru = spec.strategy?.rollingUpdate
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? 0} max unavailable, ${ru.maxSurge ?? 0} max surge\n`)
  describePodTemplate(w, spec.template)
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n')
    w.write(1, '----\t------\t------\n')
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`)
  }
  if (rs && (rs.old.length || rs.newRS)) {
    w.write(0, `OldReplicaSets:\t${rsList(rs.old)}\n`)
    w.write(0, `NewReplicaSet:\t${rsList(rs.newRS ? [rs.newRS] : [])}\n`)
  }
  if (events) describeEvents(w, events, now)
  return w.toString()
}

export async function describeReplicaSet(ctx: Ctx, ns: string, name: string): Promise<string> {
  const rs = await ctx.client.get(`${nsPath(ns, 'replicasets')}/${encodeURIComponent(name)}`)
  const now = await ctx.now()
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 }
  let podErr = ''
  try {
    const pods = await listAll(ctx, `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { labelSelector: selectorString(rs.spec?.selector) })
    for (const p of pods) if (controlledBy(p, rs.metadata.uid) && p.status?.phase in counts) counts[p.status.phase as keyof typeof counts]++
  } catch (err) {
    podErr = (err as Error).message
  }
  const events = await eventsFor(ctx, { name, namespace: ns, kind: 'ReplicaSet', uid: rs.metadata.uid })
  const w = new PrefixWriter()
  w.write(0, `Name:\t${rs.metadata.name}\n`)
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`)
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`)
  printLabelsMultiline(w, 'Labels', rs.metadata.labels)
  printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations)
  const owner = controllerOf(rs)
  if (owner) w.write(0, `Controlled By:\t${owner}\n`)
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`)
  w.write(0, 'Pods Status:\t')
  if (podErr) w.write(0, `error in fetching pods: ${podErr}\n`)
  else w.write(0, `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed\n`)
  describePodTemplate(w, rs.spec?.template)
  if (rs.status?.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n')
    w.write(1, '----\t------\t------\n')
    for (const c of rs.status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`)
  }
  if (events) describeEvents(w, events, now)
  return w.toString()
}

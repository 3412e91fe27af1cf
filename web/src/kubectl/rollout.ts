// kubectl rollout status | history | undo | restart | pause | resume
// (kubectl/pkg/cmd/rollout and polymorphichelpers), for Deployments: status
// follows a list+watch of the one object, history and undo read the
// ReplicaSets the Deployment controls and their revision annotations.
import type { Flags } from './args'
import { buildTargets, fetchObjects, type Target } from './builder'
import { kindName } from './client'
import type { Command, Ctx } from './context'
import { replicaSetsOf } from './describe/apps'
import { describePodTemplate } from './describe/pod'
import { PrefixWriter } from './describe/writer'
import { AggregateError, CmdError } from './errors'
import { parseTimeout } from './delete'
import { DESCRIBE_TABWRITER, tabify } from './printers/tabwriter'
import type { Obj } from './types'

const REVISION = 'deployment.kubernetes.io/revision'
const CHANGE_CAUSE = 'kubernetes.io/change-cause'

async function targetsOf(ctx: Ctx, args: string[], flags: Flags): Promise<Target[]> {
  const { targets } = await buildTargets(ctx, args, { labelSelector: flags.changed('selector') ? flags.string('selector') : undefined, filenames: flags.strings('filename'), allowEmptySelector: true })
  return targets
}

/** Each object the arguments name, fetched (Latest). */
async function objectsOf(ctx: Ctx, args: string[], flags: Flags): Promise<{ t: Target; o: Obj }[]> {
  const out: { t: Target; o: Obj }[] = []
  for (const t of await targetsOf(ctx, args, flags)) for (const o of await fetchObjects(ctx, t)) out.push({ t, o })
  return out
}

const isDeployment = (t: Target) => t.r.group === 'apps' && t.r.kind === 'Deployment'
const noViewer = (what: string, t: Target) => new CmdError(`no ${what} has been implemented for ${t.r.kind}${t.r.group ? `.${t.r.group}` : ''}`)

/** DeploymentStatusViewer.Status: the line to print and whether the rollout is done. */
export function deploymentStatus(d: Obj, revision = 0): { text: string; done: boolean } {
  const name = d.metadata.name
  if (revision > 0) {
    const rev = Number(d.metadata.annotations?.[REVISION] ?? 0)
    if (rev !== revision) throw new CmdError(`desired revision (${revision}) is different from the running revision (${rev})`)
  }
  const st: Obj = d.status ?? {}
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const cond = (st.conditions ?? []).find((c: Obj) => c.type === 'Progressing')
    if (cond?.reason === 'ProgressDeadlineExceeded') throw new CmdError(`deployment ${JSON.stringify(name)} exceeded its progress deadline`)
    const want = d.spec?.replicas ?? 1
    const updated = st.updatedReplicas ?? 0
    if (updated < want) return { text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false }
    if ((st.replicas ?? 0) > updated) return { text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false }
    if ((st.availableReplicas ?? 0) < updated) return { text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false }
    return { text: `deployment ${JSON.stringify(name)} successfully rolled out\n`, done: true }
  }
  return { text: 'Waiting for deployment spec update to be observed...\n', done: false }
}

const status: Command = {
  name: 'status',
  short: 'Show the status of the rollout',
  flags: [
    { name: 'watch', short: 'w', type: 'bool', default: true },
    { name: 'revision', type: 'int', default: 0 },
    { name: 'timeout', type: 'string', default: '0s' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
  ],
  async run(ctx, args, flags) {
    const timeout = parseTimeout(flags.string('timeout'))
    const deadline = timeout ? Date.now() + timeout : Infinity
    const items = await objectsOf(ctx, args, flags)
    for (const { t, o } of items) {
      if (!isDeployment(t)) throw noViewer('status viewer', t)
      const path = ctx.client.path(t.r, t.namespace)
      const fieldSelector = `metadata.name=${o.metadata.name}`
      const list = await ctx.client.get(path, { fieldSelector, limit: 500, resourceVersion: '0' })
      let rv: string = list.metadata?.resourceVersion ?? '0'
      let done = false
      for (const d of list.items ?? []) {
        const s = deploymentStatus(d, flags.int('revision'))
        ctx.out(s.text)
        done = s.done || !flags.bool('watch')
      }
      while (!done && !ctx.signal?.aborted) {
        if (Date.now() > deadline) throw new CmdError('timed out waiting for the condition')
        const timeoutSeconds = Number.isFinite(deadline) ? Math.max(1, Math.ceil((deadline - Date.now()) / 1000)) : 300 + Math.floor(Math.random() * 300)
        for await (const ev of ctx.client.watch(path, { allowWatchBookmarks: 'true', fieldSelector, resourceVersion: rv, timeoutSeconds }, 'application/json', ctx.signal)) {
          if (ev.type === 'BOOKMARK') {
            rv = ev.object.metadata?.resourceVersion ?? rv
            continue
          }
          if (ev.type === 'DELETED') throw new CmdError('object has been deleted')
          if (ev.type === 'ERROR') break
          rv = ev.object.metadata?.resourceVersion ?? rv
          const s = deploymentStatus(ev.object, flags.int('revision'))
          ctx.out(s.text)
          if (s.done || !flags.bool('watch')) {
            done = true
            break
          }
        }
      }
      if (ctx.signal?.aborted) return 1
    }
    if (!items.length) ctx.err(`No resources found in ${ctx.namespace} namespace.\n`)
  },
}

/** The revisions of a Deployment: revision → its ReplicaSet (history.go, getDeploymentReplicaSets). */
async function revisions(ctx: Ctx, d: Obj): Promise<Map<number, Obj>> {
  const out = new Map<number, Obj>()
  for (const rs of (await replicaSetsOf(ctx, d)).all) {
    const v = Number(rs.metadata.annotations?.[REVISION])
    if (!Number.isInteger(v)) continue
    out.set(v, rs)
  }
  return out
}

function templateText(template: Obj): string {
  const w = new PrefixWriter(true)
  describePodTemplate(w, template)
  return w.toString()
}

const history: Command = {
  name: 'history',
  short: 'View rollout history',
  flags: [{ name: 'revision', type: 'int', default: 0 }, { name: 'selector', short: 'l', type: 'string' }, { name: 'filename', short: 'f', type: 'stringArray' }, { name: 'output', short: 'o', type: 'string' }],
  async run(ctx, args, flags) {
    const revision = flags.int('revision')
    for (const { t, o } of await objectsOf(ctx, args, flags)) {
      if (!isDeployment(t)) throw noViewer('history viewer', t)
      const revs = await revisions(ctx, o)
      let text: string
      if (!revs.size) text = 'No rollout history found.'
      else if (revision > 0) {
        const rs = revs.get(revision)
        if (!rs) throw new CmdError('unable to find the specified revision')
        const template = structuredClone(rs.spec?.template ?? {})
        const cause = rs.metadata.annotations?.[CHANGE_CAUSE]
        if (cause) template.metadata = { ...template.metadata, annotations: { ...(template.metadata?.annotations ?? {}), [CHANGE_CAUSE]: cause } }
        text = templateText(template)
      } else {
        let table = 'REVISION\tCHANGE-CAUSE\n'
        for (const r of [...revs.keys()].sort((a, b) => a - b)) table += `${r}\t${revs.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || '<none>'}\n`
        text = tabify(table, DESCRIBE_TABWRITER)
      }
      ctx.out(`${kindName(t.r)}/${o.metadata.name} ${revision > 0 ? `with revision #${revision}` : ''}\n${text}\n`)
    }
  },
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to'])

function withoutHash(t: Obj): string {
  const c = structuredClone(t ?? {})
  if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash']
  const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, sort((v as Obj)[k])])) : v)
  return JSON.stringify(sort(c))
}

const undo: Command = {
  name: 'undo',
  short: 'Undo a previous rollout',
  flags: [{ name: 'to-revision', type: 'int', default: 0 }, { name: 'selector', short: 'l', type: 'string' }, { name: 'filename', short: 'f', type: 'stringArray' }, { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' }, { name: 'output', short: 'o', type: 'string' }],
  async run(ctx, args, flags) {
    const to = flags.int('to-revision')
    const dry = flags.string('dry-run')
    const errors: unknown[] = []
    for (const { t, o } of await objectsOf(ctx, args, flags)) {
      try {
        if (!isDeployment(t)) throw noViewer('rollbacker', t)
        if (to < 0) throw new CmdError(`unable to find specified revision ${to} in history`)
        const d = await ctx.client.get(ctx.client.path(t.r, t.namespace, o.metadata.name))
        const revs = await revisions(ctx, d)
        let rs: Obj | undefined
        if (to > 0) {
          rs = revs.get(to)
          if (!rs) throw new CmdError(`unable to find specified revision ${to} in history`)
        } else {
          const sorted = [...revs.keys()].sort((a, b) => b - a)
          if (sorted.length < 2) throw new CmdError(`no rollout history found for deployment ${JSON.stringify(d.metadata.name)}`)
          rs = revs.get(sorted[1]!)
        }
        if (dry === 'client' || dry === 'unchanged' || dry === 'true') {
          ctx.out(`${kindName(t.r)}/${d.metadata.name} ${templateText(rs!.spec?.template ?? {})} (dry run)\n`)
          continue
        }
        if (d.spec?.paused) throw new CmdError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
        const target = to > 0 ? to : Number(rs!.metadata.annotations?.[REVISION])
        if (withoutHash(rs!.spec?.template) === withoutHash(d.spec?.template)) {
          ctx.out(`${kindName(t.r)}/${d.metadata.name} skipped rollback (current template already matches revision ${target})\n`)
          continue
        }
        const template = structuredClone(rs!.spec.template)
        if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash']
        const annotations: Record<string, string> = {}
        for (const [k, v] of Object.entries<string>(d.metadata.annotations ?? {})) if (SKIP_ANNOTATIONS.has(k)) annotations[k] = v
        for (const [k, v] of Object.entries<string>(rs!.metadata.annotations ?? {})) if (!SKIP_ANNOTATIONS.has(k)) annotations[k] = v
        const patch = [
          { op: 'replace', path: '/spec/template', value: template },
          { op: 'replace', path: '/metadata/annotations', value: annotations },
        ]
        try {
          await ctx.client.json('PATCH', ctx.client.path(t.r, t.namespace, d.metadata.name), { body: patch, contentType: 'application/json-patch+json', query: { dryRun: dry === 'server' ? 'All' : undefined } })
        } catch (err) {
          throw new CmdError(`failed restoring revision ${target}: ${(err as Error).message}`)
        }
        ctx.out(`${kindName(t.r)}/${d.metadata.name} rolled back${dry === 'server' ? ' (server dry run)' : ''}\n`)
      } catch (err) {
        errors.push(err)
      }
    }
    if (errors.length) throw new AggregateError(errors)
  },
}

/** restart, pause and resume: a strategic merge patch of what the change alters, as kubectl computes it. */
function patcher(name: 'restart' | 'pause' | 'resume', short: string): Command {
  return {
    name,
    short,
    flags: [{ name: 'selector', short: 'l', type: 'string' }, { name: 'filename', short: 'f', type: 'stringArray' }, { name: 'field-manager', type: 'string', default: 'kubectl-rollout' }, { name: 'output', short: 'o', type: 'string' }],
    async run(ctx, args, flags) {
      const errors: unknown[] = []
      for (const { t, o } of await objectsOf(ctx, args, flags)) {
        const res = `${t.r.resource}${t.r.group ? `.${t.r.group}` : ''}`
        if (!isDeployment(t)) {
          errors.push(new CmdError(`error: ${res} ${JSON.stringify(o.metadata.name)} ${name === 'restart' ? `restarting is not supported` : `${name === 'pause' ? 'pausing' : 'resuming'} is not supported`}`))
          continue
        }
        const paused = !!o.spec?.paused
        let patch: Obj
        let operation: string
        if (name === 'restart') {
          if (paused) {
            errors.push(new CmdError(`error: ${res} ${JSON.stringify(o.metadata.name)} can't restart paused deployment (run rollout resume first)`))
            continue
          }
          patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': rfc3339Local(await ctx.now()) } } } } }
          operation = 'restarted'
        } else if (name === 'pause') {
          if (paused) {
            errors.push(new CmdError(`error: ${res} ${JSON.stringify(o.metadata.name)} is already paused`))
            continue
          }
          patch = { spec: { paused: true } }
          operation = 'paused'
        } else {
          if (!paused) {
            errors.push(new CmdError(`error: ${res} ${JSON.stringify(o.metadata.name)} is not paused`))
            continue
          }
          patch = { spec: { paused: null } }
          operation = 'resumed'
        }
        try {
          await ctx.client.json('PATCH', ctx.client.path(t.r, t.namespace, o.metadata.name), { body: patch, contentType: 'application/strategic-merge-patch+json', query: { fieldManager: flags.string('field-manager') } })
        } catch (err) {
          errors.push(new CmdError(`failed to patch: ${(err as Error).message}`))
          continue
        }
        ctx.out(`${kindName(t.r)}/${o.metadata.name} ${operation}\n`)
      }
      if (errors.length) throw new AggregateError(errors)
    },
  }
}

const p2 = (n: number) => String(n).padStart(2, '0')
/** time.Now().Format(time.RFC3339) in local time. */
function rfc3339Local(ms: number): string {
  const d = new Date(ms)
  const off = -d.getTimezoneOffset()
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(off) / 60))}:${p2(Math.abs(off) % 60)}`
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}${zone}`
}

export const rolloutCommand: Command = {
  name: 'rollout',
  short: 'Manage the rollout of a resource',
  usage: 'kubectl rollout SUBCOMMAND',
  subcommands: [history, patcher('pause', 'Mark the provided resource as paused'), patcher('restart', 'Restart a resource'), patcher('resume', 'Resume a paused resource'), status, undo],
}

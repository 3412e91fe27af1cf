// kubectl cordon, uncordon and drain (kubectl/pkg/cmd/drain, pkg/drain):
// spec.unschedulable by strategic merge patch, then for drain the node's pods
// through upstream's filters (DaemonSet, mirror, local storage, unreplicated),
// evicted through pods/eviction (or deleted), waiting until each is gone.
import type { Flags, FlagSpec } from './args'
import { dryRunOf } from './apply'
import type { Command, Ctx } from './context'
import { AggregateError, CmdError, isNotFound, RawError, StatusError, usageError } from './errors'
import { parseTimeout } from './delete'
import type { Obj } from './types'

const NODE_FLAGS: FlagSpec[] = [
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
]

const suffixOf = (dry: string) => (dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : '')

/** The nodes the arguments (or -l) name, fetched. */
async function nodesOf(ctx: Ctx, args: string[], flags: Flags, use: string): Promise<Obj[]> {
  const selector = flags.string('selector')
  if (!args.length && !flags.changed('selector')) throw usageError(ctx.commandPath, `USAGE: ${use} [flags]`)
  if (args.length && selector) throw usageError(ctx.commandPath, 'error: cannot specify both a node name and a --selector option')
  if (selector) return (await ctx.client.get('/api/v1/nodes', { labelSelector: selector })).items ?? []
  const out: Obj[] = []
  for (const a of args) {
    const [type, name] = a.includes('/') ? (a.split('/') as [string, string]) : ['nodes', a]
    const r = await ctx.client.resolve(type)
    if (r.group !== '' || r.resource !== 'nodes') throw new CmdError(`error: expected resource of type node, got "${r.group}/${r.version}, Resource=${r.resource}"`)
    out.push(await ctx.client.get(`/api/v1/nodes/${encodeURIComponent(name)}`))
  }
  return out
}

async function cordonAll(ctx: Ctx, nodes: Obj[], desired: boolean, dry: string): Promise<void> {
  const verb = desired ? 'cordon' : 'uncordon'
  for (const node of nodes) {
    if (!!node.spec?.unschedulable === desired) {
      ctx.out(`node/${node.metadata.name} already ${verb}ed${suffixOf(dry)}\n`)
      continue
    }
    if (dry !== 'client') {
      try {
        await ctx.client.json('PATCH', `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}`, {
          body: { spec: { unschedulable: desired ? true : null } },
          contentType: 'application/strategic-merge-patch+json',
          query: { dryRun: dry === 'server' ? 'All' : undefined },
        })
      } catch (err) {
        ctx.err(`error: unable to ${verb} node "${node.metadata.name}": ${(err as Error).message}\n`)
        continue
      }
    }
    ctx.out(`node/${node.metadata.name} ${verb}ed${suffixOf(dry)}\n`)
  }
}

function cordonCommand(desired: boolean): Command {
  const name = desired ? 'cordon' : 'uncordon'
  return {
    name,
    short: desired ? 'Mark node as unschedulable' : 'Mark node as schedulable',
    usage: `kubectl ${name} NODE [options]`,
    flags: NODE_FLAGS,
    async run(ctx, args, flags) {
      await cordonAll(ctx, await nodesOf(ctx, args, flags, `${name} NODE`), desired, dryRunOf(flags.string('dry-run')))
    },
  }
}

export const cordonCommandDef = cordonCommand(true)
export const uncordonCommandDef = cordonCommand(false)

interface Verdict {
  pod: Obj
  delete: boolean
  kind: 'okay' | 'skip' | 'warning' | 'error'
  message?: string
}

/**
 * pkg/drain's filters in upstream's order: each runs while the pod is still to be
 * deleted, and the last one that ran decides (so a later warning replaces an earlier one).
 */
async function classify(ctx: Ctx, pod: Obj, o: { force: boolean; ignoreDaemonSets: boolean; deleteEmptyDir: boolean }): Promise<Verdict> {
  const done = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
  const owner = (pod.metadata.ownerReferences ?? []).find((r: Obj) => r.controller)
  const okay: Verdict = { pod, delete: true, kind: 'okay' }
  const filters: (() => Promise<Verdict>)[] = [
    async () => {
      if (owner?.kind !== 'DaemonSet' || done) return okay
      try {
        await ctx.client.get(`/apis/apps/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/daemonsets/${encodeURIComponent(owner.name)}`)
        return o.ignoreDaemonSets ? { pod, delete: false, kind: 'warning', message: 'ignoring DaemonSet-managed Pods' } : { pod, delete: false, kind: 'error', message: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' }
      } catch (err) {
        if (isNotFound(err) && o.force) return { pod, delete: true, kind: 'warning', message: (err as Error).message }
        return { pod, delete: false, kind: 'error', message: (err as Error).message }
      }
    },
    async () => (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined ? { pod, delete: false, kind: 'skip' } : okay),
    async () => {
      if (!(pod.spec?.volumes ?? []).some((v: Obj) => v.emptyDir) || done) return okay
      if (!o.deleteEmptyDir) return { pod, delete: false, kind: 'error', message: 'Pods with local storage (use --delete-emptydir-data to override)' }
      return { pod, delete: true, kind: 'warning', message: 'deleting Pods with local storage' }
    },
    async () => {
      if (done || owner) return okay
      if (o.force) return { pod, delete: true, kind: 'warning', message: 'deleting Pods that declare no controller' }
      // Upstream's message already starts with "cannot delete", and the error list adds it again.
      return { pod, delete: false, kind: 'error', message: 'cannot delete Pods that declare no controller (use --force to override)' }
    },
  ]
  let status = okay
  for (const f of filters) {
    status = await f()
    if (!status.delete) break
  }
  return status
}

/** Groups pods by message: "message: ns/a, ns/b" joined with "; " (errors as "cannot delete …"). */
function grouped(list: Verdict[], kind: 'warning' | 'error'): string[] {
  const by = new Map<string, string[]>()
  for (const v of list) if (v.kind === kind) by.set(v.message ?? 'unexpected error', [...(by.get(v.message ?? 'unexpected error') ?? []), `${v.pod.metadata.namespace}/${v.pod.metadata.name}`])
  return [...by.entries()].map(([m, pods]) => `${kind === 'error' ? 'cannot delete ' : ''}${m}: ${pods.join(', ')}`)
}

async function podsForDeletion(ctx: Ctx, node: string, flags: Flags): Promise<{ list: Verdict[]; errors: string[] }> {
  const pods: Obj[] = []
  let cont: string | undefined
  do {
    const page = await ctx.client.get('/api/v1/pods', { labelSelector: flags.string('pod-selector') || undefined, fieldSelector: `spec.nodeName=${node}`, limit: 500, continue: cont })
    pods.push(...(page.items ?? []))
    cont = page.metadata?.continue || undefined
  } while (cont)
  const o = { force: flags.bool('force'), ignoreDaemonSets: flags.bool('ignore-daemonsets'), deleteEmptyDir: flags.bool('delete-emptydir-data') || flags.bool('delete-local-data') }
  const list: Verdict[] = []
  for (const p of pods) list.push(await classify(ctx, p, o))
  return { list, errors: grouped(list, 'error') }
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((r) => (signal?.aborted ? r() : (setTimeout(r, ms), signal?.addEventListener('abort', () => r()))))

/** Evicts (or deletes) one pod and waits until it is gone, as pkg/drain's evictPods does. */
async function evictOne(ctx: Ctx, pod: Obj, flags: Flags, dry: string, useEviction: boolean, deadline: number): Promise<void> {
  const ns = pod.metadata.namespace
  const name = pod.metadata.name
  const deleteOptions: Obj = {}
  if (flags.int('grace-period') >= 0) deleteOptions.gracePeriodSeconds = flags.int('grace-period')
  if (dry === 'server') deleteOptions.dryRun = ['All']
  for (;;) {
    if (useEviction) ctx.out(`evicting pod ${ns}/${name}${dry === 'server' ? ' (server dry run)' : ''}\n`)
    if (Date.now() > deadline) throw new CmdError(`error when evicting pods/"${name}" -n "${ns}": global timeout reached: ${flags.string('timeout')}`)
    try {
      if (useEviction)
        await ctx.client.json('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/eviction`, {
          body: { kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name, namespace: ns }, deleteOptions },
        })
      else await ctx.client.json('DELETE', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`, { body: deleteOptions })
      break
    } catch (err) {
      if (isNotFound(err)) return
      if (err instanceof StatusError && err.code === 429) {
        ctx.err(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${err.message}\n`)
        await sleep(5000, ctx.signal)
        if (ctx.signal?.aborted) return
        continue
      }
      throw new CmdError(`error when evicting pods/"${name}" -n "${ns}": ${(err as Error).message}`)
    }
  }
  if (dry === 'server') return
  for (;;) {
    if (ctx.signal?.aborted) return
    try {
      const cur = await ctx.client.get(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`)
      if (cur.metadata?.uid !== pod.metadata.uid) break
    } catch (err) {
      if (!isNotFound(err)) throw new CmdError(`error when waiting for pod "${name}" in namespace "${ns}" to terminate: ${(err as Error).message}`)
      break
    }
    if (Date.now() > deadline) throw new CmdError(`error when waiting for pod "${name}" in namespace "${ns}" to terminate: global timeout reached`)
    await sleep(1000, ctx.signal)
  }
  ctx.out(`pod/${name} ${useEviction ? 'evicted' : 'deleted'}\n`)
}

export const drainCommand: Command = {
  name: 'drain',
  short: 'Drain node in preparation for maintenance',
  usage: 'kubectl drain NODE [options]',
  flags: [
    ...NODE_FLAGS,
    { name: 'force', type: 'bool' },
    { name: 'ignore-daemonsets', type: 'bool' },
    { name: 'delete-emptydir-data', type: 'bool' },
    { name: 'delete-local-data', type: 'bool' },
    { name: 'grace-period', type: 'int', default: -1 },
    { name: 'timeout', type: 'string', default: '0s' },
    { name: 'pod-selector', type: 'string' },
    { name: 'disable-eviction', type: 'bool' },
    { name: 'skip-wait-for-delete-timeout', type: 'int', default: 0 },
    { name: 'chunk-size', type: 'int', default: 500 },
  ],
  async run(ctx, args, flags) {
    const dry = dryRunOf(flags.string('dry-run'))
    const nodes = await nodesOf(ctx, args, flags, 'drain NODE')
    await cordonAll(ctx, nodes, true, dry)
    const timeout = parseTimeout(flags.string('timeout'))
    const deadline = timeout ? Date.now() + timeout : Infinity
    const fatal: unknown[] = []
    const remaining: string[] = []
    for (const node of nodes) {
      const name = node.metadata.name
      try {
        const { list, errors } = await podsForDeletion(ctx, name, flags)
        if (errors.length) throw new AggregateError(errors.map((e) => new CmdError(e)))
        const warnings = grouped(list, 'warning')
        if (warnings.length) ctx.err(`Warning: ${warnings.join('; ')}\n`)
        const pods = list.filter((v) => v.delete).map((v) => v.pod)
        if (dry === 'client') for (const p of pods) ctx.out(`evicting pod ${p.metadata.namespace}/${p.metadata.name} (dry run)\n`)
        else if (pods.length) {
          let useEviction = !flags.bool('disable-eviction')
          if (useEviction) {
            const v1 = await ctx.client.get('/api/v1')
            useEviction = (v1.resources ?? []).some((r: Obj) => r.name === 'pods/eviction' && r.kind === 'Eviction' && r.group && r.version)
          }
          const results = await Promise.allSettled(pods.map((p) => evictOne(ctx, p, flags, dry, useEviction, deadline)))
          const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason)
          if (failed.length) throw new AggregateError(failed)
        }
        if (ctx.signal?.aborted) return 1
        ctx.out(`node/${name} drained${suffixOf(dry)}\n`)
      } catch (err) {
        const msg = err instanceof AggregateError ? err.errors.map((e) => (e as Error).message).join(', ') : (err as Error).message
        ctx.err(`error: unable to drain node "${name}" due to error: ${err instanceof AggregateError && err.errors.length > 1 ? `[${msg}]` : msg}, continuing command...\n`)
        fatal.push(err)
        remaining.push(name)
      }
    }
    if (remaining.length) ctx.err(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join('')}`)
    // kubectl prints these as an aggregate: each message bare, one per line.
    if (fatal.length) throw new RawError(fatal.flatMap((e) => (e instanceof AggregateError ? e.errors : [e])).map((e) => (e as Error).message).join('\n'))
  },
}

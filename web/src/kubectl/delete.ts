// kubectl delete (kubectl/pkg/cmd/delete): by name, type/name, -l,
// --field-selector, --all, -A or -f; `pod "x" deleted` for each, then wait
// until they are gone (--wait, the default), as kubectl's IsDeleted does.
import { dryRunOf } from './apply'
import { buildTargets, fetchObjects, type Target } from './builder'
import type { ApiResource } from './client'
import type { Command, Ctx } from './context'
import { AggregateError, CmdError, isNotFound, StatusError } from './errors'
import type { Obj } from './types'

/** "pod", "deployment.apps": how delete names a kind. */
const kindString = (r: ApiResource) => (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase())

/** Parses --timeout ("0", "30s", "5m", "1h30m") into ms; 0 means a week, as kubectl's. */
export function parseTimeout(v: string): number {
  if (!v || v === '0') return 0
  let ms = 0
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g
  let m: RegExpExecArray | null
  let seen = ''
  while ((m = re.exec(v))) {
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms']
    seen += m[0]
  }
  if (seen !== v) throw new CmdError(`invalid argument "${v}" for "--timeout" flag: time: invalid duration "${v}"`)
  return ms
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    })
  })

/** Waits until the object is gone (or replaced: another uid); false on timeout or abort. */
export async function waitDeleted(ctx: Ctx, r: ApiResource, ns: string | undefined, name: string, uid: string | undefined, deadline: number): Promise<boolean> {
  const path = ctx.client.path(r, ns, name)
  while (!ctx.signal?.aborted && Date.now() < deadline) {
    let cur: Obj
    try {
      cur = await ctx.client.get(path)
    } catch (err) {
      if (isNotFound(err)) return true
      throw err
    }
    if (uid && cur.metadata?.uid !== uid) return true
    const timeoutSeconds = Math.max(1, Math.min(300, Math.ceil((deadline - Date.now()) / 1000)))
    for await (const ev of ctx.client.watch(ctx.client.path(r, ns), { fieldSelector: `metadata.name=${name}`, resourceVersion: cur.metadata?.resourceVersion, timeoutSeconds }, 'application/json', ctx.signal)) {
      if (ev.type === 'DELETED') return true
    }
    // The stream ended without a deletion: look again after a moment.
    await sleep(500, ctx.signal)
  }
  return false
}

export const deleteCommand: Command = {
  name: 'delete',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  flags: [
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'kustomize', short: 'k', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'field-selector', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'ignore-not-found', type: 'bool' },
    { name: 'grace-period', type: 'int', default: -1 },
    { name: 'now', type: 'bool' },
    { name: 'force', type: 'bool' },
    { name: 'wait', type: 'bool', default: true },
    { name: 'timeout', type: 'string', default: '0s' },
    { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'interactive', short: 'i', type: 'bool' },
    { name: 'raw', type: 'string' },
  ],
  async run(ctx, args, flags) {
    const output = flags.string('output')
    if (output && output !== 'name') throw new CmdError(`unexpected -o output mode: ${output}. We only support '-o name'`)
    const all = flags.bool('all')
    const label = flags.string('selector')
    const field = flags.string('field-selector')
    if (all && label) throw new CmdError('cannot set --all and --selector at the same time')
    if (all && field) throw new CmdError('cannot set --all and --field-selector at the same time')
    if (flags.bool('interactive')) throw new CmdError('--interactive is not available in the browser terminal')
    let grace = flags.int('grace-period')
    const force = flags.bool('force')
    if (flags.bool('now')) {
      if (grace !== -1) throw new CmdError('--now and --grace-period cannot be specified together')
      grace = 1
    }
    if (grace === 0 && !force) grace = 1
    if (force && grace < 0) grace = 0
    if (grace === 0 && force) ctx.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n')
    else if (grace > 0 && force) throw new CmdError('--force and --grace-period greater than 0 cannot be specified together')
    const cascade = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan', true: 'Background', false: 'Orphan' }[flags.string('cascade')]
    if (!cascade) throw new CmdError(`invalid cascade value (${flags.string('cascade')}). Must be "background", "foreground", or "orphan".`)
    const dry = dryRunOf(flags.string('dry-run'))
    const timeout = parseTimeout(flags.string('timeout'))
    const ignoreNotFound = flags.changed('ignore-not-found') ? flags.bool('ignore-not-found') : all || !!label || !!field

    const { targets } = await buildTargets(ctx, args, {
      allNamespaces: flags.bool('all-namespaces'),
      labelSelector: flags.changed('selector') ? label : undefined,
      fieldSelector: flags.changed('field-selector') ? field : undefined,
      selectAll: all,
      filenames: flags.strings('filename'),
    })
    const errors: unknown[] = []
    const deleted: { r: ApiResource; ns?: string; name: string; uid?: string }[] = []
    let warnClusterScope = ctx.explicitNamespace && !flags.bool('all-namespaces')
    const named: Target[] = []
    for (const t of targets) {
      if (t.name !== undefined) named.push(t)
      else {
        try {
          for (const o of await fetchObjects(ctx, t)) named.push({ r: t.r, namespace: o.metadata.namespace ?? t.namespace, name: o.metadata.name })
        } catch (err) {
          errors.push(err)
        }
      }
    }
    for (const t of named) {
      if (warnClusterScope && !t.r.namespaced) {
        ctx.err('Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n')
        warnClusterScope = false
      }
      const operation = `${grace === 0 ? 'force deleted' : 'deleted'}${dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : ''}`
      const line = output === 'name' ? `${kindString(t.r)}/${t.name}\n` : `${kindString(t.r)} "${t.name}" ${operation}\n`
      if (dry === 'client') {
        ctx.out(line)
        deleted.push({ r: t.r, ns: t.namespace, name: t.name! })
        continue
      }
      try {
        const body: Obj = { propagationPolicy: cascade }
        if (grace >= 0) body.gracePeriodSeconds = grace
        if (dry === 'server') body.dryRun = ['All']
        const res = await ctx.client.json('DELETE', ctx.client.path(t.r, t.namespace, t.name), { body, query: { dryRun: dry === 'server' ? 'All' : undefined } })
        ctx.out(line)
        deleted.push({ r: t.r, ns: t.namespace, name: t.name!, uid: res.kind === 'Status' ? res.details?.uid : res.metadata?.uid })
      } catch (err) {
        if (ignoreNotFound && isNotFound(err)) continue
        if (t.source && err instanceof StatusError) errors.push(new StatusError({ ...err.status, message: `error when deleting ${JSON.stringify(t.source)}: ${err.status.message}` }))
        else errors.push(err)
      }
    }
    if (errors.length) throw new AggregateError(errors)
    if (!deleted.length) {
      ctx.out('No resources found\n')
      return
    }
    if (!flags.bool('wait') || dry) return
    const deadline = Date.now() + (timeout || 168 * 3_600_000)
    for (const d of deleted) {
      const gone = await waitDeleted(ctx, d.r, d.ns, d.name, d.uid, deadline)
      if (ctx.signal?.aborted) return 1
      if (!gone) throw new CmdError(`timed out waiting for the condition on ${d.r.resource}${d.r.group ? `.${d.r.group}` : ''}/${d.name}`)
    }
  },
}

// kubectl taint nodes (kubectl/pkg/cmd/taint): key[=value]:effect to add,
// key[:effect]- to remove, --overwrite, --all, -l; the new taint list sent as
// a strategic merge patch (taints replace as a whole); tainted / untainted /
// modified.
import { dryRunOf } from './apply'
import type { Command } from './context'
import { AggregateError, CmdError, usageError } from './errors'
import { genericPrinter } from './printers/output'
import type { Obj } from './types'

interface Taint {
  key: string
  value?: string
  effect?: string
  timeAdded?: string
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']
const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

/** Taint.ToString. */
export function taintToString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`
}

function parseTaint(st: string): Taint {
  const parts = st.split(':')
  let key: string
  let value = ''
  let effect = ''
  if (parts.length === 1) key = parts[0]!
  else if (parts.length === 2) {
    effect = parts[1]!
    if (!EFFECTS.includes(effect)) throw new CmdError(`invalid taint effect: ${effect}, unsupported taint effect`)
    const kv = parts[0]!.split('=')
    if (kv.length > 2) throw new CmdError(`invalid taint spec: ${st}`)
    key = kv[0]!
    if (kv.length === 2) {
      value = kv[1]!
      if (value.length > 63 || !LABEL_VALUE.test(value)) throw new CmdError(`invalid taint spec: ${st}, a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`)
    }
  } else throw new CmdError(`invalid taint spec: ${st}`)
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key
  if (!name || name.length > 63 || !QUALIFIED.test(name))
    throw new CmdError(`invalid taint spec: ${st}, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`)
  const t: Taint = { key }
  if (value) t.value = value
  if (effect) t.effect = effect
  return t
}

export const taintCommand: Command = {
  name: 'taint',
  short: 'Update the taints on one or more nodes',
  usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
  flags: [
    { name: 'overwrite', type: 'bool' },
    { name: 'all', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'validate', type: 'string', default: 'strict' },
    { name: 'field-manager', type: 'string', default: 'kubectl-taint' },
  ],
  async run(ctx, args, flags) {
    const resources: string[] = []
    const specs: string[] = []
    for (const s of args) {
      const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-')
      if (isTaint) specs.push(s)
      else if (!specs.length) resources.push(s)
      else throw new CmdError(`all resources must be specified before taint changes: ${s}`)
    }
    if (!resources.length) throw new CmdError('one or more resources must be specified as <resource> <name>')
    if (!specs.length) throw new CmdError('at least one taint update is required')
    const add: Taint[] = []
    const remove: Taint[] = []
    try {
      for (const s of specs) {
        if (s.endsWith('-')) {
          const t = parseTaint(s.slice(0, -1))
          remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) })
        } else {
          const t = parseTaint(s)
          if (!t.effect) throw new CmdError(`invalid taint spec: ${s}`)
          if (add.some((a) => a.key === t.key && a.effect === t.effect)) throw new CmdError(`duplicated taints with the same key and effect: ${JSON.stringify(t)}`)
          add.push(t)
        }
      }
    } catch (err) {
      throw usageError(ctx.commandPath, (err as Error).message)
    }
    const r = await ctx.client.resolve(resources[0]!.toLowerCase())
    if (r.kind !== 'Node') throw new CmdError(`invalid resource type ${resources[0]!.toLowerCase()}, only node types are supported`)
    const conflicts = add.flatMap((a) => remove.filter((x) => x.key === a.key && (!x.effect || x.effect === a.effect)).map((x) => `${x.key}=${x.effect ?? ''}`))
    if (conflicts.length) throw new CmdError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`)
    const all = flags.bool('all')
    const selector = flags.string('selector')
    if (all && selector) throw new CmdError("setting 'all' parameter with a non empty selector is prohibited")
    if (!all && !selector && resources.length < 2) throw new CmdError("at least one resource name must be specified since 'all' parameter is not set")
    const dry = dryRunOf(flags.string('dry-run'))
    const nodes: Obj[] = []
    const errors: unknown[] = []
    if (all || selector) nodes.push(...((await ctx.client.get('/api/v1/nodes', { labelSelector: selector || undefined })).items ?? []))
    else
      for (const n of resources.slice(1)) {
        try {
          nodes.push(await ctx.client.get(`/api/v1/nodes/${encodeURIComponent(n)}`))
        } catch (err) {
          errors.push(err)
        }
      }
    for (const node of nodes) {
      const old: Taint[] = node.spec?.taints ?? []
      if (!flags.bool('overwrite')) {
        const exists = add.filter((a) => old.some((o) => o.key === a.key && o.effect === a.effect)).map((a) => a.key)
        if (exists.length) {
          errors.push(new CmdError(`node ${node.metadata.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`))
          continue
        }
      }
      // reorganizeTaints: the new ones, then the old ones they do not replace, minus the removed ones.
      let next: Taint[] = [...add, ...old.filter((o) => !add.some((a) => a.key === o.key && a.effect === o.effect))]
      const added = old.length !== next.length
      const notFound: string[] = []
      let deleted = false
      for (const rm of remove) {
        const before = next.length
        next = next.filter((t) => !(t.key === rm.key && (!rm.effect || t.effect === rm.effect)))
        deleted = next.length !== before
        if (!deleted) notFound.push(`taint ${JSON.stringify(taintToString(rm))} not found`)
      }
      if (notFound.length) {
        errors.push(...notFound.map((m) => new CmdError(m)))
        continue
      }
      const operation = (added && deleted) || flags.bool('overwrite') ? 'modified' : added ? 'tainted' : 'untainted'
      let result: Obj = { ...node, spec: { ...node.spec, taints: next } }
      if (dry !== 'client') {
        try {
          result = await ctx.client.json('PATCH', `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}`, {
            body: { spec: { taints: next.length ? next : null } },
            contentType: 'application/strategic-merge-patch+json',
            query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager'), fieldValidation: 'Strict' },
          })
        } catch (err) {
          errors.push(err)
          continue
        }
      }
      const output = flags.string('output')
      // taint sets the printer's operation after the dry-run suffix was applied: no suffix (as kubectl).
      ctx.out(output ? genericPrinter(output)!(result) : `node/${node.metadata.name} ${operation}\n`)
    }
    if (errors.length) throw new AggregateError(errors)
  },
}

// kubectl label and annotate (kubectl/pkg/cmd/label, annotate): key=value
// and key- pairs after the resources, --overwrite, --list, --all, selectors;
// a JSON merge patch of the metadata map, "pod/x labeled" / "annotated".
import type { Flags, FlagSpec } from './args'
import { dryRunOf } from './apply'
import { buildTargets, fetchObjects } from './builder'
import { kindName } from './client'
import type { Command, Ctx } from './context'
import { AggregateError, CmdError } from './errors'
import { toCompactJson } from './printers/json'
import { genericPrinter } from './printers/output'
import type { Obj } from './types'

/** GetResourcesAndPairs: resources first, then key=value / key- pairs. */
export function resourcesAndPairs(args: string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = []
  const pairs: string[] = []
  let found = false
  for (const s of args) {
    const isPair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-')
    if (isPair) {
      found = true
      pairs.push(s)
    } else if (!found) resources.push(s)
    else throw new CmdError(`all resources must be specified before ${pairType} changes: ${s}`)
  }
  return { resources, pairs }
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

function parseLabels(spec: string[]): { add: Record<string, string>; remove: string[] } {
  const add: Record<string, string> = {}
  const remove: string[] = []
  for (const s of spec) {
    if (s.includes('=')) {
      const parts = s.split('=')
      if (parts.length !== 2) throw new CmdError(`invalid label spec: ${s}`)
      if (parts[1]!.length > 63 || !LABEL_VALUE.test(parts[1]!)) {
        const errs: string[] = []
        if (parts[1]!.length > 63) errs.push('must be no more than 63 characters')
        if (!LABEL_VALUE.test(parts[1]!)) errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
        throw new CmdError(`invalid label value: ${JSON.stringify(s)}: ${errs.join(';')}`)
      }
      add[parts[0]!] = parts[1]!
    } else if (s.endsWith('-')) remove.push(s.slice(0, -1))
    else throw new CmdError(`unknown label spec: ${s}`)
  }
  if (remove.some((r) => r in add)) throw new CmdError('can not both modify and remove a label in the same command')
  return { add, remove }
}

function parseAnnotations(spec: string[]): { add: Record<string, string>; remove: string[] } {
  const add: Record<string, string> = {}
  const remove: string[] = []
  const invalid: string[] = []
  for (const s of spec) {
    if (s.includes('=') && s[0] !== '=') add[s.slice(0, s.indexOf('='))] = s.slice(s.indexOf('=') + 1)
    else if (s.endsWith('-') && s !== '-') remove.push(s.slice(0, -1))
    else invalid.push(s)
  }
  if (invalid.length) throw new CmdError(`invalid annotation format: ${invalid.join(', ')}`)
  const both = remove.filter((r) => r in add)
  if (both.length) throw new CmdError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`)
  return { add, remove }
}

const FLAGS: FlagSpec[] = [
  { name: 'overwrite', type: 'bool' },
  { name: 'list', type: 'bool' },
  { name: 'all', type: 'bool' },
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'field-selector', type: 'string' },
  { name: 'filename', short: 'f', type: 'stringArray' },
  { name: 'recursive', short: 'R', type: 'bool' },
  { name: 'local', type: 'bool' },
  { name: 'resource-version', type: 'string' },
  { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'field-manager', type: 'string' },
  { name: 'record', type: 'bool' },
]

/** The shared run of label and annotate: which metadata map, and how each verb words things. */
function metadataCommand(kind: 'labels' | 'annotations'): Command['run'] {
  const isLabel = kind === 'labels'
  const noun = isLabel ? 'label' : 'annotation'
  return async (ctx: Ctx, args: string[], flags: Flags) => {
    const { resources, pairs } = resourcesAndPairs(args, noun)
    const { add, remove } = isLabel ? parseLabels(pairs) : parseAnnotations(pairs)
    const output = flags.string('output')
    const list = flags.bool('list')
    if (list && output) throw new CmdError('--list and --output may not be specified together')
    const all = flags.bool('all')
    if (all && flags.string('selector')) throw new CmdError('cannot set --all and --selector at the same time')
    if (all && flags.string('field-selector')) throw new CmdError('cannot set --all and --field-selector at the same time')
    if (flags.bool('local')) throw new CmdError('--local needs local files, which the browser terminal cannot read')
    if (!resources.length && !flags.strings('filename').length) throw new CmdError('one or more resources must be specified as <resource> <name> or <resource>/<name>')
    if (!Object.keys(add).length && !remove.length && !list) throw new CmdError(`at least one ${noun} update is required`)
    const dry = dryRunOf(flags.string('dry-run'))
    const { targets, singleItem } = await buildTargets(ctx, resources, {
      allNamespaces: flags.bool('all-namespaces'),
      labelSelector: flags.changed('selector') ? flags.string('selector') : undefined,
      fieldSelector: flags.changed('field-selector') ? flags.string('field-selector') : undefined,
      selectAll: all,
      filenames: flags.strings('filename'),
    })
    const rv = flags.string('resource-version')
    if (!singleItem && rv) throw new CmdError('--resource-version may only be used with a single resource')
    const errors: unknown[] = []
    for (const t of targets) {
      let objs: Obj[]
      try {
        objs = await fetchObjects(ctx, t)
      } catch (err) {
        errors.push(err)
        continue
      }
      for (const o of objs) {
        const before: Record<string, string> | undefined = o.metadata?.[kind]
        const cur: Record<string, string> = { ...(before ?? {}) }
        if (!flags.bool('overwrite')) {
          const clashes = Object.entries(add).filter(([k, v]) => k in cur && cur[k] !== v && !(kind === 'annotations' && k === 'kubernetes.io/change-cause'))
          if (clashes.length) {
            if (isLabel) throw new AggregateError(clashes.map(([k]) => new CmdError(`'${k}' already has a value (${cur[k]}), and --overwrite is false`)))
            throw new CmdError(`--overwrite is false but found the following declared annotation(s): ${clashes.map(([k]) => `'${k}' already has a value (${cur[k]})`).join('; ')}`)
          }
        }
        if (isLabel && dry !== 'client' && !list) for (const k of remove) if (!(k in cur)) ctx.out(`label ${JSON.stringify(k)} not found.\n`)
        for (const [k, v] of Object.entries(add)) cur[k] = v
        for (const k of remove) delete cur[k]
        // The patch: what changed in the map; a missing map becomes an empty one, as the accessor sets it.
        const changes: Record<string, string | null> = {}
        for (const [k, v] of Object.entries(cur)) if (before?.[k] !== v) changes[k] = v
        for (const k of Object.keys(before ?? {})) if (!(k in cur)) changes[k] = null
        const patch: Obj = before === undefined ? { metadata: { [kind]: cur } } : Object.keys(changes).length ? { metadata: { [kind]: changes } } : {}
        if (rv) patch.metadata = { ...(patch.metadata ?? {}), resourceVersion: rv }
        const local: Obj = { ...o, metadata: { ...o.metadata, [kind]: cur } }
        const oldJson = toCompactJson(o)
        const newJson = toCompactJson(local)
        let result = local
        if (dry !== 'client' && !list) {
          try {
            result = await ctx.client.json('PATCH', ctx.client.path(t.r, o.metadata.namespace ?? t.namespace, o.metadata.name), {
              body: patch,
              contentType: 'application/merge-patch+json',
              query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager') || undefined },
            })
          } catch (err) {
            errors.push(err)
            continue
          }
        }
        if (list) {
          const indent = singleItem ? '' : ' '
          if (!singleItem) ctx.out(`Listing ${kind} for ${t.r.kind}.${t.r.group}/${o.metadata.name}:\n`)
          for (const k of Object.keys(result.metadata?.[kind] ?? {}).sort()) ctx.out(`${indent}${k}=${result.metadata[kind][k]}\n`)
          continue
        }
        // updateDataChangeMsg: changed JSON is "labeled", shorter without --overwrite "unlabeled".
        let operation = 'annotated'
        if (isLabel) operation = oldJson === newJson ? 'not labeled' : !flags.bool('overwrite') && newJson.length < oldJson.length ? 'unlabeled' : 'labeled'
        if (dry === 'client') operation += ' (dry run)'
        else if (dry === 'server') operation += ' (server dry run)'
        ctx.out(output ? genericPrinter(output)!(result) : `${kindName(t.r)}/${o.metadata.name} ${operation}\n`)
      }
    }
    if (errors.length) throw new AggregateError(errors)
  }
}

export const labelCommand: Command = {
  name: 'label',
  short: 'Update the labels on a resource',
  usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: FLAGS,
  run: metadataCommand('labels'),
}

export const annotateCommand: Command = {
  name: 'annotate',
  short: 'Update the annotations on a resource',
  usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: FLAGS,
  run: metadataCommand('annotations'),
}

// kubectl set image (kubectl/pkg/cmd/set/set_image.go): container=image pairs
// (or *=image) on a pod or a workload's pod template, sent as the strategic
// merge patch of the change; "deployment.apps/web image updated".
import { dryRunOf } from './apply'
import { twoWayMergePatch } from './apply/three-way'
import { buildTargets, fetchObjects } from './builder'
import { kindName } from './client'
import type { Command } from './context'
import { AggregateError, CmdError } from './errors'
import { kindSchema, openapiDocument } from './openapi'
import { genericPrinter } from './printers/output'
import { toCompactJson } from './printers/json'
import type { Obj } from './types'

/** The pod spec of a pod or of a workload's template, or undefined. */
function podSpecOf(o: Obj): Obj | undefined {
  if (o.kind === 'Pod') return o.spec
  if (o.spec?.template?.spec) return o.spec.template.spec
  if (o.spec?.jobTemplate?.spec?.template?.spec) return o.spec.jobTemplate.spec.template.spec
  return undefined
}

const image: Command = {
  name: 'image',
  short: 'Update the image of a pod template',
  usage: 'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N',
  flags: [
    { name: 'all', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'local', type: 'bool' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'field-manager', type: 'string', default: 'kubectl-set' },
    { name: 'record', type: 'bool' },
  ],
  async run(ctx, args, flags) {
    const resources: string[] = []
    const images: Record<string, string> = {}
    for (const a of args) {
      if (a.includes('=')) images[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1)
      else resources.push(a)
    }
    const dry = dryRunOf(flags.string('dry-run'))
    const problems: string[] = []
    if (flags.bool('all') && flags.string('selector')) problems.push('cannot set --all and --selector at the same time')
    if (!resources.length && !flags.strings('filename').length) problems.push('one or more resources must be specified as <resource> <name> or <resource>/<name>')
    if (!Object.keys(images).length) problems.push('at least one image update is required')
    else if (Object.keys(images).length > 1 && '*' in images) problems.push('all containers are already specified by *, but saw more than one container_name=container_image pairs')
    if (flags.bool('local')) problems.push('--local needs local files, which the browser terminal cannot read')
    if (problems.length) throw new AggregateError(problems.map((p) => new CmdError(p)))
    const { targets } = await buildTargets(ctx, resources, { labelSelector: flags.changed('selector') ? flags.string('selector') : undefined, selectAll: flags.bool('all'), filenames: flags.strings('filename') })
    const errors: unknown[] = []
    for (const t of targets) {
      for (const o of await fetchObjects(ctx, t)) {
        const next = structuredClone(o)
        const spec = podSpecOf(next)
        if (!spec) {
          errors.push(new CmdError(`error: ${t.r.resource}/${o.metadata.name} the object is not a pod or does not have a pod template: *unstructured.Unstructured\n`))
          continue
        }
        for (const [name, img] of Object.entries(images)) {
          let found = false
          for (const list of [spec.initContainers ?? [], spec.containers ?? []])
            for (const c of list)
              if (name === '*' || c.name === name) {
                c.image = img
                found = true
              }
          if (!found) errors.push(new CmdError(`error: unable to find container named ${JSON.stringify(name)}`))
        }
        const doc = await openapiDocument(ctx.client, t.r.group, t.r.version).catch(() => undefined)
        const node = doc && kindSchema(doc, t.r.group, t.r.version, t.r.kind)
        const patch = twoWayMergePatch(o, next, { doc: doc ?? {}, node })
        if (toCompactJson(patch) === '{}') continue
        let result = next
        if (dry !== 'client') {
          try {
            result = await ctx.client.json('PATCH', ctx.client.path(t.r, o.metadata.namespace ?? t.namespace, o.metadata.name), {
              body: toCompactJson(patch),
              contentType: 'application/strategic-merge-patch+json',
              query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager') },
            })
          } catch (err) {
            errors.push(new CmdError(`failed to patch image update to pod template: ${(err as Error).message}`))
            continue
          }
        }
        const output = flags.string('output')
        ctx.out(output ? genericPrinter(output)!(result) : `${kindName(t.r)}/${o.metadata.name} image updated${dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : ''}\n`)
      }
    }
    if (errors.length) throw new AggregateError(errors)
  },
}

export const setCommand: Command = {
  name: 'set',
  short: 'Set specific features on objects',
  usage: 'kubectl set SUBCOMMAND',
  subcommands: [image],
}

// kubectl run (a Pod from an image, kubectl/pkg/cmd/run) and kubectl patch
// (strategic, merge or JSON patches, kubectl/pkg/cmd/patch).
import { parse as parseYaml } from 'yaml'
import { dryRunOf } from './apply'
import { buildTargets, fetchObjects } from './builder'
import { kindName } from './client'
import type { Command } from './context'
import { AggregateError, CmdError, usageError } from './errors'
import { deepEqual } from './apply/three-way'
import { genericPrinter } from './printers/output'
import { toCompactJson } from './printers/json'
import type { Obj } from './types'

const PATCH_TYPES: Record<string, string> = { json: 'application/json-patch+json', merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json' }

export const patchCommand: Command = {
  name: 'patch',
  short: 'Update fields of a resource',
  usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]',
  flags: [
    { name: 'patch', short: 'p', type: 'string' },
    { name: 'patch-file', type: 'string' },
    { name: 'type', type: 'string', default: 'strategic' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'local', type: 'bool' },
    { name: 'subresource', type: 'string' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'field-manager', type: 'string', default: 'kubectl-patch' },
    { name: 'record', type: 'bool' },
  ],
  async run(ctx, args, flags) {
    const text = flags.string('patch')
    if (text && flags.string('patch-file')) throw new CmdError('cannot specify --patch and --patch-file together')
    if (!text && !flags.string('patch-file')) throw new CmdError('must specify --patch or --patch-file containing the contents of the patch')
    if (flags.string('patch-file')) throw new CmdError(`unable to read patch file: open ${flags.string('patch-file')}: no such file or directory`)
    const type = flags.string('type').toLowerCase()
    if (!PATCH_TYPES[type]) throw new CmdError(`--type must be one of [json merge strategic], not ${JSON.stringify(flags.string('type'))}`)
    let patch: unknown
    try {
      patch = parseYaml(text)
    } catch (err) {
      throw new CmdError(`unable to parse ${JSON.stringify(text)}: yaml: ${(err as Error).message.split('\n')[0]}`)
    }
    const dry = dryRunOf(flags.string('dry-run'))
    if (dry === 'client') throw new CmdError('--dry-run=client needs the patch applied locally, which this terminal does not do; use --dry-run=server')
    const { targets } = await buildTargets(ctx, args, { filenames: flags.strings('filename') })
    const errors: unknown[] = []
    let count = 0
    for (const t of targets) {
      for (const before of await fetchObjects(ctx, t)) {
        count++
        try {
          const after = await ctx.client.json('PATCH', ctx.client.path(t.r, before.metadata.namespace ?? t.namespace, before.metadata.name, flags.string('subresource') || undefined), {
            body: JSON.stringify(patch),
            contentType: PATCH_TYPES[type],
            query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager') },
          })
          const { apiVersion: _a, kind: _k, ...b } = before
          const { apiVersion: _c, kind: _d, ...a } = after
          const output = flags.string('output')
          ctx.out(output ? genericPrinter(output)!(after) : `${kindName(t.r)}/${before.metadata.name} patched${deepEqual(a, b) ? ' (no change)' : ''}\n`)
        } catch (err) {
          errors.push(err)
        }
      }
    }
    if (errors.length) throw new AggregateError(errors)
    if (!count) throw new CmdError('no objects passed to patch')
  },
}

export const runCommand: Command = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  flags: [
    { name: 'image', type: 'string' },
    { name: 'port', type: 'string' },
    { name: 'env', type: 'stringArray' },
    { name: 'labels', short: 'l', type: 'string' },
    { name: 'restart', type: 'string', default: 'Always' },
    { name: 'command', type: 'bool' },
    { name: 'image-pull-policy', type: 'string' },
    { name: 'annotations', type: 'stringArray' },
    { name: 'privileged', type: 'bool' },
    { name: 'overrides', type: 'string' },
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'attach', type: 'bool' },
    { name: 'rm', type: 'bool' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'field-manager', type: 'string', default: 'kubectl-run' },
  ],
  async run(ctx, args, flags) {
    if (!flags.changed('image')) throw new CmdError('required flag(s) "image" not set')
    const n = flags.argsLenAtDash >= 0 ? flags.argsLenAtDash : args.length
    if (n < 1) throw usageError(ctx.commandPath, 'NAME is required for run')
    if (flags.bool('stdin') || flags.bool('tty') || flags.bool('attach') || flags.bool('rm')) throw new CmdError('attaching to a container (-i, -t, --attach, --rm) is not available in the browser terminal: containers here are simulated')
    const restart = flags.string('restart')
    if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CmdError(`invalid restart policy: ${restart}`)
    const name = args[0]!
    const rest = args.slice(1)
    const labels: Record<string, string> = {}
    if (flags.string('labels')) for (const kv of flags.string('labels').split(',')) labels[kv.split('=')[0]!] = kv.split('=')[1] ?? ''
    else labels.run = name
    const container: Obj = { name, image: flags.string('image') }
    if (rest.length) container[flags.bool('command') ? 'command' : 'args'] = rest
    if (flags.string('port')) container.ports = [{ containerPort: Number(flags.string('port')) }]
    const env = flags.strings('env').map((e) => ({ name: e.split('=')[0], value: e.slice(e.indexOf('=') + 1) }))
    if (env.length) container.env = env
    container.resources = {}
    if (flags.string('image-pull-policy')) container.imagePullPolicy = flags.string('image-pull-policy')
    if (flags.bool('privileged')) container.securityContext = { privileged: true }
    const annotations = Object.fromEntries(flags.strings('annotations').map((a) => [a.split('=')[0], a.slice(a.indexOf('=') + 1)]))
    let pod: Obj = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name, creationTimestamp: null, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
      status: {},
    }
    if (flags.string('overrides')) pod = { ...pod, ...JSON.parse(flags.string('overrides')) }
    const dry = dryRunOf(flags.string('dry-run'))
    if (dry !== 'client')
      pod = await ctx.client.json('POST', `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods`, {
        body: toCompactJson(pod),
        query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager') },
      })
    const output = flags.string('output')
    if (output === 'json' && dry === 'client') ctx.out(JSON.stringify(pod, null, 4) + '\n')
    else ctx.out(output ? genericPrinter(output)!(pod) : `pod/${pod.metadata.name} created${dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : ''}\n`)
  },
}

// kubectl scale (kubectl/pkg/cmd/scale): a merge patch of spec.replicas on the
// scale subresource, or GET then PUT when --current-replicas or
// --resource-version make it conditional; "deployment.apps/web scaled".
import { dryRunOf } from './apply'
import { buildTargets, fetchObjects } from './builder'
import { kindName } from './client'
import type { Command } from './context'
import { CmdError } from './errors'
import type { Obj } from './types'

export const scaleCommand: Command = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)',
  flags: [
    { name: 'replicas', type: 'int', default: 0 },
    { name: 'current-replicas', type: 'int', default: -1 },
    { name: 'resource-version', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'timeout', type: 'string', default: '0s' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'record', type: 'bool' },
  ],
  async run(ctx, args, flags) {
    if (!flags.changed('replicas')) throw new CmdError('required flag(s) "replicas" not set')
    const replicas = flags.int('replicas')
    if (replicas < 0) throw new CmdError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0')
    const current = flags.int('current-replicas')
    if (current < -1) throw new CmdError('The --current-replicas must specify an integer of -1 or greater')
    const dry = dryRunOf(flags.string('dry-run'))
    const output = flags.string('output')
    if (output && output !== 'name') throw new CmdError(`unable to match a printer suitable for the output format "${output}", allowed formats are: name`)
    const { targets } = await buildTargets(ctx, args, {
      labelSelector: flags.changed('selector') ? flags.string('selector') : undefined,
      selectAll: flags.bool('all'),
      filenames: flags.strings('filename'),
    })
    const infos: { r: (typeof targets)[number]['r']; o: Obj }[] = []
    let infoErr: unknown
    for (const t of targets) {
      try {
        for (const o of await fetchObjects(ctx, t)) infos.push({ r: t.r, o })
      } catch (err) {
        infoErr ??= err
      }
    }
    const rv = flags.string('resource-version')
    if (rv && infos.length > 1) throw new CmdError('cannot use --resource-version with multiple resources')
    if (!infos.length) throw new CmdError(infoErr ? `no objects passed to scale ${(infoErr as Error).message}` : 'no objects passed to scale')
    for (const { r, o } of infos) {
      const name = o.metadata.name
      const ns = r.namespaced ? o.metadata.namespace : undefined
      const suffix = dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : ''
      const line = output === 'name' ? `${kindName(r)}/${name}\n` : `${kindName(r)}/${name} scaled${suffix}\n`
      if (dry === 'client') {
        ctx.out(line)
        continue
      }
      const path = ctx.client.path(r, ns, name, 'scale')
      const query = { dryRun: dry === 'server' ? 'All' : undefined }
      if (current !== -1 || rv) {
        const scale = await ctx.client.get(path)
        if (current !== -1 && scale.spec?.replicas !== current) throw new CmdError(`Expected replicas to be ${current}, was ${scale.spec?.replicas ?? 0}`)
        if (rv && scale.metadata?.resourceVersion !== rv) throw new CmdError(`Expected resource version to be ${rv}, was ${scale.metadata?.resourceVersion}`)
        scale.spec = { ...scale.spec, replicas }
        await ctx.client.json('PUT', path, { query, body: scale })
      } else await ctx.client.json('PATCH', path, { query, body: { spec: { replicas } }, contentType: 'application/merge-patch+json' })
      ctx.out(line)
    }
    if (infoErr) throw infoErr
  },
}

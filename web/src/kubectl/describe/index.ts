// kubectl describe (kubectl/pkg/cmd/describe): the objects the arguments name
// (or a selector, or all of a type, or names starting with a prefix), each
// through its kind's describer or the generic one, separated by blank lines.
import { buildTargets, fetchObjects, type Target } from '../builder'
import type { ApiResource } from '../client'
import type { Command, Ctx } from '../context'
import { AggregateError, isNotFound } from '../errors'
import { describeDeployment, describeReplicaSet } from './apps'
import { describeConfigMap, describeGeneric, describeNamespace, describeSecret, describeService } from './core'
import { describeEndpoints, describeEndpointSlice } from './network'
import { describeNode } from './node'
import { describePod } from './pod'
import { eventsFor } from './writer'

async function describeOne(ctx: Ctx, r: ApiResource, ns: string | undefined, name: string): Promise<string> {
  const n = ns ?? ''
  switch (`${r.group}/${r.kind}`) {
    case '/Pod': {
      const pod = await ctx.client.get(ctx.client.path(r, ns, name))
      const events = await eventsFor(ctx, { name, namespace: n, uid: pod.metadata.uid })
      return describePod(pod, events, await ctx.now())
    }
    case '/Node':
      return describeNode(ctx, name)
    case 'apps/Deployment':
      return describeDeployment(ctx, n, name)
    case 'apps/ReplicaSet':
      return describeReplicaSet(ctx, n, name)
    case '/Service':
      return describeService(ctx, n, name)
    case '/Namespace':
      return describeNamespace(ctx, name)
    case '/ConfigMap':
      return describeConfigMap(ctx, n, name)
    case '/Secret':
      return describeSecret(ctx, n, name)
    case 'discovery.k8s.io/EndpointSlice':
      return describeEndpointSlice(ctx, n, name)
    case '/Endpoints':
      return describeEndpoints(ctx, n, name)
  }
  return describeGeneric(ctx, r, ns, name)
}

/** The objects to describe: named ones as given, lists expanded to their items. */
async function namesOf(ctx: Ctx, t: Target): Promise<{ r: ApiResource; ns?: string; name: string }[]> {
  if (t.name !== undefined) {
    await ctx.client.get(ctx.client.path(t.r, t.namespace, t.name)) // the builder's visit: NotFound before describing
    return [{ r: t.r, ns: t.namespace, name: t.name }]
  }
  return (await fetchObjects(ctx, t)).map((o) => ({ r: t.r, ns: o.metadata?.namespace ?? t.namespace, name: o.metadata.name }))
}

export const describeCommand: Command = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources',
  usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)',
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'show-events', type: 'bool', default: true },
    { name: 'chunk-size', type: 'int', default: 500 },
  ],
  async run(ctx, args, flags) {
    const allNamespaces = flags.bool('all-namespaces')
    const { targets } = await buildTargets(ctx, args, {
      allNamespaces,
      labelSelector: flags.changed('selector') ? flags.string('selector') : undefined,
      filenames: flags.strings('filename'),
      allowEmptySelector: true,
    })
    const errors: unknown[] = []
    const items: { r: ApiResource; ns?: string; name: string }[] = []
    let notFound: unknown
    for (const t of targets) {
      try {
        items.push(...(await namesOf(ctx, t)))
      } catch (err) {
        if (isNotFound(err) && args.length === 2 && !notFound) notFound = err
        else errors.push(err)
      }
    }
    if (notFound && !errors.length) {
      // kubectl describe pods web: every pod whose name starts with "web".
      const t = targets[0]!
      const matches = (await fetchObjects(ctx, { r: t.r, namespace: t.namespace })).filter((o) => String(o.metadata.name).startsWith(args[1]!))
      if (!matches.length) throw notFound
      for (const o of matches) ctx.out(`${await describeOne(ctx, t.r, o.metadata.namespace ?? t.namespace, o.metadata.name)}\n`)
      return
    }
    let first = true
    const seen = new Set<string>()
    for (const it of items) {
      try {
        const s = await describeOne(ctx, it.r, it.ns, it.name)
        ctx.out(first ? s : `\n\n${s}`)
        first = false
      } catch (err) {
        const m = (err as Error).message
        if (!seen.has(m)) errors.push(err)
        seen.add(m)
      }
    }
    if (!items.length && !errors.length) ctx.err(allNamespaces ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`)
    if (errors.length) throw new AggregateError(errors)
  },
}

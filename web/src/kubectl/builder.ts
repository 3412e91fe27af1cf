// What the resource arguments name (cli-runtime's resource.Builder with
// ResourceTypeOrNameArgs): "pods", "pods a b", "pods/a svc/b", "pods,svc",
// categories ("all"), label and field selectors, and -f manifests; with
// upstream's errors for the combinations it refuses.
import type { ApiResource } from './client'
import type { Ctx } from './context'
import { CmdError } from './errors'
import { readFilenames } from './manifest'
import type { Obj } from './types'

/** One thing to visit: a named object, or a list by selector. */
export interface Target {
  r: ApiResource
  /** undefined: all namespaces (or cluster-scoped). */
  namespace?: string
  name?: string
  labelSelector?: string
  fieldSelector?: string
  /** The object as the manifest gave it (-f). */
  object?: Obj
  source?: string
}

export interface BuildOptions {
  allNamespaces?: boolean
  labelSelector?: string
  fieldSelector?: string
  filenames?: string[]
  /** --all: select everything of the given types. */
  selectAll?: boolean
  /** get's allowEmptySelector: a bare type lists everything. */
  allowEmptySelector?: boolean
}

export const MISSING_RESOURCE = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`

/** "a,b" → [a, b] (empty parts dropped, as SplitResourceArgument does). */
const splitTypes = (arg: string) => arg.split(',').filter((s) => s.length > 0)

export async function buildTargets(ctx: Ctx, args: string[], o: BuildOptions): Promise<{ targets: Target[]; singleItem: boolean }> {
  const ns = o.allNamespaces ? undefined : ctx.namespace
  const scoped = (r: ApiResource) => (r.namespaced ? ns : undefined)
  if (o.filenames?.length) {
    if (args.length) throw new CmdError('when paths, URLs, or stdin is provided as input, you may not specify a resource by arguments as well')
    const objs = await readFilenames(o.filenames, ctx.stdin, ctx.env.fetch ?? globalThis.fetch.bind(globalThis))
    const targets: Target[] = []
    for (const m of objs) {
      const r = await ctx.client.resolveKind(m.object, m.source)
      const objNs = m.object.metadata?.namespace
      if (r.namespaced && objNs && ctx.explicitNamespace && objNs !== ctx.namespace)
        throw new CmdError(`the namespace from the provided object "${objNs}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${objNs}' to perform this operation.`)
      targets.push({ r, namespace: r.namespaced ? objNs || ctx.namespace : undefined, name: m.object.metadata?.name, object: m.object, source: m.source })
    }
    return { targets, singleItem: targets.length === 1 }
  }

  // a,b x y → a/x a/y b/x b/y
  if (args.length >= 2 && splitTypes(args[0]!).length > 1) {
    const types = splitTypes(args[0]!)
    args = types.flatMap((t) => args.slice(1).map((n) => `${t}/${n}`))
  }
  const slashed = args.filter((a) => a.includes('/')).length
  let label = o.labelSelector
  const field = o.fieldSelector
  if (o.selectAll) label = ''

  if (slashed > 0) {
    if (slashed !== args.length)
      throw new CmdError(
        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
      )
    const tuples = args.map((a) => {
      const seg = a.split('/')
      if (seg.length !== 2) throw new CmdError('arguments in resource/name form may not have more than one slash')
      const [type, name] = seg as [string, string]
      if (!type || !name || splitTypes(type).length !== 1) throw new CmdError('arguments in resource/name form must have a single resource and name')
      return { type, name }
    })
    if (label !== undefined || field !== undefined) throw new CmdError('selectors and the all flag cannot be used when passing resource/name arguments')
    const targets: Target[] = []
    for (const t of tuples) {
      const r = await ctx.client.resolve(t.type)
      if (r.namespaced && o.allNamespaces) throw new CmdError('a resource cannot be retrieved by name across all namespaces')
      targets.push({ r, namespace: scoped(r), name: t.name })
    }
    return { targets, singleItem: targets.length === 1 }
  }

  const types: string[] = []
  for (const t of args.length ? splitTypes(args[0]!) : []) {
    const cat = await ctx.client.category(t)
    if (cat && !(await ctx.client.resources()).some((r) => r.resource === t || r.shortNames.includes(t) || r.singular === t)) types.push(...cat.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource)))
    else types.push(t)
  }
  const names = args.slice(1)
  if (args.length === 1 && label === undefined && o.allowEmptySelector) label = ''

  if (label !== undefined || field !== undefined) {
    if (names.length) throw new CmdError('name cannot be provided when a selector is specified')
    if (!types.length) throw new CmdError('at least one resource must be specified to use a selector')
    const targets: Target[] = []
    const seen = new Set<string>()
    for (const t of types) {
      const r = await ctx.client.resolve(t)
      const key = `${r.group}/${r.resource}`
      if (seen.has(key)) continue
      seen.add(key)
      targets.push({ r, namespace: scoped(r), labelSelector: label, fieldSelector: field })
    }
    return { targets, singleItem: false }
  }
  if (names.length) {
    if (types.length > 1) throw new CmdError('you must specify only one resource')
    const r = await ctx.client.resolve(types[0]!)
    if (r.namespaced && o.allNamespaces) throw new CmdError('a resource cannot be retrieved by name across all namespaces')
    return { targets: names.map((name) => ({ r, namespace: scoped(r), name })), singleItem: names.length === 1 }
  }
  if (types.length) {
    for (const t of types) await ctx.client.resolve(t)
    throw new CmdError('resource(s) were provided, but no name was specified')
  }
  throw new CmdError(MISSING_RESOURCE)
}

/** Lists a target's objects (following continue tokens), or gets its one named object. */
export async function fetchObjects(ctx: Ctx, t: Target): Promise<Obj[]> {
  if (t.name !== undefined) return [await ctx.client.get(ctx.client.path(t.r, t.namespace, t.name))]
  const items: Obj[] = []
  let cont: string | undefined
  do {
    const list = await ctx.client.get(ctx.client.path(t.r, t.namespace), { labelSelector: t.labelSelector, fieldSelector: t.fieldSelector, limit: 500, continue: cont })
    for (const i of list.items ?? []) items.push({ apiVersion: list.apiVersion ?? apiVersionOf(t.r), kind: t.r.kind, ...i })
    cont = list.metadata?.continue || undefined
  } while (cont)
  return items
}

const apiVersionOf = (r: ApiResource) => (r.group ? `${r.group}/${r.version}` : r.version)

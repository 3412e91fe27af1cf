// kubectl apply -f (kubectl/pkg/cmd/apply): client-side apply by default, as
// kubectl 1.32 does: create with the last-applied-configuration annotation, or
// a three-way strategic merge patch computed from the annotation, the new
// configuration and the live object; "unchanged" when the patch is empty.
// --server-side sends an apply patch instead. applyManifest is `apply -f -`.
import { threeWayJsonMergePatch, threeWayMergePatch } from './apply/three-way'
import type { ApiResource } from './client'
import { kindName } from './client'
import type { Command, Ctx } from './context'
import { makeCtx } from './context'
import { AggregateError, CmdError, formatError, isConflict, isNotFound, StatusError, usageError } from './errors'
import { parseManifest, readFilenames, type ManifestObject } from './manifest'
import { kindSchema, openapiDocument } from './openapi'
import { toCompactJson } from './printers/json'
import { genericPrinter } from './printers/output'
import type { KubectlEnv, KubectlIO, Obj } from './types'

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
const FIELD_MANAGER = 'kubectl-client-side-apply'

/** util.GetModifiedConfiguration: the object's JSON without the annotation, then with it set to that. */
export function modifiedConfiguration(obj: Obj, annotate: boolean): string {
  const copy = structuredClone(obj)
  copy.metadata ??= {}
  const annotations = { ...(copy.metadata.annotations ?? {}) }
  delete annotations[LAST_APPLIED]
  copy.metadata.annotations = annotations
  const plain = toCompactJson(copy) + '\n'
  if (!annotate) return plain
  copy.metadata.annotations = { ...annotations, [LAST_APPLIED]: plain }
  return toCompactJson(copy) + '\n'
}

function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneNulls)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Obj).filter(([, x]) => x !== null).map(([k, x]) => [k, pruneNulls(x)]))
  return v
}

/** info.String(): how kubectl names an object in apply's error messages. */
const infoString = (r: ApiResource, name: string, ns: string) =>
  `Resource: "${r.group}/${r.version}, Resource=${r.resource}", GroupVersionKind: "${r.group}/${r.version}, Kind=${r.kind}"\nName: "${name}", Namespace: "${ns}"`

/** AddSourceToErr: "error when <verb> "<source>": <message>", keeping the Status. */
function withSource(verb: string, source: string, err: unknown): unknown {
  if (err instanceof StatusError) return new StatusError({ ...err.status, message: `error when ${verb} ${JSON.stringify(source)}: ${err.status.message}` })
  return new CmdError(`error when ${verb} ${JSON.stringify(source)}: ${(err as Error).message}`)
}

export interface ApplyOptions {
  serverSide: boolean
  forceConflicts: boolean
  dryRun: '' | 'client' | 'server'
  output: string
  fieldManager?: string
}

async function patchFor(ctx: Ctx, r: ApiResource, original: Obj, modified: Obj, current: Obj): Promise<{ patch: Obj; type: string }> {
  const doc = await openapiDocument(ctx.client, r.group, r.version).catch(() => undefined)
  const node = doc && kindSchema(doc, r.group, r.version, r.kind)
  if (doc && node) return { patch: threeWayMergePatch(original, modified, current, { doc, node }), type: 'application/strategic-merge-patch+json' }
  return { patch: threeWayJsonMergePatch(original, modified, current), type: 'application/merge-patch+json' }
}

/** Applies one object; returns the line kubectl prints for it. */
async function applyOne(ctx: Ctx, m: ManifestObject, o: ApplyOptions): Promise<string> {
  const obj = structuredClone(m.object)
  const r = await ctx.client.resolveKind(obj, m.source)
  const name: string | undefined = obj.metadata?.name
  if (!name) {
    if (obj.metadata?.generateName) throw new CmdError(`from ${obj.metadata.generateName}: cannot use generate name with apply`)
    throw new CmdError(`error when retrieving current configuration of:\n${infoString(r, '', '')}\nfrom server for: ${JSON.stringify(m.source)}: resource name may not be empty`)
  }
  const objNs: string | undefined = obj.metadata?.namespace
  if (r.namespaced && objNs && ctx.explicitNamespace && objNs !== ctx.namespace)
    throw new CmdError(`the namespace from the provided object "${objNs}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${objNs}' to perform this operation.`)
  const ns = r.namespaced ? objNs || ctx.namespace : undefined
  if (ns) obj.metadata.namespace = ns
  const path = ctx.client.path(r, ns, name)
  const dry = o.dryRun === 'server' ? 'All' : undefined
  const suffix = o.dryRun === 'server' ? ' (server dry run)' : o.dryRun === 'client' ? ' (dry run)' : ''
  const printed = (operation: string, result: Obj) => {
    if (o.output) return genericPrinter(o.output)!(result)
    return `${kindName(r)}/${name} ${operation}${suffix}\n`
  }

  if (o.serverSide) {
    try {
      const res = await ctx.client.json('PATCH', path, {
        query: { dryRun: dry, fieldManager: o.fieldManager ?? 'kubectl', fieldValidation: 'Strict', force: String(o.forceConflicts) },
        body: toCompactJson(obj),
        contentType: 'application/apply-patch+yaml',
      })
      return printed('serverside-applied', res)
    } catch (err) {
      if (isConflict(err)) throw new CmdError(`${(err as Error).message}\n${SSA_CONFLICT_HINT}`)
      throw err
    }
  }

  const modifiedText = modifiedConfiguration(obj, true)
  let current: Obj
  try {
    current = await ctx.client.get(path)
  } catch (err) {
    if (!isNotFound(err)) throw withSource(`retrieving current configuration of:\n${infoString(r, name, ns ?? '')}\nfrom server for:`, m.source, err)
    const created = structuredClone(obj)
    created.metadata.annotations = { ...(created.metadata.annotations ?? {}), [LAST_APPLIED]: modifiedConfiguration(obj, false) }
    let result: Obj = created
    if (o.dryRun !== 'client') {
      try {
        result = await ctx.client.json('POST', ctx.client.path(r, ns), { query: { dryRun: dry, fieldManager: o.fieldManager ?? FIELD_MANAGER, fieldValidation: 'Strict' }, body: toCompactJson(pruneNulls(created)) })
      } catch (e) {
        throw withSource('creating', m.source, e)
      }
    }
    return printed('created', result)
  }
  if (o.dryRun === 'client') return printed('configured', obj)
  if (!current.metadata?.annotations?.[LAST_APPLIED])
    ctx.err(`Warning: resource ${r.resource}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`)
  const modified = JSON.parse(modifiedText) as Obj
  for (let attempt = 0; ; attempt++) {
    const originalText: string | undefined = current.metadata?.annotations?.[LAST_APPLIED]
    const original = originalText ? (JSON.parse(originalText) as Obj) : {}
    const { patch, type } = await patchFor(ctx, r, original, modified, current)
    const body = toCompactJson(patch)
    if (body === '{}') return printed('unchanged', current)
    try {
      const res = await ctx.client.json('PATCH', path, { query: { dryRun: dry, fieldManager: o.fieldManager ?? FIELD_MANAGER, fieldValidation: 'Strict' }, body, contentType: type })
      return printed('configured', res)
    } catch (err) {
      if (isConflict(err) && attempt < 4) {
        current = await ctx.client.get(path)
        continue
      }
      throw withSource(`applying patch:\n${body}\nto:\n${infoString(r, name, ns ?? '')}\nfor:`, m.source, withSource('patching', m.source, err))
    }
  }
}

const SSA_CONFLICT_HINT = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`

/** Applies every object, printing each result; errors are collected as kubectl does. */
export async function applyObjects(ctx: Ctx, objs: ManifestObject[], o: ApplyOptions): Promise<number> {
  if (!objs.length) throw new CmdError('no objects passed to apply')
  const errors: unknown[] = []
  for (const m of objs) {
    try {
      ctx.out(await applyOne(ctx, m, o))
    } catch (err) {
      errors.push(err)
    }
  }
  if (errors.length) throw new AggregateError(errors)
  return 0
}

export function dryRunOf(v: string): ApplyOptions['dryRun'] {
  if (v === '' || v === 'none' || v === 'false') return ''
  if (v === 'client' || v === 'true' || v === 'unchanged') return 'client'
  if (v === 'server') return 'server'
  throw new CmdError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`)
}

export const applyCommand: Command = {
  name: 'apply',
  short: 'Apply a configuration to a resource by file name or stdin',
  usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
  flags: [
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'server-side', type: 'bool' },
    { name: 'force-conflicts', type: 'bool' },
    { name: 'field-manager', type: 'string' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict' },
    { name: 'overwrite', type: 'bool', default: true },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'kustomize', short: 'k', type: 'string' },
    { name: 'prune', type: 'bool' },
    { name: 'force', type: 'bool' },
    { name: 'wait', type: 'bool' },
    { name: 'record', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
  ],
  async run(ctx, args, flags) {
    const filenames = flags.strings('filename')
    if (flags.string('kustomize')) throw new CmdError('kustomize directories are not available in the browser; use -f -')
    if (flags.bool('prune')) throw new CmdError('--prune is not available in the browser terminal')
    if (!filenames.length) throw new CmdError('must specify one of -f and -k')
    if (args.length) throw usageError(ctx.commandPath, `Unexpected args: [${args.join(' ')}]`)
    if (flags.bool('force-conflicts') && !flags.bool('server-side')) throw new CmdError('--force-conflicts only works with --server-side')
    const objs = await readFilenames(filenames, ctx.stdin, ctx.env.fetch ?? globalThis.fetch.bind(globalThis))
    return applyObjects(ctx, objs, {
      serverSide: flags.bool('server-side'),
      forceConflicts: flags.bool('force-conflicts'),
      dryRun: dryRunOf(flags.string('dry-run')),
      output: flags.string('output'),
      fieldManager: flags.changed('field-manager') ? flags.string('field-manager') : undefined,
    })
  },
}

/** `kubectl apply -f -` of a YAML/JSON text (several documents), printing what kubectl prints. */
export async function applyManifest(text: string, env: KubectlEnv, io: KubectlIO): Promise<number> {
  const ctx = makeCtx(env, io, { stdin: text }, undefined, 'kubectl apply')
  try {
    return await applyObjects(ctx, parseManifest(text, 'STDIN'), { serverSide: false, forceConflicts: false, dryRun: '', output: '' })
  } catch (err) {
    const { text: msg, code } = formatError(err)
    io.err(msg)
    return code
  }
}

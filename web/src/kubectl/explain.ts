// kubectl explain from the server's OpenAPI v3 (kubectl/pkg/explain/v2 and its
// plaintext template): GROUP/KIND/VERSION, FIELD with its type guess and
// enum, DESCRIPTION wrapped at 76 columns, FIELDS (or --recursive).
import type { Command } from './context'
import { CmdError, RawError } from './errors'
import { openapiDocument } from './openapi'
import type { Obj } from './types'

/** A Go template's truthiness: empty maps, lists and strings are false. */
const truthy = (v: unknown) => !(v === undefined || v === null || v === false || v === '' || v === 0 || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as object).length))
const isSpace = (c: string) => /\s/.test(c) && c !== '\u00a0'

/** mitchellh/go-wordwrap v1.0.1 WrapString. */
export function wrapString(s: string, lim: number): string {
  let buf = ''
  let current = 0
  let word = ''
  let space = ''
  for (const ch of s) {
    if (ch === '\n') {
      if (!word.length) {
        if (current + [...space].length > lim) current = 0
        else buf += space
        space = ''
      } else {
        buf += space + word
        space = ''
        word = ''
      }
      buf += ch
      current = 0
    } else if (isSpace(ch)) {
      if (!space.length || word.length) {
        current += [...space].length + [...word].length
        buf += space + word
        space = ''
        word = ''
      }
      space += ch
    } else {
      word += ch
      const wl = [...word].length
      if (current + wl + [...space].length > lim && wl < lim) {
        buf += '\n'
        current = 0
        space = ''
      }
    }
  }
  if (!word.length) {
    if (current + [...space].length <= lim) buf += space
  } else buf += space + word
  return buf
}

const indent = (n: number, s: string) => ' '.repeat(n) + s.replace(/\n/g, '\n' + ' '.repeat(n))

function resolveRef(ref: unknown, doc: Obj): Obj | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined
  let cur: unknown = doc
  for (const k of ref.slice(1).split('/')) {
    if (!k) continue
    cur = cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined
    if (!cur || typeof cur !== 'object') return undefined
  }
  return cur as Obj
}

function typeGuess(s: Obj, doc: Obj): string {
  if (truthy(s.items)) return `[]${typeGuess(s.items, doc)}`
  if (truthy(s.additionalProperties) && typeof s.additionalProperties !== 'boolean') return `map[string]${typeGuess(s.additionalProperties, doc)}`
  if (truthy(s.allOf) && !truthy(s.properties) && s.allOf.length === 1) return typeGuess(s.allOf[0], doc)
  if (truthy(s.$ref)) {
    const ref = resolveRef(s.$ref, doc)
    if (!ref || !truthy(ref.type) || ref.type === 'object') return String(s.$ref).split('/').pop()!.split('.').pop() || 'Object'
    return ref.type
  }
  return s.type === 'object' ? 'Object' : s.type || 'Object'
}

function extractEnum(s: Obj, long: boolean, limit: number, indentAmount = 0): string {
  if (!truthy(s.enum)) return ''
  let out = long ? 'ENUM:' : `\n${' '.repeat(indentAmount)}enum: `
  for (let i = 0; i < s.enum.length; i++) {
    if (limit > -1 && i >= limit) {
      out += ', ....'
      break
    }
    if (i > 0 && !long) out += ', '
    else if (long) out += '\n    '
    const e = s.enum[i]
    out += e === '' ? '""' : String(e)
  }
  return out
}

function description(schema: Obj, doc: Obj): string {
  const s = resolveRef(schema.$ref, doc) ?? schema
  let out = ''
  if (truthy(s.description)) out += `${s.description}\n`
  for (const a of s.allOf ?? []) out += description(a, doc)
  if (truthy(s.items)) out += description(s.items, doc)
  if (truthy(s.additionalProperties) && typeof s.additionalProperties !== 'boolean') out += description(s.additionalProperties, doc)
  return out
}

function fieldDetail(name: string, schema: Obj, short: boolean, level: number, doc: Obj): string {
  const amount = level * 2
  const field: Obj = schema.properties[name]
  let out = `${indent(amount, name)}\t<${typeGuess(field, doc)}>`
  if ((schema.required ?? []).includes(name)) out += ' -required-'
  out += extractEnum(field, false, 4, amount) + '\n'
  if (!short) out += indent(amount + 2, wrapString(field.description || '<no description>', 78 - amount)) + '\n\n'
  return out
}

function fieldList(schema: Obj, level: number, history: Set<string>, recursive: boolean, doc: Obj): string {
  const ref: string = schema.$ref ?? ''
  if (ref && history.has(ref)) return ''
  const next = new Set(history).add(ref)
  const s = resolveRef(ref, doc) ?? schema
  let out = ''
  for (const k of Object.keys(s.properties ?? {}).sort()) {
    out += fieldDetail(k, s, recursive, level, doc)
    if (recursive) out += fieldList(s.properties[k], level + 1, next, recursive, doc)
  }
  for (const a of s.allOf ?? []) out += fieldList(a, level, next, recursive, doc)
  if (truthy(s.items)) out += fieldList(s.items, level, next, recursive, doc)
  if (truthy(s.additionalProperties) && typeof s.additionalProperties !== 'boolean') out += fieldList(s.additionalProperties, level, next, recursive, doc)
  return out
}

function output(schema: Obj, history: Set<string>, path: string[], recursive: boolean, doc: Obj): string {
  const ref: string = schema.$ref ?? ''
  const next = new Set(history).add(ref)
  const s = resolveRef(ref, doc) ?? schema
  if (!path.length) {
    let out = `DESCRIPTION:\n${indent(4, wrapString(description(s, doc) || '<empty>', 76))}\n`
    const fields = fieldList(s, 1, new Set(), recursive, doc)
    if (fields) out += `FIELDS:\n${fields}`
    return out
  }
  if (ref && history.has(ref)) return ''
  if (truthy(s.properties) && s.properties[path[0]!]) {
    const sub: Obj = s.properties[path[0]!]
    let out = ''
    if (path.length === 1) out += `FIELD: ${path[0]} <${typeGuess(sub, doc)}>\n${extractEnum(sub, true, -1)}\n\n`
    return out + output(sub, new Set(), path.slice(1), recursive, doc)
  }
  if (truthy(s.items)) return output(s.items, next, path, recursive, doc)
  if (truthy(s.additionalProperties) && typeof s.additionalProperties !== 'boolean') return output(s.additionalProperties, next, path, recursive, doc)
  for (const a of s.allOf ?? []) {
    const out = output(a, next, path, recursive, doc)
    if (out) return out
  }
  return ''
}

/** The plaintext template over a group-version document for a resource and field path. */
export function renderExplain(doc: Obj, gvr: { group: string; version: string; resource: string }, path: string[], recursive: boolean): string {
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api'
  const searches = [`${prefix}/${gvr.version}/${gvr.resource}`, `${prefix}/${gvr.version}/${gvr.resource}/{name}`, `${prefix}/${gvr.version}/namespaces/{namespace}/${gvr.resource}`, `${prefix}/${gvr.version}/namespaces/{namespace}/${gvr.resource}/{name}`]
  let gvk: Obj | undefined
  for (const p of searches) {
    const el = doc.paths?.[p]
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
      if (gvk) break
      if (truthy(el?.[m]?.['x-kubernetes-group-version-kind'])) gvk = el[m]['x-kubernetes-group-version-kind']
    }
    if (gvk) break
  }
  if (!gvk) throw new CmdError(`error: GVR (${gvr.group}/${gvr.version}, Resource=${gvr.resource}) not found in OpenAPI schema`)
  let out = ''
  if (gvk.group) out += `GROUP:      ${gvk.group}\n`
  out += `KIND:       ${gvk.kind}\nVERSION:    ${gvk.version}\n\n`
  const schemas: Obj = doc.components?.schemas ?? {}
  const same = (a: Obj) => a.group === gvk!.group && a.kind === gvk!.kind && a.version === gvk!.version && Object.keys(a).length === Object.keys(gvk!).length
  const name = Object.keys(schemas)
    .sort()
    .find((k) => (schemas[k]['x-kubernetes-group-version-kind'] ?? []).some(same))
  if (!name) throw new CmdError(`error: GVK ${gvk.group}/${gvk.version}, Kind=${gvk.kind} not found in OpenAPI schema`)
  const body = output(schemas[name], new Set(), path, recursive, doc)
  // The template has written the header by the time it finds the field missing.
  if (!body) throw new ExplainError(out, `error: field ${JSON.stringify(path[path.length - 1])} does not exist`)
  return out + body + '\n'
}

export class ExplainError extends CmdError {
  constructor(
    readonly printed: string,
    message: string,
  ) {
    super(message)
  }
}

export const explainCommand: Command = {
  name: 'explain',
  short: 'Get documentation for a resource',
  usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2]',
  flags: [
    { name: 'recursive', type: 'bool' },
    { name: 'api-version', type: 'string' },
    { name: 'output', short: 'o', type: 'string', default: 'plaintext' },
  ],
  async run(ctx, args, flags) {
    if (!args.length) throw new CmdError('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n')
    if (args.length > 1) throw new CmdError('We accept only this format: explain RESOURCE\n')
    const output = flags.string('output')
    if (output !== 'plaintext' && output !== 'plaintext-openapiv2') throw new CmdError(`unsupported output format: ${output}`)
    const arg = args[0]!
    const first = arg.split('.')[0]!.toLowerCase()
    const all = await ctx.client.resources()
    // ResourcesFor the first word, then the longest "resource.group" prefix of the argument.
    const candidates = all.filter((r) => r.resource === first || r.singular === first || r.shortNames.includes(first))
    // A NoResourceMatchError: checkErr prints it without "error: ".
    if (!candidates.length) throw new RawError(`the server doesn't have a resource type ${JSON.stringify(first)}`)
    let r = candidates[0]!
    let rest = arg.split('.').slice(1)
    for (const c of candidates) {
      const gr = c.group ? `${c.resource}.${c.group}` : c.resource
      if (arg.startsWith(gr) && c.group) {
        r = c
        rest = arg.slice(gr.length).split('.').slice(1)
        break
      }
    }
    let { group, version } = r
    if (flags.string('api-version')) {
      const av = flags.string('api-version')
      ;[group, version] = av.includes('/') ? (av.split('/') as [string, string]) : ['', av]
    }
    const doc = await openapiDocument(ctx.client, group, version)
    if (!doc) throw new CmdError(`couldn't find resource for "${group}/${version}, Resource=${r.resource}"`)
    try {
      ctx.out(renderExplain(doc, { group, version, resource: r.resource }, rest.filter(Boolean), flags.bool('recursive')))
    } catch (err) {
      if (err instanceof ExplainError) ctx.out(err.printed)
      throw err
    }
  },
}

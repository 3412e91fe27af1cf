// Manifests given with -f: YAML or JSON, several documents, Lists flattened;
// in the browser "-" (the page's editor or piped text) and http(s) URLs.
import { parseAllDocuments } from 'yaml'
import { CmdError } from './errors'
import { toCompactJson } from './printers/json'
import type { Obj } from './types'

const GO_YAML_MESSAGES: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  MULTILINE_IMPLICIT_KEY: 'could not find expected \':\'',
  BAD_INDENT: 'did not find expected key',
  MISSING_CHAR: 'did not find expected key',
  UNEXPECTED_TOKEN: 'did not find expected key',
  BAD_SCALAR_START: 'found character that cannot start any token',
  TAB_AS_INDENT: 'found a tab character that violates indentation',
}

export interface ManifestObject {
  object: Obj
  /** Where it came from, as kubectl names it in messages ("STDIN", a URL). */
  source: string
}

/** The objects of one manifest text; source names it in errors. */
export function parseManifest(text: string, source = 'STDIN'): ManifestObject[] {
  const out: ManifestObject[] = []
  const docs = parseAllDocuments(text, { uniqueKeys: false })
  const list = Array.isArray(docs) ? docs : [docs]
  for (const doc of list) {
    const err = doc.errors[0]
    if (err) {
      // go-yaml's wording for the common mistakes; it names no line for the first one.
      const line = err.linePos?.[0]?.line ?? 0
      const msg = GO_YAML_MESSAGES[err.code] ?? err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
      throw new CmdError(`error parsing ${source}: error converting YAML to JSON: yaml: ${line > 1 ? `line ${line}: ` : ''}${msg}`)
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown
    if (value === null || value === undefined) continue
    if (typeof value !== 'object' || Array.isArray(value))
      throw new CmdError(`error parsing ${source}: error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`)
    for (const o of flatten(value as Obj, source)) out.push({ object: o, source })
  }
  return out
}

function flatten(o: Obj, source: string): Obj[] {
  if (!o.kind) throw new CmdError(`unable to decode ${JSON.stringify(source)}: Object 'Kind' is missing in '${toCompactJson(o)}'`)
  if (!o.apiVersion) throw new CmdError(`unable to decode ${JSON.stringify(source)}: Object 'apiVersion' is missing in '${toCompactJson(o)}'`)
  if (Array.isArray(o.items) && String(o.kind).endsWith('List')) return (o.items as Obj[]).flatMap((i) => flatten(i, source))
  return [o]
}

/** Reads each -f argument: "-" is stdin, http(s) URLs are fetched, local paths do not exist here. */
export async function readFilenames(filenames: string[], stdin: string | undefined, doFetch: typeof fetch): Promise<ManifestObject[]> {
  const out: ManifestObject[] = []
  for (const f of filenames) {
    if (f === '-') {
      out.push(...parseManifest(stdin ?? '', 'STDIN'))
      continue
    }
    if (/^https?:\/\//.test(f)) {
      const res = await doFetch(f)
      if (!res.ok) throw new CmdError(`unable to read URL "${f}", server reported ${res.status} ${res.statusText}, status code=${res.status}`)
      out.push(...parseManifest(await res.text(), f))
      continue
    }
    throw new CmdError(`the path "${f}" does not exist`)
  }
  return out
}

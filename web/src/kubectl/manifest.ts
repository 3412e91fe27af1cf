// Manifests given with -f: YAML or JSON, several documents, Lists flattened;
// in the browser "-" (the page's editor or piped text) and http(s) URLs.
import { parseAllDocuments } from 'yaml'
import { CmdError } from './errors'
import { toCompactJson } from './printers/json'
import type { Obj } from './types'

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
      const line = err.linePos?.[0]?.line
      const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
      throw new CmdError(`error parsing ${source}: error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${msg}`)
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

// The -o formats other than the server's tables: yaml, json, name, jsonpath,
// jsonpath-as-json, custom-columns, each printing an object or a List as
// kubectl's generic printers do.
import { CmdError } from '../errors'
import type { Obj } from '../types'
import { escapeTerminal, goSprint } from './table'
import { JsonPath, JsonPathError, relaxedJsonPath } from './jsonpath'
import { toJson } from './json'
import { GET_TABWRITER, tabify } from './tabwriter'
import { toYaml } from './yaml'

export const OUTPUT_FORMATS = ['custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'wide', 'yaml']

/** "deployment.apps/web", "pod/x": the name printer's form of an object. */
export function objectName(o: Obj): string {
  const apiVersion = String(o.apiVersion ?? '')
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : ''
  const kind = String(o.kind ?? '').toLowerCase()
  return `${group ? `${kind}.${group}` : kind}/${o.metadata?.name || '<unknown>'}`
}

export type Printer = (obj: Obj) => string

const isList = (o: Obj) => Array.isArray(o.items)

/** A printer for -o <format> (not the human-readable ones), or undefined for those. */
export function genericPrinter(output: string, noHeaders = false): Printer | undefined {
  if (!output || output === 'wide') return undefined
  const eq = output.indexOf('=')
  const format = eq >= 0 ? output.slice(0, eq) : output
  const arg = eq >= 0 ? output.slice(eq + 1) : ''
  switch (format) {
    case 'yaml': {
      let count = 0
      return (o) => (count++ > 0 ? '---\n' : '') + toYaml(o)
    }
    case 'json':
      return (o) => toJson(o)
    case 'name':
      return (o) => (isList(o) ? (o.items as Obj[]).map((i) => objectName(i) + '\n').join('') : objectName(o) + '\n')
    case 'jsonpath':
    case 'jsonpath-as-json': {
      if (!arg) throw new CmdError('template format specified but no template given')
      let jp: JsonPath
      try {
        jp = new JsonPath(arg, format === 'jsonpath-as-json')
      } catch (err) {
        throw new CmdError(`error parsing jsonpath ${arg}, ${(err as Error).message}`)
      }
      return (o) => {
        try {
          return jp.run(o)
        } catch (err) {
          if (err instanceof JsonPathError)
            throw new CmdError(
              `error executing jsonpath ${JSON.stringify(arg)}: Error executing template: ${err.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${arg}\n\tobject given to jsonpath engine was:\n\t\t${goSharpV(o)}\n\n\n`,
            )
          throw err
        }
      }
    }
    case 'custom-columns':
      return customColumns(arg, noHeaders)
    case 'go-template':
    case 'template':
    case 'go-template-file':
    case 'templatefile':
    case 'jsonpath-file':
    case 'custom-columns-file':
      throw new CmdError(`--output ${format} is not available in the browser; use -o jsonpath=… or -o custom-columns=…`)
  }
  throw new CmdError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUT_FORMATS.join(',')}`)
}

/** Go's %#v of a decoded JSON value (the jsonpath printer's debugging dump). */
function goSharpV(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v !== 'object') return String(v)
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(', ')}}`
  const o = v as Obj
  return `map[string]interface {}{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${goSharpV(o[k])}`)
    .join(', ')}}`
}

function customColumns(spec: string, noHeaders: boolean): Printer {
  if (!spec) throw new CmdError('custom-columns format specified but no custom columns given')
  const columns = spec.split(',').map((part) => {
    const i = part.indexOf(':')
    if (i < 0) throw new CmdError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`)
    return { header: part.slice(0, i), path: new JsonPath(relaxedJsonPath(part.slice(i + 1))) }
  })
  let printedHeaders = false
  return (o) => {
    let text = ''
    if (!noHeaders && !printedHeaders) {
      text += columns.map((c) => c.header).join('\t') + '\n'
      printedHeaders = true
    }
    for (const item of isList(o) ? (o.items as Obj[]) : [o]) {
      const cells = columns.map((c) => {
        const groups = c.path.find(item)
        if (!groups.length || !groups[0]!.length) return '<none>'
        return groups.flat().map((v) => escapeTerminal(goSprint(v))).join(',')
      })
      text += cells.join('\t') + '\n'
    }
    return tabify(text, GET_TABWRITER)
  }
}

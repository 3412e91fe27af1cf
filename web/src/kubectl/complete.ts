// Tab completion for the terminal: command and subcommand names, flags, flag
// values (namespaces, output formats, containers), resource types from
// discovery (plural, singular and short names) and names of the type being
// typed (from a list), "type/name" forms, and explain's field paths. Returns
// the candidate words that start with the word under the cursor.
import { GLOBAL_FLAGS } from './args'
import { Client, type ApiResource, matchResource } from './client'
import { commands } from './commands'
import type { Command } from './context'
import { child, items, kindSchema, openapiDocument, type SchemaNode } from './openapi'
import { OUTPUT_FORMATS } from './printers/output'
import type { KubectlEnv, Obj } from './types'

/** Commands whose arguments are TYPE NAME... or TYPE/NAME. */
const TYPE_NAME_COMMANDS = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'scale', 'expose', 'patch', 'edit', 'history', 'pause', 'restart', 'resume', 'status', 'undo', 'image'])
const NAME_CACHE_MS = 5000
const nameCache = new Map<string, { at: number; names: Promise<string[]> }>()

/** Words before the cursor (quotes kept loose) and the partial word being typed. */
function wordsAt(line: string, cursor: number): { words: string[]; partial: string } {
  const text = line.slice(0, cursor)
  const words: string[] = []
  let cur = ''
  let quote = ''
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = ''
      else cur += ch
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === ' ' || ch === '\t') {
      if (cur) words.push(cur)
      cur = ''
    } else cur += ch
  }
  return { words, partial: cur }
}

async function namesOf(client: Client, r: ApiResource, ns: string): Promise<string[]> {
  const key = `${client.env.baseUrl} ${r.group}/${r.resource} ${r.namespaced ? ns : ''}`
  const hit = nameCache.get(key)
  if (hit && Date.now() - hit.at < NAME_CACHE_MS) return hit.names
  const names = client
    .get(client.path(r, r.namespaced ? ns : undefined), { limit: 500 })
    .then((l) => (l.items ?? []).map((i: Obj) => String(i.metadata?.name)))
    .catch(() => [] as string[])
  nameCache.set(key, { at: Date.now(), names })
  return names
}

function typeWords(all: ApiResource[]): string[] {
  const out = new Set<string>()
  for (const r of all) {
    if (!r.verbs.includes('list') && !r.verbs.includes('get')) continue
    out.add(r.resource)
    out.add(r.singular)
    for (const s of r.shortNames) out.add(s)
    if (r.group) out.add(`${r.resource}.${r.group}`)
  }
  out.add('all')
  return [...out]
}

/** Flags a command accepts (and their value types), as "--name" words. */
function flagWords(cmd: Command): string[] {
  const out: string[] = []
  for (const f of [...(cmd.flags ?? []), ...GLOBAL_FLAGS]) {
    out.push(`--${f.name}`)
    if (f.short) out.push(`-${f.short}`)
  }
  return out
}

/** The value a flag takes, if the word is a flag that needs one (as "--flag" or "-f"). */
function flagNeedingValue(cmd: Command, word: string): string | undefined {
  const all = [...(cmd.flags ?? []), ...GLOBAL_FLAGS]
  const spec = word.startsWith('--') ? all.find((f) => f.name === word.slice(2)) : word.length === 2 ? all.find((f) => f.short === word[1]) : undefined
  return spec && spec.type !== 'bool' && spec.noOptDefault === undefined ? spec.name : undefined
}

async function explainPaths(client: Client, partial: string): Promise<string[]> {
  const parts = partial.split('.')
  const all = await client.resources()
  const r = matchResource(all, parts[0]!)
  if (!r) return []
  const doc = await openapiDocument(client, r.group, r.version).catch(() => undefined)
  let node: SchemaNode | undefined = doc && kindSchema(doc, r.group, r.version, r.kind)
  if (!doc || !node) return []
  for (const p of parts.slice(1, -1)) {
    node = child(doc, node, p)
    while (node && !node.schema.properties && node.schema.items) node = items(doc, node)
    if (!node) return []
  }
  const prefix = parts.slice(0, -1).join('.')
  return Object.keys(node.schema.properties ?? {}).map((k) => `${prefix}.${k}`)
}

/** Completions at the cursor: candidate words starting with the word being typed. */
export async function complete(line: string, cursor: number, env: KubectlEnv): Promise<string[]> {
  const { words: raw, partial } = wordsAt(line, cursor)
  const words = raw[0] === 'kubectl' ? raw.slice(1) : raw
  const client = new Client(env)
  const done = (list: Iterable<string>) => [...new Set(list)].filter((w) => w.startsWith(partial)).sort()
  try {
    // The command itself.
    const at = words.findIndex((w) => !w.startsWith('-'))
    if (at < 0) return partial.startsWith('-') ? done(GLOBAL_FLAGS.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])])) : done([...commands.filter((c) => !c.unavailable).map((c) => c.name), 'help'])
    let cmd = commands.find((c) => c.name === words[at] || c.aliases?.includes(words[at]!))
    if (!cmd) return []
    let rest = words.slice(at + 1)
    while (cmd.subcommands?.length) {
      const i = rest.findIndex((w) => !w.startsWith('-'))
      const sub: Command | undefined = i >= 0 ? cmd.subcommands.find((c) => c.name === rest[i] || c.aliases?.includes(rest[i]!)) : undefined
      if (!sub) {
        if (i < 0 && !partial.startsWith('-')) return done(cmd.subcommands.map((c) => c.name))
        if (!cmd.run) return []
        break
      }
      cmd = sub
      rest = [...rest.slice(0, i), ...rest.slice(i + 1)]
    }
    // A flag's value.
    const prev = rest[rest.length - 1]
    const valueOf = prev ? flagNeedingValue(cmd, prev) : undefined
    let ns = env.namespace || 'default'
    rest.forEach((w, i) => {
      if ((w === '-n' || w === '--namespace') && rest[i + 1]) ns = rest[i + 1]!
      else if (w.startsWith('--namespace=')) ns = w.slice('--namespace='.length)
    })
    const all = await client.resources()
    const find = (name: string) => matchResource(all, name)
    if (valueOf === 'namespace') return done(await namesOf(client, find('namespaces')!, ns))
    if (valueOf === 'output') return done(OUTPUT_FORMATS.filter((f) => !f.endsWith('-file') && !f.includes('template')).map((f) => (['jsonpath', 'custom-columns', 'jsonpath-as-json', 'go-template'].includes(f) ? `${f}=` : f)))
    if (valueOf === 'container') {
      const pod = rest.find((w, i) => !w.startsWith('-') && !flagNeedingValue(cmd!, rest[i - 1] ?? ''))
      if (!pod) return []
      const p = await client.get(client.path(find('pods')!, ns, pod.replace(/^pods?\//, ''))).catch(() => undefined)
      return done([...(p?.spec?.initContainers ?? []), ...(p?.spec?.containers ?? [])].map((c: Obj) => c.name))
    }
    if (valueOf) return []
    if (partial.startsWith('-')) return done(flagWords(cmd))
    // Positional arguments: types, then names of the type.
    const positional = rest.filter((w, i) => !w.startsWith('-') && !flagNeedingValue(cmd!, rest[i - 1] ?? ''))
    if (cmd.name === 'explain') return partial.includes('.') ? done(await explainPaths(client, partial)) : done(typeWords(all))
    if (cmd.name === 'taint') return positional.length ? done(await namesOf(client, find('nodes')!, ns)) : done(['nodes', 'node', 'no'])
    const fixed: Record<string, string> = { logs: 'pods', cordon: 'nodes', uncordon: 'nodes', drain: 'nodes', node: 'nodes', pod: 'pods' }
    if (fixed[cmd.name] && !partial.includes('/')) {
      if (cmd.name === 'logs' && positional.length >= 1) {
        const p = await client.get(client.path(find('pods')!, ns, positional[0]!)).catch(() => undefined)
        return done([...(p?.spec?.initContainers ?? []), ...(p?.spec?.containers ?? [])].map((c: Obj) => c.name))
      }
      return done(await namesOf(client, find(fixed[cmd.name]!)!, ns))
    }
    if (!TYPE_NAME_COMMANDS.has(cmd.name) && !fixed[cmd.name]) return []
    if (partial.includes('/')) {
      const type = partial.slice(0, partial.indexOf('/'))
      const r = find(type)
      return r ? done((await namesOf(client, r, ns)).map((n) => `${type}/${n}`)) : []
    }
    if (!positional.length) return done(typeWords(all))
    const typeArg = positional[0]!
    if (typeArg.includes('/')) return done(typeWords(all).map((t) => `${t}/`))
    if (partial.includes('=')) return []
    const r = find(typeArg.split(',')[0]!)
    return r ? done(await namesOf(client, r, ns)) : []
  } catch {
    return []
  }
}

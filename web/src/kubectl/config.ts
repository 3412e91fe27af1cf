// kubectl config, for the one identity the page is signed in with: view
// (secrets redacted as kubectl redacts them, --raw shows them), current-context,
// get-contexts, and set-context --current --namespace (which changes the page's
// current namespace: env.namespace is updated in place).
import type { Command, Ctx } from './context'
import { CmdError } from './errors'
import { genericPrinter } from './printers/output'
import { GET_TABWRITER, tabify } from './printers/tabwriter'
import { toYaml } from './printers/yaml'
import type { Obj } from './types'

const names = (ctx: Ctx) => ({ cluster: `wheelhouse-${ctx.env.cluster}`, user: `wheelhouse-${ctx.env.cluster}-${ctx.env.user}`, context: `wheelhouse-${ctx.env.cluster}` })

/** The API server URL a kubectl outside the browser would use for this cluster. */
function serverUrl(ctx: Ctx): string {
  const base = (globalThis as { location?: { href: string } }).location?.href
  try {
    return base ? new URL(ctx.env.baseUrl, base).href.replace(/\/$/, '') : ctx.env.baseUrl
  } catch {
    return ctx.env.baseUrl
  }
}

/** The kubeconfig of the signed-in identity (v1 Config, as `config view` prints it). */
export function kubeconfigFor(ctx: Ctx, raw: boolean): Obj {
  const n = names(ctx)
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: { server: serverUrl(ctx) }, name: n.cluster }],
    contexts: [{ context: { cluster: n.cluster, namespace: ctx.env.namespace || 'default', user: n.user }, name: n.context }],
    'current-context': n.context,
    kind: 'Config',
    preferences: {},
    users: [{ name: n.user, user: { token: raw ? ctx.env.token : 'REDACTED' } }],
  }
}

const view: Command = {
  name: 'view',
  short: 'Display merged kubeconfig settings or a specified kubeconfig file',
  flags: [
    { name: 'raw', type: 'bool' },
    { name: 'minify', type: 'bool' },
    { name: 'flatten', type: 'bool' },
    { name: 'merge', type: 'bool', default: true },
    { name: 'output', short: 'o', type: 'string', default: 'yaml' },
  ],
  async run(ctx, args, flags) {
    if (args.length) throw new CmdError(`unexpected arguments: [${args.join(' ')}]`)
    const cfg = kubeconfigFor(ctx, flags.bool('raw') || flags.bool('flatten'))
    const output = flags.string('output')
    ctx.out(output === 'yaml' ? toYaml(cfg) : genericPrinter(output)!(cfg))
  },
}

const currentContext: Command = {
  name: 'current-context',
  short: 'Display the current-context',
  async run(ctx) {
    ctx.out(`${names(ctx).context}\n`)
  },
}

const getContexts: Command = {
  name: 'get-contexts',
  short: 'Describe one or many contexts',
  flags: [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'no-headers', type: 'bool' },
  ],
  async run(ctx, args, flags) {
    const n = names(ctx)
    const output = flags.string('output')
    if (output && output !== 'name') throw new CmdError(`output must be one of '' or 'name': ${output}`)
    const missing = args.find((a) => a !== n.context)
    if (output === 'name') {
      if (!missing) ctx.out(`${n.context}\n`)
    } else {
      let text = flags.bool('no-headers') ? '' : 'CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n'
      if (!missing) text += `*\t${n.context}\t${n.cluster}\t${n.user}\t${ctx.env.namespace || 'default'}\n`
      // With no rows the tab writer holds the header line without its newline, as kubectl prints it.
      ctx.out(missing ? tabify(text.replace(/\n$/, ''), GET_TABWRITER) : tabify(text, GET_TABWRITER))
    }
    if (missing) throw new CmdError(`context ${missing} not found`)
  },
}

const setContext: Command = {
  name: 'set-context',
  short: 'Set a context entry in kubeconfig',
  flags: [
    { name: 'current', type: 'bool' },
    { name: 'namespace', type: 'string' },
    { name: 'cluster', type: 'string' },
    { name: 'user', type: 'string' },
  ],
  async run(ctx, args, flags) {
    const n = names(ctx)
    const name = flags.bool('current') ? n.context : args[0]
    if (!name) throw new CmdError('you must specify a non-empty context name or --current')
    if (name !== n.context) throw new CmdError(`this terminal has one context, ${n.context}; sign in again to use another identity`)
    if (flags.changed('cluster') || flags.changed('user')) throw new CmdError('the cluster and user of this terminal come from the sign-in and cannot be changed here')
    if (flags.changed('namespace')) ctx.env.namespace = flags.string('namespace') || 'default'
    ctx.out(`Context "${n.context}" modified.\n`)
  },
}

const useContext: Command = {
  name: 'use-context',
  short: 'Set the current-context in a kubeconfig file',
  async run(ctx, args) {
    const n = names(ctx)
    if (args.length !== 1) throw new CmdError('Unexpected args: ' + JSON.stringify(args))
    if (args[0] !== n.context) throw new CmdError(`no context exists with the name: "${args[0]}"`)
    ctx.out(`Switched to context "${n.context}".\n`)
  },
}

export const configCommand: Command = {
  name: 'config',
  short: 'Modify kubeconfig files',
  usage: 'kubectl config SUBCOMMAND',
  subcommands: [currentContext, getContexts, setContext, useContext, view],
}

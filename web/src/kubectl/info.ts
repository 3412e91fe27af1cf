// kubectl version, api-resources, api-versions and cluster-info, from
// discovery, as kubectl/pkg/cmd/{version,apiresources,clusterinfo} print them.
import type { Command } from './context'
import { CmdError } from './errors'
import { toJson } from './printers/json'
import { GET_TABWRITER, tabify } from './printers/tabwriter'
import { toYaml } from './printers/yaml'
import type { Obj } from './types'

/** This client's version: kubectl 1.32's protocol, built into the page. */
export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-wheelhouse',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-23T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'js/wasm',
}
const KUSTOMIZE_VERSION = 'v5.5.0'

export const versionCommand: Command = {
  name: 'version',
  short: 'Print the client and server version information',
  usage: 'kubectl version [flags]',
  flags: [
    { name: 'client', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
  ],
  async run(ctx, args, flags) {
    const output = flags.string('output')
    if (output && output !== 'yaml' && output !== 'json') throw new CmdError(`--output must be 'yaml' or 'json'`)
    if (args.length) throw new CmdError(`unknown command "${args[0]}" for "kubectl version"`)
    let server: Obj | undefined
    let serverErr: unknown
    if (!flags.bool('client')) {
      try {
        server = await ctx.client.get('/version')
      } catch (err) {
        serverErr = err
      }
    }
    const info: Obj = { clientVersion: CLIENT_VERSION, kustomizeVersion: KUSTOMIZE_VERSION }
    if (server) info.serverVersion = server
    if (output === 'json') ctx.out(JSON.stringify(info, null, 2) + '\n\n')
    else if (output === 'yaml') ctx.out(toYaml(info) + '\n')
    else {
      let s = `Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`
      if (server) s += `Server Version: ${server.gitVersion}\n`
      ctx.out(s)
    }
    if (serverErr) throw serverErr
  },
}

export const apiResourcesCommand: Command = {
  name: 'api-resources',
  short: 'Print the supported API resources on the server',
  usage: 'kubectl api-resources [flags]',
  flags: [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'api-group', type: 'string' },
    { name: 'namespaced', type: 'bool', default: true },
    { name: 'verbs', type: 'strings' },
    { name: 'categories', type: 'strings' },
    { name: 'sort-by', type: 'string' },
    { name: 'no-headers', type: 'bool' },
    { name: 'cached', type: 'bool' },
  ],
  async run(ctx, _args, flags) {
    const output = flags.string('output')
    if (output && !['wide', 'name'].includes(output)) throw new CmdError(`--output ${output} is not available in api-resources`)
    const sortBy = flags.string('sort-by')
    if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new CmdError(`--sort-by accepts only name or kind`)
    const all = await ctx.client.resources(!flags.bool('cached'))
    // ServerPreferredResources: each group's preferred (first) version only.
    const preferred = new Map<string, string>()
    for (const r of all) if (!preferred.has(r.group)) preferred.set(r.group, r.version)
    let list = all.filter((r) => preferred.get(r.group) === r.version && r.verbs.length)
    if (flags.changed('api-group')) list = list.filter((r) => r.group === flags.string('api-group'))
    if (flags.changed('namespaced')) list = list.filter((r) => r.namespaced === flags.bool('namespaced'))
    const verbs = flags.strings('verbs')
    if (verbs.length) list = list.filter((r) => verbs.every((v) => r.verbs.includes(v)))
    const cats = flags.strings('categories')
    if (cats.length) list = list.filter((r) => cats.every((c) => r.categories.includes(c)))
    const key = (r: (typeof list)[number]) => (sortBy === 'name' ? r.resource : sortBy === 'kind' ? r.kind : r.group)
    list = list
      .map((r, i) => ({ r, i }))
      .sort((a, b) => {
        const x = key(a.r)
        const y = key(b.r)
        if (x !== y) return x < y ? -1 : 1
        if (a.r.resource !== b.r.resource) return a.r.resource < b.r.resource ? -1 : 1
        return a.i - b.i
      })
      .map((x) => x.r)
    let text = ''
    if (!flags.bool('no-headers') && output !== 'name') text += `NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND${output === 'wide' ? '\tVERBS\tCATEGORIES' : ''}\n`
    for (const r of list) {
      const gv = r.group ? `${r.group}/${r.version}` : r.version
      if (output === 'name') text += `${r.resource}${r.group ? `.${r.group}` : ''}\n`
      else {
        text += `${r.resource}\t${r.shortNames.join(',')}\t${gv}\t${r.namespaced}\t${r.kind}`
        if (output === 'wide') text += `\t${r.verbs.join(',')}\t${r.categories.join(',')}`
        text += '\n'
      }
    }
    ctx.out(tabify(text, GET_TABWRITER))
  },
}

export const apiVersionsCommand: Command = {
  name: 'api-versions',
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  usage: 'kubectl api-versions',
  async run(ctx) {
    const all = await ctx.client.resources(true)
    const gvs = [...new Set(all.map((r) => (r.group ? `${r.group}/${r.version}` : r.version)))].sort()
    ctx.out(gvs.map((v) => v + '\n').join(''))
  },
}

export const clusterInfoCommand: Command = {
  name: 'cluster-info',
  short: 'Display cluster information',
  usage: 'kubectl cluster-info [flags]',
  subcommands: [
    {
      name: 'dump',
      short: 'Dump relevant information for debugging and diagnosis',
      async run() {
        throw new CmdError('cluster-info dump writes files and is not available in the browser; use kubectl get and describe')
      },
    },
  ],
  async run(ctx) {
    const host = new URL(ctx.env.baseUrl, (globalThis as { location?: { href: string } }).location?.href ?? 'https://localhost').href.replace(/\/$/, '')
    const ns = ctx.explicitNamespace ? ctx.namespace : 'kube-system'
    let text = `Kubernetes control plane is running at ${host}\n`
    let err: unknown
    try {
      const list = await ctx.client.get(`/api/v1/namespaces/${encodeURIComponent(ns)}/services`, { labelSelector: 'kubernetes.io/cluster-service=true' })
      for (const s of list.items ?? []) {
        let link = ''
        const ingress = s.status?.loadBalancer?.ingress?.[0]
        if (ingress) {
          const ip = ingress.ip || ingress.hostname
          for (const p of s.spec?.ports ?? []) link += `http://${ip}:${p.port} `
        } else {
          let name = s.metadata.name
          const port = s.spec?.ports?.[0]
          if (port) {
            const scheme = port.name === 'https' || port.port === 443 ? 'https' : ''
            name = scheme ? `${scheme}:${name}:${port.name ?? ''}` : port.name ? `${name}:${port.name}` : name
          }
          link = `${host}/api/v1/namespaces/${s.metadata.namespace}/services/${name}/proxy`
        }
        text += `${s.metadata.labels?.['kubernetes.io/name'] || s.metadata.name} is running at ${link}\n`
      }
    } catch (e) {
      err = e
    }
    ctx.out(text + "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
    if (err) throw err
  },
}

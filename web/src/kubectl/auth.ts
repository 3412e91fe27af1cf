// kubectl auth can-i (SelfSubjectAccessReview, --list with SelfSubjectRulesReview)
// and auth whoami (SelfSubjectReview), as kubectl/pkg/cmd/auth prints them.
import type { Command, Ctx } from './context'
import { CmdError } from './errors'
import { matchResource } from './client'
import { toJson } from './printers/json'
import { GET_TABWRITER, tabify } from './printers/tabwriter'
import { toYaml } from './printers/yaml'
import type { Obj } from './types'

const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']
const NON_RESOURCE_VERBS = ['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']

const warn = (ctx: Ctx, message: string) => ctx.err(`Warning: ${message}\n`)

interface Rule {
  verbs: string[]
  apiGroups: string[]
  resources: string[]
  resourceNames: string[]
  nonResourceURLs: string[]
}

/** BreakdownRule then CompactRules then sort by PolicyRule.String(), as rbacutil does. */
function compactRules(status: Obj): Rule[] {
  const broken: Rule[] = []
  for (const r of status.resourceRules ?? [])
    for (const g of r.apiGroups ?? [])
      for (const res of r.resources ?? [])
        for (const v of r.verbs ?? []) {
          if (r.resourceNames?.length) for (const n of r.resourceNames) broken.push({ verbs: [v], apiGroups: [g], resources: [res], resourceNames: [n], nonResourceURLs: [] })
          else broken.push({ verbs: [v], apiGroups: [g], resources: [res], resourceNames: [], nonResourceURLs: [] })
        }
  for (const r of status.nonResourceRules ?? []) for (const u of r.nonResourceURLs ?? []) for (const v of r.verbs ?? []) broken.push({ verbs: [v], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [u] })
  const compacted: Rule[] = []
  const simple = new Map<string, Rule>()
  for (const r of broken) {
    if (r.nonResourceURLs.length || r.resourceNames.length > 1) {
      compacted.push(r)
      continue
    }
    const key = `${r.apiGroups[0]}\u0000${r.resources[0]}\u0000${r.resourceNames[0] ?? '\u0001'}`
    const had = simple.get(key)
    if (had) for (const v of r.verbs) had.verbs.includes(v) || had.verbs.push(v)
    else simple.set(key, { ...r, verbs: [...r.verbs] })
  }
  compacted.push(...simple.values())
  const text = (r: Rule) => `&PolicyRule{Verbs:[${r.verbs.join(' ')}],APIGroups:[${r.apiGroups.join(' ')}],Resources:[${r.resources.join(' ')}],ResourceNames:[${r.resourceNames.join(' ')}],NonResourceURLs:[${r.nonResourceURLs.join(' ')}],}`
  return compacted.map((r, i) => ({ r, i, t: text(r) })).sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i)).map((x) => x.r)
}

/** CombineResourceGroup: "deployments.apps", "pods/log". */
function combine(resources: string[], groups: string[]): string {
  if (!resources.length) return ''
  const [res, sub] = resources[0]!.split(/\/(.*)/s) as [string, string | undefined]
  let out = res
  if (groups.length && groups[0] !== '') out += `.${groups[0]}`
  if (sub !== undefined) out += `/${sub}`
  return out
}

const canI: Command = {
  name: 'can-i',
  short: 'Check whether an action is allowed',
  usage: 'kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL]',
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'quiet', short: 'q', type: 'bool' },
    { name: 'list', type: 'bool' },
    { name: 'no-headers', type: 'bool' },
    { name: 'subresource', type: 'string' },
  ],
  async run(ctx, args, flags) {
    const ns = flags.bool('all-namespaces') ? '' : ctx.namespace
    if (flags.bool('list')) {
      if (args.length) throw new CmdError('list option must be specified with no arguments')
      if (flags.bool('quiet') || flags.bool('all-namespaces') || flags.string('subresource')) throw new CmdError("list option can't be specified with neither quiet, all-namespaces nor subresource options")
      const res = await ctx.client.json('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { body: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { namespace: ns }, status: { resourceRules: null, nonResourceRules: null, incomplete: false } } })
      const status: Obj = res.status ?? {}
      if (status.incomplete) warn(ctx, `the list may be incomplete: ${status.evaluationError ?? ''}`)
      let text = flags.bool('no-headers') ? '' : 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n'
      for (const r of compactRules(status)) text += `${combine(r.resources, r.apiGroups)}\t[${r.nonResourceURLs.join(' ')}]\t[${r.resourceNames.join(' ')}]\t[${r.verbs.join(' ')}]\n`
      ctx.out(tabify(text, GET_TABWRITER))
      return 0
    }
    if (args.length !== 2) throw new CmdError("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.")
    const [verb, target] = args as [string, string]
    const attrs: Obj = {}
    if (target.startsWith('/')) {
      if (flags.string('subresource')) throw new CmdError('--subresource can not be used with NonResourceURL')
      if (!NON_RESOURCE_VERBS.includes(verb)) warn(ctx, `verb '${verb}' is not a known verb\n`)
      attrs.nonResourceAttributes = { path: target, verb }
    } else {
      const [resArg, name] = target.split(/\/(.*)/s) as [string, string | undefined]
      let group = ''
      let resource = resArg
      let namespaced = true
      if (resArg !== '*') {
        const found = matchResource(await ctx.client.resources(), resArg.toLowerCase())
        if (found) {
          group = found.group
          resource = found.resource
          namespaced = found.namespaced
        } else if (!['users', 'groups'].includes(resArg.toLowerCase())) {
          const [r, ...g] = resArg.toLowerCase().split('.')
          warn(ctx, g.length ? `the server doesn't have a resource type '${r}' in group '${g.join('.')}'\n` : `the server doesn't have a resource type '${r}'\n`)
          namespaced = true
        }
        if (found && !namespaced && !flags.bool('all-namespaces')) warn(ctx, group ? `resource '${resource}' is not namespace scoped in group '${group}'\n` : `resource '${resource}' is not namespace scoped\n`)
        if (!RESOURCE_VERBS.includes(verb)) warn(ctx, `verb '${verb}' is not a known verb\n`)
      }
      if (flags.bool('no-headers')) throw new CmdError('--no-headers cannot be set without --list specified')
      attrs.resourceAttributes = { namespace: ns, verb, group, resource, ...(flags.string('subresource') ? { subresource: flags.string('subresource') } : {}), ...(name ? { name } : {}) }
    }
    const res = await ctx.client.json('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: attrs, status: { allowed: false } } })
    const st: Obj = res.status ?? {}
    if (!flags.bool('quiet')) {
      if (st.allowed) ctx.out('yes\n')
      else ctx.out(`no${st.reason ? ` - ${st.reason}` : ''}${st.evaluationError ? ` - ${st.evaluationError}` : ''}\n`)
    }
    return st.allowed ? 0 : 1
  },
}

const whoami: Command = {
  name: 'whoami',
  short: 'Experimental: Check self subject attributes',
  flags: [{ name: 'output', short: 'o', type: 'string' }],
  async run(ctx, _args, flags) {
    const res = await ctx.client.json('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: {} } } })
    const output = flags.string('output')
    if (output === 'json') return void ctx.out(toJson(res))
    if (output === 'yaml') return void ctx.out(toYaml(res))
    const ui: Obj = res.status?.userInfo ?? {}
    let text = 'ATTRIBUTE\tVALUE\n'
    if (ui.username) text += `Username\t${ui.username}\n`
    if (ui.uid) text += `UID\t${ui.uid}\n`
    if (ui.groups?.length) text += `Groups\t[${ui.groups.join(' ')}]\n`
    for (const k of Object.keys(ui.extra ?? {}).sort()) text += `Extra: ${k}\t[${ui.extra[k].join(' ')}]\n`
    ctx.out(tabify(text, GET_TABWRITER))
  },
}

export const authCommand: Command = {
  name: 'auth',
  short: 'Inspect authorization',
  usage: 'kubectl auth [flags] [options]',
  subcommands: [canI, whoami],
}

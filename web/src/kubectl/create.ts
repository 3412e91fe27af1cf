// kubectl create: -f manifests, and the generators of kubectl/pkg/cmd/create
// (deployment, namespace, configmap, secret generic, service clusterip |
// nodeport | loadbalancer | externalname, serviceaccount, job), building the
// same objects kubectl builds and printing what it prints.
import type { Flags, FlagSpec } from './args'
import { dryRunOf, LAST_APPLIED, modifiedConfiguration } from './apply'
import { kindName } from './client'
import type { Command, Ctx } from './context'
import { AggregateError, CmdError, StatusError, usageError } from './errors'
import { readFilenames } from './manifest'
import { toCompactJson } from './printers/json'
import { genericPrinter } from './printers/output'
import type { Obj } from './types'

const COMMON: FlagSpec[] = [
  { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'save-config', type: 'bool' },
  { name: 'field-manager', type: 'string', default: 'kubectl-create' },
  { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict' },
  { name: 'template', type: 'string' },
  { name: 'show-managed-fields', type: 'bool' },
  { name: 'allow-missing-template-keys', type: 'bool', default: true },
]

/** Sends one generated object, prints it; failures are wrapped as the generator words them. */
async function createObject(ctx: Ctx, flags: Flags, apiVersion: string, obj: Obj, wrap?: (m: string) => string): Promise<number> {
  const dry = dryRunOf(flags.string('dry-run'))
  const output = flags.string('output')
  const print = output ? genericPrinter(output) : undefined
  const r = await ctx.client.resolveKind({ ...obj, apiVersion }, '')
  // Generated objects are Go structs: kind and apiVersion first, fields in struct order (-o json keeps it).
  let result: Obj = { kind: obj.kind, apiVersion, ...obj }
  if (flags.bool('save-config')) {
    result.metadata.annotations = { ...(result.metadata.annotations ?? {}), [LAST_APPLIED]: modifiedConfiguration(result, false) }
  }
  if (dry !== 'client') {
    try {
      result = await ctx.client.json('POST', ctx.client.path(r, r.namespaced ? ctx.namespace : undefined), {
        query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager'), fieldValidation: 'Strict' },
        body: toCompactJson(result),
      })
    } catch (err) {
      if (wrap && err instanceof StatusError) throw new CmdError(wrap(err.message))
      throw err
    }
  }
  if (print) ctx.out(dry === 'client' && flags.string('output') === 'json' ? toStructJson(result) : print(result))
  else ctx.out(`${kindName(r)}/${result.metadata.name} created${dry === 'server' ? ' (server dry run)' : dry === 'client' ? ' (dry run)' : ''}\n`)
  return 0
}

/** NameFromCommandArgs: exactly one name before any "--". */
function nameArg(ctx: Ctx, args: string[], flags?: Flags): string {
  const n = flags && flags.argsLenAtDash >= 0 ? flags.argsLenAtDash : args.length
  if (n !== 1) throw usageError(ctx.commandPath, `exactly one NAME is required, got ${n}`)
  return args[0]!
}

/** ObjectMeta in Go's field order: name, namespace, creationTimestamp, labels. */
const meta = (ctx: Ctx, name: string, extra: Obj = {}) => ({ name, ...(ctx.explicitNamespace ? { namespace: ctx.namespace } : {}), creationTimestamp: null, ...extra })

/** json.MarshalIndent of a typed object: fields in the order they were built (struct order). */
function toStructJson(v: unknown): string {
  return JSON.stringify(v, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n'
}

function required(flags: Flags, ...names: string[]) {
  const missing = names.filter((n) => !flags.changed(n))
  if (missing.length) throw new CmdError(`required flag(s) ${missing.map((n) => JSON.stringify(n)).join(', ')} not set`)
}

/** The container name kubectl derives from an image: last path part, no tag or digest, _ and . replaced. */
function containerName(image: string): string {
  let name = image.split('/').pop()!
  name = name.split(':')[0]!.split('@')[0]!
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${Math.random().toString(36).slice(2, 7)}`
  return name
}

const deployment: Command = {
  name: 'deployment',
  aliases: ['deploy'],
  short: 'Create a deployment with the specified name',
  usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  flags: [...COMMON, { name: 'image', type: 'strings' }, { name: 'port', type: 'int', default: -1 }, { name: 'replicas', short: 'r', type: 'int', default: 1 }],
  async run(ctx, args, flags) {
    required(flags, 'image')
    const name = nameArg(ctx, args, flags)
    const command = args.slice(1)
    const images = flags.strings('image')
    if (images.length > 1 && command.length) throw new CmdError('cannot specify multiple --image options and command')
    const labels = { app: name }
    const port = flags.int('port')
    const containers = images.map((image, i) => ({ name: containerName(image), image, ...(command.length ? { command } : {}), ...(i === 0 && port >= 0 ? { ports: [{ containerPort: port }] } : {}), resources: {} }))
    const obj = {
      kind: 'Deployment',
      metadata: meta(ctx, name, { labels }),
      spec: { replicas: flags.int('replicas'), selector: { matchLabels: labels }, template: { metadata: { creationTimestamp: null, labels }, spec: { containers } }, strategy: {} },
      status: {},
    }
    return createObject(ctx, flags, 'apps/v1', obj, (m) => `failed to create deployment: ${m}`)
  },
}

const namespace: Command = {
  name: 'namespace',
  aliases: ['ns'],
  short: 'Create a namespace with the specified name',
  usage: 'kubectl create namespace NAME [--dry-run=server|client|none]',
  flags: COMMON,
  async run(ctx, args, flags) {
    const name = nameArg(ctx, args)
    return createObject(ctx, flags, 'v1', { kind: 'Namespace', metadata: { name, creationTimestamp: null }, spec: {}, status: {} })
  },
}

/** --from-literal key=value pairs, as kubectl validates them. */
function literals(list: string[], kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> {
  const data: Record<string, string> = {}
  for (const l of list) {
    const i = l.indexOf('=')
    if (i <= 0) throw new CmdError(`invalid literal source ${l}, expected key=value`)
    const key = l.slice(0, i)
    let value = l.slice(i + 1)
    if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) value = value.slice(1, -1)
    if (!/^[-._a-zA-Z0-9]+$/.test(key) || key === '.' || key === '..' || key.startsWith('..'))
      throw new CmdError(kind === 'ConfigMap' ? `${JSON.stringify(key)} is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')` : `${JSON.stringify(key)} is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`)
    if (key in data) throw new CmdError(kind === 'ConfigMap' ? `cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(name)}` : `cannot add key ${key}, another key by that name already exists`)
    data[key] = value
  }
  return data
}

function noFiles(flags: Flags) {
  for (const f of [...flags.strings('from-file'), ...flags.strings('from-env-file')]) {
    const path = f.includes('=') ? f.slice(f.indexOf('=') + 1) : f
    throw new CmdError(`error reading ${path}: open ${path}: no such file or directory`)
  }
}

const configmap: Command = {
  name: 'configmap',
  aliases: ['cm'],
  short: 'Create a config map from a local file, directory or literal value',
  usage: 'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  flags: [...COMMON, { name: 'from-literal', type: 'stringArray' }, { name: 'from-file', type: 'strings' }, { name: 'from-env-file', type: 'stringArray' }, { name: 'append-hash', type: 'bool' }],
  async run(ctx, args, flags) {
    const name = nameArg(ctx, args)
    noFiles(flags)
    const data = literals(flags.strings('from-literal'), 'ConfigMap', name)
    const obj: Obj = { kind: 'ConfigMap', metadata: meta(ctx, name) }
    if (Object.keys(data).length) obj.data = data
    return createObject(ctx, flags, 'v1', obj, (m) => `failed to create configmap: ${m}`)
  },
}

const utf8ToBase64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)))

const secretGeneric: Command = {
  name: 'generic',
  short: 'Create a secret from a local file, directory, or literal value',
  usage: 'kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  flags: [...COMMON, { name: 'from-literal', type: 'stringArray' }, { name: 'from-file', type: 'strings' }, { name: 'from-env-file', type: 'stringArray' }, { name: 'type', type: 'string' }, { name: 'append-hash', type: 'bool' }],
  async run(ctx, args, flags) {
    const name = nameArg(ctx, args)
    noFiles(flags)
    const data = literals(flags.strings('from-literal'), 'Secret', name)
    const obj: Obj = { kind: 'Secret', metadata: meta(ctx, name) }
    if (Object.keys(data).length) obj.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, utf8ToBase64(v)]))
    if (flags.string('type')) obj.type = flags.string('type')
    return createObject(ctx, flags, 'v1', obj, (m) => `failed to create secret ${m}`)
  },
}

const secret: Command = {
  name: 'secret',
  short: 'Create a secret using a specified subcommand',
  subcommands: [
    secretGeneric,
    {
      name: 'tls',
      short: 'Create a TLS secret',
      flags: [...COMMON, { name: 'cert', type: 'string' }, { name: 'key', type: 'string' }],
      async run(_ctx, _args, f) {
        // The certificate is a local file, which a browser terminal cannot read.
        throw new CmdError(`Cannot read file ${f.string('cert')}, open ${f.string('cert')}: no such file or directory`)
      },
    },
    {
      name: 'docker-registry',
      short: 'Create a secret for use with a Docker registry',
      flags: [...COMMON, { name: 'docker-server', type: 'string' }, { name: 'docker-username', type: 'string' }, { name: 'docker-password', type: 'string' }, { name: 'docker-email', type: 'string' }],
      async run(ctx, args, f) {
        const name = nameArg(ctx, args)
        required(f, 'docker-username', 'docker-password')
        const server = f.string('docker-server') || 'https://index.docker.io/v1/'
        const auth = { username: f.string('docker-username'), password: f.string('docker-password'), ...(f.string('docker-email') ? { email: f.string('docker-email') } : {}), auth: utf8ToBase64(`${f.string('docker-username')}:${f.string('docker-password')}`) }
        const obj = { kind: 'Secret', metadata: meta(ctx, name), data: { '.dockerconfigjson': utf8ToBase64(JSON.stringify({ auths: { [server]: auth } })) }, type: 'kubernetes.io/dockerconfigjson' }
        return createObject(ctx, f, 'v1', obj, (m) => `failed to create secret ${m}`)
      },
    },
  ],
}

function serviceCommand(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName', name: string, short: string): Command {
  const flags: FlagSpec[] = [...COMMON, { name: 'tcp', type: 'strings' }]
  if (type === 'ClusterIP') flags.push({ name: 'clusterip', type: 'string' })
  if (type === 'NodePort') flags.push({ name: 'node-port', type: 'int' })
  if (type === 'ExternalName') flags.push({ name: 'external-name', type: 'string' })
  return {
    name,
    short,
    flags,
    async run(ctx, args, f) {
      if (type === 'ExternalName') required(f, 'external-name')
      const svcName = nameArg(ctx, args)
      const clusterIP = type === 'ClusterIP' ? f.string('clusterip') : ''
      const tcp = f.strings('tcp')
      if (clusterIP === 'None' && type !== 'ClusterIP') throw new CmdError('ClusterIP=None can only be used with ClusterIP service type')
      if (clusterIP !== 'None' && type !== 'ExternalName' && !tcp.length) throw new CmdError('at least one tcp port specifier must be provided')
      const ports = tcp.map((spec) => {
        const [p, t] = spec.split(':') as [string, string | undefined]
        const port = Number(p)
        if (!/^\d+$/.test(p) || port < 1 || port > 65535) throw new CmdError(`invalid port number: ${JSON.stringify(p)}`)
        const target = t === undefined ? port : /^\d+$/.test(t) ? Number(t) : t
        const sp: Obj = { name: spec.replace(/:/g, '-'), protocol: 'TCP', port, targetPort: target }
        if (type === 'NodePort' && f.int('node-port')) sp.nodePort = f.int('node-port')
        return sp
      })
      const spec: Obj = { ...(ports.length ? { ports } : {}), selector: { app: svcName }, ...(clusterIP ? { clusterIP } : {}), type }
      if (type === 'ExternalName') spec.externalName = f.string('external-name')
      const obj = { kind: 'Service', metadata: meta(ctx, svcName, { labels: { app: svcName } }), spec, status: { loadBalancer: {} } }
      return createObject(ctx, f, 'v1', obj, (m) => `failed to create ${type} service: ${m}`)
    },
  }
}

const service: Command = {
  name: 'service',
  aliases: ['svc'],
  short: 'Create a service using a specified subcommand',
  subcommands: [
    serviceCommand('ClusterIP', 'clusterip', 'Create a ClusterIP service'),
    serviceCommand('ExternalName', 'externalname', 'Create an ExternalName service'),
    serviceCommand('LoadBalancer', 'loadbalancer', 'Create a LoadBalancer service'),
    serviceCommand('NodePort', 'nodeport', 'Create a NodePort service'),
  ],
}

const serviceaccount: Command = {
  name: 'serviceaccount',
  aliases: ['sa'],
  short: 'Create a service account with the specified name',
  flags: COMMON,
  async run(ctx, args, flags) {
    const name = nameArg(ctx, args)
    return createObject(ctx, flags, 'v1', { kind: 'ServiceAccount', metadata: meta(ctx, name) }, (m) => `failed to create serviceaccount: ${m}`)
  },
}

const job: Command = {
  name: 'job',
  short: 'Create a job with the specified name',
  flags: [...COMMON, { name: 'image', type: 'string' }, { name: 'from', type: 'string' }],
  async run(ctx, args, flags) {
    const name = nameArg(ctx, args, flags)
    const command = args.slice(1)
    if (!flags.string('image') && !flags.string('from')) throw new CmdError('either --image or --from must be specified')
    const container: Obj = { name, image: flags.string('image'), ...(command.length ? { command } : {}), resources: {} }
    const obj = { kind: 'Job', metadata: meta(ctx, name), spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container], restartPolicy: 'Never' } } }, status: {} }
    return createObject(ctx, flags, 'batch/v1', obj, (m) => `failed to create job: ${m}`).catch((err) => {
      throw err instanceof CmdError && /doesn't have a resource type|mapping not found/.test(err.message) ? new CmdError('failed to create job: the server could not find the requested resource') : err
    })
  },
}

export const createCommand: Command = {
  name: 'create',
  short: 'Create a resource from a file or from stdin',
  usage: 'kubectl create -f FILENAME [options]',
  flags: [...COMMON, { name: 'filename', short: 'f', type: 'stringArray' }, { name: 'recursive', short: 'R', type: 'bool' }, { name: 'selector', short: 'l', type: 'string' }, { name: 'edit', type: 'bool' }, { name: 'raw', type: 'string' }, { name: 'kustomize', short: 'k', type: 'string' }],
  subcommands: [configmap, deployment, job, namespace, secret, service, serviceaccount],
  async run(ctx, args, flags) {
    const filenames = flags.strings('filename')
    if (args.length) throw usageError(ctx.commandPath, `Unexpected args: [${args.join(' ')}]`)
    if (!filenames.length) throw usageError(ctx.commandPath, 'must specify one of -f and -k')
    const objs = await readFilenames(filenames, ctx.stdin, ctx.env.fetch ?? globalThis.fetch.bind(globalThis))
    const dry = dryRunOf(flags.string('dry-run'))
    const print = flags.string('output') ? genericPrinter(flags.string('output')) : undefined
    const errors: unknown[] = []
    let count = 0
    for (const m of objs) {
      try {
        const r = await ctx.client.resolveKind(m.object, m.source)
        let obj = structuredClone(m.object)
        const ns = r.namespaced ? obj.metadata?.namespace || ctx.namespace : undefined
        if (ns) obj.metadata = { ...obj.metadata, namespace: ns }
        if (flags.bool('save-config')) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: modifiedConfiguration(obj, false) }
        if (dry !== 'client') {
          try {
            obj = await ctx.client.json('POST', ctx.client.path(r, ns), { query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager'), fieldValidation: 'Strict' }, body: toCompactJson(obj) })
          } catch (err) {
            if (err instanceof StatusError) throw new StatusError({ ...err.status, message: `error when creating ${JSON.stringify(m.source)}: ${err.status.message}` })
            throw err
          }
        }
        count++
        ctx.out(print ? print(obj) : `${kindName(r)}/${obj.metadata.name} created${dry === 'server' ? ' (server dry run)' : dry === 'client' ? ' (dry run)' : ''}\n`)
      } catch (err) {
        errors.push(err)
      }
    }
    if (errors.length) throw new AggregateError(errors)
    if (!count) throw new CmdError('no objects passed to create')
  },
}

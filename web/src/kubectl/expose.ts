// kubectl expose (kubectl/pkg/cmd/expose): a Service for a pod, service,
// deployment or replica set, its selector, ports, protocols and labels taken
// from the object unless given; "service/web exposed".
import { dryRunOf } from './apply'
import { buildTargets, fetchObjects } from './builder'
import type { Command } from './context'
import { AggregateError, CmdError } from './errors'
import { genericPrinter } from './printers/output'
import { toCompactJson } from './printers/json'
import type { Obj } from './types'

const EXPOSABLE = ['/Pod', '/Service', '/ReplicationController', 'apps/Deployment', 'apps/ReplicaSet', 'extensions/Deployment', 'extensions/ReplicaSet']

/** MapBasedSelectorForObject. */
function selectorFor(o: Obj): Record<string, string> {
  if (o.kind === 'Pod') {
    if (!Object.keys(o.metadata.labels ?? {}).length) throw new CmdError(`couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed`)
    return o.metadata.labels
  }
  if (o.kind === 'Service') {
    if (!Object.keys(o.spec?.selector ?? {}).length) throw new CmdError(`couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set`)
    return o.spec.selector
  }
  const sel = o.spec?.selector
  if (sel?.matchExpressions?.length) throw new CmdError(`couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`)
  return sel?.matchLabels ?? {}
}

/** PortsForObject and ProtocolsForObject: port → protocols. */
function portsFor(o: Obj): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const add = (port: number, protocol = 'TCP') => out.set(String(port), [...(out.get(String(port)) ?? []), protocol])
  if (o.kind === 'Service') for (const p of o.spec?.ports ?? []) add(p.port, p.protocol)
  else {
    const spec = o.kind === 'Pod' ? o.spec : o.spec?.template?.spec
    for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) add(p.containerPort, p.protocol)
  }
  return out
}

function parseMap(s: string, what: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of s.split(',')) {
    const kv = part.split('=')
    if (kv.length !== 2 || !kv[0]) throw new CmdError(`invalid ${what}: ${s}`)
    out[kv[0]] = kv[1]!
  }
  return out
}

export const exposeCommand: Command = {
  name: 'expose',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]',
  flags: [
    { name: 'port', type: 'string' },
    { name: 'target-port', type: 'string' },
    { name: 'protocol', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'selector', type: 'string' },
    { name: 'labels', short: 'l', type: 'string' },
    { name: 'external-ip', type: 'string' },
    { name: 'load-balancer-ip', type: 'string' },
    { name: 'session-affinity', type: 'string' },
    { name: 'cluster-ip', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'overrides', type: 'string' },
    { name: 'field-manager', type: 'string', default: 'kubectl-expose' },
    { name: 'save-config', type: 'bool' },
  ],
  async run(ctx, args, flags) {
    const type = flags.string('type')
    const dry = dryRunOf(flags.string('dry-run'))
    const { targets } = await buildTargets(ctx, args, { filenames: flags.strings('filename') })
    const errors: unknown[] = []
    for (const t of targets) {
      for (const o of await fetchObjects(ctx, t)) {
        try {
          if (!EXPOSABLE.includes(`${t.r.group}/${t.r.kind}`)) throw new CmdError(`cannot expose a ${t.r.kind}${t.r.group ? `.${t.r.group}` : ''}`)
          const selector = flags.string('selector') ? parseMap(flags.string('selector'), 'selector') : selectorFor(o)
          const protocols = portsFor(o)
          let portString = flags.string('port')
          if (!portString) {
            const ports = [...protocols.keys()]
            if (!ports.length && flags.string('cluster-ip') !== 'None') throw new CmdError("couldn't find port via --port flag or introspection")
            portString = ports.join(',')
          }
          const labels = flags.string('labels') ? parseMap(flags.string('labels'), 'labels') : o.metadata.labels
          const name = flags.string('name') || String(o.metadata.name).slice(0, 63)
          const list = portString ? portString.split(',') : []
          const ports: Obj[] = []
          list.forEach((p, i) => {
            const port = Number(p)
            if (!/^\d+$/.test(p)) throw new CmdError(`strconv.Atoi: parsing ${JSON.stringify(p)}: invalid syntax`)
            const pname = list.length > 1 ? `port-${i + 1}` : undefined
            const given = flags.string('protocol')
            const found = protocols.get(p)
            if (!given && found && found.length > 1) {
              for (const proto of found) ports.push({ name: `port-${i + 1}-${proto.toLowerCase()}`, protocol: proto, port })
              return
            }
            ports.push({ ...(pname ? { name: pname } : {}), protocol: given || found?.[0] || 'TCP', port })
          })
          const target = flags.string('target-port')
          for (const p of ports) p.targetPort = target ? (/^\d+$/.test(target) ? Number(target) : target) : p.port
          const spec: Obj = { ports, selector }
          if (flags.string('cluster-ip')) spec.clusterIP = flags.string('cluster-ip')
          if (type) spec.type = type
          if (flags.string('external-ip')) spec.externalIPs = [flags.string('external-ip')]
          if (type === 'LoadBalancer' && flags.string('load-balancer-ip')) spec.loadBalancerIP = flags.string('load-balancer-ip')
          const affinity = flags.string('session-affinity')
          if (affinity) {
            if (affinity !== 'None' && affinity !== 'ClientIP') throw new CmdError(`unknown session affinity: ${affinity}`)
            spec.sessionAffinity = affinity
          }
          let svc: Obj = { kind: 'Service', apiVersion: 'v1', metadata: { name, creationTimestamp: null, ...(labels && Object.keys(labels).length ? { labels } : {}) }, spec, status: { loadBalancer: {} } }
          if (flags.string('overrides')) svc = mergeOverride(svc, JSON.parse(flags.string('overrides')))
          if (dry !== 'client') {
            const { creationTimestamp: _c, ...metadata } = svc.metadata
            svc = await ctx.client.json('POST', `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/services`, {
              body: toCompactJson({ ...svc, metadata }),
              query: { dryRun: dry === 'server' ? 'All' : undefined, fieldManager: flags.string('field-manager') },
            })
          } else if (ctx.explicitNamespace) svc.metadata.namespace = ctx.namespace
          const output = flags.string('output')
          ctx.out(output ? genericPrinter(output)!(svc) : `service/${svc.metadata.name} exposed${dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : ''}\n`)
        } catch (err) {
          errors.push(err)
        }
      }
    }
    if (errors.length) throw new AggregateError(errors)
  },
}

/** --overrides: a JSON merge of the given object into the generated one. */
function mergeOverride(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base }
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) out[k] = mergeOverride(out[k], v)
    else out[k] = v
  }
  return out
}

// kubectl top, as a resource view: this cluster has no metrics-server, so real
// kubectl says "error: Metrics API not available". The browser terminal shows
// instead what the scheduler reasons about, requests against allocatable, in
// kubectl top's layout, with the columns and a notice saying so.
import type { Command, Ctx } from './context'
import { CmdError } from './errors'
import { GET_TABWRITER, tabify } from './printers/tabwriter'
import type { Obj } from './types'
import { add, milliValue, tryQuantity, value, zero } from './util/quantity'
import { get, podRequestsAndLimits } from './util/resources'

export const TOP_NOTICE = 'note: this cluster has no metrics-server (real kubectl says "error: Metrics API not available"); showing resource requests, not usage\n'

const cpu = (m: number) => `${m}m`
const mem = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))}Mi`

async function listAll(ctx: Ctx, path: string, query: Record<string, string | undefined>): Promise<Obj[]> {
  const items: Obj[] = []
  let cont: string | undefined
  do {
    const list = await ctx.client.get(path, { ...query, limit: 500, continue: cont })
    items.push(...(list.items ?? []))
    cont = list.metadata?.continue || undefined
  } while (cont)
  return items
}

const running = (p: Obj) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && p.spec?.nodeName

const nodes: Command = {
  name: 'node',
  aliases: ['nodes', 'no'],
  short: 'Display resource (CPU/memory) usage of nodes',
  flags: [
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'sort-by', type: 'string' },
    { name: 'no-headers', type: 'bool' },
    { name: 'show-capacity', type: 'bool' },
    { name: 'use-protocol-buffers', type: 'bool', default: true },
  ],
  async run(ctx, args, flags) {
    const sortBy = flags.string('sort-by')
    if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory') throw new CmdError('--sort-by accepts only cpu or memory')
    let list: Obj[]
    if (args.length) list = [await ctx.client.get(`/api/v1/nodes/${encodeURIComponent(args[0]!)}`)]
    else list = await listAll(ctx, '/api/v1/nodes', { labelSelector: flags.string('selector') || undefined })
    const pods = (await listAll(ctx, '/api/v1/pods', {})).filter(running)
    const rows = list.map((n) => {
      const avail = flags.bool('show-capacity') ? n.status?.capacity : n.status?.allocatable ?? n.status?.capacity
      let c = zero()
      let m = zero()
      for (const p of pods.filter((p) => p.spec.nodeName === n.metadata.name)) {
        const { requests } = podRequestsAndLimits(p)
        c = add(c, get(requests, 'cpu'))
        m = add(m, get(requests, 'memory'))
      }
      const ac = milliValue(tryQuantity(avail?.cpu) ?? zero())
      const am = value(tryQuantity(avail?.memory) ?? zero())
      return { name: n.metadata.name, cpu: milliValue(c), mem: value(m), cpuPct: ac ? Math.trunc((milliValue(c) * 100) / ac) : 0, memPct: am ? Math.trunc((value(m) * 100) / am) : 0 }
    })
    if (sortBy === 'cpu') rows.sort((a, b) => b.cpu - a.cpu)
    if (sortBy === 'memory') rows.sort((a, b) => b.mem - a.mem)
    ctx.err(TOP_NOTICE)
    let text = flags.bool('no-headers') ? '' : 'NAME\tCPU(requests)\tCPU(%)\tMEMORY(requests)\tMEMORY(%)\n'
    for (const r of rows) text += `${r.name}\t${cpu(r.cpu)}\t${r.cpuPct}%\t${mem(r.mem)}\t${r.memPct}%\n`
    ctx.out(tabify(text, GET_TABWRITER))
  },
}

const pods: Command = {
  name: 'pod',
  aliases: ['pods', 'po'],
  short: 'Display resource (CPU/memory) usage of pods',
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'field-selector', type: 'string' },
    { name: 'containers', type: 'bool' },
    { name: 'sort-by', type: 'string' },
    { name: 'no-headers', type: 'bool' },
    { name: 'sum', type: 'bool' },
    { name: 'use-protocol-buffers', type: 'bool', default: true },
  ],
  async run(ctx, args, flags) {
    const all = flags.bool('all-namespaces')
    const base = all ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods`
    let list: Obj[]
    if (args.length) list = [await ctx.client.get(`/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods/${encodeURIComponent(args[0]!)}`)]
    else list = await listAll(ctx, base, { labelSelector: flags.string('selector') || undefined, fieldSelector: flags.string('field-selector') || undefined })
    list = list.filter(running)
    if (!list.length) {
      ctx.err(all ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`)
      return
    }
    const rows: { ns: string; pod: string; container?: string; cpu: number; mem: number }[] = []
    for (const p of list) {
      if (flags.bool('containers'))
        for (const c of p.spec?.containers ?? [])
          rows.push({ ns: p.metadata.namespace, pod: p.metadata.name, container: c.name, cpu: milliValue(tryQuantity(c.resources?.requests?.cpu) ?? zero()), mem: value(tryQuantity(c.resources?.requests?.memory) ?? zero()) })
      else {
        const { requests } = podRequestsAndLimits(p)
        rows.push({ ns: p.metadata.namespace, pod: p.metadata.name, cpu: milliValue(get(requests, 'cpu')), mem: value(get(requests, 'memory')) })
      }
    }
    const sortBy = flags.string('sort-by')
    if (sortBy === 'cpu') rows.sort((a, b) => b.cpu - a.cpu)
    else if (sortBy === 'memory') rows.sort((a, b) => b.mem - a.mem)
    else if (sortBy) throw new CmdError('--sort-by accepts only cpu or memory')
    ctx.err(TOP_NOTICE)
    let text = ''
    if (!flags.bool('no-headers')) text += `${all ? 'NAMESPACE\t' : ''}${flags.bool('containers') ? 'POD\tNAME' : 'NAME'}\tCPU(requests)\tMEMORY(requests)\n`
    for (const r of rows) text += `${all ? `${r.ns}\t` : ''}${r.pod}${r.container !== undefined ? `\t${r.container}` : ''}\t${cpu(r.cpu)}\t${mem(r.mem)}\n`
    if (flags.bool('sum')) {
      const c = rows.reduce((s, r) => s + r.cpu, 0)
      const m = rows.reduce((s, r) => s + r.mem, 0)
      text += `${all ? '\t' : ''}${flags.bool('containers') ? '\t' : ''}\t________\t________\n${all ? '\t' : ''}${flags.bool('containers') ? '\t' : ''}\t${cpu(c)}\t${mem(m)}\n`
    }
    ctx.out(tabify(text, GET_TABWRITER))
  },
}

export const topCommand: Command = {
  name: 'top',
  short: 'Display resource (CPU/memory) usage',
  usage: 'kubectl top [flags] [options]',
  subcommands: [nodes, pods],
}

// `curl` and `nslookup` in the terminal: not kubectl commands, but what one
// would type in a pod to try a Service. Each is one create of the simulation's
// TrafficRun or DNSLookup (sim.wheelhouse.dev), so RBAC governs them like any
// write; the answer comes back in the created object's status.
import type { KubectlEnv, KubectlIO, Obj } from './kubectl/types'

const GROUP_PATH = '/apis/sim.wheelhouse.dev/v1alpha1/namespaces'

export const NET_COMMANDS = ['curl', 'nslookup']

const USAGE = {
  curl: 'usage: curl [-n REQUESTS] [--from POD | --from-node NODE] [-X METHOD] URL\n  (outside the cluster unless --from is given; -n sends several and prints a summary)\n',
  nslookup: 'usage: nslookup [--from POD] [-type=A|SRV|CNAME|PTR] NAME\n',
}

interface Parsed {
  args: string[]
  flags: Record<string, string>
}

function parse(words: string[]): Parsed | string {
  const out: Parsed = { args: [], flags: {} }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    const eq = /^(-{1,2}[A-Za-z-]+)=(.*)$/.exec(w)
    if (eq) out.flags[eq[1]!] = eq[2]!
    else if (w.startsWith('-') && w !== '-') {
      const v = words[++i]
      if (v === undefined) return `flag needs an argument: ${w}`
      out.flags[w] = v
    } else out.args.push(w)
  }
  return out
}

async function create(env: KubectlEnv, resource: string, kind: string, spec: Obj): Promise<{ ok: boolean; body: Obj }> {
  const r = await (env.fetch ?? fetch)(`${env.baseUrl}${GROUP_PATH}/${encodeURIComponent(env.namespace)}/${resource}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.token}`, 'content-type': 'application/json', ...(env.headers ?? {}) },
    body: JSON.stringify({ apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind, metadata: { generateName: `${resource.slice(0, -1)}-` }, spec }),
  })
  return { ok: r.ok, body: (await r.json()) as Obj }
}

/** Runs `curl …` or `nslookup …`; resolves to the exit code (curl's 6, 7, 28 as curl exits). */
export async function runNetCommand(words: string[], env: KubectlEnv, io: KubectlIO): Promise<number> {
  const [name, ...rest] = words as [keyof typeof USAGE, ...string[]]
  const p = parse(rest)
  if (typeof p === 'string' || p.args.length !== 1) {
    io.err(`${typeof p === 'string' ? `${name}: ${p}\n` : ''}${USAGE[name]}`)
    return 2
  }
  const from = p.flags['--from'] ? { pod: p.flags['--from'] } : p.flags['--from-node'] ? { node: p.flags['--from-node'] } : undefined
  if (name === 'nslookup') {
    const { ok, body } = await create(env, 'dnslookups', 'DNSLookup', { name: p.args[0], type: (p.flags['-type'] ?? p.flags['--type'] ?? 'A').toUpperCase(), ...(from ? { from } : {}) })
    if (!ok) return failed(io, body)
    io.out(body.status.output)
    return body.status.rcode === 'NOERROR' ? 0 : 1
  }
  const requests = Number(p.flags['-n'] ?? 1)
  const { ok, body } = await create(env, 'trafficruns', 'TrafficRun', {
    url: p.args[0],
    requests,
    ...(p.flags['-X'] ? { method: p.flags['-X'] } : {}),
    ...(from ? { from } : {}),
  })
  if (!ok) return failed(io, body)
  const st = body.status as Obj
  if (requests === 1 && st.response) {
    io.out(st.response.body.endsWith('\n') ? st.response.body : `${st.response.body}\n`)
    return 0
  }
  if (requests > 1) {
    io.out(`${st.answered}/${st.sent} answered, ${st.refused} refused, ${st.timedOut} timed out${st.via ? ` (via ${st.via}${st.service ? ` to ${st.service}` : ''})` : ''}\n`)
    for (const e of st.endpoints ?? []) io.out(`  ${String(e.requests).padStart(6)}  ${e.pod} (${e.ip}:${e.port} on ${e.node})\n`)
  }
  if (st.error) {
    io.err(`${st.error}\n`)
    return Number(/^curl: \((\d+)\)/.exec(st.error)?.[1] ?? 1)
  }
  return 0
}

function failed(io: KubectlIO, status: Obj): number {
  io.err(`Error from server (${status.reason ?? 'Unknown'}): ${status.message ?? 'unknown error'}\n`)
  return 1
}

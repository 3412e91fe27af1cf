// nodes/{name}/proxy/{path}: the API server reaches a node, as upstream
// proxies to the kubelet's port 10250. Our nodes answer what their kube-proxy
// programs: /iptables-save (text; ?counters=true adds -c's packet and byte
// counts) and /kube-proxy/rules (JSON: the tables as a model and a per-service
// view), plus the kubelet's /healthz. A node that cannot be reached gives
// upstream's proxy error; a path the node does not serve, its mux's 404.
import { KUBELET_ANNOTATION, type ProxyRulesReply } from '../../resources/node-rpc'
import { type ApiContext, queryFlag } from '../context'
import { ApiError } from '../errors'
import { status, type StatusReason } from '../status'

export interface NodeProxies {
  proxyRules(node: string, opts: { counters?: boolean }): Promise<ProxyRulesReply>
}

const KUBELET_PORT = 10250
const text = (body: string, code = 200) =>
  new Response(body, { status: code, headers: { 'content-type': 'text/plain; charset=utf-8' } })

/** "name", "name:port" or "scheme:name:port", as upstream's node proxy accepts. */
export function splitNodeName(id: string): { name: string; port?: number } {
  const parts = id.split(':')
  if (parts.length === 3) return { name: parts[1]!, port: Number(parts[2]) }
  if (parts.length === 2 && /^\d+$/.test(parts[1]!))
    return { name: parts[0]!, port: Number(parts[1]) }
  if (parts.length === 2) return { name: parts[1]! }
  return { name: id }
}

export async function nodeProxy(ctx: ApiContext, nodes: NodeProxies): Promise<Response> {
  const { name, port = KUBELET_PORT } = splitNodeName(ctx.info.name!)
  const node = ctx.objects.mustGet(ctx.kind, undefined, name)
  const ip: string =
    (node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')
      ?.address ?? name
  const unreachable = (why: string) =>
    new ApiError(
      status(
        503,
        'ServiceUnavailable',
        `error trying to reach service: dial tcp ${ip}:${port}: ${why}`,
      ),
    )
  // A hollow node has no kubelet behind its address; nothing but the kubelet listens on a node here.
  if (node.metadata.annotations?.[KUBELET_ANNOTATION] === 'none' || port !== KUBELET_PORT)
    throw unreachable('connect: connection refused')
  const parts = ctx.info.path.split('/').filter(Boolean)
  const path = parts.slice(parts.indexOf('proxy') + 1).join('/')
  const known = ['iptables-save', 'kube-proxy/rules', 'healthz']
  if (!known.includes(path)) return text('404 page not found\n', 404)
  if (ctx.info.verb !== 'get') return text('405: Method Not Allowed', 405)
  const reply = await nodes.proxyRules(name, { counters: queryFlag(ctx.url, 'counters') })
  if (!reply.ok) {
    if (reply.code === 503)
      throw new ApiError(
        status(503, 'ServiceUnavailable', `error trying to reach service: ${reply.message}`),
      )
    throw new ApiError(status(reply.code, reply.reason as StatusReason, reply.message))
  }
  if (path === 'healthz') return text('ok')
  if (path === 'iptables-save') return text(reply.iptablesSave)
  const { ok: _, iptablesSave: __, ...rules } = reply
  return new Response(JSON.stringify(rules), { headers: { 'content-type': 'application/json' } })
}

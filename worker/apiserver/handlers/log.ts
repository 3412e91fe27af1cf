// GET pods/{name}/log: the API server asks the pod's kubelet, as upstream
// proxies to the kubelet's /containerLogs; -f keeps asking for what is new.
import type { LogReply, LogRequest } from '../../resources/node-rpc'
import type { ApiContext } from '../context'
import { ApiError, badRequestError } from '../errors'
import { status, type StatusReason } from '../status'

export interface Kubelets {
  logs(node: string, req: LogRequest): Promise<LogReply>
}

/** How often a follower asks its kubelet for new lines (wall ms), and for how long at most. */
const FOLLOW_POLL_MS = 500
const FOLLOW_MAX_MS = 30 * 60_000

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name)
  if (v === null) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0)
    throw badRequestError(`${name}: Invalid value: "${v}": must be greater than or equal to 0`)
  return n
}

export async function podLogs(ctx: ApiContext, kubelets: Kubelets): Promise<Response> {
  const pod = ctx.objects.mustGet(ctx.kind, ctx.info.namespace, ctx.info.name!)
  const q = ctx.url.searchParams
  const container = q.get('container') ?? undefined
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map(
    (c: { name: string }) => c.name,
  )
  if (container && !all.includes(container))
    throw badRequestError(`container ${container} is not valid for pod ${pod.metadata.name}`)
  const node: string | undefined = pod.spec?.nodeName
  if (!node) throw badRequestError(`pod ${pod.metadata.name} does not have a host assigned`)
  const sinceTime = q.get('sinceTime')
  const req: LogRequest = {
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    container,
    previous: q.get('previous') === 'true',
    tailLines: intParam(q, 'tailLines'),
    sinceSeconds: intParam(q, 'sinceSeconds'),
    sinceTime: sinceTime ? Date.parse(sinceTime) : undefined,
    timestamps: q.get('timestamps') === 'true',
    limitBytes: intParam(q, 'limitBytes'),
  }
  const first = await kubelets.logs(node, req)
  if (!first.ok) throw new ApiError(status(first.code, first.reason as StatusReason, first.message))
  // no-transform: a compressing proxy would hold a followed stream back until it ends.
  const headers = {
    'content-type': 'text/plain',
    'cache-control': 'no-transform',
    'content-encoding': 'identity',
  }
  if (q.get('follow') !== 'true' || first.done) return new Response(first.text, { headers })
  const enc = new TextEncoder()
  let last = first.last
  let stopped = false
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(enc.encode(first.text))
      const deadline = Date.now() + FOLLOW_MAX_MS
      while (!stopped && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS))
        const next = await kubelets.logs(node, {
          ...req,
          tailLines: undefined,
          sinceSeconds: undefined,
          limitBytes: undefined,
          sinceTime: last !== undefined ? last + 1 : req.sinceTime,
        })
        if (!next.ok) break
        if (next.text) controller.enqueue(enc.encode(next.text))
        if (next.last !== undefined) last = next.last
        if (next.done) break
      }
      if (!stopped) controller.close()
    },
    cancel() {
      stopped = true
    },
  })
  return new Response(body, { headers })
}

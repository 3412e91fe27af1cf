// kubectl logs (kubectl/pkg/cmd/logs, polymorphichelpers/logsforobject.go):
// a pod, a workload's first pod (by kubectl's logging order) or pods by
// selector; container defaulting with its notice; -c, -f, -p, --tail,
// --timestamps, --since, --all-containers, --prefix; -f streams until Ctrl-C.
import type { Flags } from './args'
import type { Command, Ctx } from './context'
import { CmdError, isNotFound, usageError } from './errors'
import { selectorString } from './describe/writer'
import { parseTimeout } from './delete'
import type { Obj } from './types'

const USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command"

const ready = (p: Obj) => (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True')
const readyTime = (p: Obj) => Date.parse((p.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '') || 0
const restarts = (p: Obj) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c: Obj) => c.restartCount ?? 0))
const PHASE: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 }

/** podutils.ByLogging: the pod whose logs are most useful first. */
export function byLogging(a: Obj, b: Obj): number {
  const an = a.spec?.nodeName ?? ''
  const bn = b.spec?.nodeName ?? ''
  if (an !== bn && (!an || !bn)) return an ? -1 : 1
  const ap = PHASE[a.status?.phase] ?? 0
  const bp = PHASE[b.status?.phase] ?? 0
  if (ap !== bp) return ap - bp
  if (ready(a) !== ready(b)) return ready(a) ? -1 : 1
  if (ready(a) && ready(b) && readyTime(a) !== readyTime(b)) return readyTime(b) - readyTime(a) < 0 ? -1 : 1
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a)
  const at = Date.parse(a.metadata?.creationTimestamp ?? '') || Infinity
  const bt = Date.parse(b.metadata?.creationTimestamp ?? '') || Infinity
  return at === bt ? 0 : at < bt ? -1 : 1
}

function allContainerNames(pod: Obj): string {
  return [...(pod.spec?.containers ?? []).map((c: Obj) => c.name), ...(pod.spec?.ephemeralContainers ?? []).map((c: Obj) => `${c.name} (ephem)`), ...(pod.spec?.initContainers ?? []).map((c: Obj) => `${c.name} (init)`)].join(', ')
}

const hasContainer = (pod: Obj, name: string) => [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].some((c: Obj) => c.name === name)

/** The containers to read in a pod, with kubectl's notices on stderr. */
function containersOf(ctx: Ctx, pod: Obj, container: string, all: boolean, quiet: boolean): string[] {
  if (all) return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c: Obj) => c.name)
  let name = container
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container']
  if (!name && annotated) {
    if (hasContainer(pod, annotated)) name = annotated
    else ctx.err(`Default container name "${annotated}" not found in pod ${pod.metadata.name}\n`)
  }
  if (!name) {
    name = pod.spec?.containers?.[0]?.name ?? ''
    if (!quiet && ((pod.spec?.containers?.length ?? 0) > 1 || pod.spec?.initContainers?.length || pod.spec?.ephemeralContainers?.length)) ctx.err(`Defaulted container "${name}" out of: ${allContainerNames(pod)}\n`)
  }
  if (!hasContainer(pod, name)) throw new CmdError(`container ${name} is not valid for pod ${pod.metadata.name}`)
  return [name]
}

async function waitForPods(ctx: Ctx, ns: string, selector: string, timeoutMs: number): Promise<Obj[]> {
  const path = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`
  const list = await ctx.client.get(path, { labelSelector: selector })
  if (list.items?.length) return list.items
  for await (const ev of ctx.client.watch(path, { labelSelector: selector, resourceVersion: list.metadata?.resourceVersion, timeoutSeconds: Math.ceil(timeoutMs / 1000) }, 'application/json', ctx.signal)) {
    if (ev.type === 'ADDED') return [ev.object]
  }
  throw new CmdError('timed out waiting for the condition')
}

/** Streams one container's log to the output as it arrives (with the --prefix at each line start). */
async function stream(ctx: Ctx, pod: Obj, container: string, query: Record<string, string | undefined>, prefix: boolean): Promise<void> {
  const res = await ctx.client.request('GET', `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log`, { query: { ...query, container }, accept: '*/*' })
  const pre = prefix ? `[pod/${pod.metadata.name}/${container}] ` : ''
  let atStart = true
  const emit = (text: string) => {
    if (!pre) return ctx.out(text)
    let out = ''
    for (const ch of text) {
      if (atStart) out += pre
      out += ch
      atStart = ch === '\n'
    }
    ctx.out(out)
  }
  if (!res.body) return emit(await res.text())
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  const stop = () => void reader.cancel().catch(() => undefined)
  ctx.signal?.addEventListener('abort', stop)
  try {
    while (!ctx.signal?.aborted) {
      const chunk = await reader.read().catch((err) => {
        if (ctx.signal?.aborted) return { done: true as const, value: undefined }
        throw err
      })
      if (chunk.done) break
      emit(decoder.decode(chunk.value, { stream: true }))
    }
  } finally {
    ctx.signal?.removeEventListener('abort', stop)
  }
}

export const logsCommand: Command = {
  name: 'logs',
  short: 'Print the logs for a container in a pod',
  usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  flags: [
    { name: 'container', short: 'c', type: 'string' },
    { name: 'follow', short: 'f', type: 'bool' },
    { name: 'previous', short: 'p', type: 'bool' },
    { name: 'tail', type: 'int', default: -1 },
    { name: 'timestamps', type: 'bool' },
    { name: 'since', type: 'string' },
    { name: 'since-time', type: 'string' },
    { name: 'limit-bytes', type: 'int', default: 0 },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all-containers', type: 'bool' },
    { name: 'all-pods', type: 'bool' },
    { name: 'prefix', type: 'bool' },
    { name: 'ignore-errors', type: 'bool' },
    { name: 'max-log-requests', type: 'int', default: 5 },
    { name: 'pod-running-timeout', type: 'string', default: '20s' },
    { name: 'insecure-skip-tls-verify-backend', type: 'bool' },
  ],
  async run(ctx, args, flags) {
    const selector = flags.string('selector')
    let resource = ''
    let container = flags.string('container')
    if (args.length === 0 && !selector) throw usageError(ctx.commandPath, USAGE)
    if (args.length === 1) {
      if (selector) throw usageError(ctx.commandPath, 'only a selector (-l) or a POD name is allowed')
      resource = args[0]!
    } else if (args.length === 2) {
      resource = args[0]!
      container = args[1]!
    } else if (args.length > 2) throw usageError(ctx.commandPath, USAGE)
    const allPods = flags.bool('all-pods')
    const prefix = flags.bool('prefix') || allPods
    const query = logQuery(flags, !!selector)
    const ns = ctx.namespace
    const timeout = parseTimeout(flags.string('pod-running-timeout')) || 20_000

    let pods: Obj[]
    if (selector) {
      const list = await ctx.client.get(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { labelSelector: selector })
      pods = list.items ?? []
      if (!pods.length) ctx.err(`No resources found in ${ns} namespace.\n`)
    } else {
      const [type, name] = resource.includes('/') ? (resource.split('/') as [string, string]) : ['pods', resource]
      const r = await ctx.client.resolve(type)
      let obj: Obj
      try {
        obj = await ctx.client.get(ctx.client.path(r, ns, name))
      } catch (err) {
        if (isNotFound(err)) throw new CmdError(`error from server (NotFound): ${(err as Error).message} in namespace ${JSON.stringify(ns)}`)
        throw err
      }
      if (r.group === '' && r.kind === 'Pod') pods = [obj]
      else {
        const sel = obj.spec?.selector
        if (!sel || typeof sel !== 'object') throw new CmdError(`cannot get the logs from ${r.kind === 'Service' ? '*v1.Service' : `${r.kind}`}: selector for ${r.kind}${r.group ? `.${r.group}` : ''} not implemented`)
        const found = (await waitForPods(ctx, ns, r.kind === 'Service' ? Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') : selectorString(sel), timeout)).sort(byLogging)
        if (found.length > 1 && !allPods) ctx.err(`Found ${found.length} pods, using pod/${found[0]!.metadata.name}\n`)
        pods = allPods ? found : [found[0]!]
      }
    }
    const requests: { pod: Obj; container: string }[] = []
    for (const pod of pods) for (const c of containersOf(ctx, pod, container, flags.bool('all-containers'), allPods)) requests.push({ pod, container: c })
    if (flags.bool('follow') && requests.length > flags.int('max-log-requests'))
      throw new CmdError(`you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${flags.int('max-log-requests')}, use --max-log-requests to increase the limit`)
    const run = async (r: { pod: Obj; container: string }) => {
      try {
        await stream(ctx, r.pod, r.container, query, prefix)
      } catch (err) {
        if (!flags.bool('ignore-errors')) throw err
        ctx.out(`error: ${(err as Error).message}\n`)
      }
    }
    if (flags.bool('follow') && requests.length > 1) await Promise.all(requests.map(run))
    else for (const r of requests) await run(r)
    if (ctx.signal?.aborted) return 1
  },
}

function logQuery(flags: Flags, bySelector: boolean): Record<string, string | undefined> {
  const q: Record<string, string | undefined> = {}
  if (flags.bool('follow')) q.follow = 'true'
  if (flags.bool('previous')) q.previous = 'true'
  if (flags.bool('timestamps')) q.timestamps = 'true'
  const tail = flags.int('tail')
  if (bySelector && tail === -1 && !flags.changed('tail')) q.tailLines = '10'
  else if (tail !== -1) q.tailLines = String(tail)
  if (flags.string('since')) q.sinceSeconds = String(Math.round(parseTimeout(flags.string('since')) / 1000))
  if (flags.string('since-time')) q.sinceTime = flags.string('since-time')
  if (flags.int('limit-bytes')) q.limitBytes = String(flags.int('limit-bytes'))
  return q
}

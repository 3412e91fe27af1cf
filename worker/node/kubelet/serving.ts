// Requests reaching a pod (simulated traffic): the running container that
// listens on the port answers with its image's response and, if the image logs
// requests, the run keeps a compact record from which logs.ts renders one
// access line per request. Nothing listening: connection refused.
import type { ServeBatch, ServeResult } from '../../resources/node-rpc'
import { renderTemplate } from '../runtime/logs'
import type { PodRecord, RunRecord } from './pod-record'

/** Served batches a run keeps for its logs; older ones rotate out, as log files do. */
export const SERVED_CAP = 200

/** Whether the request was answered and whether the record changed (to be saved). */
export function serveRequests(rec: PodRecord | undefined, b: ServeBatch, now: number): { result: ServeResult; changed: boolean } {
  const total = b.clients.reduce((n, c) => n + c.count, 0)
  if (!rec || rec.podIP !== b.ip || rec.poweredOffAt !== undefined)
    return { result: { answered: 0, refused: 0, timedOut: total }, changed: false }
  const c = rec.containers.find((x) => !x.init && x.run && listening(x.run, b.port, now))
  if (!c?.run) return { result: { answered: 0, refused: total, timedOut: 0 }, changed: false }
  const run = c.run
  const http = run.plan.http
  let changed = false
  if (http?.accessLog) {
    const served = (run.served ??= [])
    for (const cl of b.clients) {
      if (cl.count <= 0) continue
      served.push({ at: now, count: cl.count, client: cl.ip, method: b.method, path: b.path, host: b.host })
    }
    if (served.length > SERVED_CAP) served.splice(0, served.length - SERVED_CAP)
    changed = true
  }
  const last = b.clients.filter((x) => x.count > 0).at(-1)
  const response = http
    ? {
        code: http.status,
        body: renderTemplate(http.body, now, { client: last?.ip ?? '', method: b.method, path: b.path, host: b.host }),
      }
    : undefined
  return { result: { answered: total, refused: 0, timedOut: 0, ...(response ? { response } : {}) }, changed }
}

/** A run that is up and has opened this port (probes and requests see the same socket). */
function listening(run: RunRecord, port: number, now: number): boolean {
  if (run.finishedAt !== undefined || run.plan.exit && now >= run.startedAt + run.plan.exit.afterMs) return false
  const r = run.plan.readiness
  return run.plan.ports.includes(port) && r !== undefined && now - run.startedAt >= r.afterMs
}

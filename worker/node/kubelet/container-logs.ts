// What `kubectl logs` asks a kubelet: the container (the only one, or the
// default-container annotation's), this run or the previous one, its lines
// regenerated from the run's plan, filtered and formatted; upstream's errors
// for what cannot be answered.
import type { LogReply, LogRequest } from '../../resources/node-rpc'
import { formatLogs, runLogs } from '../runtime/logs'
import type { PodRecord } from './pod-record'

export function containerLogs(
  rec: PodRecord | undefined,
  req: LogRequest,
  now: number,
  poweredOff: boolean,
): LogReply {
  if (!rec)
    return { ok: false, code: 404, reason: 'NotFound', message: `pods "${req.name}" not found` }
  let name = req.container
  if (!name) {
    const mains = rec.containers.filter((c) => !c.init)
    name =
      rec.pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ??
      (mains.length === 1 ? mains[0]!.name : undefined)
    if (!name)
      return {
        ok: false,
        code: 400,
        reason: 'BadRequest',
        message: `a container name must be specified for pod ${rec.name}, choose one of: [${mains.map((c) => c.name).join(' ')}]`,
      }
  }
  const c = rec.containers.find((x) => x.name === name)
  if (!c)
    return {
      ok: false,
      code: 400,
      reason: 'BadRequest',
      message: `container ${name} is not valid for pod ${rec.name}`,
    }
  const run = req.previous ? c.previous : c.run
  if (!run) {
    if (req.previous)
      return {
        ok: false,
        code: 400,
        reason: 'BadRequest',
        message: `previous terminated container "${name}" in pod "${rec.name}" not found`,
      }
    const why = c.state.waiting?.reason ?? 'ContainerCreating'
    return {
      ok: false,
      code: 400,
      reason: 'BadRequest',
      message: `container "${name}" in pod "${rec.name}" is waiting to start: ${why}`,
    }
  }
  const until = run.finishedAt ?? now
  const lines = runLogs(run.plan, run.startedAt, until, undefined, run.served)
  const text = formatLogs(lines, {
    tailLines: req.tailLines,
    sinceTime: req.sinceTime,
    sinceSeconds: req.sinceSeconds,
    timestamps: req.timestamps,
    limitBytes: req.limitBytes,
    now,
  })
  const kept = req.sinceTime !== undefined ? lines.filter((l) => l.time >= req.sinceTime!) : lines
  return {
    ok: true,
    text,
    last: kept.length ? kept[kept.length - 1]!.time : undefined,
    done: run.finishedAt !== undefined || poweredOff,
  }
}

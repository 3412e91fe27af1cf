// A container's run: what ends it (its exit, its memory limit, a probe that
// gives up on it), how it is stopped, and what happens after it exits
// (restart with CrashLoopBackOff, or done), per restartPolicy.
import { parseQuantity } from '../../resources/quantity'
import { oomAfterMs } from '../runtime/process'
import { backoffDelay, BACKOFF_RESET_MS } from './backoff'
import * as R from './events'
import type { ContainerRecord, PodRecord } from './pod-record'
import { nextStreak, probeFailure } from './probes'

type Obj = Record<string, any>

/** A failed pull, or a CrashLoopBackOff, shows its terminated/ErrImagePull state this long before the back-off state. */
export const SHOW_FAILURE_MS = 1_000

export type Emit = (
  reason: string,
  message: string,
  type: 'Normal' | 'Warning',
  time: number,
  c?: ContainerRecord,
) => void

/** Sends SIGTERM: servers exit at once; a shell or sleep as PID 1 ignores it and is killed when the grace period ends. */
export function stop(
  rec: PodRecord,
  c: ContainerRecord,
  t: number,
  why: 'delete' | 'liveness' | 'startup',
): void {
  const grace =
    why === 'delete'
      ? rec.terminating!.deadline - t
      : (rec.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000
  const graceful = (c.run?.plan.ports.length ?? 0) > 0
  c.step = 'stopping'
  c.stopReason = why
  c.ready = false
  c.at = t + Math.max(0, graceful ? Math.min(500, grace) : grace)
}

type RunningEvent = {
  at: number
  what: 'exit' | 'oom' | 'startup-ok' | 'startup-fail' | 'liveness' | 'ready' | 'unready' | 'none'
}

/** The earliest thing that happens to a running container: it exits, runs out of memory, or a probe changes its mind. */
export function nextRunningEvent(rec: PodRecord, c: ContainerRecord, spec: Obj): RunningEvent {
  const run = c.run!
  const plan = run.plan
  const s = run.startedAt
  const events: RunningEvent[] = []
  if (plan.exit) events.push({ at: s + plan.exit.afterMs, what: 'exit' })
  const limit = parseQuantity(spec.resources?.limits?.memory)
  if (limit !== undefined) {
    const oom = oomAfterMs(plan, limit / 2 ** 20)
    if (oom !== undefined) events.push({ at: s + oom, what: 'oom' })
  }
  const at = (probe: Obj, want: boolean, threshold: number) =>
    nextStreak(probe, spec, plan, want, threshold, c.probeFrom)
  if (!c.started && spec.startupProbe) {
    const ok = at(spec.startupProbe, true, spec.startupProbe.successThreshold ?? 1)
    const fail = at(spec.startupProbe, false, spec.startupProbe.failureThreshold ?? 3)
    if (ok !== undefined) events.push({ at: s + ok, what: 'startup-ok' })
    if (fail !== undefined && (ok === undefined || fail < ok))
      events.push({ at: s + fail, what: 'startup-fail' })
  }
  if (c.started && spec.livenessProbe) {
    const fail = at(spec.livenessProbe, false, spec.livenessProbe.failureThreshold ?? 3)
    if (fail !== undefined) events.push({ at: s + fail, what: 'liveness' })
  }
  if (c.started && spec.readinessProbe && !c.init) {
    const p = spec.readinessProbe
    const flip = c.ready
      ? at(p, false, p.failureThreshold ?? 3)
      : at(p, true, p.successThreshold ?? 1)
    if (flip !== undefined) events.push({ at: s + flip, what: c.ready ? 'unready' : 'ready' })
  }
  events.sort((a, b) => a.at - b.at)
  return events[0] ?? { at: Infinity, what: 'none' }
}

export function running(
  rec: PodRecord,
  c: ContainerRecord,
  spec: Obj,
  t: number,
  emit: Emit,
): void {
  const ev = nextRunningEvent(rec, c, spec)
  if (ev.at > t) {
    c.at = ev.at
    return
  }
  const run = c.run!
  const offset = t - run.startedAt
  switch (ev.what) {
    case 'exit':
      exited(rec, c, t, run.plan.exit!.code, run.plan.exit!.code === 0 ? R.Completed : R.Error)
      return
    case 'oom':
      exited(rec, c, t, 137, R.OOMKilled)
      return
    case 'startup-ok':
      c.started = true
      c.ready = !spec.readinessProbe
      c.probeFrom = offset + 1
      break
    case 'startup-fail':
      emit(
        R.Unhealthy,
        probeFailure('Startup', spec.startupProbe, spec, run.plan, offset, rec.podIP ?? ''),
        'Warning',
        t,
        c,
      )
      emit(R.Killing, `Container ${c.name} failed startup probe, will be restarted`, 'Normal', t, c)
      stop(rec, c, t, 'startup')
      return
    case 'liveness':
      emit(
        R.Unhealthy,
        probeFailure('Liveness', spec.livenessProbe, spec, run.plan, offset, rec.podIP ?? ''),
        'Warning',
        t,
        c,
      )
      emit(
        R.Killing,
        `Container ${c.name} failed liveness probe, will be restarted`,
        'Normal',
        t,
        c,
      )
      c.ready = false
      stop(rec, c, t, 'liveness')
      return
    case 'ready':
      c.ready = true
      c.probeFrom = offset + 1
      break
    case 'unready':
      emit(
        R.Unhealthy,
        probeFailure('Readiness', spec.readinessProbe, spec, run.plan, offset, rec.podIP ?? ''),
        'Warning',
        t,
        c,
      )
      c.ready = false
      c.probeFrom = offset + 1
      break
  }
  c.at = nextRunningEvent(rec, c, spec).at
}

/** The process ended: record it, then restart with back-off or stay terminated, per restartPolicy. */
export function exited(
  rec: PodRecord,
  c: ContainerRecord,
  t: number,
  exitCode: number,
  reason: string,
  message?: string,
): void {
  const run = c.run!
  run.finishedAt = t
  run.exitCode = exitCode
  run.reason = reason
  c.state = {
    terminated: {
      exitCode,
      reason,
      ...(message ? { message } : {}),
      startedAt: run.startedAt,
      finishedAt: t,
      containerID: run.containerID,
    },
  }
  c.ready = false
  c.started = false
  const policy = rec.pod.spec?.restartPolicy ?? 'Always'
  const restart =
    !rec.terminating &&
    (c.init
      ? policy !== 'Never' && exitCode !== 0
      : policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0))
  if (!restart) {
    c.step = 'done'
    return
  }
  if (t - run.startedAt >= BACKOFF_RESET_MS) c.failures = 0
  c.failures++
  c.step = 'backoff'
  c.retryAt = t + backoffDelay(c.failures)
  c.at = Math.min(t + SHOW_FAILURE_MS, c.retryAt)
}

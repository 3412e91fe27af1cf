// What interrupts a pod from outside: a graceful deletion through the API, and
// the node losing and regaining power.
import type { PodRecord } from './pod-record'
import { SANDBOX_MS } from './pod-worker'

/** A graceful deletion was asked for at t, to be done by `deadline`. */
export function terminatePod(rec: PodRecord, t: number, deadline: number): void {
  if (rec.terminating) {
    // A shorter grace period (kubectl delete --grace-period) brings the deadline forward.
    if (deadline < rec.terminating.deadline) {
      rec.terminating.deadline = deadline
      for (const c of rec.containers)
        if (c.step === 'stopping' && c.at > deadline) c.at = Math.max(t, deadline)
    }
    return
  }
  rec.terminating = { at: t, deadline }
}

/** The node lost power at t: every container dies with it, silently. */
export function powerOff(rec: PodRecord, t: number): void {
  if (rec.poweredOffAt !== undefined) return
  rec.poweredOffAt = t
  for (const c of rec.containers) {
    if (c.step !== 'running' && c.step !== 'stopping') continue
    const run = c.run!
    run.finishedAt = t
    run.exitCode = 255
    run.reason = 'Unknown'
    c.state = {
      terminated: {
        exitCode: 255,
        reason: 'Unknown',
        startedAt: run.startedAt,
        finishedAt: t,
        containerID: run.containerID,
      },
    }
    c.ready = false
    c.started = false
    c.step = 'backoff'
    c.retryAt = t
  }
}

/** Power is back at t: the kubelet starts again and brings up what should run. */
export function powerOn(rec: PodRecord, t: number): void {
  if (rec.poweredOffAt === undefined) return
  rec.poweredOffAt = undefined
  const policy = rec.pod.spec?.restartPolicy ?? 'Always'
  for (const c of rec.containers) {
    if (c.step === 'backoff' || c.step === 'pull-backoff') {
      const restart =
        c.step === 'pull-backoff' ||
        policy === 'Always' ||
        (policy === 'OnFailure' && c.run?.exitCode !== 0)
      c.step = restart ? 'pull' : 'done'
      c.at = t + SANDBOX_MS
      c.retryAt = undefined
    } else if (c.step !== 'done' && c.step !== 'blocked') c.at = Math.max(c.at, t)
  }
}

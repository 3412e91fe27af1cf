// Startup, liveness and readiness probes, computed rather than polled: a
// container's process plan says when it listens and when its readiness flips,
// so the kubelet can tell at which probe tick a probe's outcome changes and
// sleep until then, instead of waking every period for every container.
import type { ProcessPlan } from '../runtime/process'

type Obj = Record<string, any>

export type ProbeKind = 'Startup' | 'Liveness' | 'Readiness'

/** Whether the probe succeeds at `t` ms after the container started. */
export function probeSucceeds(probe: Obj, container: Obj, plan: ProcessPlan, t: number): boolean {
  if (probe.exec) return plan.readiness ? listening(plan, t) : true
  const port = probePort(probe, container)
  if (port === undefined || !plan.ports.includes(port)) return false
  return listening(plan, t)
}

function probePort(probe: Obj, container: Obj): number | undefined {
  const p = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port
  if (typeof p === 'number') return p
  if (typeof p === 'string' && /^\d+$/.test(p)) return Number(p)
  return (container.ports ?? []).find((cp: Obj) => cp.name === p)?.containerPort
}

/** Whether the app answers at t (ms since start). */
export function listening(plan: ProcessPlan, t: number): boolean {
  const r = plan.readiness
  if (!r || t < r.afterMs) return false
  if (!r.flap) return true
  const pos = (t - r.afterMs) % (r.flap.upMs + r.flap.downMs)
  return pos < r.flap.upMs
}

/** The next time after t at which `listening` may change, if ever. */
function nextChange(plan: ProcessPlan, t: number): number | undefined {
  const r = plan.readiness
  if (!r) return undefined
  if (t < r.afterMs) return r.afterMs
  if (!r.flap) return undefined
  const cycle = r.flap.upMs + r.flap.downMs
  const pos = (t - r.afterMs) % cycle
  return pos < r.flap.upMs ? t + (r.flap.upMs - pos) : t + (cycle - pos)
}

const delayMs = (probe: Obj) => (probe.initialDelaySeconds ?? 0) * 1000
const periodMs = (probe: Obj) => (probe.periodSeconds ?? 10) * 1000

/** The first probe tick at or after t (ms since start). */
function tickAtOrAfter(probe: Obj, t: number): number {
  const d = delayMs(probe)
  if (t <= d) return d
  return d + Math.ceil((t - d) / periodMs(probe)) * periodMs(probe)
}

/**
 * The probe tick (ms since start, at or after `from`) at which `threshold`
 * consecutive results equal `want`, or undefined if that never happens.
 */
export function nextStreak(
  probe: Obj,
  container: Obj,
  plan: ProcessPlan,
  want: boolean,
  threshold: number,
  from: number,
): number | undefined {
  let t = tickAtOrAfter(probe, from)
  let streak = 0
  for (let i = 0; i < 10_000; i++) {
    if (probeSucceeds(probe, container, plan, t) === want) {
      if (++streak >= threshold) return t
      t += periodMs(probe)
      continue
    }
    streak = 0
    const change = probe.exec && !plan.readiness ? undefined : nextChange(plan, t)
    if (change === undefined) return undefined
    t = tickAtOrAfter(probe, change)
  }
  return undefined
}

/** The failure message a probe reports at t, worded like the kubelet's prober. */
export function probeFailure(
  kind: ProbeKind,
  probe: Obj,
  container: Obj,
  plan: ProcessPlan,
  t: number,
  podIP: string,
): string {
  const port = probePort(probe, container) ?? probe.httpGet?.port ?? probe.tcpSocket?.port
  const refused = `dial tcp ${podIP}:${port}: connect: connection refused`
  let why: string
  if (probe.exec)
    why = `command ${JSON.stringify((probe.exec.command ?? []).join(' '))} exited with 1`
  else if (probe.httpGet) {
    const url = `${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${probe.httpGet.host ?? podIP}:${port}${probe.httpGet.path ?? '/'}`
    const up =
      plan.readiness &&
      t >= plan.readiness.afterMs &&
      typeof port === 'number' &&
      plan.ports.includes(port)
    why = up ? 'HTTP probe failed with statuscode: 503' : `Get "${url}": ${refused}`
  } else why = refused
  return `${kind} probe failed: ${why}`
}

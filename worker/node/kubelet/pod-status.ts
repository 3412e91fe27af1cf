// The PodStatus a kubelet reports, computed from its record: phase as
// upstream's getPhase decides it, the conditions with their transition times,
// and a ContainerStatus per container.
import type { ContainerRecord, PodRecord } from './pod-record'
import { specOf } from './pod-record'

type Obj = Record<string, any>

/** metav1.Time: RFC 3339, whole seconds. */
export const rfc3339 = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

function neverStarted(c: ContainerRecord): boolean {
  return !c.run && c.step !== 'running'
}

/** Pending, Running, Succeeded or Failed. */
export function podPhase(rec: PodRecord): string {
  const policy = rec.pod.spec?.restartPolicy ?? 'Always'
  const inits = rec.containers.filter((c) => c.init)
  const mains = rec.containers.filter((c) => !c.init)
  if (
    inits.some((c) => c.step === 'done' && c.state.terminated && c.state.terminated.exitCode !== 0)
  )
    return 'Failed'
  if (inits.some((c) => c.step !== 'done')) return 'Pending'
  if (mains.some(neverStarted)) return 'Pending'
  if (mains.some((c) => c.step !== 'done')) return 'Running'
  // Everything stopped for good.
  if (mains.some((c) => (c.state.terminated?.exitCode ?? 0) !== 0)) return 'Failed'
  return policy === 'Always' && !rec.terminating ? 'Running' : 'Succeeded'
}

function setCondition(
  rec: PodRecord,
  type: string,
  status: 'True' | 'False',
  at: number,
  reason?: string,
  message?: string,
): void {
  const old = rec.conditions[type]
  if (old && old.status === status && old.reason === reason && old.message === message) return
  rec.conditions[type] = { status, at: old && old.status === status ? old.at : at, reason, message }
}

/** Brings the record's conditions up to date at `now`. */
export function updateConditions(rec: PodRecord, now: number): void {
  const phase = podPhase(rec)
  const completed = phase === 'Succeeded' || phase === 'Failed'
  const sandbox =
    rec.sandboxAt !== undefined && rec.sandboxAt <= now && rec.poweredOffAt === undefined
  setCondition(
    rec,
    'PodReadyToStartContainers',
    sandbox ? 'True' : 'False',
    sandbox ? rec.sandboxAt! : now,
  )
  const notInit = rec.containers.filter((c) => c.init && c.step !== 'done').map((c) => c.name)
  if (notInit.length)
    setCondition(
      rec,
      'Initialized',
      'False',
      now,
      'ContainersNotInitialized',
      `containers with incomplete status: [${notInit.join(' ')}]`,
    )
  else setCondition(rec, 'Initialized', 'True', now)
  const unready = rec.containers.filter((c) => !c.init && !c.ready).map((c) => c.name)
  for (const type of ['ContainersReady', 'Ready']) {
    if (!unready.length) setCondition(rec, type, 'True', now)
    else if (completed) setCondition(rec, type, 'False', now, 'PodCompleted')
    else
      setCondition(
        rec,
        type,
        'False',
        now,
        'ContainersNotReady',
        `containers with unready status: [${unready.join(' ')}]`,
      )
  }
}

function apiState(state: Obj): Obj {
  if (state.running) return { running: { startedAt: rfc3339(state.running.startedAt) } }
  if (state.terminated) {
    const t = state.terminated
    return {
      terminated: {
        exitCode: t.exitCode,
        reason: t.reason,
        ...(t.message ? { message: t.message } : {}),
        startedAt: rfc3339(t.startedAt),
        finishedAt: rfc3339(t.finishedAt),
        ...(t.containerID ? { containerID: t.containerID } : {}),
      },
    }
  }
  return { waiting: { ...state.waiting } }
}

function containerStatus(rec: PodRecord, c: ContainerRecord): Obj {
  const spec = specOf(rec, c)
  const out: Obj = {
    name: c.name,
    state: apiState(c.state),
    lastState: c.lastState ? apiState(c.lastState) : {},
    ready: c.ready,
    restartCount: c.restartCount,
    image: c.image?.ref ?? spec.image,
    imageID: c.image && c.run ? c.image.imageID : '',
    started: (c.step === 'running' || c.step === 'stopping') && c.started,
  }
  if (c.run) out.containerID = c.run.containerID
  if (c.init) delete out.started
  return out
}

/** The status the kubelet reports for this pod at `now`. */
export function podStatus(rec: PodRecord, now: number, hostIP: string): Obj {
  updateConditions(rec, now)
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']
  const conditions = order
    .filter((t) => rec.conditions[t])
    .map((type) => {
      const c = rec.conditions[type]!
      return {
        type,
        status: c.status,
        lastProbeTime: null,
        lastTransitionTime: rfc3339(c.at),
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      }
    })
  const status: Obj = {
    phase: podPhase(rec),
    conditions,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    ...(rec.podIP ? { podIP: rec.podIP, podIPs: [{ ip: rec.podIP }] } : {}),
    ...(rec.startTime !== undefined ? { startTime: rfc3339(rec.startTime) } : {}),
    containerStatuses: rec.containers.filter((c) => !c.init).map((c) => containerStatus(rec, c)),
  }
  const inits = rec.containers.filter((c) => c.init)
  if (inits.length) status.initContainerStatuses = inits.map((c) => containerStatus(rec, c))
  if (rec.pod.status?.qosClass) status.qosClass = rec.pod.status.qosClass
  return status
}

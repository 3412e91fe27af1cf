// What a kubelet keeps about each pod it runs, in its own SQLite: enough to
// recover after a restart and to compute the pod's status at any moment.
import type { ProcessPlan } from '../runtime/process'
import type { ServedRecord } from '../runtime/logs'

type Obj = Record<string, any>

/** Where a container is in its life; `at` on the record says when the step is due. */
export type Step =
  /** Not its turn yet: the sandbox, or earlier init containers. */
  | 'waiting'
  | 'pull'
  | 'pulled'
  | 'pull-failed'
  | 'pull-backoff'
  | 'create'
  | 'running'
  /** Signalled to stop; exits at `at`. */
  | 'stopping'
  | 'backoff'
  /** Stuck until the pod changes (InvalidImageName, ErrImageNeverPull). */
  | 'blocked'
  | 'done'

export interface RunRecord {
  startedAt: number
  plan: ProcessPlan
  finishedAt?: number
  exitCode?: number
  reason?: string
  containerID: string
  /** Requests it answered, for its access log (serving.ts). */
  served?: ServedRecord[]
}

export interface ContainerRecord {
  name: string
  init: boolean
  step: Step
  /** Simulated ms at which the step is due. */
  at: number
  /** For backoff steps: when the next attempt happens. */
  retryAt?: number
  /** The API ContainerState shown now. */
  state: Obj
  lastState?: Obj
  restartCount: number
  /** Consecutive failed runs, for CrashLoopBackOff. */
  failures: number
  pullFailures: number
  image?: { ref: string; imageID: string; digest: string }
  run?: RunRecord
  previous?: RunRecord
  started: boolean
  ready: boolean
  /** Probe outcomes are looked for from this offset into the run. */
  probeFrom: number
  /** Why a stop was asked for, to word the exit. */
  stopReason?: 'delete' | 'liveness' | 'startup'
  /** The pull in progress: when it began, the image's size, or why it failed. */
  pull?: { startedAt: number; sizeBytes: number; message?: string }
}

export interface ConditionRecord {
  status: 'True' | 'False'
  at: number
  reason?: string
  message?: string
}

export interface PodRecord {
  uid: string
  namespace: string
  name: string
  /** The pod as last pushed by the cluster (its status is the cluster's, not ours). */
  pod: Obj
  seenAt: number
  /** When the sandbox (network, volumes) is ready; undefined while it is being set up. */
  sandboxAt?: number
  /** When the sandbox setup is next tried (after a FailedMount). */
  mountRetryAt?: number
  podIP?: string
  startTime?: number
  containers: ContainerRecord[]
  conditions: Record<string, ConditionRecord>
  terminating?: { at: number; deadline: number }
  /** Every container is gone after a deletion: the kubelet removes the pod object. */
  finished?: boolean
  /** Power was cut at this time; containers restart when it returns. */
  poweredOffAt?: number
  /** Waits for ConfigMaps or Secrets the kubelet asked the cluster for. */
  awaitingFetch?: boolean
  /** The pod's claim volumes once their claims were found bound: volume name → CSI unique name ("" if not attachable). */
  claimVolumes?: Record<string, string>
  /** Waits for the attach/detach controller to report its volumes attached to the node. */
  awaitingAttach?: boolean
  /** The last status the cluster acknowledged, and the one in flight (JSON). */
  reported?: string
  pendingHash?: string
}

export function newPodRecord(pod: Obj, now: number): PodRecord {
  const containers: ContainerRecord[] = []
  for (const [init, list] of [
    [true, pod.spec?.initContainers ?? []],
    [false, pod.spec?.containers ?? []],
  ] as const) {
    for (const c of list as Obj[])
      containers.push({
        name: c.name,
        init,
        step: 'waiting',
        at: now,
        state: {
          waiting: {
            reason:
              init || (pod.spec?.initContainers ?? []).length === 0
                ? 'ContainerCreating'
                : 'PodInitializing',
          },
        },
        restartCount: 0,
        failures: 0,
        pullFailures: 0,
        started: false,
        ready: false,
        probeFrom: 0,
      })
  }
  for (const c of containers) if (c.init) c.state = { waiting: { reason: 'PodInitializing' } }
  return {
    uid: pod.metadata.uid,
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    pod,
    seenAt: now,
    containers,
    conditions: {},
  }
}

/** The spec of a recorded container. */
export function specOf(rec: PodRecord, c: ContainerRecord): Obj {
  const list: Obj[] = (c.init ? rec.pod.spec?.initContainers : rec.pod.spec?.containers) ?? []
  return list.find((x) => x.name === c.name) ?? { name: c.name }
}

/** A stable container ID, as containerd shows it. */
export function containerID(uid: string, name: string, restart: number): string {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  const s = `${uid}/${name}/${restart}`
  let out = ''
  for (let round = 0; out.length < 64; round++) {
    for (let i = 0; i < s.length; i++) {
      h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193) >>> 0
      h2 = Math.imul(h2 ^ (s.charCodeAt(i) + round), 0x811c9dc5) >>> 0
    }
    out += h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')
  }
  return `containerd://${out.slice(0, 64)}`
}

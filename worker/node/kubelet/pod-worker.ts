// The kubelet's pod worker: advances one pod through its life on simulated
// time, step by step, each step at the moment it was due (not when the alarm
// happened to fire), so a run is the same however the node was woken. Pure:
// images, ConfigMaps and events come through `PodWorld`.
import type { KubeletEvent, ObjectRead } from '../../resources/node-rpc'
import { lookupImage, pullDurationMs } from '../../sim/registry/catalog'
import { parseImageRef } from '../../sim/registry/image-ref'
import { planProcess } from '../runtime/process'
import { backoffDelay, goDuration } from './backoff'
import {
  type ConfigLookup,
  expandVars,
  mountVolumes,
  podConfigReads,
  type PodFacts,
  resolveContainerConfig,
} from './container-config'
import * as R from './events'
import { POD_ATTACH_AND_MOUNT_TIMEOUT_MS, setUpClaimVolumes } from './pod-volumes'
import { containerID, type ContainerRecord, type PodRecord, specOf } from './pod-record'
import {
  type Emit,
  exited,
  nextRunningEvent,
  running,
  SHOW_FAILURE_MS,
  stop,
} from './container-run'

type Obj = Record<string, any>

export interface ImageCache {
  /** Whether an image with this digest is on the node. */
  has(digest: string): boolean
  add(image: { ref: string; digest: string; sizeBytes: number }): void
}

export interface PodWorld {
  nodeName: string
  hostIP: string
  allocatable: PodFacts['allocatable']
  bandwidthBytesPerSec: number
  images: ImageCache
  lookup: ConfigLookup
  /** The Node's status.volumesAttached (unique names), where claim volumes wait to appear. */
  volumesAttached?: ReadonlySet<string>
  /** The next free pod IP from the node's CIDR. */
  allocateIP(): string
  emit(e: KubeletEvent): void
}

export interface SyncResult {
  /** When the pod next needs the worker, if ever. */
  wakeAt?: number
  /** ConfigMaps and Secrets to fetch before the worker can go on. */
  fetch?: ObjectRead[]
}

export const SANDBOX_MS = 1_000
const CONFIG_RETRY_MS = 10_000

/** Advances the pod to `now`. */
export function syncPod(rec: PodRecord, now: number, world: PodWorld): SyncResult {
  const emit = (
    reason: string,
    message: string,
    type: 'Normal' | 'Warning',
    time: number,
    c?: ContainerRecord,
  ) =>
    world.emit({
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: rec.name,
        namespace: rec.namespace,
        uid: rec.uid,
        ...(c ? { fieldPath: `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}` } : {}),
      },
      reason,
      message,
      type,
      time,
    })
  const facts = (): PodFacts => ({
    nodeName: world.nodeName,
    hostIP: world.hostIP,
    podIP: rec.podIP,
    allocatable: world.allocatable,
  })
  if (rec.poweredOffAt !== undefined || rec.finished) return {}

  // The sandbox: network and volumes, before any container.
  if (rec.sandboxAt === undefined && !rec.terminating) {
    const at = Math.max(rec.seenAt, rec.mountRetryAt ?? 0)
    if (at > now) return { wakeAt: at }
    const mounted = mountVolumes(rec.pod, world.lookup, facts())
    const claims = setUpClaimVolumes(rec, world.lookup, world.volumesAttached ?? new Set())
    // Everything the pod refers to comes in one round trip, not one per missing object.
    if (mounted.ok === 'fetch' || claims.fetch)
      return { fetch: [...podConfigReads(rec.pod), ...(claims.fetch ?? [])] }
    const failed = mounted.ok === false ? mounted.message : claims.failed
    if (failed) {
      emit(R.FailedMount, failed, 'Warning', at)
      rec.mountRetryAt = at + CONFIG_RETRY_MS
      return { wakeAt: rec.mountRetryAt }
    }
    // Attaching is the attach/detach controller's: a new Node status wakes the pod (Kubelet.configure).
    if (claims.waiting) {
      rec.mountRetryAt = at + POD_ATTACH_AND_MOUNT_TIMEOUT_MS
      return { wakeAt: rec.mountRetryAt }
    }
    rec.sandboxAt = at + SANDBOX_MS
    rec.startTime ??= rec.seenAt
    rec.podIP ??= rec.pod.spec?.hostNetwork ? world.hostIP : world.allocateIP()
  }

  if (rec.terminating) beginTermination(rec, emit)

  for (let guard = 0; guard < 10_000; guard++) {
    const c = nextDue(rec, now)
    if (!c) break
    const r = step(rec, c, world, emit, facts)
    if (r) return r
  }
  if (
    rec.terminating &&
    rec.containers.every((c) => c.step === 'done' || c.step === 'waiting' || c.step === 'blocked')
  ) {
    rec.finished = true
    return {}
  }
  const pending = rec.containers
    .filter((c) => isActive(rec, c))
    .map((c) => (c.step === 'waiting' ? Math.max(c.at, rec.sandboxAt!) : c.at))
  return pending.length ? { wakeAt: Math.max(now, Math.min(...pending)) } : {}
}

/** Whether a container has a step to take (init containers run one at a time, in order). */
function isActive(rec: PodRecord, c: ContainerRecord): boolean {
  if (c.step === 'done' || c.step === 'blocked') return false
  if (c.step !== 'waiting') return true
  if (rec.terminating || rec.sandboxAt === undefined) return false
  const inits = rec.containers.filter((x) => x.init)
  const firstPending = inits.find((x) => x.step !== 'done')
  if (c.init) return firstPending === c
  if (firstPending) return false
  // An init container that failed for good (restartPolicy Never) keeps the others from starting.
  return !inits.some((x) => x.state.terminated && x.state.terminated.exitCode !== 0)
}

function nextDue(rec: PodRecord, now: number): ContainerRecord | undefined {
  let best: ContainerRecord | undefined
  for (const c of rec.containers) {
    if (!isActive(rec, c)) continue
    const at = c.step === 'waiting' ? Math.max(c.at, rec.sandboxAt!) : c.at
    if (at <= now && (!best || at < best.at)) {
      c.at = at
      best = c
    }
  }
  return best
}

function beginTermination(rec: PodRecord, emit: Emit): void {
  const t = rec.terminating!.at
  for (const c of rec.containers) {
    if (c.step === 'running') {
      emit(R.Killing, `Stopping container ${c.name}`, 'Normal', t, c)
      stop(rec, c, t, 'delete')
    } else if (c.step !== 'stopping' && c.step !== 'done') {
      c.step = 'done'
    }
  }
}

function step(
  rec: PodRecord,
  c: ContainerRecord,
  world: PodWorld,
  emit: Emit,
  facts: () => PodFacts,
): SyncResult | undefined {
  const spec = specOf(rec, c)
  const t = c.at
  const image: string = spec.image ?? ''
  switch (c.step) {
    case 'waiting':
    case 'pull': {
      // A first start shows ContainerCreating; a restart keeps showing its back-off until it runs.
      if (!c.run)
        c.state = { waiting: { reason: c.init ? R.PodInitializing : R.ContainerCreating } }
      const parsed = parseImageRef(image)
      if (!parsed.ok) {
        c.state = { waiting: { reason: R.InvalidImageName, message: parsed.message } }
        emit('InspectFailed', parsed.message, 'Warning', t, c)
        emit(R.Failed, `Error: ${R.InvalidImageName}`, 'Warning', t, c)
        c.step = 'blocked'
        return
      }
      const found = lookupImage(parsed.ref)
      const digest = found.ok ? found.image.digest : ''
      const present = found.ok && world.images.has(digest)
      const policy = spec.imagePullPolicy ?? 'IfNotPresent'
      if (policy === 'Never' && !present) {
        const msg = `Container image "${image}" is not present with pull policy of Never`
        c.state = { waiting: { reason: R.ErrImageNeverPull, message: msg } }
        emit(R.ErrImageNeverPull, msg, 'Warning', t, c)
        emit(R.Failed, `Error: ${R.ErrImageNeverPull}`, 'Warning', t, c)
        c.step = 'blocked'
        return
      }
      if (found.ok) c.image = { ref: found.image.reference, imageID: found.image.imageID, digest }
      if (present && policy !== 'Always') {
        emit(R.Pulled, `Container image "${image}" already present on machine`, 'Normal', t, c)
        c.step = 'create'
        return
      }
      emit(R.Pulling, `Pulling image "${image}"`, 'Normal', t, c)
      if (!found.ok) {
        c.step = 'pull-failed'
        c.at = t + SHOW_FAILURE_MS
        c.retryAt = undefined
        c.pull = { startedAt: t, sizeBytes: 0, message: found.message }
        return
      }
      c.step = 'pulled'
      c.at = t + (present ? 300 : pullDurationMs(found.image.sizeBytes, world.bandwidthBytesPerSec))
      c.pull = { startedAt: t, sizeBytes: found.image.sizeBytes }
      return
    }
    case 'pulled': {
      const started = c.pull?.startedAt ?? t
      const secs = `${((t - started) / 1000).toFixed(3).replace(/\.?0+$/, '')}s`
      const size = c.pull?.sizeBytes ?? 0
      emit(
        R.Pulled,
        `Successfully pulled image "${image}" in ${secs} (${secs} including waiting). Image size: ${size} bytes.`,
        'Normal',
        t,
        c,
      )
      world.images.add({ ref: c.image!.ref, digest: c.image!.digest, sizeBytes: size })
      c.pullFailures = 0
      c.step = 'create'
      return
    }
    case 'pull-failed': {
      const message = c.pull?.message ?? `failed to pull image "${image}"`
      c.pullFailures++
      emit(R.Failed, `Failed to pull image "${image}": ${message}`, 'Warning', t, c)
      emit(R.Failed, `Error: ${R.ErrImagePull}`, 'Warning', t, c)
      c.state = { waiting: { reason: R.ErrImagePull, message } }
      c.step = 'pull-backoff'
      c.retryAt = t + backoffDelay(c.pullFailures)
      // ErrImagePull stays until the next sync (half the back-off, at most 5 s), then ImagePullBackOff.
      c.at = t + Math.min(5_000, (c.retryAt - t) / 2)
      return
    }
    case 'pull-backoff': {
      if (t < c.retryAt!) {
        c.state = {
          waiting: { reason: R.ImagePullBackOff, message: `Back-off pulling image "${image}"` },
        }
        emit(R.BackOff, `Back-off pulling image "${image}"`, 'Normal', t, c)
        emit(R.Failed, `Error: ${R.ImagePullBackOff}`, 'Warning', t, c)
        c.at = c.retryAt!
        return
      }
      c.step = 'pull'
      return
    }
    case 'create':
      return create(rec, c, spec, t, world, emit, facts)
    case 'running':
      running(rec, c, spec, t, emit)
      return
    case 'stopping': {
      const code = (c.run?.plan.ports.length ?? 0) > 0 ? 0 : 137
      exited(rec, c, t, code, code === 0 ? R.Completed : R.Error)
      return
    }
    case 'backoff': {
      if (t < c.retryAt!) {
        const delay = c.retryAt! - (c.run?.finishedAt ?? t)
        const who = `${rec.name}_${rec.namespace}(${rec.uid})`
        c.state = {
          waiting: {
            reason: R.CrashLoopBackOff,
            message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${who}`,
          },
        }
        emit(
          R.BackOff,
          `Back-off restarting failed container ${c.name} in pod ${who}`,
          'Warning',
          t,
          c,
        )
        c.at = c.retryAt!
        return
      }
      c.step = 'pull'
      return
    }
  }
  return undefined
}

function create(
  rec: PodRecord,
  c: ContainerRecord,
  spec: Obj,
  t: number,
  world: PodWorld,
  emit: Emit,
  facts: () => PodFacts,
): SyncResult | undefined {
  const cfg = resolveContainerConfig(rec.pod, spec, world.lookup, facts())
  if (cfg.ok === 'fetch') return { fetch: podConfigReads(rec.pod) }
  if (cfg.ok === false) {
    c.state = { waiting: { reason: R.CreateContainerConfigError, message: cfg.message } }
    emit(R.Failed, `Error: ${cfg.message}`, 'Warning', t, c)
    c.at = t + CONFIG_RETRY_MS
    return
  }
  const found = c.image && lookupImage(parseImageRefOrThrow(spec.image))
  if (!found || !found.ok) {
    c.step = 'pull'
    return
  }
  if (c.run) {
    c.previous = c.run
    c.restartCount++
    const p = c.run
    c.lastState = {
      terminated: {
        exitCode: p.exitCode,
        reason: p.reason,
        startedAt: p.startedAt,
        finishedAt: p.finishedAt,
        containerID: p.containerID,
      },
    }
  }
  const plan = planProcess({
    behaviour: found.image.behaviour,
    command: spec.command?.map((s: string) => expandVars(s, cfg.env)),
    args: spec.args?.map((s: string) => expandVars(s, cfg.env)),
    env: cfg.env,
    files: cfg.files,
    startedAt: t,
    hostname: rec.pod.spec?.hostname ?? rec.name,
  })
  const id = containerID(rec.uid, c.name, c.restartCount)
  c.run = { startedAt: t, plan, containerID: id }
  emit(R.Created, `Created container ${c.name}`, 'Normal', t, c)
  if (plan.startError) {
    const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${plan.startError}: unknown`
    emit(R.Failed, `Error: ${message}`, 'Warning', t, c)
    exited(rec, c, t, 128, R.StartError, message)
    return
  }
  emit(R.Started, `Started container ${c.name}`, 'Normal', t, c)
  c.state = { running: { startedAt: t } }
  c.step = 'running'
  c.started = !spec.startupProbe
  c.ready = c.started && !spec.readinessProbe && !c.init
  c.probeFrom = 0
  c.at = nextRunningEvent(rec, c, spec).at
  return
}

function parseImageRefOrThrow(image: string) {
  const p = parseImageRef(image)
  if (!p.ok) throw new Error(p.message)
  return p.ref
}

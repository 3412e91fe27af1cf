// The pod worker on a stepped clock: every transition of a pod's life, with
// the exact times upstream's kubelet would take them at.
import { describe, expect, it } from 'vitest'
import type { KubeletEvent } from '../../resources/node-rpc'
import { newPodRecord, type PodRecord } from './pod-record'
import { podPhase, podStatus } from './pod-status'
import { terminatePod } from './pod-interruptions'
import { type PodWorld, syncPod } from './pod-worker'

type Obj = Record<string, any>
const T0 = Date.parse('2026-11-25T10:00:00Z')

function makeWorld(objects: Record<string, Obj> = {}) {
  const images = new Map<string, number>()
  const events: KubeletEvent[] = []
  let ip = 2
  const w: PodWorld & { events: KubeletEvent[]; objects: Record<string, Obj> } = {
    nodeName: 'worker-1',
    hostIP: '172.18.0.3',
    allocatable: { cpu: 4, memory: 16 * 2 ** 30 },
    bandwidthBytesPerSec: 50_000_000,
    images: { has: (d) => images.has(d), add: (i) => void images.set(i.digest, i.sizeBytes) },
    lookup: (res, ns, name) => w.objects[`${res}/${ns}/${name}`] ?? null,
    allocateIP: () => `10.244.1.${ip++}`,
    emit: (e) => void events.push(e),
    events,
    objects,
  }
  return w
}

function newPod(spec: Obj, name = 'p'): PodRecord {
  const pod: Obj = {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, ...spec },
    status: { qosClass: 'BestEffort' },
  }
  for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])])
    c.imagePullPolicy ??= 'IfNotPresent'
  return newPodRecord(pod, T0)
}

/** Runs the worker at every wake-up until `until` (ms after T0), as the node's alarm would. */
function runUntil(rec: PodRecord, w: PodWorld, until: number): void {
  let now = T0
  for (let i = 0; i < 100_000; i++) {
    const r = syncPod(rec, now, w)
    if (r.fetch) throw new Error('unexpected fetch')
    if (r.wakeAt === undefined || r.wakeAt > T0 + until) {
      syncPod(rec, T0 + until, w)
      return
    }
    now = Math.max(now, r.wakeAt)
  }
}

const reasons = (w: { events: KubeletEvent[] }) => w.events.map((e) => e.reason)
const at = (w: { events: KubeletEvent[] }, reason: string) =>
  w.events.filter((e) => e.reason === reason).map((e) => (e.time - T0) / 1000)

describe('pod worker', () => {
  it('takes nginx from Pending through the pull to Running, and Ready by its probe', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          readinessProbe: {
            httpGet: { path: '/', port: 80 },
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
        },
      ],
    })
    runUntil(rec, w, 500)
    expect(podPhase(rec)).toBe('Pending')
    expect(podStatus(rec, T0 + 500, w.hostIP).containerStatuses[0].state).toEqual({
      waiting: { reason: 'ContainerCreating' },
    })
    runUntil(rec, w, 30_000)
    const s = podStatus(rec, T0 + 30_000, w.hostIP)
    expect(s.phase).toBe('Running')
    expect(s.podIP).toBe('10.244.1.2')
    expect(s.containerStatuses[0]).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
      image: 'docker.io/library/nginx:1.27',
    })
    expect(s.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'True' })
    expect(reasons(w)).toEqual(['Pulling', 'Pulled', 'Created', 'Started'])
    expect(w.events[1]!.message).toMatch(
      /^Successfully pulled image "nginx:1\.27" in [\d.]+s \([\d.]+s including waiting\)\. Image size: \d+ bytes\.$/,
    )
  })

  it('says an IfNotPresent image already present is not pulled again', () => {
    const w = makeWorld()
    runUntil(newPod({ containers: [{ name: 'a', image: 'nginx:1.27' }] }, 'a'), w, 10_000)
    w.events.length = 0
    runUntil(newPod({ containers: [{ name: 'b', image: 'nginx:1.27' }] }, 'b'), w, 10_000)
    expect(w.events[0]).toMatchObject({
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present on machine',
    })
  })

  it('pulls again under imagePullPolicy Always, quickly when the digest is already on the node', () => {
    const w = makeWorld()
    runUntil(newPod({ containers: [{ name: 'a', image: 'nginx:1.27' }] }, 'a'), w, 10_000)
    w.events.length = 0
    runUntil(
      newPod({ containers: [{ name: 'b', image: 'nginx:1.27', imagePullPolicy: 'Always' }] }, 'b'),
      w,
      10_000,
    )
    expect(reasons(w).slice(0, 2)).toEqual(['Pulling', 'Pulled'])
    expect(w.events[1]!.message).toMatch(/^Successfully pulled image "nginx:1\.27" in 0\.3s/)
  })

  it('backs off a crashing container 10, 20, 40, 80, 160, 300, 300 s (CrashLoopBackOff)', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }],
    })
    runUntil(rec, w, 20 * 60_000)
    const starts = at(w, 'Started')
    const gaps = starts.slice(1).map((s, i) => Math.round(s - starts[i]!))
    expect(gaps.slice(0, 7)).toEqual([10, 20, 40, 80, 160, 300, 300])
    const s = podStatus(rec, T0 + 20 * 60_000, w.hostIP).containerStatuses[0]
    expect(s.restartCount).toBe(starts.length - 1)
    expect(s.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' })
    expect(w.events.find((e) => e.reason === 'BackOff')!.message).toBe(
      'Back-off restarting failed container c in pod p_default(uid-p)',
    )
  })

  it('shows CrashLoopBackOff with the delay in the waiting message, between restarts', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }],
    })
    runUntil(rec, w, 8_000)
    const s = podStatus(rec, T0 + 8_000, w.hostIP).containerStatuses[0]
    expect(s.state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: 'back-off 10s restarting failed container=c pod=p_default(uid-p)',
    })
  })

  it('resets the back-off after 10 minutes of running', () => {
    const long = makeWorld()
    runUntil(
      newPod({
        containers: [
          { name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 600; exit 1'] },
        ],
      }),
      long,
      45 * 60_000,
    )
    const s1 = at(long, 'Started')
    expect(s1.slice(1).map((s, i) => Math.round(s - s1[i]! - 600))).toEqual(
      s1.slice(1).map(() => 10),
    )
    const short = makeWorld()
    runUntil(
      newPod({
        containers: [
          { name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 599; exit 1'] },
        ],
      }),
      short,
      45 * 60_000,
    )
    const s2 = at(short, 'Started')
    expect(s2.slice(1, 4).map((s, i) => Math.round(s - s2[i]! - 599))).toEqual([10, 20, 40])
  })

  it('shows ErrImagePull, then ImagePullBackOff, retrying 10 s doubling', () => {
    const w = makeWorld()
    const rec = newPod({ containers: [{ name: 'c', image: 'nginx:does-not-exist' }] })
    // The sandbox takes 1 s, the failing pull another.
    runUntil(rec, w, 2_500)
    expect(podStatus(rec, T0 + 2_500, w.hostIP).containerStatuses[0].state.waiting.reason).toBe(
      'ErrImagePull',
    )
    // ErrImagePull until the next sync: half the 10 s back-off.
    runUntil(rec, w, 6_500)
    expect(podStatus(rec, T0 + 6_500, w.hostIP).containerStatuses[0].state.waiting.reason).toBe(
      'ErrImagePull',
    )
    runUntil(rec, w, 7_500)
    expect(podStatus(rec, T0 + 7_500, w.hostIP).containerStatuses[0].state.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "nginx:does-not-exist"',
    })
    runUntil(rec, w, 10 * 60_000)
    const pulls = at(w, 'Pulling')
    expect(pulls.slice(1, 5).map((p, i) => Math.round(p - pulls[i]!))).toEqual([11, 21, 41, 81])
    expect(w.events.find((e) => e.reason === 'Failed')!.message).toMatch(
      /^Failed to pull image "nginx:does-not-exist": failed to pull and unpack image "docker\.io\/library\/nginx:does-not-exist"/,
    )
  })

  it("runs busybox sh -c 'echo hello; exit 3' with restartPolicy Never to Failed/Error, exit code 3", () => {
    const w = makeWorld()
    const rec = newPod({
      restartPolicy: 'Never',
      containers: [
        { name: 'sh', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello; exit 3'] },
      ],
    })
    runUntil(rec, w, 60_000)
    const s = podStatus(rec, T0 + 60_000, w.hostIP)
    expect(s.phase).toBe('Failed')
    expect(s.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' })
    expect(rec.containers[0]!.run!.plan.lines.map((l) => l.text)).toEqual(['hello'])
  })

  it('completes a pod whose only container exits 0 under OnFailure', () => {
    const w = makeWorld()
    const rec = newPod({
      restartPolicy: 'OnFailure',
      containers: [{ name: 'sh', image: 'busybox:1.36', command: ['sh', '-c', 'echo done'] }],
    })
    runUntil(rec, w, 60_000)
    expect(podStatus(rec, T0 + 60_000, w.hostIP)).toMatchObject({
      phase: 'Succeeded',
      containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    })
  })

  it('holds a container in CreateContainerConfigError until its ConfigMap exists', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          env: [
            { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
          ],
        },
      ],
    })
    runUntil(rec, w, 30_000)
    expect(podStatus(rec, T0 + 30_000, w.hostIP).containerStatuses[0].state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'configmap "settings" not found',
    })
    w.objects['configmaps/default/settings'] = { data: { other: 'x' } }
    runUntil(rec, w, 50_000)
    expect(podStatus(rec, T0 + 50_000, w.hostIP).containerStatuses[0].state.waiting.message).toBe(
      "couldn't find key mode in ConfigMap default/settings",
    )
    w.objects['configmaps/default/settings'] = { data: { mode: 'fast' } }
    runUntil(rec, w, 70_000)
    expect(podStatus(rec, T0 + 70_000, w.hostIP).containerStatuses[0].state.running).toBeTruthy()
  })

  it('runs init containers in order before the app, with Init conditions', () => {
    const w = makeWorld()
    const rec = newPod({
      initContainers: [
        { name: 'one', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 5'] },
        { name: 'two', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 5'] },
      ],
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    })
    runUntil(rec, w, 4_000)
    let s = podStatus(rec, T0 + 4_000, w.hostIP)
    expect(s.phase).toBe('Pending')
    expect(s.initContainerStatuses.map((c: Obj) => Object.keys(c.state)[0])).toEqual([
      'running',
      'waiting',
    ])
    expect(s.containerStatuses[0].state.waiting.reason).toBe('PodInitializing')
    expect(s.conditions.find((c: Obj) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [one two]',
    })
    runUntil(rec, w, 60_000)
    s = podStatus(rec, T0 + 60_000, w.hostIP)
    expect(s.phase).toBe('Running')
    expect(s.initContainerStatuses.map((c: Obj) => c.state.terminated.reason)).toEqual([
      'Completed',
      'Completed',
    ])
    expect(at(w, 'Started').length).toBe(3)
  })

  it('restarts a container whose liveness probe fails three times, with Unhealthy and Killing events', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          livenessProbe: {
            httpGet: { path: '/', port: 8080 },
            periodSeconds: 10,
            failureThreshold: 3,
          },
        },
      ],
    })
    runUntil(rec, w, 60_000)
    expect(reasons(w)).toContain('Unhealthy')
    expect(w.events.find((e) => e.reason === 'Unhealthy')!.message).toMatch(
      /^Liveness probe failed: Get "http:\/\/10\.244\.1\.2:8080\/": dial tcp 10\.244\.1\.2:8080: connect: connection refused$/,
    )
    expect(w.events.find((e) => e.reason === 'Killing')!.message).toBe(
      'Container web failed liveness probe, will be restarted',
    )
    expect(rec.containers[0]!.restartCount).toBeGreaterThanOrEqual(1)
  })

  it('flips Ready with a flapping readiness probe', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [
        {
          name: 'web',
          image: 'wheelhouse/flaky:v1',
          readinessProbe: {
            httpGet: { path: '/', port: 8080 },
            periodSeconds: 5,
            failureThreshold: 1,
            successThreshold: 1,
          },
        },
      ],
    })
    const seen = new Set<boolean>()
    for (let t = 0; t < 5 * 60_000; t += 5_000) {
      runUntil(rec, w, t)
      if (rec.containers[0]!.step === 'running') seen.add(rec.containers[0]!.ready)
    }
    expect([...seen].sort()).toEqual([false, true])
    expect(at(w, 'Unhealthy').length).toBeGreaterThan(0)
  })

  it('kills a container past its memory limit: OOMKilled, exit 137', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [
        {
          name: 'leak',
          image: 'wheelhouse/memory-leak:v1',
          resources: { limits: { memory: '64Mi' } },
        },
      ],
    })
    runUntil(rec, w, 60_000)
    const s = podStatus(rec, T0 + 60_000, w.hostIP).containerStatuses[0]
    expect(s.restartCount + (s.state.terminated ? 1 : 0)).toBeGreaterThanOrEqual(1)
    const last = s.state.terminated ?? s.lastState.terminated
    expect(last).toMatchObject({ exitCode: 137, reason: 'OOMKilled' })
  })

  it('terminates gracefully: nginx stops at once, a sleeping shell only when the grace period ends', () => {
    const w = makeWorld()
    const rec = newPod({
      containers: [
        { name: 'web', image: 'nginx:1.27' },
        { name: 'sh', image: 'busybox:1.36', command: ['sleep', '3600'] },
      ],
    })
    runUntil(rec, w, 10_000)
    terminatePod(rec, T0 + 10_000, T0 + 40_000)
    runUntil(rec, w, 11_000)
    expect(rec.containers.map((c) => c.step)).toEqual(['done', 'stopping'])
    expect(rec.finished).toBeFalsy()
    runUntil(rec, w, 40_000)
    expect(rec.finished).toBe(true)
    expect(rec.containers[1]!.state.terminated).toMatchObject({ exitCode: 137, reason: 'Error' })
    expect(w.events.filter((e) => e.reason === 'Killing').map((e) => e.message)).toEqual([
      'Stopping container web',
      'Stopping container sh',
    ])
  })

  it('shows InvalidImageName and ErrImageNeverPull without retrying', () => {
    const w = makeWorld()
    const bad = newPod({ containers: [{ name: 'c', image: 'NGINX' }] }, 'bad')
    runUntil(bad, w, 60_000)
    expect(podStatus(bad, T0 + 60_000, w.hostIP).containerStatuses[0].state.waiting.reason).toBe(
      'InvalidImageName',
    )
    const never = newPod(
      { containers: [{ name: 'c', image: 'redis:7.2', imagePullPolicy: 'Never' }] },
      'never',
    )
    runUntil(never, w, 60_000)
    expect(podStatus(never, T0 + 60_000, w.hostIP).containerStatuses[0].state.waiting).toEqual({
      reason: 'ErrImageNeverPull',
      message: 'Container image "redis:7.2" is not present with pull policy of Never',
    })
  })

  it('holds liveness and readiness until a startup probe passes, and restarts when it never does', () => {
    const w = makeWorld()
    const patient = newPod(
      {
        containers: [
          {
            name: 'app',
            image: 'wheelhouse/slow-start:v1',
            startupProbe: {
              httpGet: { path: '/', port: 8080 },
              periodSeconds: 10,
              failureThreshold: 10,
            },
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 10 },
          },
        ],
      },
      'patient',
    )
    runUntil(patient, w, 30_000)
    expect(patient.containers[0]).toMatchObject({ started: false, ready: false, restartCount: 0 })
    runUntil(patient, w, 80_000)
    expect(patient.containers[0]).toMatchObject({ started: true, ready: true, restartCount: 0 })
    const impatient = newPod(
      {
        containers: [
          {
            name: 'app',
            image: 'wheelhouse/slow-start:v1',
            startupProbe: {
              httpGet: { path: '/', port: 8080 },
              periodSeconds: 5,
              failureThreshold: 3,
            },
          },
        ],
      },
      'impatient',
    )
    w.events.length = 0
    runUntil(impatient, w, 60_000)
    expect(w.events.find((e) => e.reason === 'Killing')!.message).toBe(
      'Container app failed startup probe, will be restarted',
    )
    expect(w.events.find((e) => e.reason === 'Unhealthy')!.message).toMatch(
      /^Startup probe failed: Get "http:\/\/10\.244\.1\.\d+:8080\/": dial tcp .* connection refused$/,
    )
    expect(impatient.containers[0]!.restartCount).toBeGreaterThanOrEqual(1)
  })

  it('restarts a failing container under OnFailure but not a succeeding one', () => {
    const w = makeWorld()
    const failing = newPod(
      {
        restartPolicy: 'OnFailure',
        containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'exit 2'] }],
      },
      'failing',
    )
    runUntil(failing, w, 60_000)
    const s = podStatus(failing, T0 + 60_000, w.hostIP)
    expect(s.phase).toBe('Running')
    expect(s.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(2)
    expect(s.containerStatuses[0].lastState.terminated).toMatchObject({
      exitCode: 2,
      reason: 'Error',
    })
  })
})

// kubectl logs as the kubelet answers it: which container, which run, and
// upstream's words when it cannot answer.
import { describe, expect, it } from 'vitest'
import { newPodRecord, type PodRecord } from './pod-record'
import { containerLogs } from './container-logs'

const T0 = Date.parse('2026-11-25T10:00:00Z')

function pod(containers: string[], annotations?: Record<string, string>): PodRecord {
  const rec = newPodRecord(
    {
      metadata: { name: 'web', namespace: 'default', uid: 'u', annotations },
      spec: { containers: containers.map((name) => ({ name, image: 'busybox' })) },
    },
    T0,
  )
  return rec
}

function ran(rec: PodRecord, name: string, lines: string[], finishedAt?: number): void {
  const c = rec.containers.find((x) => x.name === name)!
  c.run = {
    startedAt: T0,
    containerID: 'containerd://x',
    plan: {
      lines: lines.map((text, i) => ({ atMs: i * 1000, text })),
      memory: { baseMiB: 1 },
      ports: [],
    },
    finishedAt,
  }
}

describe('containerLogs', () => {
  it('answers for the only container, and for -c among several', () => {
    const one = pod(['app'])
    ran(one, 'app', ['hello', 'world'])
    expect(
      containerLogs(one, { namespace: 'default', name: 'web' }, T0 + 5_000, false),
    ).toMatchObject({ ok: true, text: 'hello\nworld\n', done: false })
    const two = pod(['app', 'sidecar'])
    ran(two, 'sidecar', ['side'])
    expect(
      containerLogs(
        two,
        { namespace: 'default', name: 'web', container: 'sidecar' },
        T0 + 5_000,
        false,
      ),
    ).toMatchObject({ ok: true, text: 'side\n' })
  })

  it('asks which container when there are several, unless one is the default', () => {
    const two = pod(['app', 'sidecar'])
    expect(containerLogs(two, { namespace: 'default', name: 'web' }, T0, false)).toEqual({
      ok: false,
      code: 400,
      reason: 'BadRequest',
      message: 'a container name must be specified for pod web, choose one of: [app sidecar]',
    })
    const withDefault = pod(['app', 'sidecar'], {
      'kubectl.kubernetes.io/default-container': 'app',
    })
    ran(withDefault, 'app', ['a'])
    expect(
      containerLogs(withDefault, { namespace: 'default', name: 'web' }, T0 + 1_000, false),
    ).toMatchObject({ ok: true, text: 'a\n' })
  })

  it('says what upstream says for a waiting container, a missing previous run, an unknown container or pod', () => {
    const rec = pod(['app'])
    expect(containerLogs(rec, { namespace: 'default', name: 'web' }, T0, false)).toMatchObject({
      code: 400,
      message: 'container "app" in pod "web" is waiting to start: ContainerCreating',
    })
    expect(
      containerLogs(rec, { namespace: 'default', name: 'web', previous: true }, T0, false),
    ).toMatchObject({
      code: 400,
      message: 'previous terminated container "app" in pod "web" not found',
    })
    expect(
      containerLogs(rec, { namespace: 'default', name: 'web', container: 'nope' }, T0, false),
    ).toMatchObject({ code: 400, message: 'container nope is not valid for pod web' })
    expect(
      containerLogs(undefined, { namespace: 'default', name: 'gone' }, T0, false),
    ).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "gone" not found' })
  })

  it('serves --previous from the run before, and says a finished run is done', () => {
    const rec = pod(['app'])
    ran(rec, 'app', ['first life'], T0 + 3_000)
    const c = rec.containers[0]!
    c.previous = c.run
    ran(rec, 'app', ['second life'])
    expect(
      containerLogs(rec, { namespace: 'default', name: 'web', previous: true }, T0 + 9_000, false),
    ).toMatchObject({ ok: true, text: 'first life\n', done: true })
    expect(
      containerLogs(
        rec,
        { namespace: 'default', name: 'web', tailLines: 1, timestamps: true },
        T0 + 9_000,
        false,
      ),
    ).toMatchObject({ ok: true, text: '2026-11-25T10:00:00.000000000Z second life\n' })
  })
})

// Images made for teaching failure modes, under docker.io/wheelhouse. Each is
// a small binary on busybox, so `kubectl exec … -- sh` works in it.
import type { Behaviour, ImageFamily } from './catalog'
import { at, KB } from './images-util'

const base = (binary: string) => ({
  entrypoint: [`/app/${binary}`],
  cmd: [],
  shell: 'busybox' as const,
  binaries: [binary],
})

/** Starts, says a little, and exits 1 after 5 s: a CrashLoopBackOff on demand. */
const crashloop: Behaviour = {
  ...base('crashloop'),
  kind: 'program',
  runMs: 5000,
  exitCode: 1,
  memoryMiB: 6,
  lines: [
    ...at(50, [
      '{iso} INFO starting crashloop v1',
      '{iso} INFO loading configuration from /etc/app/config.yaml',
    ]),
    ...at(1000, ['{iso} INFO connecting to database at db:5432']),
    ...at(
      5000,
      ['{iso} FATAL dial tcp: lookup db: no such host', 'panic: could not connect to database'],
      'stderr',
    ),
  ],
}

/** Grows ~10 MiB/s from 20 MiB until its limit kills it (OOMKilled); unlimited, it levels off at 1 GiB. */
const memoryLeak: Behaviour = {
  ...base('memory-leak'),
  kind: 'server',
  ports: [8080],
  readyAfterMs: 500,
  memoryMiB: 20,
  growMiBPerSec: 10,
  maxMiB: 1024,
  startup: at(100, [
    '{iso} INFO listening on :8080',
    '{iso} INFO caching every request forever (what could go wrong?)',
  ]),
  periodic: { everyMs: 5000, templates: ['{iso} INFO cache size: {mem} MiB'] },
  http: { status: 200, body: 'cached\n', accessLog: '{iso} INFO {method} {path} 200 from {client}' },
}

/** Takes 45 s to warm up before it answers probes: tune startupProbe / initialDelaySeconds. */
const slowStart: Behaviour = {
  ...base('slow-start'),
  kind: 'server',
  ports: [8080],
  readyAfterMs: 45_000,
  memoryMiB: 30,
  startup: [
    ...at(100, ['{iso} INFO warming caches, this takes about 45s']),
    ...at(15_000, ['{iso} INFO warming caches: 33%']),
    ...at(30_000, ['{iso} INFO warming caches: 66%']),
    ...at(45_000, ['{iso} INFO warm; listening on :8080']),
  ],
  periodic: { everyMs: 10_000, templates: ['{iso} INFO GET /healthz 200'] },
  http: { status: 200, body: 'warm and ready\n', accessLog: '{iso} INFO {method} {path} 200 from {client}' },
}

/** Ready for 30 s, unready for 20 s, over and over: watch endpoints come and go. */
const flaky: Behaviour = {
  ...base('flaky'),
  kind: 'server',
  ports: [8080],
  readyAfterMs: 1000,
  flap: { upMs: 30_000, downMs: 20_000 },
  memoryMiB: 12,
  startup: at(100, ['{iso} INFO listening on :8080 (upstream dependency is unreliable)']),
  periodic: { everyMs: 5000, templates: ['{iso} INFO GET /healthz {health}'] },
  http: { status: 200, body: 'ok (this time)\n', accessLog: '{iso} INFO {method} {path} 200 from {client}' },
}

const teaching = (name: string, behaviour: Behaviour): ImageFamily => ({
  registry: 'docker.io',
  repository: `wheelhouse/${name}`,
  variants: [{ tags: ['v1', 'latest'], sizeBytes: 4_800 * KB, behaviour }],
})

export const TEACHING_IMAGES: ImageFamily[] = [
  teaching('crashloop', crashloop),
  teaching('memory-leak', memoryLeak),
  teaching('slow-start', slowStart),
  teaching('flaky', flaky),
]

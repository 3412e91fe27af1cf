import { describe, expect, it } from 'vitest'
import { CATALOG, lookupImage } from '../../sim/registry/catalog'
import { parseImageRef } from '../../sim/registry/image-ref'
import { memoryAt, oomAfterMs, planProcess, readyAt, type ProcessInput } from './process'

const START = Date.parse('2026-11-25T10:00:00Z')
const behaviour = (image: string) => {
  const p = parseImageRef(image)
  const f = p.ok && lookupImage(p.ref)
  if (!f || !f.ok) throw new Error(`no image ${image}`)
  return f.image.behaviour
}
const input = (image: string, over: Partial<ProcessInput> = {}): ProcessInput => ({
  behaviour: behaviour(image),
  env: {},
  files: { '/etc/config/key': 'v\n' },
  startedAt: START,
  hostname: 'pod-1',
  ...over,
})
const plan = (image: string, over: Partial<ProcessInput> = {}) => planProcess(input(image, over))
const texts = (image: string, over: Partial<ProcessInput> = {}) =>
  plan(image, over).lines.map((l) => l.text)

describe('planProcess: command and args', () => {
  it.each([
    {
      name: "busybox sh -c 'echo hello; exit 3'",
      image: 'busybox',
      over: { command: ['sh', '-c', 'echo hello; exit 3'] },
      want: { exit: { afterMs: 0, code: 3 }, texts: ['hello'] },
    },
    {
      name: 'sleep 3600',
      image: 'busybox',
      over: { command: ['sleep', '3600'] },
      want: { exit: { afterMs: 3_600_000, code: 0 }, texts: [] },
    },
    {
      name: 'args alone replace CMD',
      image: 'busybox',
      over: { args: ['echo', 'from args'] },
      want: { exit: { afterMs: 0, code: 0 }, texts: ['from args'] },
    },
    {
      name: 'busybox default: sh exits at once',
      image: 'busybox',
      over: {},
      want: { exit: { afterMs: 0, code: 0 }, texts: [] },
    },
    {
      name: 'python default: REPL without tty exits',
      image: 'python:3.12',
      over: {},
      want: { exit: { afterMs: 50, code: 0 }, texts: [] },
    },
    {
      name: 'cat a mounted file',
      image: 'alpine',
      over: { command: ['cat', '/etc/config/key'] },
      want: { exit: { afterMs: 0, code: 0 }, texts: ['v'] },
    },
    {
      name: 'env expansion',
      image: 'busybox',
      over: { command: ['sh', '-c', 'echo "$A-$B"'], env: { A: 'x', B: 'y' } },
      want: { exit: { afterMs: 0, code: 0 }, texts: ['x-y'] },
    },
    {
      name: 'unknown command in a script',
      image: 'busybox',
      over: { command: ['sh', '-c', 'foo'] },
      want: { exit: { afterMs: 0, code: 127 }, texts: ['sh: foo: not found'] },
    },
    {
      name: 'curl without a URL',
      image: 'curlimages/curl',
      over: {},
      want: {
        exit: { afterMs: 30, code: 2 },
        texts: ["curl: try 'curl --help' or 'curl --manual' for more information"],
      },
    },
    {
      name: 'crashloop exits 1 after 5 s',
      image: 'wheelhouse/crashloop',
      over: {},
      want: {
        exit: { afterMs: 5000, code: 1 },
        texts: [
          '2026-11-25T10:00:00.050Z INFO starting crashloop v1',
          '2026-11-25T10:00:00.050Z INFO loading configuration from /etc/app/config.yaml',
          '2026-11-25T10:00:01.000Z INFO connecting to database at db:5432',
          '2026-11-25T10:00:05.000Z FATAL dial tcp: lookup db: no such host',
          'panic: could not connect to database',
        ],
      },
    },
    {
      name: 'python -c print',
      image: 'python:3.12',
      over: { command: ['python3', '-c', 'print("hi")'] },
      want: { exit: { afterMs: 60, code: 0 }, texts: ['hi'] },
    },
  ])('$name', ({ image, over, want }) => {
    const p = plan(image, over)
    expect({ exit: p.exit, texts: p.lines.map((l) => l.text) }).toEqual(want)
  })

  it.each([
    {
      name: 'unknown executable',
      image: 'busybox',
      over: { command: ['foo'] },
      want: 'exec: "foo": executable file not found in $PATH',
    },
    {
      name: 'missing absolute path',
      image: 'busybox',
      over: { command: ['/app/run'] },
      want: 'exec: "/app/run": stat /app/run: no such file or directory',
    },
    {
      name: 'no shell in a scratch image',
      image: 'traefik/whoami',
      over: { command: ['sh', '-c', 'echo hi'] },
      want: 'exec: "sh": executable file not found in $PATH',
    },
    {
      name: 'no bash in busybox',
      image: 'busybox',
      over: { command: ['bash'] },
      want: 'exec: "bash": executable file not found in $PATH',
    },
  ])('start error: $name', ({ image, over, want }) =>
    expect(plan(image, over)).toMatchObject({ startError: want, exit: { afterMs: 0, code: 128 } }),
  )

  it('runs forever for a while-true loop, with periodic output', () => {
    const p = plan('busybox', { command: ['sh', '-c', 'while true; do echo tick; sleep 5; done'] })
    expect(p).toEqual({
      lines: [],
      periodic: { startMs: 0, everyMs: 5000, templates: ['tick'] },
      memory: { baseMiB: 1 },
      ports: [],
    })
  })
})

describe('planProcess: servers', () => {
  it('nginx logs its startup, is ready after ~1 s and never exits', () => {
    const p = plan('nginx:1.27')
    expect(p.exit).toBeUndefined()
    expect(p.ports).toEqual([80])
    expect(p.readiness).toEqual({ afterMs: 1000 })
    expect(p.lines[0]!.text).toBe(
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    )
    expect(p.lines.map((l) => l.text)).toContain('2026/11/25 10:00:00 [notice] 1#1: nginx/1.27.3')
    expect(p.periodic?.templates[0]).toContain('"kube-probe/1.31"')
  })

  it.each([
    {
      name: 'nginx -g "daemon off;" still serves',
      image: 'nginx',
      over: { command: ['nginx', '-g', 'daemon off;'] },
    },
    {
      name: 'a script that execs the server',
      image: 'nginx',
      over: { command: ['sh', '-c', 'echo configuring; exec nginx -g "daemon off;"'] },
    },
    {
      name: 'redis with options through its entrypoint',
      image: 'redis',
      over: { args: ['--appendonly', 'yes'] },
    },
  ])('$name', ({ image, over }) => {
    const p = plan(image, over)
    expect(p.exit).toBeUndefined()
    expect(p.readiness).toBeDefined()
  })

  it.each([
    {
      name: 'postgres without POSTGRES_PASSWORD',
      image: 'postgres:16',
      env: {},
      want: {
        code: 1,
        text: 'Error: Database is uninitialized and superuser password is not specified.',
      },
    },
    {
      name: 'mysql without a root password option',
      image: 'mysql:8.4',
      env: {},
      want: {
        code: 1,
        text: '    You need to specify one of the following as an environment variable:',
      },
    },
  ])('$name exits with its message', ({ image, env, want }) => {
    const p = plan(image, { env })
    expect(p.exit?.code).toBe(want.code)
    expect(p.lines.map((l) => l.text)).toContain(want.text)
  })

  it('postgres with a password initialises and becomes ready', () => {
    const p = plan('postgres:16', { env: { POSTGRES_PASSWORD: 'pw' } })
    expect(p.exit).toBeUndefined()
    expect(p.readiness).toEqual({ afterMs: 3000 })
    expect(
      p.lines.some((l) =>
        l.text.endsWith('[1] LOG:  database system is ready to accept connections'),
      ),
    ).toBe(true)
  })
})

describe('memory and readiness', () => {
  const leak = plan('wheelhouse/memory-leak')
  const flaky = plan('wheelhouse/flaky')
  it.each([
    { name: 'leak starts at 20 MiB', got: memoryAt(leak, 0), want: 20 },
    { name: 'leak grows 10 MiB/s', got: memoryAt(leak, 3000), want: 50 },
    { name: 'leak levels off without a limit', got: memoryAt(leak, 3_600_000), want: 1024 },
    { name: 'leak OOM at a 64 MiB limit', got: oomAfterMs(leak, 64), want: 4401 },
    { name: 'never OOM above the plateau', got: oomAfterMs(leak, 2048), want: undefined },
    { name: 'nginx never OOM', got: oomAfterMs(plan('nginx'), 64), want: undefined },
    {
      name: 'over the limit from the start',
      got: oomAfterMs(plan('mysql', { env: { MYSQL_ROOT_PASSWORD: 'x' } }), 256),
      want: 0,
    },
    { name: 'flaky not ready before start', got: readyAt(flaky, 500), want: false },
    { name: 'flaky up', got: readyAt(flaky, 1000), want: true },
    { name: 'flaky still up at 30 s', got: readyAt(flaky, 30_999), want: true },
    { name: 'flaky down', got: readyAt(flaky, 31_000), want: false },
    { name: 'flaky up again', got: readyAt(flaky, 51_000), want: true },
    {
      name: 'slow-start not ready at 44 s',
      got: readyAt(plan('wheelhouse/slow-start'), 44_999),
      want: false,
    },
    {
      name: 'slow-start ready at 45 s',
      got: readyAt(plan('wheelhouse/slow-start'), 45_000),
      want: true,
    },
    {
      name: 'a shell never listens',
      got: readyAt(plan('busybox', { command: ['sleep', '60'] }), 10_000),
      want: false,
    },
  ])('$name', ({ got, want }) => expect(got).toBe(want))

  it('memory stays just under the limit until the OOM moment', () => {
    const at = oomAfterMs(leak, 64)!
    expect(memoryAt(leak, at - 1)).toBeLessThanOrEqual(64)
    expect(memoryAt(leak, at)).toBeGreaterThan(64)
  })
})

describe('every catalog image', () => {
  // A password for the databases; every image's default command must start.
  const env = { POSTGRES_PASSWORD: 'pw', MYSQL_ROOT_PASSWORD: 'pw' }
  it.each(CATALOG.map((i) => ({ name: i.reference, behaviour: i.behaviour })))(
    '$name starts with its default command',
    ({ behaviour }) => {
      const p = planProcess({ behaviour, env, files: {}, startedAt: START, hostname: 'x' })
      expect(p.startError).toBeUndefined()
      expect(JSON.parse(JSON.stringify(p))).toEqual(p)
    },
  )
})

// Base images, language runtimes and the small single-binary images that
// workshops use. Shell images run the simulated shell (runtime/shell.ts); a
// runtime's REPL with no tty reads EOF on stdin and exits 0, as in Kubernetes.
import type { Behaviour, HttpBehaviour, ImageFamily } from './catalog'
import { at, KB, MB } from './images-util'

const shellImage = (cmd: string[], shell: 'busybox' | 'bash'): Behaviour => ({
  kind: 'shell',
  entrypoint: [],
  cmd,
  shell,
  binaries: [],
  memoryMiB: 1,
})

/** A language runtime whose REPL exits at once without a tty. */
const runtime = (
  entrypoint: string[],
  cmd: string[],
  binaries: string[],
  alpine: boolean,
  memoryMiB: number,
): Behaviour => ({
  kind: 'program',
  entrypoint,
  cmd,
  shell: alpine ? 'busybox' : 'bash',
  binaries,
  ...(entrypoint.length ? { wrapper: entrypoint[0]! } : {}),
  runMs: 50,
  exitCode: 0,
  memoryMiB,
  lines: [],
})

const python = (minor: string, alpine = false) =>
  runtime([], ['python3'], ['python3', 'python', `python${minor}`], alpine, 9)
const node = (alpine = false) =>
  runtime(['docker-entrypoint.sh'], ['node'], ['node', 'nodejs'], alpine, 40)

/** A Go binary in a scratch image: a server with no shell to exec into. */
const goServer = (binary: string, port: number, startup: string, http: HttpBehaviour, memoryMiB = 5): Behaviour => ({
  kind: 'server',
  entrypoint: [`/${binary}`],
  cmd: [],
  shell: 'none',
  binaries: [binary],
  ports: [port],
  readyAfterMs: 300,
  memoryMiB,
  startup: at(100, [startup], 'stderr'),
  http,
})

/** The pause container: sleeps until killed and listens on nothing. */
const PAUSE: Behaviour = {
  kind: 'server',
  entrypoint: ['/pause'],
  cmd: [],
  shell: 'none',
  binaries: ['pause'],
  ports: [],
  readyAfterMs: 0,
  memoryMiB: 1,
  startup: [],
}

const HELLO = [
  '',
  'Hello from Docker!',
  'This message shows that your installation appears to be working correctly.',
  '',
  'To generate this message, Docker took the following steps:',
  ' 1. The Docker client contacted the Docker daemon.',
  ' 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.',
  '    (amd64)',
  ' 3. The Docker daemon created a new container from that image which runs the',
  '    executable that produces the output you are currently reading.',
  ' 4. The Docker daemon streamed that output to the Docker client, which sent it',
  '    to your terminal.',
  '',
  'To try something more ambitious, you can run an Ubuntu container with:',
  ' $ docker run -it ubuntu bash',
  '',
  'Share images, automate workflows, and more with a free Docker ID:',
  ' https://hub.docker.com/',
  '',
  'For more examples and ideas, visit:',
  ' https://docs.docker.com/get-started/',
  '',
]

const hub = (repository: string, variants: ImageFamily['variants']): ImageFamily => ({
  registry: 'docker.io',
  repository,
  variants,
})

export const TOOL_IMAGES: ImageFamily[] = [
  hub('library/busybox', [
    {
      tags: ['1.37', 'latest', 'stable', '1.37.0'],
      sizeBytes: 2_200 * KB,
      behaviour: shellImage(['sh'], 'busybox'),
    },
    { tags: ['1.36', '1.36.1'], sizeBytes: 2_150 * KB, behaviour: shellImage(['sh'], 'busybox') },
  ]),
  hub('library/alpine', [
    {
      tags: ['3.21', 'latest', '3', '3.21.0'],
      sizeBytes: 3_640 * KB,
      behaviour: shellImage(['/bin/sh'], 'busybox'),
    },
    {
      tags: ['3.20', '3.20.3'],
      sizeBytes: 3_620 * KB,
      behaviour: shellImage(['/bin/sh'], 'busybox'),
    },
    {
      tags: ['3.19', '3.19.4'],
      sizeBytes: 3_420 * KB,
      behaviour: shellImage(['/bin/sh'], 'busybox'),
    },
  ]),
  hub('library/ubuntu', [
    {
      tags: ['24.04', 'latest', 'noble'],
      sizeBytes: 29_700 * KB,
      behaviour: shellImage(['/bin/bash'], 'bash'),
    },
    {
      tags: ['22.04', 'jammy'],
      sizeBytes: 29_500 * KB,
      behaviour: shellImage(['/bin/bash'], 'bash'),
    },
  ]),
  hub('library/python', [
    { tags: ['3.13', 'latest', '3', '3.13.1'], sizeBytes: 412 * MB, behaviour: python('3.13') },
    { tags: ['3.12', '3.12.8'], sizeBytes: 405 * MB, behaviour: python('3.12') },
    { tags: ['3.11', '3.11.11'], sizeBytes: 395 * MB, behaviour: python('3.11') },
    { tags: ['3.12-slim', '3.12-slim-bookworm'], sizeBytes: 49 * MB, behaviour: python('3.12') },
    { tags: ['3.12-alpine'], sizeBytes: 18 * MB, behaviour: python('3.12', true) },
  ]),
  hub('library/node', [
    { tags: ['22', 'latest', 'lts', '22.12.0'], sizeBytes: 410 * MB, behaviour: node() },
    { tags: ['20', '20.18.1'], sizeBytes: 398 * MB, behaviour: node() },
    { tags: ['22-alpine', 'lts-alpine', 'alpine'], sizeBytes: 56 * MB, behaviour: node(true) },
  ]),
  hub('library/hello-world', [
    {
      tags: ['latest', 'linux'],
      sizeBytes: 2_500,
      behaviour: {
        kind: 'program',
        entrypoint: [],
        cmd: ['/hello'],
        shell: 'none',
        binaries: ['hello'],
        runMs: 20,
        exitCode: 0,
        memoryMiB: 1,
        lines: at(10, HELLO),
      },
    },
  ]),
  hub('curlimages/curl', [
    {
      tags: ['8.11.0', 'latest'],
      sizeBytes: 10_500 * KB,
      behaviour: {
        kind: 'program',
        entrypoint: ['/entrypoint.sh'],
        cmd: ['curl'],
        shell: 'busybox',
        binaries: ['curl'],
        wrapper: '/entrypoint.sh',
        runMs: 30,
        exitCode: 2,
        memoryMiB: 3,
        lines: at(
          20,
          ["curl: try 'curl --help' or 'curl --manual' for more information"],
          'stderr',
        ),
        // The simulation has no network to fetch from; a request succeeds quietly.
        withArgs: { runMs: 200, exitCode: 0, lines: [] },
      },
    },
  ]),
  hub('traefik/whoami', [
    {
      tags: ['v1.10', 'latest', 'v1.10.3'],
      sizeBytes: 3_100 * KB,
      behaviour: goServer('whoami', 80, '{nginx} Starting up on port 80', {
        status: 200,
        body: 'Hostname: {hostname}\nIP: 127.0.0.1\nIP: {ip}\nRemoteAddr: {client}\n{method} {path} HTTP/1.1\nHost: {host}\nUser-Agent: curl/8.11.0\nAccept: */*\n\n',
      }),
    },
  ]),
  hub('hashicorp/http-echo', [
    {
      tags: ['1.0', 'latest', '1.0.0'],
      sizeBytes: 3_500 * KB,
      behaviour: goServer('http-echo', 5678, '{nginx} [INFO] server is listening on :5678', {
        status: 200,
        body: 'hello-world\n',
        accessLog: '{nginx} {host} {client} "{method} {path} HTTP/1.1" 200 12 "curl/8.11.0" 12.5µs',
      }),
    },
    {
      tags: ['0.2.3'],
      sizeBytes: 2_600 * KB,
      behaviour: goServer('http-echo', 5678, '{nginx} Server is listening on :5678', {
        status: 200,
        body: 'hello-world\n',
        accessLog: '{nginx} {host} {client} "{method} {path} HTTP/1.1" 200 12 "curl/8.11.0" 12.5µs',
      }),
    },
  ]),
  {
    registry: 'gcr.io',
    repository: 'google-samples/hello-app',
    variants: [
      {
        tags: ['1.0'],
        sizeBytes: 11_300 * KB,
        behaviour: goServer('hello-app', 8080, '{nginx} Server listening on port 8080', {
          status: 200,
          body: 'Hello, world!\nVersion: 1.0.0\nHostname: {hostname}\n',
          accessLog: '{nginx} Serving request: {path}',
        }),
      },
      {
        tags: ['2.0'],
        sizeBytes: 11_300 * KB,
        behaviour: goServer('hello-app', 8080, '{nginx} Server listening on port 8080', {
          status: 200,
          body: 'Hello, world!\nVersion: 2.0.0\nHostname: {hostname}\n',
          accessLog: '{nginx} Serving request: {path}',
        }),
      },
    ],
  },
  {
    registry: 'registry.k8s.io',
    repository: 'pause',
    variants: [
      { tags: ['3.10'], sizeBytes: 320 * KB, behaviour: PAUSE },
      { tags: ['3.9'], sizeBytes: 322 * KB, behaviour: PAUSE },
    ],
  },
]

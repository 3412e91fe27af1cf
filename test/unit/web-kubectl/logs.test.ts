// kubectl logs: container defaulting, workloads' first pod, selectors, -p,
// --tail, --prefix, --all-containers and -f streaming, as real kubectl 1.32
// printed them for the same answers.
import { describe, expect, it } from 'vitest'
import { richCluster } from './fixtures'
import { type Golden, run } from './run'

const GOLDEN: Golden[] = [
  { line: "logs web-7d4b9c8f6-abcde", code: 0, out: `/docker-entrypoint.sh: Configuration complete; ready for start up
10.244.0.1 - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"
10.244.0.1 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
`, err: `` },
  { line: "logs deploy/web", code: 0, out: `/docker-entrypoint.sh: Configuration complete; ready for start up
10.244.0.1 - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"
10.244.0.1 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
`, err: `Found 2 pods, using pod/web-7d4b9c8f6-abcde
` },
  { line: "logs deploy/web --tail=1", code: 0, out: `10.244.0.1 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
`, err: `Found 2 pods, using pod/web-7d4b9c8f6-abcde
` },
  { line: "logs -l app=web", code: 0, out: `/docker-entrypoint.sh: Configuration complete; ready for start up
10.244.0.1 - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"
10.244.0.1 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
/docker-entrypoint.sh: Configuration complete; ready for start up
10.244.0.9 - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"
10.244.0.9 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
`, err: `` },
  { line: "logs -l app=web --prefix", code: 0, out: `[pod/web-7d4b9c8f6-abcde/nginx] /docker-entrypoint.sh: Configuration complete; ready for start up
[pod/web-7d4b9c8f6-abcde/nginx] 10.244.0.1 - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"
[pod/web-7d4b9c8f6-abcde/nginx] 10.244.0.1 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
[pod/web-7d4b9c8f6-fghij/nginx] /docker-entrypoint.sh: Configuration complete; ready for start up
[pod/web-7d4b9c8f6-fghij/nginx] 10.244.0.9 - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"
[pod/web-7d4b9c8f6-fghij/nginx] 10.244.0.9 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
`, err: `` },
  { line: "logs crash", code: 0, out: `starting
`, err: `Defaulted container "app" out of: app, setup (init)
` },
  { line: "logs crash -c app -p", code: 0, out: `starting
error: cannot open /work/ready
`, err: `` },
  { line: "logs crash -c setup", code: 0, out: `
`, err: `` },
  { line: "logs crash --all-containers", code: 0, out: `
starting
`, err: `` },
  { line: "logs crash -c nope", code: 1, out: ``, err: `error: container nope is not valid for pod crash
` },
  { line: "logs nope", code: 1, out: ``, err: `error: error from server (NotFound): pods "nope" not found in namespace "default"
` },
  { line: "logs", code: 1, out: ``, err: `error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.
POD or TYPE/NAME is a required argument for the logs command
See 'kubectl logs -h' for help and examples
` },
  { line: "logs crash setup", code: 0, out: `
`, err: `` },
  { line: "logs svc/web", code: 0, out: `/docker-entrypoint.sh: Configuration complete; ready for start up
10.244.0.1 - - [01/Mar/2026:11:55:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"
10.244.0.1 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
`, err: `Found 2 pods, using pod/web-7d4b9c8f6-abcde
` },
  { line: "logs web-7d4b9c8f6-abcde -p", code: 1, out: ``, err: `Error from server (BadRequest): previous terminated container "nginx" in pod "web-7d4b9c8f6-abcde" not found
` },
  { line: "logs -l app=web web", code: 1, out: ``, err: `error: only a selector (-l) or a POD name is allowed
See 'kubectl logs -h' for help and examples
` },
  { line: "logs deploy/web --all-pods --tail=1", code: 0, out: `[pod/web-7d4b9c8f6-abcde/nginx] 10.244.0.1 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
[pod/web-7d4b9c8f6-fghij/nginx] 10.244.0.9 - - [01/Mar/2026:11:56:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"
`, err: `` },
]

describe('kubectl logs', () => {
  it.each(GOLDEN)('$line', async (g) => {
    const r = await run(g.line, richCluster())
    expect({ out: r.out, err: r.err, code: r.code }).toEqual({ out: g.out, err: g.err, code: g.code })
  })

  it('asks the log subresource with kubectl\'s query', async () => {
    const r = await run('logs crash -c app -p --timestamps --tail=5 --since=1h', richCluster())
    const q = r.cluster.requests.find((x) => x.path.endsWith('/log'))!
    expect(q.path).toBe('/api/v1/namespaces/default/pods/crash/log')
    expect(q.query).toEqual({ container: 'app', previous: 'true', timestamps: 'true', tailLines: '5', sinceSeconds: '3600' })
  })

  it('-f prints lines as they arrive and stops on Ctrl-C', async () => {
    const c = richCluster()
    const inner = c.fetch
    const enc = new TextEncoder()
    c.fetch = async (input, init) => {
      const url = String(input)
      if (!url.includes('/log?')) return inner(input, init)
      const stream = new ReadableStream<Uint8Array>({
        start(ctl) {
          ctl.enqueue(enc.encode('line 1\nline'))
          setTimeout(() => ctl.enqueue(enc.encode(' 2\n')), 10)
          init?.signal?.addEventListener('abort', () => ctl.error(new DOMException('aborted', 'AbortError')))
        },
      })
      return new Response(stream, { headers: { 'content-type': 'text/plain' } })
    }
    const ctl = new AbortController()
    const seen: string[] = []
    const done = run('logs -f web-7d4b9c8f6-abcde', c, { signal: ctl.signal })
    await new Promise((r) => setTimeout(r, 60))
    ctl.abort()
    const r = await done
    seen.push(r.out)
    expect(seen[0]).toBe('line 1\nline 2\n')
    expect(r.code).toBe(1)
  })
})

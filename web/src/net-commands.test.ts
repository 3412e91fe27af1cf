// curl and nslookup in the terminal: the request each sends, and what each
// prints from the created object's status (the server's answers are canned).
import { describe, expect, it } from 'vitest'
import { runNetCommand } from './net-commands'

function harness(answer: (body: any) => { code: number; json: any }) {
  const sent: { url: string; body: any }[] = []
  const env = {
    baseUrl: '/clusters/demo',
    token: 't',
    cluster: 'demo',
    user: 'admin',
    namespace: 'default',
    fetch: (async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body))
      sent.push({ url, body })
      const a = answer(body)
      return new Response(JSON.stringify(a.json), { status: a.code })
    }) as unknown as typeof fetch,
  }
  const out: string[] = []
  const err: string[] = []
  return { env, sent, out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } }
}

describe('curl', () => {
  it('sends one TrafficRun and prints the body', async () => {
    const h = harness((b) => ({ code: 201, json: { ...b, status: { sent: 1, answered: 1, refused: 0, timedOut: 0, response: { code: 200, pod: 'web-1', body: 'hello-world' } } } }))
    expect(await runNetCommand(['curl', '--from', 'client', 'http://web/'], h.env, h.io)).toBe(0)
    expect(h.sent[0]).toMatchObject({ url: '/clusters/demo/apis/sim.wheelhouse.dev/v1alpha1/namespaces/default/trafficruns', body: { kind: 'TrafficRun', spec: { url: 'http://web/', requests: 1, from: { pod: 'client' } } } })
    expect(h.out.join('')).toBe('hello-world\n')
  })

  it('with -n prints a summary per endpoint, and exits as curl does on failure', async () => {
    const h = harness((b) => ({
      code: 201,
      json: { ...b, status: { sent: 10, answered: 0, refused: 10, timedOut: 0, via: 'ClusterIP', service: 'default/web', endpoints: [], error: 'curl: (7) Failed to connect to web port 80 after 0 ms: Couldn\'t connect to server' } },
    }))
    expect(await runNetCommand(['curl', '-n', '10', 'http://web/'], h.env, h.io)).toBe(7)
    expect(h.out.join('')).toBe('0/10 answered, 10 refused, 0 timed out (via ClusterIP to default/web)\n')
    expect(h.err.join('')).toContain('curl: (7) Failed to connect')
  })

  it('prints a refused request as kubectl prints a Status, and usage for bad arguments', async () => {
    const h = harness(() => ({ code: 404, json: { kind: 'Status', reason: 'NotFound', message: 'pods "ghost" not found' } }))
    expect(await runNetCommand(['curl', '--from', 'ghost', 'http://web/'], h.env, h.io)).toBe(1)
    expect(h.err.join('')).toBe('Error from server (NotFound): pods "ghost" not found\n')
    expect(await runNetCommand(['curl'], h.env, h.io)).toBe(2)
    expect(h.err.join('')).toContain('usage: curl')
  })
})

describe('nslookup', () => {
  it('prints what the cluster DNS answered', async () => {
    const h = harness((b) => ({ code: 201, json: { ...b, status: { rcode: 'NXDOMAIN', output: "** server can't find nope: NXDOMAIN\n" } } }))
    expect(await runNetCommand(['nslookup', '-type=SRV', 'nope'], h.env, h.io)).toBe(1)
    expect(h.sent[0]!.body.spec).toEqual({ name: 'nope', type: 'SRV' })
    expect(h.out.join('')).toBe("** server can't find nope: NXDOMAIN\n")
  })
})

import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, type ClusterLimits } from './cluster-limits'
import { ADMIN_FACTOR, isWatch, RequestLimiter } from './request-limits'

const limits = (over: Partial<ClusterLimits> = {}): ClusterLimits => ({ ...DEFAULT_LIMITS, ...over })

describe('RequestLimiter.rate', () => {
  it("refuses a flooding token with upstream's 429 while others are served", async () => {
    const l = new RequestLimiter(() => limits({ requestsPerSecond: 1, burst: 2 }))
    expect(l.rate('alice', false, 0)).toBeUndefined()
    expect(l.rate('alice', false, 0)).toBeUndefined()
    const r = l.rate('alice', false, 0)!
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('1')
    expect(await r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 1 },
      code: 429,
    })
    expect(l.rate('bob', false, 0)).toBeUndefined()
    expect(l.rate('alice', false, 1000)).toBeUndefined()
  })

  it('gives the admin a larger bucket, not an exemption', () => {
    const l = new RequestLimiter(() => limits({ requestsPerSecond: 1, burst: 2 }))
    let granted = 0
    while (!l.rate('admin', true, 0)) granted++
    expect(granted).toBe(2 * ADMIN_FACTOR)
  })

  it('limits nothing when the cluster has no limits', () => {
    const l = new RequestLimiter(() => undefined)
    for (let i = 0; i < 1000; i++) expect(l.rate('x', false, 0)).toBeUndefined()
  })
})

describe('RequestLimiter.body', () => {
  const l = new RequestLimiter(() => limits({ maxBodyBytes: 10 }))
  it('refuses a declared length over the limit in upstream words', async () => {
    const r = (await l.body(new Request('http://x/', { method: 'POST', body: '12345678901' }))) as Response
    expect(r.status).toBe(413)
    expect(await r.json()).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 10', code: 413 })
  })

  it('reads a body without a length up to the limit', async () => {
    const chunked = (s: string) =>
      new Request('http://x/', {
        method: 'POST',
        body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(s)), c.close()) }),
        duplex: 'half',
      } as RequestInit)
    const ok = (await l.body(chunked('0123456789'))) as Request
    expect(ok).toBeInstanceOf(Request)
    expect(await ok.text()).toBe('0123456789')
    expect(((await l.body(chunked('01234567890'))) as Response).status).toBe(413)
    const get = new Request('http://x/')
    expect(await l.body(get)).toBe(get)
  })
})

describe('watches', () => {
  it('recognises watch requests', () => {
    const u = (s: string) => new URL(`http://x${s}`)
    expect(isWatch(u('/api/v1/pods?watch=1'), '/api/v1/pods')).toBe(true)
    expect(isWatch(u('/api/v1/pods?watch=true'), '/api/v1/pods')).toBe(true)
    expect(isWatch(u('/api/v1/pods?watch=false'), '/api/v1/pods')).toBe(false)
    expect(isWatch(u('/api/v1/watch/pods'), '/api/v1/watch/pods')).toBe(true)
    expect(isWatch(u('/apis/apps/v1/watch/namespaces/a/deployments'), '/apis/apps/v1/watch/namespaces/a/deployments')).toBe(true)
    expect(isWatch(u('/api/v1/namespaces/watch/pods'), '/api/v1/namespaces/watch/pods')).toBe(false)
  })

  it('counts open watches per token until their streams end, and ends them on forget', async () => {
    const l = new RequestLimiter(() => limits({ maxWatches: 2 }))
    const stream = () => {
      let c!: ReadableStreamDefaultController<Uint8Array>
      const body = new ReadableStream<Uint8Array>({ start: (x) => void (c = x) })
      return { res: new Response(body), c }
    }
    const a = stream()
    const b = stream()
    const ra = l.trackWatch('alice', a.res)
    const rb = l.trackWatch('alice', b.res)
    expect(l.openWatches('alice')).toBe(2)
    expect(l.watchAllowed('alice')?.status).toBe(429)
    expect(l.watchAllowed('bob')).toBeUndefined()
    // One ends from the server's side: read to its end.
    a.c.enqueue(new TextEncoder().encode('{"type":"ADDED"}\n'))
    a.c.close()
    expect(await ra.text()).toBe('{"type":"ADDED"}\n')
    expect(l.openWatches('alice')).toBe(1)
    expect(l.watchAllowed('alice')).toBeUndefined()
    // Revocation ends the other.
    l.forget('alice')
    expect(l.openWatches('alice')).toBe(0)
    expect(await rb.text()).toBe('')
    // A client going away cancels its stream.
    const c = stream()
    const rc = l.trackWatch('bob', c.res)
    expect(l.openWatches('bob')).toBe(1)
    await rc.body!.cancel()
    expect(l.openWatches('bob')).toBe(0)
  })
})

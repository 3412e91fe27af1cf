import { describe, expect, it } from 'vitest'
import { join, normalizeJoinCode } from './join'

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers })) as unknown as typeof fetch

describe('normalizeJoinCode', () => {
  it('reads a code as the server prints it, forgiving case, spaces and look-alike letters', () => {
    expect(normalizeJoinCode(' k7qm-2xo1-il ')).toBe('K7QM-2X01-11')
    expect(normalizeJoinCode('ABCD EFGH')).toBe('ABCDEFGH')
  })
})

describe('join', () => {
  it('sends the normalized code and the trimmed name, and keeps what the cluster gave', async () => {
    let sent: { url: string; body: any } | undefined
    const fetcher = (async (url: string, init: RequestInit) => {
      sent = { url, body: JSON.parse(init.body as string) }
      return new Response(JSON.stringify({ token: 'whp_x', username: 'ada', namespace: 'ada', mode: 'namespace-per-person' }), { status: 200 })
    }) as unknown as typeof fetch
    const r = await join('demo', 'abcd-efgh-jk', '  Ada ', fetcher)
    expect(sent).toEqual({ url: '/clusters/demo/join', body: { joinCode: 'ABCD-EFGH-JK', displayName: 'Ada' } })
    expect(r).toEqual({ ok: true, identity: { cluster: 'demo', token: 'whp_x', name: 'Ada', username: 'ada', namespace: 'ada' } })
  })
  it('says which field is wrong, in words', async () => {
    expect(await join('demo', 'x', 'Ada', answer(401, { kind: 'Status', code: 401 }))).toEqual({ ok: false, field: 'joinCode', message: 'That join code is not right for this cluster.' })
    expect(await join('nope', 'x', 'Ada', answer(404, { kind: 'Status', code: 404 }))).toEqual({ ok: false, field: 'cluster', message: 'There is no cluster named "nope".' })
    expect(await join('demo', 'x', 'Ada', answer(429, { kind: 'Status' }, { 'retry-after': '40' }))).toEqual({ ok: false, field: 'joinCode', message: 'Too many tries. Wait 40 s and try again.' })
    const invalid = await join('demo', 'x', '!', answer(422, { message: 'displayName: Invalid value', details: { causes: [{ field: 'displayName' }] } }))
    expect(invalid).toEqual({ ok: false, field: 'name', message: 'displayName: Invalid value' })
    expect(await join('demo', 'x', 'Ada', answer(502, 'bad gateway'))).toEqual({ ok: false, message: 'The server answered HTTP 502.' })
  })
  it('reports an unreachable server', async () => {
    const down = (async () => {
      throw new TypeError('Failed to fetch')
    }) as unknown as typeof fetch
    expect(await join('demo', 'x', 'Ada', down)).toEqual({ ok: false, message: 'The server cannot be reached.' })
  })
})

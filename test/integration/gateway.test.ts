// The etcd v3 JSON gateway, through the Worker, as the benchmarks and cluster admins use it.
import { describe, expect, it } from 'vitest'
import { b64, gateway, newCluster, type TestCluster, unb64, worker } from './helpers'

/** Reads newline-delimited messages from a watch stream until `until` says stop. */
async function readWatch(res: Response, until: (msgs: any[]) => boolean, timeoutMs = 5_000): Promise<any[]> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const msgs: any[] = []
  let buf = ''
  const deadline = Date.now() + timeoutMs
  while (!until(msgs) && Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    buf += decoder.decode(value, { stream: true })
    let nl
    while ((nl = buf.indexOf('\n')) >= 0) {
      msgs.push(JSON.parse(buf.slice(0, nl)))
      buf = buf.slice(nl + 1)
    }
  }
  await reader.cancel()
  return msgs
}

const openWatch = (c: TestCluster, body: unknown) =>
  worker.fetch(
    new Request(`http://x/clusters/${c.name}/etcd/v3/watch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}` },
      body: JSON.stringify(body),
    }),
  )

describe('etcd gateway', () => {
  it('puts, ranges, deletes, with etcd JSON shapes', async () => {
    const c = await newCluster({ seed: false })
    const p1 = await gateway(c, 'kv/put', { key: b64('/registry/a/x'), value: b64('one') }, 'worker')
    expect(p1).toEqual({ status: 200, json: { header: { cluster_id: '1', member_id: '1', revision: '1', raft_term: '1' } } })
    const p2 = await gateway(c, 'kv/put', { key: b64('/registry/a/x'), value: b64('two'), prev_kv: true })
    expect(unb64(p2.json.prev_kv.value)).toBe('one')
    await gateway(c, 'kv/put', { key: b64('/registry/a/y'), value: b64('why') })
    const r = await gateway(c, 'kv/range', { key: b64('/registry/a/'), range_end: b64('/registry/a0'), limit: 1 }, 'worker')
    expect(r.json.count).toBe('2')
    expect(r.json.more).toBe(true)
    expect(r.json.kvs).toEqual([
      { key: b64('/registry/a/x'), value: b64('two'), create_revision: '1', mod_revision: '2', version: '2' },
    ])
    const old = await gateway(c, 'kv/range', { key: b64('/registry/a/x'), revision: '1' })
    expect(unb64(old.json.kvs[0].value)).toBe('one')
    const d = await gateway(c, 'kv/deleterange', { key: b64('/registry/a/'), range_end: b64('/registry/a0'), prev_kv: true })
    expect(d.json.deleted).toBe('2')
    expect(d.json.prev_kvs.map((kv: any) => unb64(kv.value))).toEqual(['two', 'why'])
    const empty = await gateway(c, 'kv/range', { key: b64('/registry/a/'), range_end: b64('/registry/a0') })
    expect(empty.json).toEqual({ header: { cluster_id: '1', member_id: '1', revision: '5', raft_term: '1' }, count: '0' })
  })

  it('keeps 50 concurrent clients doing 20 compare-and-swap increments each at exactly 1,000', async () => {
    const c = await newCluster({ seed: false })
    const key = b64('/registry/counter')
    await gateway(c, 'kv/put', { key, value: b64('0') })
    let conflicts = 0
    const client = async () => {
      let kv = (await gateway(c, 'kv/range', { key })).json.kvs[0]
      for (let done = 0, attempt = 0; done < 20; ) {
        const next = String(Number(unb64(kv.value)) + 1)
        const t = await gateway(c, 'kv/txn', {
          compare: [{ key, target: 'MOD', result: 'EQUAL', mod_revision: kv.mod_revision }],
          success: [{ request_put: { key, value: b64(next) } }, { request_range: { key } }],
          failure: [{ request_range: { key } }],
        })
        expect(t.status).toBe(200)
        // Both branches end by reading the key: the next attempt starts from what the server holds.
        kv = t.json.responses.at(-1).response_range.kvs[0]
        if (t.json.succeeded) {
          done++
          attempt = 0
        } else {
          conflicts++
          // Jittered backoff, as client-go's retry.RetryOnConflict does.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 5 * 2 ** attempt++)))
        }
      }
    }
    await Promise.all(Array.from({ length: 50 }, client))
    const final = await gateway(c, 'kv/range', { key })
    expect(unb64(final.json.kvs[0].value)).toBe('1000')
    expect(final.json.kvs[0].version).toBe('1001')
    expect(conflicts).toBeGreaterThan(0) // the clients really raced
  })

  it('creates only when absent, as kube-apiserver does with a create_revision compare', async () => {
    const c = await newCluster({ seed: false })
    const key = b64('/registry/pods/default/p')
    const createTxn = {
      compare: [{ key, target: 'MOD', result: 'EQUAL', mod_revision: '0' }],
      success: [{ request_put: { key, value: b64('p1') } }],
      failure: [{ request_range: { key } }],
    }
    expect((await gateway(c, 'kv/txn', createTxn)).json.succeeded).toBe(true)
    const second = await gateway(c, 'kv/txn', createTxn)
    expect(second.json.succeeded).toBe(false)
    expect(unb64(second.json.responses[0].response_range.kvs[0].value)).toBe('p1')
  })

  it('streams a watch that replays from an old revision, then delivers live events', async () => {
    const c = await newCluster({ seed: false })
    for (let i = 1; i <= 3; i++) await gateway(c, 'kv/put', { key: b64(`/registry/w/k${i}`), value: b64(`v${i}`) })
    const res = await openWatch(c, { create_request: { key: b64('/registry/w/'), range_end: b64('/registry/w0'), start_revision: '2', prev_kv: true } })
    expect(res.status).toBe(200)
    const live = (async () => {
      await new Promise((r) => setTimeout(r, 50))
      await gateway(c, 'kv/put', { key: b64('/registry/w/k1'), value: b64('v1b') })
      await gateway(c, 'kv/deleterange', { key: b64('/registry/w/k2') })
    })()
    const events = (msgs: any[]) => msgs.flatMap((m) => m.result.events ?? [])
    const msgs = await readWatch(res, (m) => events(m).length >= 4)
    await live
    expect(msgs[0].result.created).toBe(true)
    expect(
      events(msgs).map((e: any) => [e.type ?? 'PUT', unb64(e.kv.key), e.kv.mod_revision, e.prev_kv && unb64(e.prev_kv.value)]),
    ).toEqual([
      ['PUT', '/registry/w/k2', '2', undefined],
      ['PUT', '/registry/w/k3', '3', undefined],
      ['PUT', '/registry/w/k1', '4', 'v1'],
      ['DELETE', '/registry/w/k2', '5', 'v2'],
    ])
  })

  it('cancels a watch below the compacted revision with the compact revision', async () => {
    const c = await newCluster({ seed: false })
    for (let i = 0; i < 5; i++) await gateway(c, 'kv/put', { key: b64('/registry/c/k'), value: b64(String(i)) })
    expect((await gateway(c, 'kv/compaction', { revision: '4' })).status).toBe(200)
    const res = await openWatch(c, { create_request: { key: b64('/registry/c/'), range_end: b64('/registry/c0'), start_revision: '2' } })
    const msgs = await readWatch(res, (m) => m.some((x) => x.result.canceled))
    expect(msgs.at(-1).result).toMatchObject({ canceled: true, compact_revision: '4' })
    const range = await gateway(c, 'kv/range', { key: b64('/registry/c/k'), revision: '2' })
    expect(range.status).toBe(400)
    expect(range.json.error).toMatch(/^etcdserver: mvcc: required revision has been compacted/)
  })

  it('grants leases whose keys expire with the simulated clock', async () => {
    const c = await newCluster({ seed: false })
    const g = await gateway(c, 'lease/grant', { TTL: '60' })
    expect(g.json).toMatchObject({ ID: '1', TTL: '60' })
    await gateway(c, 'kv/put', { key: b64('/registry/l'), value: b64('v'), lease: g.json.ID })
    const ttl = await gateway(c, 'lease/timetolive', { ID: g.json.ID })
    expect(ttl.json).toMatchObject({ TTL: '60', grantedTTL: '60' })
    await c.stub.setClock({ stepMs: 61_000 })
    const { runDurableObjectAlarm } = await import('cloudflare:test')
    await runDurableObjectAlarm(c.stub)
    const r = await gateway(c, 'kv/range', { key: b64('/registry/l') })
    expect(r.json.kvs).toBeUndefined()
    expect((await gateway(c, 'lease/keepalive', { ID: g.json.ID })).status).toBe(404)
  })

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const c = await newCluster({ seed: false })
    const bad = async (verb: string, body: unknown, status: number) => {
      const r = await c.stub.fetch(
        new Request(`http://x/clusters/${c.name}/etcd/v3/${verb}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${c.token}` },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      )
      expect(r.status, `${verb} ${JSON.stringify(body).slice(0, 60)}`).toBe(status)
      const json = (await r.json()) as { error: string }
      expect(json.error.length).toBeGreaterThan(0)
    }
    await bad('kv/put', '{oops', 400)
    await bad('kv/put', '[1,2]', 400)
    await bad('kv/put', { key: b64('no-slash'), value: b64('v') }, 400)
    await bad('kv/put', { key: '%%%', value: b64('v') }, 400)
    await bad('kv/put', { key: b64('/registry/bin'), value: btoa('\xff\xfe') }, 400)
    await bad('kv/put', { key: b64('/registry/big'), value: b64('x'.repeat(1.5 * 1024 * 1024 + 1)) }, 413)
    await bad('kv/put', { key: b64('/registry/l'), value: b64('v'), lease: '77' }, 404)
    await bad('kv/range', { key: b64('/registry/'), revision: '99' }, 400)
    await bad('kv/txn', { compare: [{ key: b64('/registry/x'), target: 'LEASE', result: 'EQUAL' }] }, 400)
    await bad('kv/txn', { success: [{ request_nothing: {} }] }, 400)
    await bad('kv/compaction', { revision: '5' }, 400)
    await bad('lease/grant', { TTL: '0' }, 400)
    await bad('kv/nonsense', {}, 404)
    const r = await gateway(c, 'kv/range', { key: b64('/'), range_end: b64('\0') })
    expect(r.json).toMatchObject({ count: '0', header: { revision: '0' } })
  })
})

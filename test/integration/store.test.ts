// The store's etcd semantics, exercised inside workerd on the cluster object's real SQLite.
import { describe, expect, it } from 'vitest'
import { MAX_VALUE_BYTES, prefixRange } from '../../worker/etcd/keys'
import { StoreError } from '../../worker/etcd/types'
import { CollectingSink, inPlane, newCluster } from './helpers'

const code = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (err) {
    if (err instanceof StoreError) return err.code
    throw err
  }
  return undefined
}

describe('writes', () => {
  it('create assigns increasing revisions and fails when the key exists', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      const a = store.create('/registry/pods/default/a', '{"n":1}')
      const b = store.create('/registry/pods/default/b', '{"n":2}')
      expect(b.modRevision).toBe(a.modRevision + 1)
      expect(a).toMatchObject({ createRevision: a.modRevision, version: 1, value: '{"n":1}' })
      let err: StoreError | undefined
      try {
        store.create('/registry/pods/default/a', '{"n":3}')
      } catch (e) {
        err = e as StoreError
      }
      expect(err?.code).toBe('KeyExists')
      expect(err?.current?.value).toBe('{"n":1}')
      expect(store.currentRevision()).toBe(b.modRevision)
    })
  })

  it('update is a compare-and-swap on the modification revision', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      const a = store.create('/registry/k', 'v1')
      const a2 = store.update('/registry/k', 'v2', a.modRevision)
      expect(a2).toMatchObject({ value: 'v2', createRevision: a.modRevision, version: 2 })
      let err: StoreError | undefined
      try {
        store.update('/registry/k', 'stale', a.modRevision)
      } catch (e) {
        err = e as StoreError
      }
      expect(err?.code).toBe('Conflict')
      expect(err?.current?.modRevision).toBe(a2.modRevision)
      expect(store.get('/registry/k').kv?.value).toBe('v2')
      expect(code(() => store.update('/registry/missing', 'x', 5))).toBe('KeyNotFound')
    })
  })

  it('delete writes a tombstone, optionally guarded, and the key can be created again', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      const a = store.create('/registry/k', 'v1')
      expect(code(() => store.delete('/registry/k', a.modRevision + 100))).toBe('Conflict')
      const removed = store.delete('/registry/k', a.modRevision)
      expect(removed.value).toBe('v1')
      expect(store.get('/registry/k').kv).toBeUndefined()
      expect(code(() => store.delete('/registry/k'))).toBe('KeyNotFound')
      const again = store.create('/registry/k', 'v3')
      expect(again.createRevision).toBe(again.modRevision)
      expect(again.version).toBe(1)
      // History is still readable at the revision before the delete.
      expect(store.get('/registry/k', a.modRevision).kv?.value).toBe('v1')
      expect(store.get('/registry/k', a.modRevision + 1).kv).toBeUndefined()
    })
  })

  it('multi-key transactions commit atomically or not at all', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      const a = store.create('/registry/a', 'a1')
      const before = store.currentRevision()
      // A failing compare: none of the success ops runs, the failure op reads.
      const failed = store.txn({
        compare: [
          { key: '/registry/a', target: 'mod', result: '=', value: a.modRevision },
          { key: '/registry/b', target: 'mod', result: '>', value: 0 },
        ],
        success: [{ put: { key: '/registry/a', value: 'a2' } }, { put: { key: '/registry/c', value: 'c' } }],
        failure: [{ get: { key: '/registry/a' } }],
      })
      expect(failed.succeeded).toBe(false)
      expect(failed.results[0]!.kv?.value).toBe('a1')
      expect(store.currentRevision()).toBe(before)
      // A failing op midway (lease missing) rolls back the ops before it.
      expect(
        code(() =>
          store.txn({
            compare: [],
            success: [{ put: { key: '/registry/a', value: 'a3' } }, { put: { key: '/registry/d', value: 'd', lease: 999 } }],
          }),
        ),
      ).toBe('LeaseNotFound')
      expect(store.get('/registry/a').kv?.value).toBe('a1')
      expect(store.get('/registry/d').kv).toBeUndefined()
      expect(store.currentRevision()).toBe(before)
      const ok = store.txn({
        compare: [{ key: '/registry/a', target: 'value', result: '=', value: 'a1' }],
        success: [{ put: { key: '/registry/a', value: 'a2' } }, { put: { key: '/registry/c', value: 'c' } }, { delete: { key: '/registry/a' } }],
      })
      expect(ok.succeeded).toBe(true)
      expect(ok.revision).toBe(before + 3)
      expect(store.get('/registry/a').kv).toBeUndefined()
      expect(store.get('/registry/c').kv?.value).toBe('c')
    })
  })

  it('rejects malformed keys and oversized values, storing nothing', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      for (const key of ['', 'registry/x', '/registry/x/', '/registry//x', '/registry/x y', '/registry/\u00e9', '/' + 'k'.repeat(2000)])
        expect(code(() => store.create(key, 'v'))).toBe('InvalidKey')
      const big = 'x'.repeat(MAX_VALUE_BYTES + 1)
      expect(code(() => store.create('/registry/big', big))).toBe('ValueTooLarge')
      // Multi-byte text is measured in UTF-8 bytes.
      expect(code(() => store.create('/registry/big', '\u00e9'.repeat(MAX_VALUE_BYTES / 2 + 1)))).toBe('ValueTooLarge')
      expect(
        code(() => store.txn({ compare: [], success: [{ put: { key: '/registry/ok', value: 'v' } }, { put: { key: '/registry/big', value: big } }] })),
      ).toBe('ValueTooLarge')
      expect(store.currentRevision()).toBe(0)
      expect(store.rowCount()).toBe(0)
      // Exactly at the limit is fine.
      expect(store.create('/registry/max', 'x'.repeat(MAX_VALUE_BYTES)).value.length).toBe(MAX_VALUE_BYTES)
    })
  })
})

describe('reads', () => {
  it('lists by prefix in key order, at a past revision too', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      store.create('/registry/pods/ns1/b', 'b')
      store.create('/registry/pods/ns1/a', 'a')
      store.create('/registry/pods/ns2/c', 'c')
      store.create('/registry/podsx/ns1/z', 'z')
      const rev = store.currentRevision()
      store.delete('/registry/pods/ns1/a')
      const now = store.list(prefixRange('/registry/pods/'))
      expect(now.kvs.map((k) => k.key)).toEqual(['/registry/pods/ns1/b', '/registry/pods/ns2/c'])
      const then = store.list(prefixRange('/registry/pods/'), { revision: rev, count: true })
      expect(then.kvs.map((k) => k.key)).toEqual(['/registry/pods/ns1/a', '/registry/pods/ns1/b', '/registry/pods/ns2/c'])
      expect(then.count).toBe(3)
      expect(code(() => store.list(prefixRange('/registry/'), { revision: 1000 }))).toBe('FutureRevision')
    })
  })

  it('paginates consistently at the first page revision while 100 writes land between pages', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      for (let i = 0; i < 250; i++) store.create(`/registry/cm/ns/k${String(i).padStart(3, '0')}`, `v${i}`)
      const expected = store.list(prefixRange('/registry/cm/')).kvs.map((k) => `${k.key}=${k.value}`)
      const seen: string[] = []
      let page = store.list(prefixRange('/registry/cm/'), { limit: 100 })
      const listRevision = page.revision
      let writes = 0
      for (;;) {
        seen.push(...page.kvs.map((k) => `${k.key}=${k.value}`))
        expect(page.revision).toBe(listRevision)
        if (!page.more) break
        // 100 writes between pages: updates, deletes, and new keys on both sides of the cursor.
        for (let j = 0; j < 100; j++, writes++) {
          const n = (writes * 7) % 250
          const key = `/registry/cm/ns/k${String(n).padStart(3, '0')}`
          const cur = store.get(key).kv
          if (j % 3 === 0 && cur) store.delete(key)
          else if (cur) store.update(key, `changed${writes}`, cur.modRevision)
          else store.create(`/registry/cm/ns/new${writes}`, 'new')
        }
        page = store.list(prefixRange('/registry/cm/'), { limit: 100, continue: page.continue })
      }
      expect(writes).toBe(200)
      expect(seen).toEqual(expected)
      expect(store.currentRevision()).toBe(listRevision + 200)
    })
  })

  it('refuses a malformed continue token', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      expect(code(() => store.list(prefixRange('/registry/'), { continue: 'garbage!' }))).toBe('InvalidArgument')
    })
  })
})

describe('watch', () => {
  it('replays exactly the missed events in order from an old revision, with previous values, then goes live', async () => {
    const c = await newCluster({ seed: false })
    const sink = new CollectingSink()
    const start = await inPlane(c, ({ store }) => {
      const a = store.create('/registry/pods/ns/a', 'a1')
      store.create('/registry/other/x', 'x') // outside the watched prefix
      const a2 = store.update('/registry/pods/ns/a', 'a2', a.modRevision)
      store.create('/registry/pods/ns/b', 'b1')
      store.delete('/registry/pods/ns/a')
      store.watch(prefixRange('/registry/pods/'), { startRevision: a2.modRevision, prevKv: true }, sink)
      return a2.modRevision
    })
    expect(sink.events.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.prevKv?.value])).toEqual([
      ['PUT', '/registry/pods/ns/a', start, 'a1'],
      ['PUT', '/registry/pods/ns/b', start + 1, undefined],
      ['DELETE', '/registry/pods/ns/a', start + 2, 'a2'],
    ])
    await inPlane(c, ({ store }) => {
      store.create('/registry/pods/ns/c', 'c1')
      store.create('/registry/other/y', 'y')
    })
    expect(sink.events.map((e) => e.kv.key).slice(3)).toEqual(['/registry/pods/ns/c'])
    const revs = sink.events.map((e) => e.kv.modRevision)
    expect([...revs].sort((x, y) => x - y)).toEqual(revs)
    expect(new Set(revs).size).toBe(revs.length)
  })

  it('replays a backlog larger than its consumer in pages, pulled, without gap or duplicate', async () => {
    const c = await newCluster({ seed: false })
    const sink = new CollectingSink(700)
    await inPlane(c, ({ store }) => {
      for (let i = 0; i < 2000; i++) store.create(`/registry/e/k${i}`, String(i))
      const handle = store.watch(prefixRange('/registry/e/'), { startRevision: 1 }, sink)
      expect(sink.events.length).toBeLessThan(2000) // paused on a full consumer
      // Writes while catching up are read from the log later, not lost.
      for (let i = 2000; i < 2100; i++) store.create(`/registry/e/k${i}`, String(i))
      while (sink.events.length < 2100) {
        const before = sink.events.length
        sink.room += 700
        handle.pull()
        expect(sink.events.length).toBeGreaterThan(before)
      }
      store.create('/registry/e/live', 'live')
      expect(sink.events.map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 2101 }, (_, i) => i + 1))
    })
  })

  it('fails a watch below the compacted revision, and compaction keeps what later events need', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      const a = store.create('/registry/k/a', 'a1')
      let cur = a
      for (let i = 2; i <= 10; i++) cur = store.update('/registry/k/a', `a${i}`, cur.modRevision)
      const b = store.create('/registry/k/b', 'b1')
      store.delete('/registry/k/b')
      const target = cur.modRevision
      const after = store.update('/registry/k/a', 'a11', cur.modRevision)
      const rowsBefore = store.rowCount()
      store.compact(target)
      while (!store.compactStep(2)) {}
      expect(store.rowCount()).toBeLessThan(rowsBefore)
      // Reads at or above the compact revision still see the history they need.
      expect(store.get('/registry/k/a', target).kv?.value).toBe('a10')
      expect(store.get('/registry/k/a').kv?.value).toBe('a11')
      expect(code(() => store.get('/registry/k/a', target - 1))).toBe('Compacted')
      expect(code(() => store.list(prefixRange('/registry/k/'), { revision: 2 }))).toBe('Compacted')
      // A watch from below fails with the distinct "compacted" error...
      let err: StoreError | undefined
      try {
        store.watch(prefixRange('/registry/k/'), { startRevision: target }, new CollectingSink())
      } catch (e) {
        err = e as StoreError
      }
      expect(err?.code).toBe('Compacted')
      expect(err?.compactRevision).toBe(target)
      // ...and one from above still gets each event's previous value.
      const sink = new CollectingSink()
      store.watch(prefixRange('/registry/k/'), { startRevision: target + 1, prevKv: true }, sink)
      expect(sink.events.map((e) => [e.type, e.kv.modRevision, e.prevKv?.value])).toEqual([
        ['PUT', b.modRevision, undefined],
        ['DELETE', b.modRevision + 1, 'b1'],
        ['PUT', after.modRevision, 'a10'],
      ])
    })
  })

  it('closes a watcher that cannot keep up instead of holding its events', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      const sink = new CollectingSink(0)
      store.watch(prefixRange('/registry/slow/'), { startRevision: 0 }, sink)
      const fast = new CollectingSink()
      store.watch(prefixRange('/registry/slow/'), { startRevision: 0 }, fast)
      // The slow consumer never reads: desiredSize keeps falling as events pile up.
      const stuck = { ...sink, desiredSize: () => -20_000 }
      sink.desiredSize = stuck.desiredSize
      store.create('/registry/slow/a', 'a')
      expect(sink.closed).toBe(true)
      expect(sink.error?.code).toBe('WatcherTooSlow')
      expect(fast.closed).toBe(false)
      expect(fast.events).toHaveLength(1)
      expect(store.watchers).toBe(1)
    })
  })

  it('auto-compacts once history exceeds the retained revisions', async () => {
    const c = await newCluster({ retainedRevisions: 1000, seed: false })
    await inPlane(c, async ({ store, timers, clock }) => {
      let kv = store.create('/registry/hot', '0')
      for (let i = 1; i < 1200; i++) kv = store.update('/registry/hot', String(i), kv.modRevision)
      // Compacts to keep 1,000 revisions once history passes 1,000 + a tenth of it.
      expect(store.compactRevision()).toBe(1101 - 1000)
      const kept = store.currentRevision() - store.compactRevision()
      expect(kept).toBeLessThanOrEqual(1100)
      while (timers.count() > 0) await timers.runDue(clock.now())
      // One key: the rows left are its versions from the compact revision on.
      expect(store.rowCount()).toBe(kept + 1)
      expect(store.get('/registry/hot').kv?.value).toBe('1199')
    })
  })
})

describe('leases', () => {
  it('keys attached to a lease vanish when it expires on the simulated clock', async () => {
    const c = await newCluster({ seed: false })
    const sink = new CollectingSink()
    await inPlane(c, ({ store }) => {
      const lease = store.grantLease(60)
      store.create('/registry/events/ns/e1', 'e1', lease.id)
      store.create('/registry/events/ns/e2', 'e2', lease.id)
      store.create('/registry/events/ns/keep', 'k')
      store.watch(prefixRange('/registry/events/'), { startRevision: 0 }, sink)
    })
    await c.stub.setClock({ stepMs: 59_000 })
    await inPlane(c, async ({ timers, clock, store }) => {
      await timers.runDue(clock.now())
      expect(store.get('/registry/events/ns/e1').kv).toBeDefined()
    })
    await c.stub.setClock({ stepMs: 1_000 })
    await inPlane(c, async ({ timers, clock, store }) => {
      await timers.runDue(clock.now())
      expect(store.get('/registry/events/ns/e1').kv).toBeUndefined()
      expect(store.get('/registry/events/ns/e2').kv).toBeUndefined()
      expect(store.get('/registry/events/ns/keep').kv?.value).toBe('k')
      expect(store.getLease(1)).toBeUndefined()
    })
    expect(sink.events.map((e) => [e.type, e.kv.key])).toEqual([
      ['DELETE', '/registry/events/ns/e1'],
      ['DELETE', '/registry/events/ns/e2'],
    ])
  })

  it('keep-alive pushes expiry out; revoke deletes at once; unknown leases are refused', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, async ({ store, clock, timers }) => {
      const lease = store.grantLease(10)
      store.create('/registry/leased', 'v', lease.id)
      clock.step(8_000)
      store.keepAliveLease(lease.id)
      clock.step(8_000)
      await timers.runDue(clock.now())
      expect(store.get('/registry/leased').kv?.lease).toBe(lease.id)
      store.revokeLease(lease.id)
      expect(store.get('/registry/leased').kv).toBeUndefined()
      expect(code(() => store.keepAliveLease(lease.id))).toBe('LeaseNotFound')
      expect(code(() => store.create('/registry/x', 'v', 12345))).toBe('LeaseNotFound')
      expect(code(() => store.grantLease(0))).toBe('InvalidArgument')
    })
  })
})

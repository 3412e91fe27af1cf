// Timers multiplexed on one alarm, on the simulated clock, surviving restarts and failures.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { ClusterDO } from '../../worker/cluster-object'
import { inPlane, newCluster } from './helpers'

describe('timers and the clock', () => {
  it('runs timers earliest first and arms the alarm for the earliest one, converted by the clock speed', async () => {
    const c = await newCluster({ speed: 10, seed: false })
    await c.stub.setClock({ paused: false })
    const order: string[] = []
    await inPlane(c, async ({ timers, clock }, state) => {
      timers.on('test', (t) => {
        order.push(t.key)
      })
      const now = clock.now()
      timers.schedule('test', 'late', now + 60_000)
      timers.schedule('test', 'early', now + 10_000)
      timers.schedule('test', 'middle', now + 30_000)
      timers.schedule('test', 'middle', now + 20_000) // rescheduling moves it
      const { armAlarm } = await import('../../worker/sim/timers')
      await armAlarm(state.storage, timers, clock)
      const alarm = await state.storage.getAlarm()
      // 10 s of simulated time at 10x is 1 s of wall time.
      expect(alarm! - Date.now()).toBeGreaterThan(800)
      expect(alarm! - Date.now()).toBeLessThanOrEqual(1_000)
      clock.pause()
      clock.step(25_000)
      await timers.runDue(clock.now())
      expect(order).toEqual(['early', 'middle'])
      expect(timers.count()).toBe(1)
      await state.storage.deleteAlarm()
    })
  })

  it('retries a timer whose handler throws, with backoff, and still runs the others', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, async ({ timers, clock }) => {
      let calls = 0
      const ran: string[] = []
      timers.on('flaky', () => {
        calls++
        if (calls < 3) throw new Error('not yet')
        ran.push('flaky')
      })
      timers.on('steady', () => {
        ran.push('steady')
      })
      timers.schedule('flaky', 'x', clock.now())
      timers.schedule('steady', 'y', clock.now())
      const first = await timers.runDue(clock.now())
      expect(first).toMatchObject({ ran: 1, failed: 1 })
      expect(timers.get('flaky', 'x')).toMatchObject({ attempts: 1, dueAt: clock.now() + 1_000 })
      clock.step(1_000)
      await timers.runDue(clock.now())
      expect(timers.get('flaky', 'x')).toMatchObject({ attempts: 2, dueAt: clock.now() + 2_000 })
      clock.step(2_000)
      await timers.runDue(clock.now())
      expect(ran).toEqual(['steady', 'flaky'])
      expect(timers.count()).toBe(0)
    })
  })

  it('keeps a timer a handler rescheduled for itself', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, async ({ timers, clock }) => {
      let runs = 0
      timers.on('again', (t) => {
        runs++
        if (runs < 3) timers.schedule('again', t.key, clock.now())
      })
      timers.schedule('again', 'k', clock.now())
      for (let i = 0; i < 5; i++) await timers.runDue(clock.now())
      expect(runs).toBe(3)
      expect(timers.count()).toBe(0)
    })
  })

  it('keeps data and pending timers when the object is aborted and re-created, and the alarm still fires', async () => {
    const c = await newCluster({ seed: false })
    await inPlane(c, ({ store }) => {
      const lease = store.grantLease(30)
      store.create('/registry/leases/kube-node-lease/worker-1', '{"spec":{}}', lease.id)
      store.create('/registry/configmaps/default/keep', '{"data":{}}')
    })
    await c.stub.setClock({ paused: true })
    // Abort: the instance is thrown away, as after an eviction or a crash.
    await runInDurableObject(c.stub, (_, state) => {
      try {
        state.abort('test restart')
      } catch {
        // abort throws inside the object by design
      }
    }).catch(() => undefined)
    const again = env.CLUSTER.getByName(c.name) as DurableObjectStub<ClusterDO>
    const revived = { ...c, stub: again }
    await inPlane(revived, ({ store, timers }) => {
      expect(store.currentRevision()).toBe(2)
      expect(store.get('/registry/configmaps/default/keep').kv?.value).toBe('{"data":{}}')
      expect(timers.count()).toBe(1)
      expect(timers.get('etcd.lease', '1')).toBeDefined()
    })
    // Time passes; the revived object's alarm runs the timer (on its own, or now).
    await again.setClock({ stepMs: 31_000 })
    await runDurableObjectAlarm(again)
    await inPlane(revived, ({ store, timers }) => {
      expect(store.get('/registry/leases/kube-node-lease/worker-1').kv).toBeUndefined()
      expect(store.get('/registry/configmaps/default/keep').kv).toBeDefined()
      expect(timers.count()).toBe(0)
    })
  })

  it('fires the real alarm on its own at a sped-up clock', async () => {
    const c = await newCluster({ speed: 100, paused: false, seed: false })
    await inPlane(c, ({ store }) => {
      const lease = store.grantLease(2) // 2 s simulated = 20 ms of wall time at 100x
      store.create('/registry/short', 'v', lease.id)
    })
    // The write armed the alarm through the object's request path, not by the test.
    const { SELF } = await import('cloudflare:test')
    await SELF.fetch(`http://x/clusters/${c.name}/noop`, { headers: { authorization: `Bearer ${c.token}` } })
    let gone = false
    for (let i = 0; i < 100 && !gone; i++) {
      await new Promise((r) => setTimeout(r, 20))
      gone = await inPlane(c, ({ store }) => store.get('/registry/short').kv === undefined)
    }
    expect(gone).toBe(true)
  })
})

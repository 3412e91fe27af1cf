// The node object exists from the first migration: SQLite-backed, on the cluster's clock.
import { env, runInDurableObject } from 'cloudflare:test'
import { expect, it } from 'vitest'
import { Clock } from '../../worker/sim/clock'
import { hasTables } from '../../worker/sim/settings'

it('answers a ping, follows the clock the cluster sends, and keeps it across restarts', async () => {
  const stub = env.NODE.getByName('demo/worker-1')
  const first = await stub.ping('worker-1')
  expect(first.node).toBe('worker-1')
  expect(first.speed).toBe(1)
  const cluster = new Clock(undefined)
  cluster.setSpeed(60)
  cluster.pause()
  cluster.step(3_600_000)
  await stub.syncClock(cluster.state())
  const synced = await stub.ping()
  expect(synced).toMatchObject({ node: 'worker-1', speed: 60, now: cluster.now() })
  expect(await runInDurableObject(stub, (_, state) => hasTables(state.storage.sql))).toBe(true)
  await runInDurableObject(stub, (_, state) => {
    try {
      state.abort('restart')
    } catch {}
  }).catch(() => undefined)
  expect(await env.NODE.getByName('demo/worker-1').ping()).toMatchObject({ node: 'worker-1', speed: 60, now: cluster.now() })
})

// clocks/step: the fast-forward as an API write, seen by watchers of the Clock.
import { describe, expect, it } from 'vitest'
import { api, newCluster } from './helpers'

const STEP = '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster/step'
const body = (seconds: unknown) => ({ apiVersion: 'sim.wheelhouse.dev/v1alpha1', kind: 'ClockStep', seconds })

describe('clocks/step', () => {
  it('jumps simulated time, runs what fell due, and records the jump in the Clock', async () => {
    const c = await newCluster({ nodes: 0 })
    const before = Date.parse((await api(c, 'GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')).json.status.now)
    const r = await api(c, 'POST', STEP, body(3600))
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({ kind: 'Clock', status: { paused: true, lastStep: { seconds: 3600 } } })
    const after = Date.parse(r.json.status.now)
    expect(after - before).toBeGreaterThanOrEqual(3_600_000)
    expect(Date.parse(r.json.status.lastStep.time)).toBe(after)
    expect((await api(c, 'GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster')).json.status.lastStep.seconds).toBe(3600)
  })

  it('refuses a bad step with a Status naming the field, and moves nothing', async () => {
    const c = await newCluster({ nodes: 0 })
    const now = () => api(c, 'GET', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/cluster').then((r) => r.json.status.now)
    const t0 = await now()
    for (const [seconds, message] of [
      [undefined, 'ClockStep.sim.wheelhouse.dev "cluster" is invalid: seconds: Required value'],
      [0, 'ClockStep.sim.wheelhouse.dev "cluster" is invalid: seconds: Invalid value: 0: must be between 1 and 86400, inclusive'],
      [1.5, 'ClockStep.sim.wheelhouse.dev "cluster" is invalid: seconds: Invalid value: 1.5: must be between 1 and 86400, inclusive'],
    ] as const) {
      const r = await api(c, 'POST', STEP, body(seconds))
      expect([r.status, r.json.message]).toEqual([422, message])
    }
    expect((await api(c, 'POST', '/apis/sim.wheelhouse.dev/v1alpha1/clocks/other/step', body(5))).status).toBe(404)
    expect((await api(c, 'GET', STEP)).status).toBe(405)
    expect(await now()).toBe(t0)
  })
})

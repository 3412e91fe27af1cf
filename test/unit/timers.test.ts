import { expect, it } from 'vitest'
import { retryDelay } from '../../worker/sim/timers'

it('retries failed timers after 1 s doubling to 5 min', () => {
  expect([0, 1, 2, 3, 8, 9, 20].map(retryDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000])
})

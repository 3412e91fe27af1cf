import { describe, expect, it } from 'vitest'
import { podBackoff, SchedulingQueue, UNSCHEDULABLE_FLUSH_MS } from './queue'

describe('scheduling queue', () => {
  it('pops by priority, then by arrival', () => {
    const q = new SchedulingQueue()
    q.add('ns/low', 0, 1)
    q.add('ns/high', 1000, 3)
    q.add('ns/early', 0, 0)
    q.add('ns/high2', 1000, 2)
    expect(q.pop(10, 5).map((p) => p.key)).toEqual(['ns/high2', 'ns/high', 'ns/early', 'ns/low'])
  })

  it('backs off 1 s doubling to 10 s per failed attempt', () => {
    expect([1, 2, 3, 4, 5, 6].map(podBackoff)).toEqual([1000, 2000, 4000, 8000, 10000, 10000])
  })

  it('keeps unschedulable pods until a cluster event, then respects their back-off', () => {
    const q = new SchedulingQueue()
    q.add('ns/a', 0, 0)
    const [a] = q.pop(1, 0)
    q.unschedulable(a!, 0)
    expect(q.pop(10, 500)).toEqual([])
    expect(q.nextWake(500)).toBe(UNSCHEDULABLE_FLUSH_MS)
    q.moveAllToActiveOrBackoff(500) // still backing off until 1,000
    expect(q.pop(10, 500)).toEqual([])
    expect(q.nextWake(500)).toBe(1000)
    expect(q.pop(10, 1000).map((p) => p.key)).toEqual(['ns/a'])
  })

  it('flushes pods left unschedulable for 5 minutes back into activeQ', () => {
    const q = new SchedulingQueue()
    q.add('ns/a', 0, 0)
    q.unschedulable(q.pop(1, 0)[0]!, 0)
    expect(q.pop(10, UNSCHEDULABLE_FLUSH_MS - 1)).toEqual([])
    expect(q.pop(10, UNSCHEDULABLE_FLUSH_MS).map((p) => [p.key, p.attempts])).toEqual([['ns/a', 1]])
  })

  it('re-adds an updated pod at once, keeping its attempts, and forgets a deleted one', () => {
    const q = new SchedulingQueue()
    q.add('ns/a', 0, 0)
    q.unschedulable(q.pop(1, 0)[0]!, 0)
    q.add('ns/a', 5, 2000)
    expect(q.pop(10, 2000)).toEqual([
      { key: 'ns/a', priority: 5, timestamp: 0, attempts: 1, backoffUntil: 1000 },
    ])
    q.add('ns/b', 0, 0)
    q.delete('ns/b')
    expect(q.has('ns/b')).toBe(false)
  })
})

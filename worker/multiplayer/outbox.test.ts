import { describe, expect, it } from 'vitest'
import { eventPart, eventsMessage, Outbox } from './outbox'
import { Flow } from './flow'
import { FLOW_LIMIT, FLOW_WINDOW } from './protocol'

describe('event parts', () => {
  it('builds the JSON of a FeedEvent around an object serialized once', () => {
    const object = { metadata: { name: 'a "quoted" name' } }
    const json = JSON.stringify(object)
    const msg = JSON.parse(eventsMessage([eventPart('s"1', 'ADDED', json, 'Ann ✨'), eventPart('s2', 'DELETED', json, undefined)]))
    expect(msg).toEqual({
      type: 'events',
      events: [
        { sub: 's"1', type: 'ADDED', by: 'Ann ✨', object },
        { sub: 's2', type: 'DELETED', object },
      ],
    })
  })
})

describe('Outbox', () => {
  it('batches events from the first one for BATCH_MS, then hands them over as one message', () => {
    const o = new Outbox()
    expect(o.due(1_000, 100)).toBe(false)
    o.push('{"n":1}', 1_000)
    o.push('{"n":2}', 1_050)
    expect(o.due(1_099, 100)).toBe(false)
    expect(o.due(1_100, 100)).toBe(true)
    expect(o.take()).toEqual(['{"type":"events","events":[{"n":1},{"n":2}]}'])
    expect(o.pending).toBe(false)
    expect(o.take()).toEqual([])
  })

  it('keeps a whole message after the events queued before it, and events after it in a new message', () => {
    const o = new Outbox()
    o.push('1', 0)
    o.queue('{"type":"bookmark"}', 1)
    o.push('2', 2)
    expect(o.take()).toEqual([eventsMessage(['1']), '{"type":"bookmark"}', eventsMessage(['2'])])
  })
})

describe('Flow', () => {
  it('opens the window while less than FLOW_WINDOW is unacknowledged and is over past FLOW_LIMIT', () => {
    const f = new Flow()
    f.onSend('x'.repeat(FLOW_WINDOW - 1))
    expect([f.open, f.over]).toEqual([true, false])
    f.onSend('x')
    expect(f.open).toBe(false)
    expect(f.onAck(10)).toBe(true)
    expect(f.unacked).toBe(FLOW_WINDOW - 10)
    expect(f.open).toBe(true)
    f.onSend('x'.repeat(FLOW_LIMIT))
    expect(f.over).toBe(true)
  })

  it('refuses acks beyond what was sent or not counts, and lets an older ack change nothing', () => {
    const f = new Flow()
    f.onSend('abc')
    expect(f.onAck(4)).toBe(false)
    expect(f.onAck(2)).toBe(true)
    expect(f.onAck(1)).toBe(true)
    expect(f.onAck(-1)).toBe(false)
    expect(f.onAck(1.5)).toBe(false)
    expect(f.acked).toBe(2)
  })

  it('re-bases on the first ack after waking: what was sent before hibernating counts as read', () => {
    const f = new Flow(true)
    f.onSend('abcd')
    expect(f.onAck(1_000_000)).toBe(true)
    expect(f.unacked).toBe(4)
    expect(f.onAck(1_000_004)).toBe(true)
    expect(f.unacked).toBe(0)
  })
})

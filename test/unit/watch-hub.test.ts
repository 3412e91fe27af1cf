// The hub's fan-out and catch-up, over an in-memory event log.
import { describe, expect, it } from 'vitest'
import { MAX_WATCH_BACKLOG, WatchHub, type WatchLog } from '../../worker/etcd/watch-hub'
import { StoreError, type WatchEvent, type WatchSink } from '../../worker/etcd/types'

class ArrayLog implements WatchLog {
  rows: WatchEvent[] = []
  compacted = 0
  currentRevision() {
    return this.rows.length
  }
  compactRevision() {
    return this.compacted
  }
  events(start: string, end: string, from: number, to: number, limit: number) {
    return this.rows.filter((e) => e.kv.modRevision >= from && e.kv.modRevision <= to && e.kv.key >= start && e.kv.key < end).slice(0, limit)
  }
  append(key: string, hub?: WatchHub): WatchEvent {
    const rev = this.rows.length + 1
    const e: WatchEvent = { type: 'PUT', kv: { key, value: String(rev), createRevision: rev, modRevision: rev, version: 1, lease: 0 } }
    this.rows.push(e)
    hub?.publish([e])
    return e
  }
}

function hubOver(log: ArrayLog) {
  return new WatchHub(log)
}

class Sink implements WatchSink {
  got: number[] = []
  closedWith: StoreError | undefined | null = null
  constructor(public room = Infinity) {}
  desiredSize() {
    return this.room - this.got.length
  }
  send(events: WatchEvent[]) {
    this.got.push(...events.map((e) => e.kv.modRevision))
  }
  close(err?: StoreError) {
    this.closedWith = err
  }
}

describe('WatchHub', () => {
  it('delivers only future events when started at 0, only in range', () => {
    const log = new ArrayLog()
    const hub = hubOver(log)
    log.append('/a/1', hub)
    const sink = new Sink()
    hub.add({ key: '/a/', end: '/a0' }, { startRevision: 0 }, sink)
    log.append('/a/2', hub)
    log.append('/b/1', hub)
    log.append('/a/3', hub)
    expect(sink.got).toEqual([2, 4])
  })

  it('catches up from the log under backpressure and hands over to live with no gap or duplicate', () => {
    const log = new ArrayLog()
    const hub = hubOver(log)
    for (let i = 0; i < 1200; i++) log.append(`/k/${i}`, hub)
    const sink = new Sink(600)
    const h = hub.add({ key: '/k/', end: '/k0' }, { startRevision: 1 }, sink)
    expect(sink.got.length).toBe(1000) // two pages of 500, then no room
    log.append('/k/late', hub) // not live yet: must come from the log later
    sink.room = Infinity
    h.pull()
    log.append('/k/live', hub)
    expect(sink.got).toEqual(Array.from({ length: 1202 }, (_, i) => i + 1))
  })

  it('refuses a start at or below the compaction revision, and closes a catch-up overtaken by compaction', () => {
    const log = new ArrayLog()
    const hub = hubOver(log)
    for (let i = 0; i < 10; i++) log.append(`/k/${i}`)
    log.compacted = 5
    expect(() => hub.add({ key: '/k/', end: '/k0' }, { startRevision: 5 }, new Sink())).toThrow(/compacted/)
    const sink = new Sink(0)
    const h = hub.add({ key: '/k/', end: '/k0' }, { startRevision: 6 }, sink)
    log.compacted = 8
    sink.room = Infinity
    h.pull()
    expect(sink.closedWith?.code).toBe('Compacted')
    expect(hub.size).toBe(0)
  })

  it('closes a live watcher that falls too far behind, leaving the others', () => {
    const log = new ArrayLog()
    const hub = hubOver(log)
    const slow = new Sink()
    slow.desiredSize = () => -MAX_WATCH_BACKLOG - 1
    const ok = new Sink()
    hub.add({ key: '/', end: '\0' }, { startRevision: 0 }, slow)
    hub.add({ key: '/', end: '\0' }, { startRevision: 0 }, ok)
    log.append('/x', hub)
    expect(slow.closedWith?.code).toBe('WatcherTooSlow')
    expect(ok.got).toEqual([1])
    expect(hub.size).toBe(1)
  })

  it('forgets a cancelled watcher', () => {
    const log = new ArrayLog()
    const hub = hubOver(log)
    const sink = new Sink()
    const h = hub.add({ key: '/', end: '\0' }, { startRevision: 0 }, sink)
    h.cancel()
    log.append('/x', hub)
    expect(sink.got).toEqual([])
    expect(hub.size).toBe(0)
  })
})

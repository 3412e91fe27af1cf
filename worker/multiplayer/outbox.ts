// What a socket is owed, batched: events wait at most BATCH_MS after the first
// of a batch, then go out as one `events` message. Event parts are JSON text
// built around the object's JSON, which is serialized once per store event and
// shared by every subscriber (string concatenation does not copy it in V8).

/** One FeedEvent as JSON text. */
export function eventPart(sub: string, type: string, objectJson: string, by: string | undefined): string {
  const head = `{"sub":${JSON.stringify(sub)},"type":"${type}",`
  return by === undefined ? `${head}"object":${objectJson}}` : `${head}"by":${JSON.stringify(by)},"object":${objectJson}}`
}

/** An `events` message of parts made by eventPart. */
export const eventsMessage = (parts: readonly string[]) => `{"type":"events","events":[${parts.join(',')}]}`

export class Outbox {
  #parts: string[] = []
  #messages: string[] = []
  /** Wall time of the oldest thing waiting, if anything waits. */
  firstAt: number | undefined

  get pending(): boolean {
    return this.firstAt !== undefined
  }

  /** Events waiting, for back-pressure and tests. */
  get size(): number {
    return this.#parts.length
  }

  /** One event for the next `events` message. */
  push(part: string, now: number): void {
    this.#parts.push(part)
    this.firstAt ??= now
  }

  /** A whole message (a bookmark) to go out after the events batched before it. */
  queue(message: string, now: number): void {
    if (this.#parts.length) {
      this.#messages.push(eventsMessage(this.#parts))
      this.#parts = []
    }
    this.#messages.push(message)
    this.firstAt ??= now
  }

  /** Whether the batch is due: BATCH_MS after its first entry. */
  due(now: number, batchMs: number): boolean {
    return this.firstAt !== undefined && now - this.firstAt >= batchMs
  }

  /** Everything waiting, as messages in order; the outbox is empty afterwards. */
  take(): string[] {
    const out = this.#messages
    if (this.#parts.length) out.push(eventsMessage(this.#parts))
    this.#parts = []
    this.#messages = []
    this.firstAt = undefined
    return out
  }
}

// Flow control for one socket. workerd's WebSocket has no bufferedAmount, so
// the client acks the characters it has received (protocol.ts: ack); what is
// sent and not yet acked is what the network or a slow client holds for us.
import { FLOW_LIMIT, FLOW_WINDOW } from './protocol'

export class Flow {
  /** Characters sent, and the client's count of characters received, on the same scale. */
  sent = 0
  acked = 0
  /**
   * After the object woke from hibernation the counts restarted at zero while the
   * client's did not: the first ack re-bases them (what was sent before is taken as read).
   */
  #rebase: boolean

  constructor(rebased = false) {
    this.#rebase = rebased
  }

  get unacked(): number {
    return Math.max(0, this.sent - this.acked)
  }

  /** Whether another page of a list or replay may go out now. */
  get open(): boolean {
    return this.unacked < FLOW_WINDOW
  }

  /** Past the bound: the socket is closed with 1013 rather than held in memory. */
  get over(): boolean {
    return this.unacked > FLOW_LIMIT
  }

  onSend(message: string): void {
    this.sent += message.length
  }

  /**
   * The client's ack; false when it makes no sense (not a count, or more than was ever sent).
   * An older ack arriving after a newer one changes nothing: the runtime does not always hand
   * a socket's messages to the object in the order they were sent (seen in workerd under load).
   */
  onAck(received: number): boolean {
    if (!Number.isSafeInteger(received) || received < 0) return false
    if (this.#rebase) {
      this.#rebase = false
      this.sent += received
      this.acked = received
      return true
    }
    if (received > this.sent) return false
    this.acked = Math.max(this.acked, received)
    return true
  }
}

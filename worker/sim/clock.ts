// The simulated clock. Simulated time runs at `speed` times wall time from an
// anchor, and stands still while paused. Every timing decision in the cluster
// and on its nodes reads `now()` from here; only the wall source below reads
// the real time, so tests can pause the clock and step it deterministically.

export interface ClockState {
  /** Simulated ms at the anchor. */
  simAnchor: number
  /** Wall ms at the anchor. */
  wallAnchor: number
  speed: number
  paused: boolean
}

export const MIN_SPEED = 0.1
export const MAX_SPEED = 1000

/** Where wall time comes from: Date.now in the objects, a variable in tests. */
export type WallSource = () => number
export const systemWall: WallSource = () => Date.now()

export function validateSpeed(speed: unknown): string | undefined {
  if (typeof speed !== 'number' || !Number.isFinite(speed)) return 'speed must be a number'
  if (speed < MIN_SPEED || speed > MAX_SPEED) return `speed must be between ${MIN_SPEED} and ${MAX_SPEED}`
  return undefined
}

export class Clock {
  #state: ClockState
  readonly #wall: WallSource

  constructor(state: ClockState | undefined, wall: WallSource = systemWall) {
    this.#wall = wall
    const w = wall()
    this.#state = state ?? { simAnchor: w, wallAnchor: w, speed: 1, paused: false }
  }

  /** Simulated milliseconds since the Unix epoch. */
  now(): number {
    const s = this.#state
    if (s.paused) return s.simAnchor
    return Math.floor(s.simAnchor + (this.#wall() - s.wallAnchor) * s.speed)
  }

  wallNow(): number {
    return this.#wall()
  }

  get speed(): number {
    return this.#state.speed
  }

  get paused(): boolean {
    return this.#state.paused
  }

  state(): ClockState {
    return { ...this.#state }
  }

  /** Re-anchors at the current instant so that a change applies from now on. */
  #reanchor(change: Partial<ClockState>): void {
    this.#state = { ...this.#state, simAnchor: this.now(), wallAnchor: this.#wall(), ...change }
  }

  setSpeed(speed: number): void {
    const problem = validateSpeed(speed)
    if (problem) throw new RangeError(problem)
    this.#reanchor({ speed })
  }

  pause(): void {
    if (!this.#state.paused) this.#reanchor({ paused: true })
  }

  resume(): void {
    if (this.#state.paused) this.#reanchor({ paused: false })
  }

  /** Moves simulated time forward by ms at once (tests, and a workshop's "step"). */
  step(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('step must be a non-negative number of ms')
    this.#reanchor({})
    this.#state.simAnchor += Math.floor(ms)
  }

  /** Wall ms until simulated time `at`; Infinity if it will never come because the clock is paused. */
  wallDelayUntil(at: number): number {
    const delta = at - this.now()
    if (delta <= 0) return 0
    if (this.#state.paused) return Infinity
    return Math.ceil(delta / this.#state.speed)
  }
}

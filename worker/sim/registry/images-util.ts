// Small builders for the catalog's data files.
import type { OutputLine, Stream } from './catalog'

/** Lines printed together at one moment. */
export function at(atMs: number, texts: string[], stream?: Stream): OutputLine[] {
  return texts.map((text) => (stream ? { atMs, text, stream } : { atMs, text }))
}

/** Lines printed one after another, stepMs apart, from startMs. */
export function spread(
  startMs: number,
  stepMs: number,
  texts: string[],
  stream?: Stream,
): OutputLine[] {
  return texts.map((text, i) =>
    stream ? { atMs: startMs + i * stepMs, text, stream } : { atMs: startMs + i * stepMs, text },
  )
}

export const MiB = 1024 * 1024
export const KB = 1000
export const MB = 1_000_000

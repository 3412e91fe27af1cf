// Seeded randomness for the statistic match: the same seed gives the same
// split, so a replayed run (or a test) sees the same endpoints chosen.

/** mulberry32: a small, fast 32-bit generator; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A seed from text (FNV-1a), for seeding per node and per call. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/**
 * How many of n packets a rule with match probability p takes: one draw each
 * for small batches, a normal approximation for large ones (thousands of
 * packets in one call must not cost thousands of draws per rule).
 */
export function binomial(n: number, p: number, random: () => number): number {
  if (n <= 0 || p <= 0) return 0
  if (p >= 1) return n
  if (n <= 256) {
    let k = 0
    for (let i = 0; i < n; i++) if (random() < p) k++
    return k
  }
  // Box-Muller.
  const u = Math.max(random(), Number.MIN_VALUE)
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
  return Math.min(n, Math.max(0, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))))
}

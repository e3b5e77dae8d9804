/**
 * Seeded uniform generator for shuffling. Local mulberry32 until @msae/core's RNG lands.
 */
export interface UniformSource {
  /** Uniform in [0, 1). */
  next(): number;
}

/** mulberry32: a 32-bit state advanced by 0x6D2B79F5 per draw, output-mixed (Tommy Ettinger). */
export function seededUniform(seed: number): UniformSource {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Fisher-Yates: for i from n-1 down to 1, swap a[i] with a[j], j uniform in [0, i]. */
export function shuffleInPlace(a: { length: number; [i: number]: number }, rng: UniformSource, n = a.length): void {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

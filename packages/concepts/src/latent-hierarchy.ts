import type { SparseCodes } from './sparse-codes.js';

/** Nesting level of a latent in a Matryoshka SAE: the first prefix that contains it. */
export function nestingLevel(latent: number, nesting: readonly number[]): { level: number; prefix: number } | null {
  for (let i = 0; i < nesting.length; i++) if (latent < nesting[i]) return { level: i, prefix: nesting[i] };
  return null;
}

/** A fine latent's coarse partner: P(parent active | child active) over the data rows. */
export interface ParentLink {
  index: number;
  coactivation: number;
}

/**
 * For every latent above the first nesting level: the latent of a coarser level that is most often
 * active together with it, scored by P(parent active | child active) = n(both) / n(child)
 * (ties: lower index). Latents of level 0, never-active latents and flat SAEs get null.
 * `weights` (optional, per row) lets near-duplicate rows count once: weight 0 skips a row.
 */
export function coactivationParents(codes: SparseCodes, nesting: readonly number[], weights?: ArrayLike<number>): (ParentLink | null)[] {
  const { dSae } = codes;
  const out: (ParentLink | null)[] = new Array(dSae).fill(null);
  if (nesting.length < 2) return out;
  const level = new Int32Array(dSae).fill(nesting.length);
  for (let j = 0; j < dSae; j++) level[j] = nestingLevel(j, nesting)?.level ?? nesting.length;
  const childCount = new Float64Array(dSae);
  const pairs: Map<number, number>[] = Array.from({ length: dSae }, () => new Map());
  for (let r = 0; r < codes.rows; r++) {
    const w = weights ? weights[r] : 1;
    if (w === 0) continue;
    const s = codes.rowStart[r];
    const e = codes.rowStart[r + 1];
    for (let p = s; p < e; p++) {
      const child = codes.latent[p];
      childCount[child] += w;
      if (level[child] === 0) continue;
      const m = pairs[child];
      for (let q = s; q < e; q++) {
        const other = codes.latent[q];
        if (level[other] >= level[child]) continue;
        m.set(other, (m.get(other) ?? 0) + w);
      }
    }
  }
  for (let j = 0; j < dSae; j++) {
    if (childCount[j] === 0 || pairs[j].size === 0) continue;
    let best = -1;
    let bestCount = -1;
    for (const [other, n] of pairs[j]) if (n > bestCount || (n === bestCount && other < best)) [best, bestCount] = [other, n];
    // P(parent | child) = n(parent & child) / n(child)
    out[j] = { index: best, coactivation: bestCount / childCount[j] };
  }
  return out;
}

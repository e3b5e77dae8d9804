import { maxActivation, typicalActivation, type LatentScales } from './latent-scales.js';
import { codeAt, type SparseCodes } from './sparse-codes.js';
import { applyEdit, type LatentEdit } from './steering-edits.js';

/** Where one latent's edited codes land relative to the range the reference data showed. */
export interface EditRange {
  latent: number;
  concept: string | null;
  /** Rows where the latent was active before the edit. */
  activeRows: number;
  /** Rows whose code the edit changed. */
  changedRows: number;
  /** Rows whose z' is above the largest observed activation, or below 0 (a ReLU code never is). */
  aboveMax: number;
  belowZero: number;
  /** Largest z' over the rows. */
  largestAfter: number;
  /** The latent's median and largest observed activation (the units). */
  typical: number;
  observedMax: number;
}

/** Apply each latent's edits to its codes of every row and count the rows that leave [0, observed max]. */
export function steeringRange(codes: SparseCodes, edits: readonly LatentEdit[], scales: LatentScales): EditRange[] {
  const latents = [...new Set(edits.map((e) => e.latent))];
  return latents.map((j) => {
    const mine = edits.filter((e) => e.latent === j);
    const max = maxActivation(scales, j);
    let activeRows = 0, changedRows = 0, aboveMax = 0, belowZero = 0;
    let largestAfter = 0;
    for (let r = 0; r < codes.rows; r++) {
      const z = codeAt(codes, r, j);
      if (z > 0) activeRows++;
      let zNew = z;
      for (const e of mine) zNew = applyEdit(zNew, e.op, e.value);
      if (zNew !== z) changedRows++;
      if (zNew > max * (1 + 1e-6)) aboveMax++;
      if (zNew < 0) belowZero++;
      if (zNew > largestAfter) largestAfter = zNew;
    }
    return { latent: j, concept: mine[0].concept ?? null, activeRows, changedRows, aboveMax, belowZero, largestAfter, typical: typicalActivation(scales, j), observedMax: max };
  });
}

/** One warning line per latent whose edit leaves the observed range (empty when every edit stays inside). */
export function rangeWarnings(ranges: readonly EditRange[], rows: number): string[] {
  const out: string[] = [];
  for (const r of ranges) {
    const name = `latent ${r.latent}${r.concept ? ` (${r.concept})` : ''}`;
    if (r.aboveMax > 0) {
      const times = r.observedMax > 0 ? ` = ${(r.largestAfter / r.observedMax).toFixed(1)} x its max` : ' (it never fired on the reference data)';
      out.push(`${name}: ${r.aboveMax} of ${rows} rows are pushed above the largest activation seen in the data (${r.observedMax.toFixed(3)}); largest z' ${r.largestAfter.toFixed(3)}${times}: outside the observed range`);
    }
    if (r.belowZero > 0) out.push(`${name}: ${r.belowZero} of ${rows} rows get a negative code, which the SAE never produces: outside the observed range`);
  }
  return out;
}

import type { Matrix } from '@msae/core';
import { AnalysisError } from './errors.js';

/** How much of a concept is left in rows after an edit meant to remove it. */
export interface ConceptResidue {
  /** Rows measured. */
  rows: number;
  /** Mean cos(x, t) before and after the edit, and the level of rows without the concept. */
  before: number;
  after: number;
  baseline: number;
  /** (after - baseline) / (before - baseline): 1 = untouched, 0 = down to the baseline; NaN when before <= baseline. */
  residue: number;
  /** The residue a concept needs to count as surviving. */
  threshold: number;
  survives: boolean;
  /** With a classifier: rows of the concept's class before and after. */
  classified?: { before: number; after: number };
}

/** Default residue above which a concept is reported as surviving an ablation. */
export const DEFAULT_SURVIVAL_THRESHOLD = 0.25;

/** cos(x_r, t) for each row of x. */
export function conceptScores(x: Matrix, direction: Float32Array): Float64Array {
  if (direction.length !== x.cols) throw new AnalysisError(`concept direction has ${direction.length} dimensions but the rows have ${x.cols}`);
  let tt = 0;
  for (const v of direction) tt += v * v;
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let dot = 0, xx = 0;
    for (let d = 0; d < x.cols; d++) {
      const v = x.data[r * x.cols + d];
      dot += v * direction[d];
      xx += v * v;
    }
    out[r] = xx > 0 && tt > 0 ? dot / Math.sqrt(xx * tt) : 0;
  }
  return out;
}

/**
 * The concept residue of an ablation: residue = (mean s(x') - b) / (mean s(x) - b) with s = cos(., t) over the
 * edited rows and b = the baseline (e.g. the mean score of a reference collection).
 */
export function conceptResidue(input: { x: Matrix; steered: Matrix; direction: Float32Array; baseline: number; threshold?: number; classified?: { before: number; after: number } }): ConceptResidue {
  const before = mean(conceptScores(input.x, input.direction));
  const after = mean(conceptScores(input.steered, input.direction));
  const threshold = input.threshold ?? DEFAULT_SURVIVAL_THRESHOLD;
  const span = before - input.baseline;
  const residue = span > 0 ? (after - input.baseline) / span : Number.NaN;
  const classSurvives = input.classified ? input.classified.after > input.classified.before / 2 : false;
  return { rows: input.x.rows, before, after, baseline: input.baseline, residue, threshold, survives: residue >= threshold || classSurvives, ...(input.classified ? { classified: input.classified } : {}) };
}

/** In words: whether the concept survived, and by how much. */
export function residueVerdict(concept: string, r: ConceptResidue): string {
  if (Number.isNaN(r.residue)) return `"${concept}" was not above its baseline in these rows (mean cos ${r.before.toFixed(4)} vs ${r.baseline.toFixed(4)}): nothing to remove`;
  const pct = (100 * r.residue).toFixed(0);
  const cls = r.classified ? `; ${r.classified.after} of ${r.classified.before} rows still classified as "${concept}"` : '';
  return r.survives
    ? `"${concept}" SURVIVES the ablation: ${pct}% of its text similarity above baseline remains${cls} (survival: residue >= ${(100 * r.threshold).toFixed(0)}% or over half the class decisions kept); the concept lives in other latents too`
    : `"${concept}" removed: ${pct}% of its text similarity above baseline remains${cls}`;
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length ? s / a.length : 0;
}

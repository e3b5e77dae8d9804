import { ArgumentError } from './errors.js';
import type { Matrix } from './matrix.js';
import { createRng, type Rng } from './rng.js';

/**
 * Built-in demo data: deterministic SYNTHETIC CLIP-like embeddings (not real CLIP outputs).
 *
 * Like real CLIP embeddings the rows are unit norm and share a common mean direction. The content is
 * a planted hierarchy: `coarse` concepts, each with `finePerCoarse` children whose directions lean
 * towards their parent. A row activates one or two coarse concepts, usually with one of their children,
 * with random magnitudes, plus a little isotropic noise:
 *   x = normalize( a0 mu + sum_c a_c C_c + sum_f b_f F_f + sigma eps ),  F_f = normalize(rho C_parent + sqrt(1-rho^2) u_f).
 */
export interface DemoDataOptions {
  rows: number;
  /** Embedding dimension (default 512, like CLIP ViT-B). */
  dIn?: number;
  /** Seed of the concept dictionary: train and val sets must share it. */
  dictionarySeed?: number;
  /** Seed of the sampled rows. */
  seed?: number;
  coarse?: number;
  finePerCoarse?: number;
  /** Per-dimension noise standard deviation before normalization. */
  noise?: number;
}

export interface DemoData {
  x: Matrix;
  /** Primary coarse concept of each row. */
  coarseLabel: Int32Array;
  /** Primary fine concept of each row (index in 0..coarse*finePerCoarse-1), or -1 when the row has none. */
  fineLabel: Int32Array;
  /** Unit directions: mean, coarse [coarse, dIn], fine [coarse*finePerCoarse, dIn]. */
  dictionary: { mean: Float32Array; coarse: Matrix; fine: Matrix };
}

export const DEMO_DEFAULTS = {
  dIn: 512,
  dictionarySeed: 20250227,
  coarse: 48,
  finePerCoarse: 8,
  noise: 0.004,
  /** Similarity of a child direction to its parent: cos(F_f, C_parent). */
  parentSimilarity: 0.6,
  /** Weight of the shared mean direction before normalization (real CLIP rows sit ~0.5-0.8 from their mean). */
  meanWeight: 1.1,
} as const;

function unitRandom(rng: Rng, dIn: number): Float32Array {
  const v = new Float32Array(dIn);
  let norm = 0;
  for (let d = 0; d < dIn; d++) {
    v[d] = rng.normal();
    norm += v[d] * v[d];
  }
  norm = Math.sqrt(norm);
  for (let d = 0; d < dIn; d++) v[d] /= norm;
  return v;
}

function buildDictionary(dIn: number, coarse: number, finePerCoarse: number, seed: number) {
  const rng = createRng(seed);
  const mean = unitRandom(rng, dIn);
  const coarseDirs = new Float32Array(coarse * dIn);
  const fineDirs = new Float32Array(coarse * finePerCoarse * dIn);
  const rho = DEMO_DEFAULTS.parentSimilarity;
  const rest = Math.sqrt(1 - rho * rho);
  for (let c = 0; c < coarse; c++) {
    const parent = unitRandom(rng, dIn);
    coarseDirs.set(parent, c * dIn);
    for (let f = 0; f < finePerCoarse; f++) {
      const u = unitRandom(rng, dIn);
      const child = new Float32Array(dIn);
      let norm = 0;
      // F = rho C + sqrt(1 - rho^2) u, then renormalized.
      for (let d = 0; d < dIn; d++) {
        child[d] = rho * parent[d] + rest * u[d];
        norm += child[d] * child[d];
      }
      norm = Math.sqrt(norm);
      for (let d = 0; d < dIn; d++) child[d] /= norm;
      fineDirs.set(child, (c * finePerCoarse + f) * dIn);
    }
  }
  return {
    mean,
    coarse: { data: coarseDirs, rows: coarse, cols: dIn },
    fine: { data: fineDirs, rows: coarse * finePerCoarse, cols: dIn },
  };
}

function addScaled(target: Float64Array, source: Float32Array, offset: number, scale: number): void {
  for (let d = 0; d < target.length; d++) target[d] += scale * source[offset + d];
}

/** Generate `rows` synthetic CLIP-like embeddings (see the module comment). Deterministic in the seeds. */
export function generateDemoEmbeddings(options: DemoDataOptions): DemoData {
  const dIn = options.dIn ?? DEMO_DEFAULTS.dIn;
  const coarse = options.coarse ?? DEMO_DEFAULTS.coarse;
  const finePerCoarse = options.finePerCoarse ?? DEMO_DEFAULTS.finePerCoarse;
  const noise = options.noise ?? DEMO_DEFAULTS.noise;
  if (!Number.isInteger(options.rows) || options.rows <= 0) throw new ArgumentError(`demo data`, `rows must be a positive integer, got ${options.rows}`);
  const dictionary = buildDictionary(dIn, coarse, finePerCoarse, options.dictionarySeed ?? DEMO_DEFAULTS.dictionarySeed);
  const rng = createRng(options.seed ?? 1);
  const x = new Float32Array(options.rows * dIn);
  const coarseLabel = new Int32Array(options.rows);
  const fineLabel = new Int32Array(options.rows);
  const row = new Float64Array(dIn);
  for (let r = 0; r < options.rows; r++) {
    row.fill(0);
    addScaled(row, dictionary.mean, 0, DEMO_DEFAULTS.meanWeight * rng.uniformRange(0.85, 1.15));
    const concepts = rng.uniform() < 0.4 ? 2 : 1;
    for (let i = 0; i < concepts; i++) {
      const c = rng.int(coarse);
      const primary = i === 0;
      const strength = primary ? 1 : rng.uniformRange(0.3, 0.7);
      addScaled(row, dictionary.coarse.data, c * dIn, strength * rng.uniformRange(0.4, 1.0));
      let fine = -1;
      if (rng.uniform() < 0.8) {
        fine = c * finePerCoarse + rng.int(finePerCoarse);
        addScaled(row, dictionary.fine.data, fine * dIn, strength * rng.uniformRange(0.4, 1.0));
      }
      if (primary) {
        coarseLabel[r] = c;
        fineLabel[r] = fine;
      }
    }
    for (let d = 0; d < dIn; d++) row[d] += noise * rng.normal();
    let norm = 0;
    for (let d = 0; d < dIn; d++) norm += row[d] * row[d];
    norm = Math.sqrt(norm);
    for (let d = 0; d < dIn; d++) x[r * dIn + d] = row[d] / norm;
  }
  return { x: { data: x, rows: options.rows, cols: dIn }, coarseLabel, fineLabel, dictionary };
}

/** The trainer's built-in demo split: a training set and a validation set from the same dictionary. */
export function demoDataset(sizes: { train?: number; val?: number } = {}): { train: DemoData; val: DemoData } {
  return {
    train: generateDemoEmbeddings({ rows: sizes.train ?? 16384, seed: 1 }),
    val: generateDemoEmbeddings({ rows: sizes.val ?? 2048, seed: 2 }),
  };
}

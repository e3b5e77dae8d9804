/**
 * Random inputs for one conformance config, regenerated until every selection has a clear margin: no
 * pre-activation within MARGIN x rms(pre) of 0 and no TopK boundary that close to a tie (about 10x the float32
 * rounding of a pre-activation here), at the initial parameters and after the first training step, and no non-zero
 * gradient entry below 1e-5 x max of its tensor, so float32 rounding cannot flip a selection or a step direction.
 */
import type { SaeConfig } from '../config.js';
import type { AdamState, SaeParams } from '../engine.js';
import { getArchitecture, ownK } from '../architectures/registry.js';
import { projectDecoderGradient, renormalizeDecoder } from '../optimizer.js';
import { PARAM_NAMES, cloneParams, zeroParams } from '../params.js';
import { createReferenceEngine, referenceForward, referenceGradients } from '../reference-engine.js';
import { Rng } from '../rng.js';
import type { ConformanceConfig } from './configs.js';

export interface Fixture {
  config: SaeConfig;
  rows: number;
  params: SaeParams;
  x: Float32Array;
  adamResumed: AdamState;
  /** The k values of the encode case (undefined = every positive code). */
  encodeKs: (number | undefined)[];
  seed: number;
}

const MARGIN = 1e-5;

function randomParams(config: SaeConfig, rng: Rng): SaeParams {
  const { dIn, dSae } = config;
  const W_dec = new Float32Array(dSae * dIn);
  for (let j = 0; j < dSae; j++) {
    const norm = 0.5 + rng.uniform(); // rows of norm != 1 so the renormalization matters
    let sq = 0;
    const row = new Float64Array(dIn).map(() => rng.normal());
    for (const v of row) sq += v * v;
    for (let d = 0; d < dIn; d++) W_dec[j * dIn + d] = (row[d] * norm) / Math.sqrt(sq);
  }
  return {
    W_enc: new Float32Array(dIn * dSae).map(() => rng.normal() / Math.sqrt(dIn)),
    b_enc: new Float32Array(dSae).map(() => 0.3 * rng.normal()),
    W_dec,
    b_dec: new Float32Array(dIn).map(() => 0.2 * rng.normal()),
  };
}

function randomAdam(config: SaeConfig, rng: Rng): AdamState {
  const shaped = (draw: () => number): SaeParams => {
    const p = zeroParams(config);
    for (const n of PARAM_NAMES) for (let i = 0; i < p[n].length; i++) p[n][i] = draw();
    return p;
  };
  // moments of a plausible run: m ~ 1e-3 N(0, 1), v in 1e-6 [0.5, 1.5)
  return { m: shaped(() => 1e-3 * rng.normal()), v: shaped(() => 1e-6 * (0.5 + rng.uniform())), step: 5 };
}

/** Every selection boundary the cases exercise has a gap >= MARGIN * rms(pre), and no pre is within it of 0. */
function marginsOk(config: SaeConfig, params: SaeParams, x: Float32Array, rows: number, ks: number[]): boolean {
  const f = referenceForward(config, params, x, rows);
  const { dSae } = config;
  let ss = 0;
  for (const v of f.pre) ss += v * v;
  const m = MARGIN * Math.sqrt(ss / f.pre.length);
  for (const v of f.pre) if (Math.abs(v) < m) return false;
  const rowKs = ks.filter((k) => k < dSae);
  const sorted = new Float64Array(dSae);
  for (let b = 0; b < rows; b++) {
    sorted.set(f.acts.subarray(b * dSae, (b + 1) * dSae));
    sorted.sort().reverse();
    for (const k of rowKs) if (sorted[k - 1] > 0 && sorted[k - 1] - sorted[k] < m) return false;
  }
  if (getArchitecture(config.architecture).activation.train === 'batch-topk') {
    const all = Float64Array.from(f.acts).sort().reverse();
    const c = config.k * rows;
    if (c < all.length && all[c - 1] > 0 && all[c - 1] - all[c] < m) return false;
  }
  return true;
}

/**
 * The first AdamW step from zero moments moves each parameter by lr * g / (|g| + eps): a sign-like function of
 * g. Require every non-zero (projected) gradient entry to be >= 1e-5 * max |g| of its tensor, so float32 noise in
 * the gradient cannot flip a sign or land near eps.
 */
function gradientsClearOfZero(config: SaeConfig, params: SaeParams, x: Float32Array, rows: number): boolean {
  const grads = referenceGradients(config, params, x, referenceForward(config, params, x, rows));
  const unit = cloneParams(params);
  renormalizeDecoder(unit, config.dIn, config.dSae);
  projectDecoderGradient(grads.W_dec, unit.W_dec, config.dSae, config.dIn);
  for (const n of PARAM_NAMES) {
    let max = 0;
    for (const g of grads[n]) max = Math.max(max, Math.abs(g));
    for (const g of grads[n]) if (g !== 0 && Math.abs(g) < 1e-5 * max) return false;
  }
  return true;
}

async function afterOneStep(config: SaeConfig, params: SaeParams, adam: AdamState | undefined, x: Float32Array, rows: number, lr: number): Promise<SaeParams> {
  const ref = createReferenceEngine();
  await ref.load({ config, params, adam });
  await ref.trainStep(x, rows, lr);
  return (await ref.exportState()).params;
}

/** The seeded inputs of config number `index` (the first of seeds 7919 (index + 1) + attempt with clear margins). */
export async function makeFixture(c: ConformanceConfig, index: number, lr: number): Promise<Fixture> {
  const { config, rows } = c;
  // a budget below d_sae: the architecture's own k, or 16 when its own k is every code (relu)
  const own = ownK(config);
  const encodeKs = [1, 3, own < config.dSae ? own : 16, config.dSae - 1, config.dSae, undefined];
  const ks = [...new Set([...config.nesting, ...encodeKs.filter((k): k is number => k !== undefined)])];
  for (let attempt = 0; attempt < 500; attempt++) {
    const seed = 7919 * (index + 1) + attempt;
    const rng = new Rng(seed);
    const params = randomParams(config, rng);
    const x = new Float32Array(rows * config.dIn).map(() => rng.normal());
    const adamResumed = randomAdam(config, rng);
    if (!marginsOk(config, params, x, rows, ks)) continue;
    if (!gradientsClearOfZero(config, params, x, rows)) continue;
    // the two-step case runs a second step at the parameters after the first
    if (!marginsOk(config, await afterOneStep(config, params, adamResumed, x, rows, lr), x, rows, ks)) continue;
    return { config, rows, params, x, adamResumed, encodeKs, seed };
  }
  throw new Error(`conformance: could not generate inputs with clear TopK margins for ${c.name}`);
}

/**
 * Random inputs for one conformance config, regenerated until every selection has a clear margin: no
 * pre-activation within MARGIN x rms(pre) of 0 and no TopK boundary that close to a tie (about 10x the float32
 * rounding of a pre-activation here), at the initial parameters and after the first training step, and no non-zero
 * gradient entry below 1e-5 x max of its tensor, so float32 rounding cannot flip a selection or a step direction.
 */
import type { SaeConfig } from '../config.js';
import type { AdamState, SaeParams } from '../engine.js';
import { getArchitecture, ownK } from '../architectures/registry.js';
import { projectDecoderGradient, renormalizeDecoder, zeroAdamState } from '../optimizer.js';
import { auxKEnabled, deadLatentMask } from '../aux-k.js';
import { cloneParams, hasThreshold, paramNamesOf, zeroParams } from '../params.js';
import { createReferenceEngine, referenceForward, referenceGradients } from '../reference-engine.js';
import { Rng } from '../rng.js';
import type { ConformanceConfig } from './configs.js';

export interface Fixture {
  config: SaeConfig;
  rows: number;
  params: SaeParams;
  x: Float32Array;
  adamResumed: AdamState;
  /** Adam state of the "fresh" cases: undefined, or (AuxK configs) zero moments with the fixture's dead-latent counts. */
  startAdam: AdamState | undefined;
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
  const params: SaeParams = {
    W_enc: new Float32Array(dIn * dSae).map(() => rng.normal() / Math.sqrt(dIn)),
    b_enc: new Float32Array(dSae).map(() => 0.3 * rng.normal()),
    W_dec,
    b_dec: new Float32Array(dIn).map(() => 0.2 * rng.normal()),
  };
  // jumprelu: theta = exp(log_threshold) spread around 0.3, so some codes fall below it and some inside the kernel band
  if (hasThreshold(config)) params.log_threshold = new Float32Array(dSae).map(() => Math.log(0.3) + 0.5 * rng.normal());
  return params;
}

function randomAdam(config: SaeConfig, rng: Rng): AdamState {
  const shaped = (draw: () => number): SaeParams => {
    const p = zeroParams(config);
    for (const n of paramNamesOf(p)) for (let i = 0; i < p[n]!.length; i++) p[n]![i] = draw();
    return p;
  };
  // moments of a plausible run: m ~ 1e-3 N(0, 1), v in 1e-6 [0.5, 1.5)
  return { m: shaped(() => 1e-3 * rng.normal()), v: shaped(() => 1e-6 * (0.5 + rng.uniform())), step: 5 };
}

/** Every selection boundary the cases exercise has a gap >= MARGIN * rms(pre), and no pre is within it of 0. */
function marginsOk(config: SaeConfig, params: SaeParams, x: Float32Array, rows: number, ks: number[], dead?: Uint8Array): boolean {
  const f = referenceForward(config, params, x, rows, dead);
  const { dSae } = config;
  let ss = 0;
  for (const v of f.pre) ss += v * v;
  const m = MARGIN * Math.sqrt(ss / f.pre.length);
  for (const v of f.pre) if (Math.abs(v) < m) return false;
  if (f.theta) {
    // jumprelu: no pre within m of its threshold, nor of the kernel band's edges theta +- eps/2
    const half = (config.bandwidth ?? 0) / 2;
    for (let e = 0; e < f.pre.length; e++) {
      const u = Math.abs(f.pre[e] - f.theta[e % dSae]);
      if (u < m || Math.abs(u - half) < m) return false;
    }
  }
  const rowKs = ks.filter((k) => k < dSae);
  const sorted = new Float64Array(dSae);
  for (let b = 0; b < rows; b++) {
    sorted.set(f.acts.subarray(b * dSae, (b + 1) * dSae));
    sorted.sort().reverse();
    for (const k of rowKs) if (sorted[k - 1] > 0 && sorted[k - 1] - sorted[k] < m) return false;
  }
  const train = getArchitecture(config.architecture).activation.train;
  if (train === 'batch-topk' || train === 'batch-topk-prefix') {
    const all = Float64Array.from(f.acts).sort().reverse();
    const c = config.k * rows;
    if (c < all.length && all[c - 1] > 0 && all[c - 1] - all[c] < m) return false;
  }
  if (f.aux && dead) {
    // the AuxK boundary: the kAux-th and (kAux+1)-th largest dead activations of each row
    const kAux = Math.min(config.auxK!, f.aux.dead);
    const vals: number[] = [];
    for (let b = 0; b < rows; b++) {
      vals.length = 0;
      for (let j = 0; j < dSae; j++) if (dead[j]) vals.push(f.acts[b * dSae + j]);
      vals.sort((p, q) => q - p);
      if (kAux < vals.length && vals[kAux - 1] > 0 && vals[kAux - 1] - vals[kAux] < m) return false;
    }
  }
  return true;
}

/**
 * The first AdamW step from zero moments moves each parameter by lr * g / (|g| + eps): a sign-like function of
 * g. Require every non-zero (projected) gradient entry to be >= 1e-5 * max |g| of its tensor, so float32 noise in
 * the gradient cannot flip a sign or land near eps.
 */
function gradientsClearOfZero(config: SaeConfig, params: SaeParams, x: Float32Array, rows: number, dead?: Uint8Array): boolean {
  const grads = referenceGradients(config, params, x, referenceForward(config, params, x, rows, dead));
  const unit = cloneParams(params);
  renormalizeDecoder(unit, config.dIn, config.dSae);
  projectDecoderGradient(grads.W_dec, unit.W_dec, config.dSae, config.dIn);
  for (const n of paramNamesOf(grads)) {
    let max = 0;
    for (const g of grads[n]!) max = Math.max(max, Math.abs(g));
    for (const g of grads[n]!) if (g !== 0 && Math.abs(g) < 1e-5 * max) return false;
  }
  return true;
}

async function afterOneStep(config: SaeConfig, params: SaeParams, adam: AdamState | undefined, x: Float32Array, rows: number, lr: number): Promise<{ params: SaeParams; dead?: Uint8Array }> {
  const ref = createReferenceEngine();
  await ref.load({ config, params, adam });
  await ref.trainStep(x, rows, lr);
  const after = await ref.exportState();
  const since = after.adam.samplesSinceFired;
  return { params: after.params, dead: since ? deadLatentMask(since, config.deadAfter!) : undefined };
}

/** AuxK counts: about half the latents dead (s = deadAfter), the rest at random counts below it. */
function randomSamplesSinceFired(config: SaeConfig, rng: Rng): Float32Array {
  const deadAfter = config.deadAfter!;
  return new Float32Array(config.dSae).map(() => (rng.uniform() < 0.5 ? deadAfter : Math.floor(rng.uniform() * deadAfter)));
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
    let startAdam: AdamState | undefined;
    let dead: Uint8Array | undefined;
    if (auxKEnabled(config)) {
      const since = randomSamplesSinceFired(config, rng);
      adamResumed.samplesSinceFired = since;
      startAdam = { ...zeroAdamState(config), samplesSinceFired: since.slice() };
      dead = deadLatentMask(since, config.deadAfter!);
    }
    if (!marginsOk(config, params, x, rows, ks, dead)) continue;
    if (!gradientsClearOfZero(config, params, x, rows, dead)) continue;
    // the two-step case runs a second step at the parameters (and dead counts) after the first
    const next = await afterOneStep(config, params, adamResumed, x, rows, lr);
    if (!marginsOk(config, next.params, x, rows, ks, next.dead)) continue;
    if (startAdam && !marginsOk(config, (await afterOneStep(config, params, startAdam, x, rows, lr)).params, x, rows, ks, next.dead)) continue;
    return { config, rows, params, x, adamResumed, startAdam, encodeKs, seed };
  }
  throw new Error(`conformance: could not generate inputs with clear TopK margins for ${c.name}`);
}

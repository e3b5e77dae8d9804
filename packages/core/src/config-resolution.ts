import type { Architecture, ReconLoss, SaeConfig, Weighting } from './config.js';
import { nestingList } from './nesting.js';
import { levelWeights } from './weighting.js';

export const ARCHITECTURES: readonly Architecture[] = ['relu', 'topk', 'batchtopk', 'msae'];
export const WEIGHTINGS: readonly Weighting[] = ['uw', 'rw'];
export const RECON_LOSSES: readonly ReconLoss[] = ['nmse', 'mse'];

/** Default k (TopK k, BatchTopK k, MSAE k0). */
export const DEFAULT_K = 64;
/** Default expansion factor: dSae = expansion * dIn. */
export const DEFAULT_EXPANSION = 8;
/** Default L1 weight of the relu architecture. */
export const DEFAULT_RELU_L1 = 0.003;

/** User-facing options; everything but dIn and architecture has a per-architecture default. */
export interface ConfigOptions {
  dIn: number;
  architecture: Architecture;
  /** topk/batchtopk k or msae k0 (default 64, capped at dSae). Ignored by relu (its k is dSae). */
  k?: number;
  /** dSae = expansion * dIn (default 8). Give either expansion or dSae. */
  expansion?: number;
  dSae?: number;
  /** msae only (default rw); other architectures have one level and use uw. */
  weighting?: Weighting;
  /** Default nmse. */
  loss?: ReconLoss;
  /** relu only (default 0.003); must be 0/absent for the other architectures. */
  l1?: number;
  /** msae only: explicit ascending nesting list overriding k0, 2k0, ... (must end at or below dSae). */
  nesting?: number[];
}

export interface Hyperparameters {
  lr: number;
  l1: number;
  batchSize: number;
}

/** Per-architecture training defaults: lr 1e-4 msae, 5e-4 topk/batchtopk, 5e-5 (+ l1 0.003) relu; batch 4096. */
export function defaultHyperparameters(architecture: Architecture): Hyperparameters {
  switch (architecture) {
    case 'msae':
      return { lr: 1e-4, l1: 0, batchSize: 4096 };
    case 'topk':
    case 'batchtopk':
      return { lr: 5e-4, l1: 0, batchSize: 4096 };
    case 'relu':
      return { lr: 5e-5, l1: DEFAULT_RELU_L1, batchSize: 4096 };
    default:
      throw new Error(`unknown architecture '${String(architecture)}' (expected ${ARCHITECTURES.join(', ')})`);
  }
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`config: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** Resolve user options into a full SaeConfig (nesting and weights filled in), validating every field. */
export function resolveConfig(opts: ConfigOptions): SaeConfig {
  const dIn = positiveInt('dIn', opts.dIn);
  const architecture = opts.architecture;
  if (!ARCHITECTURES.includes(architecture)) {
    throw new Error(`config: unknown architecture '${String(architecture)}' (expected ${ARCHITECTURES.join(', ')})`);
  }
  if (opts.dSae !== undefined && opts.expansion !== undefined && opts.dSae !== Math.round(opts.expansion * dIn)) {
    throw new Error(`config: give either dSae (${opts.dSae}) or expansion (${opts.expansion}), not both`);
  }
  let dSae: number;
  if (opts.dSae !== undefined) dSae = positiveInt('dSae', opts.dSae);
  else {
    const expansion = opts.expansion ?? DEFAULT_EXPANSION;
    if (!(typeof expansion === 'number' && expansion > 0 && Number.isFinite(expansion))) {
      throw new Error(`config: expansion must be a positive number, got ${String(expansion)}`);
    }
    dSae = Math.round(expansion * dIn);
    if (dSae < 1) throw new Error(`config: expansion ${expansion} x dIn ${dIn} gives no latents`);
  }
  const loss = opts.loss ?? 'nmse';
  if (!RECON_LOSSES.includes(loss)) throw new Error(`config: unknown loss '${String(loss)}' (expected nmse or mse)`);
  if (opts.weighting !== undefined && !WEIGHTINGS.includes(opts.weighting)) {
    throw new Error(`config: unknown weighting '${String(opts.weighting)}' (expected uw or rw)`);
  }
  if (opts.l1 !== undefined && !(typeof opts.l1 === 'number' && opts.l1 >= 0 && Number.isFinite(opts.l1))) {
    throw new Error(`config: l1 must be a non-negative number, got ${String(opts.l1)}`);
  }
  if (architecture !== 'relu' && opts.l1) throw new Error(`config: l1 applies only to the relu architecture (got l1 ${opts.l1} with ${architecture})`);
  if (architecture !== 'msae' && opts.nesting !== undefined) throw new Error(`config: nesting applies only to the msae architecture`);

  let config: SaeConfig;
  if (architecture === 'relu') {
    config = { dIn, dSae, architecture, k: dSae, nesting: [dSae], weights: [1], weighting: 'uw', loss, l1: opts.l1 ?? DEFAULT_RELU_L1 };
  } else {
    const k = opts.k === undefined ? Math.min(DEFAULT_K, dSae) : positiveInt('k', opts.k);
    if (k > dSae) throw new Error(`config: k (${k}) must be <= d_sae (${dSae})`);
    if (architecture === 'msae') {
      const weighting = opts.weighting ?? 'rw';
      const nesting = opts.nesting ? opts.nesting.slice() : nestingList(k, dSae);
      config = { dIn, dSae, architecture, k: nesting[0], nesting, weights: levelWeights(nesting.length, weighting), weighting, loss, l1: 0 };
    } else {
      config = { dIn, dSae, architecture, k, nesting: [k], weights: [1], weighting: 'uw', loss, l1: 0 };
    }
  }
  validateConfig(config);
  return config;
}

/** Check a SaeConfig's internal consistency (engines call this in load); throws a one-line Error. */
export function validateConfig(c: SaeConfig, context = 'config'): void {
  if (c === null || typeof c !== 'object') throw new Error(`${context}: expected an object`);
  positiveInt(`${context}.dIn`, c.dIn);
  positiveInt(`${context}.dSae`, c.dSae);
  if (!ARCHITECTURES.includes(c.architecture)) throw new Error(`${context}: unknown architecture '${String(c.architecture)}'`);
  positiveInt(`${context}.k`, c.k);
  if (c.k > c.dSae) throw new Error(`${context}: k (${c.k}) must be <= d_sae (${c.dSae})`);
  if (!RECON_LOSSES.includes(c.loss)) throw new Error(`${context}: unknown loss '${String(c.loss)}'`);
  if (!WEIGHTINGS.includes(c.weighting)) throw new Error(`${context}: unknown weighting '${String(c.weighting)}'`);
  if (!(typeof c.l1 === 'number' && c.l1 >= 0 && Number.isFinite(c.l1))) throw new Error(`${context}: l1 must be a non-negative number`);
  if (!Array.isArray(c.nesting) || c.nesting.length === 0) throw new Error(`${context}: nesting must be a non-empty array`);
  if (!Array.isArray(c.weights) || c.weights.length !== c.nesting.length) {
    throw new Error(`${context}: weights (${Array.isArray(c.weights) ? c.weights.length : 'missing'}) must have one entry per nesting level (${c.nesting.length})`);
  }
  let prev = 0;
  for (const k of c.nesting) {
    if (!Number.isInteger(k) || k <= prev || k > c.dSae) {
      throw new Error(`${context}: nesting [${c.nesting.join(', ')}] must be strictly ascending positive integers <= d_sae (${c.dSae})`);
    }
    prev = k;
  }
  for (const w of c.weights) {
    if (!(typeof w === 'number' && w >= 0 && Number.isFinite(w))) throw new Error(`${context}: weights must be non-negative numbers`);
  }
  if (!(c.weights.reduce((a, b) => a + b, 0) > 0)) throw new Error(`${context}: weights must not all be 0`);
  if (c.architecture !== 'msae' && c.nesting.length !== 1) throw new Error(`${context}: ${c.architecture} has exactly one nesting level`);
  if ((c.architecture === 'topk' || c.architecture === 'batchtopk') && c.nesting[0] !== c.k) {
    throw new Error(`${context}: ${c.architecture} nesting must be [k]`);
  }
  if (c.architecture === 'relu' && c.nesting[0] !== c.dSae) throw new Error(`${context}: relu nesting must be [d_sae]`);
  if (c.architecture !== 'relu' && c.l1 !== 0) throw new Error(`${context}: l1 applies only to relu`);
}

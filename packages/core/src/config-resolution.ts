import type { ReconLoss, SaeConfig, Weighting } from './config.js';
import { ARCHITECTURES, architecturesWithOption, getArchitecture, type Architecture } from './architectures/registry.js';
import { ConfigError } from './errors.js';
import { DEFAULT_AUX_WEIGHT, DEFAULT_DEAD_AFTER, MAX_DEAD_AFTER, defaultAuxK } from './aux-k.js';

export const WEIGHTINGS: readonly Weighting[] = ['uw', 'rw'];
export const RECON_LOSSES: readonly ReconLoss[] = ['nmse', 'mse'];
/** Default reconstruction loss (the first of RECON_LOSSES). */
export const DEFAULT_LOSS: ReconLoss = RECON_LOSSES[0];

/** Default expansion factor: dSae = expansion * dIn. */
export const DEFAULT_EXPANSION = 8;

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
  /** AuxK on when any of these is given (every architecture but relu): auxK default d_in/2, auxWeight 1/32, deadAfter 1e6. auxWeight 0 = off. */
  auxK?: number;
  auxWeight?: number;
  deadAfter?: number;
  /** matryoshka-batchtopk: latent group sizes (counts or fractions; default 1/16, 1/16, 1/8, 1/4, 1/2) and their loss weights (default 1 each). */
  groups?: number[];
  groupWeights?: number[];
  /** jumprelu: L0 coefficient (default 1e-3), STE kernel bandwidth (default 1e-3), initial threshold (default 1e-3). */
  l0?: number;
  bandwidth?: number;
  initThreshold?: number;
}

export interface Hyperparameters {
  lr: number;
  l1: number;
  batchSize: number;
}

/** Per-architecture training defaults (from the registry): lr 1e-4 msae, 5e-4 topk/batchtopk, 5e-5 (+ l1 0.003) relu; batch 4096. */
export function defaultHyperparameters(architecture: Architecture): Hyperparameters {
  const { lr, l1, batchSize } = getArchitecture(architecture).defaults;
  return { lr, l1, batchSize };
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError('config', `${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** "the relu architecture" / "the a, b architectures": who accepts an option, for messages. */
function whoAccepts(option: 'l1' | 'nesting' | 'auxK' | 'groups' | 'threshold'): string {
  const names = architecturesWithOption(option);
  return `the ${names.join(', ')} architecture${names.length === 1 ? '' : 's'}`;
}

/** Resolve user options into a full SaeConfig (nesting and weights filled in), validating every field. */
export function resolveConfig(opts: ConfigOptions): SaeConfig {
  const dIn = positiveInt('dIn', opts.dIn);
  const architecture = opts.architecture;
  if (architecture === undefined || architecture === null) {
    throw new ConfigError('config', `architecture missing: give one of ${ARCHITECTURES.join(', ')} (the paper's MSAE is 'msae')`);
  }
  const def = getArchitecture(architecture, 'config');
  if (opts.dSae !== undefined && opts.expansion !== undefined && opts.dSae !== Math.round(opts.expansion * dIn)) {
    throw new ConfigError('config', `give either dSae (${opts.dSae}) or expansion (${opts.expansion}), not both`);
  }
  let dSae: number;
  if (opts.dSae !== undefined) dSae = positiveInt('dSae', opts.dSae);
  else {
    const expansion = opts.expansion ?? DEFAULT_EXPANSION;
    if (!(typeof expansion === 'number' && expansion > 0 && Number.isFinite(expansion))) {
      throw new ConfigError('config', `expansion must be a positive number, got ${String(expansion)}`);
    }
    dSae = Math.round(expansion * dIn);
    if (dSae < 1) throw new ConfigError('config', `expansion ${expansion} x dIn ${dIn} gives no latents`);
  }
  const loss = opts.loss ?? DEFAULT_LOSS;
  if (!RECON_LOSSES.includes(loss)) throw new ConfigError('config', `unknown loss '${String(loss)}' (expected nmse or mse)`);
  if (opts.weighting !== undefined && !WEIGHTINGS.includes(opts.weighting)) {
    throw new ConfigError('config', `unknown weighting '${String(opts.weighting)}' (expected uw or rw)`);
  }
  if (opts.l1 !== undefined && !(typeof opts.l1 === 'number' && opts.l1 >= 0 && Number.isFinite(opts.l1))) {
    throw new ConfigError('config', `l1 must be a non-negative number, got ${String(opts.l1)}`);
  }
  if (!def.options.l1 && opts.l1) throw new ConfigError('config', `l1 applies only to ${whoAccepts('l1')} (got l1 ${opts.l1} with ${architecture})`);
  if (!def.options.nesting && opts.nesting !== undefined) throw new ConfigError('config', `nesting applies only to ${whoAccepts('nesting')}`);

  if (!def.options.groups && (opts.groups !== undefined || opts.groupWeights !== undefined)) throw new ConfigError('config', `groups apply only to ${whoAccepts('groups')}`);
  if (!def.options.threshold && (opts.l0 !== undefined || opts.bandwidth !== undefined || opts.initThreshold !== undefined)) {
    throw new ConfigError('config', `l0, bandwidth and initThreshold apply only to ${whoAccepts('threshold')}`);
  }
  const fields = def.resolve(
    { k: opts.k, weighting: opts.weighting, l1: opts.l1, nesting: opts.nesting, groups: opts.groups, groupWeights: opts.groupWeights, l0: opts.l0, bandwidth: opts.bandwidth, initThreshold: opts.initThreshold },
    dSae,
  );
  const { k, nesting, weights, weighting, l1 } = fields;
  const config: SaeConfig = { dIn, dSae, architecture, k, nesting, weights, weighting, loss, l1 };
  if (def.options.threshold) Object.assign(config, { l0: fields.l0, bandwidth: fields.bandwidth, initThreshold: fields.initThreshold });
  const auxOn = opts.auxK !== undefined || opts.deadAfter !== undefined || (opts.auxWeight !== undefined && opts.auxWeight !== 0);
  if (auxOn && !def.options.auxK) throw new ConfigError('config', `AuxK applies only to ${whoAccepts('auxK')} (got it with ${architecture})`);
  if (auxOn) {
    config.auxK = opts.auxK ?? defaultAuxK(dIn, dSae);
    config.auxWeight = opts.auxWeight ?? DEFAULT_AUX_WEIGHT;
    config.deadAfter = opts.deadAfter ?? DEFAULT_DEAD_AFTER;
  }
  validateConfig(config);
  return config;
}

/** Check a SaeConfig's internal consistency (engines call this in load); throws a one-line ConfigError. */
export function validateConfig(c: SaeConfig, context = 'config'): void {
  if (c === null || typeof c !== 'object') throw new ConfigError(context, `expected an object`);
  positiveInt(`${context}.dIn`, c.dIn);
  positiveInt(`${context}.dSae`, c.dSae);
  const def = getArchitecture(c.architecture, context);
  positiveInt(`${context}.k`, c.k);
  if (c.k > c.dSae) throw new ConfigError(context, `k (${c.k}) must be <= d_sae (${c.dSae})`);
  if (!RECON_LOSSES.includes(c.loss)) throw new ConfigError(context, `unknown loss '${String(c.loss)}'`);
  if (!WEIGHTINGS.includes(c.weighting)) throw new ConfigError(context, `unknown weighting '${String(c.weighting)}'`);
  if (!(typeof c.l1 === 'number' && c.l1 >= 0 && Number.isFinite(c.l1))) throw new ConfigError(context, `l1 must be a non-negative number`);
  if (!Array.isArray(c.nesting) || c.nesting.length === 0) throw new ConfigError(context, `nesting must be a non-empty array`);
  if (!Array.isArray(c.weights) || c.weights.length !== c.nesting.length) {
    throw new ConfigError(context, `weights (${Array.isArray(c.weights) ? c.weights.length : 'missing'}) must have one entry per nesting level (${c.nesting.length})`);
  }
  let prev = 0;
  for (const k of c.nesting) {
    if (!Number.isInteger(k) || k <= prev || k > c.dSae) {
      throw new ConfigError(context, `nesting [${c.nesting.join(', ')}] must be strictly ascending positive integers <= d_sae (${c.dSae})`);
    }
    prev = k;
  }
  for (const w of c.weights) {
    if (!(typeof w === 'number' && w >= 0 && Number.isFinite(w))) throw new ConfigError(context, `weights must be non-negative numbers`);
  }
  if (!(c.weights.reduce((a, b) => a + b, 0) > 0)) throw new ConfigError(context, `weights must not all be 0`);
  def.validate(c, context);
  validateAuxK(c, context, def.options.auxK);
  if (!def.options.threshold && (c.l0 !== undefined || c.bandwidth !== undefined)) throw new ConfigError(context, `l0 and bandwidth apply only to ${architecturesWithOption('threshold').join(', ')}`);
  if (!def.options.l1 && c.l1 !== 0) throw new ConfigError(context, `l1 applies only to ${architecturesWithOption('l1').join(', ')}`);
}

/** AuxK fields: absent (off), or auxK in 1..d_sae with auxWeight >= 0 and deadAfter in 1..2^24 (auxK 0 = off). */
function validateAuxK(c: SaeConfig, context: string, accepted: boolean): void {
  if (c.auxK === undefined || c.auxK === 0) {
    if (c.auxWeight !== undefined || c.deadAfter !== undefined) {
      if (c.auxK === undefined) throw new ConfigError(context, `auxWeight and deadAfter need auxK`);
    }
    return;
  }
  if (!accepted) throw new ConfigError(context, `AuxK applies only to ${architecturesWithOption('auxK').join(', ')}`);
  if (!Number.isInteger(c.auxK) || c.auxK < 1 || c.auxK > c.dSae) throw new ConfigError(context, `auxK must be an integer in 1..d_sae (${c.dSae}), got ${String(c.auxK)}`);
  if (!(typeof c.auxWeight === 'number' && c.auxWeight >= 0 && Number.isFinite(c.auxWeight))) {
    throw new ConfigError(context, `auxWeight must be a non-negative number, got ${String(c.auxWeight)}`);
  }
  if (!(Number.isInteger(c.deadAfter) && (c.deadAfter as number) >= 1 && (c.deadAfter as number) <= MAX_DEAD_AFTER)) {
    throw new ConfigError(context, `deadAfter must be an integer in 1..${MAX_DEAD_AFTER}, got ${String(c.deadAfter)}`);
  }
}

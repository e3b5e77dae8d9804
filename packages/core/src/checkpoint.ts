/**
 * Checkpoint format (pure; file IO and the other tools' layouts live in @msae/io): a directory with
 *   cfg.json                     config, normalization, training metadata (snake_case) + SAELens-style extras
 *   sae_weights.safetensors      F32 W_enc [d_in, d_sae], b_enc [d_sae], W_dec [d_sae, d_in], b_dec [d_in]
 *                                + the architecture's extra tensors (jumprelu: SAELens' threshold [d_sae] = exp(log_threshold))
 *   optimizer_state.safetensors  (resume) AdamW moments m.<name>, v.<name>; metadata {step}
 *   trainer_state.json           (resume) written by the trainer
 */
import type { Architecture, ReconLoss, SaeConfig, Weighting } from './config.js';
import { validateConfig } from './config-resolution.js';
import { ARCHITECTURES, isArchitecture } from './architectures/registry.js';
import { extraTensorFileNames, extraTensorsOf, readExtraTensors, writeExtraTensors } from './architectures/extra-tensors.js';
import { saeLensCfgKeys } from './architectures/sae-lens.js';
import { configFromCfg, configToCfg } from './config-cfg-keys.js';
import { CheckpointFormatError } from './errors.js';
import type { AdamState, SaeParams } from './engine.js';
import type { Normalization } from './normalization.js';
import { PARAM_NAMES, paramNamesOf, paramShapes, type ParamDims, type ParamName } from './params.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

export const CFG_FILE = 'cfg.json';
export const WEIGHTS_FILE = 'sae_weights.safetensors';
export const OPTIMIZER_FILE = 'optimizer_state.safetensors';
export const TRAINER_STATE_FILE = 'trainer_state.json';
export const CHECKPOINT_FORMAT_VERSION = 1;
/** The AuxK dead-latent counts in optimizer_state.safetensors. */
export const SINCE_FIRED_TENSOR = 'auxk.samples_since_fired';

export interface Checkpoint {
  config: SaeConfig;
  params: SaeParams;
  normalization: Normalization;
  /** Training metadata (epochs, seed, data, metrics, ...), stored as cfg.json "training". */
  training?: Record<string, unknown>;
}

/** The cfg.json object. */
export interface CheckpointCfg {
  format: 'msae';
  format_version: number;
  d_in: number;
  d_sae: number;
  architecture: Architecture;
  k: number;
  nesting: number[];
  weights: number[];
  weighting: Weighting;
  loss: ReconLoss;
  l1_coefficient: number;
  /** AuxK (present only when on): auxK, auxWeight (SAELens' aux_k_coefficient), deadAfter in samples. */
  aux_k?: number;
  aux_k_coefficient?: number;
  dead_after_samples?: number;
  /** JumpReLU (present only for it): l0 coefficient, STE bandwidth, initial threshold. */
  l0_coefficient?: number;
  jumprelu_bandwidth?: number;
  jumprelu_init_threshold?: number;
  normalization: { mean: number[]; scale: number };
  training: Record<string, unknown>;
  // SAELens-compatible extras
  model_name: string;
  hook_name: string;
  hook_layer: number;
  dtype: 'float32';
  device: 'cpu';
  apply_b_dec_to_input: true;
  activation_fn_str: 'relu' | 'topk' | 'jumprelu';
  activation_fn_kwargs: Record<string, number>;
}

/** Build the cfg.json object of a checkpoint. */
export function checkpointCfg(ckpt: Checkpoint): CheckpointCfg {
  const c = ckpt.config;
  return {
    format: 'msae',
    format_version: CHECKPOINT_FORMAT_VERSION,
    ...(configToCfg(c) as Pick<CheckpointCfg, 'd_in' | 'd_sae' | 'architecture' | 'k' | 'nesting' | 'weights' | 'weighting' | 'loss' | 'l1_coefficient'>), // the config's keys, from CONFIG_CFG_KEYS
    normalization: { mean: Array.from(ckpt.normalization.mean), scale: ckpt.normalization.scale },
    training: ckpt.training ?? {},
    model_name: 'msae',
    hook_name: 'clip_embedding',
    hook_layer: 0,
    dtype: 'float32',
    device: 'cpu',
    apply_b_dec_to_input: true,
    activation_fn_str: saeLensCfgKeys(c).activation_fn_str,
    activation_fn_kwargs: saeLensCfgKeys(c).activation_fn_kwargs,
  };
}

/** Encode a checkpoint: cfg.json text and sae_weights.safetensors bytes. */
export function encodeCheckpoint(ckpt: Checkpoint): { cfgJson: string; weights: Uint8Array } {
  validateConfig(ckpt.config, 'checkpoint config');
  checkNormalization(ckpt.normalization, ckpt.config.dIn, 'checkpoint');
  const shapes = paramShapes(ckpt.config);
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const n of PARAM_NAMES) {
    const data = ckpt.params[n];
    if (!(data instanceof Float32Array) || data.length !== shapes[n].reduce((a, b) => a * b, 1)) {
      throw new CheckpointFormatError('checkpoint', `${n} must be a Float32Array of shape [${shapes[n].join(', ')}]`);
    }
    tensors[n] = { shape: shapes[n], data };
  }
  Object.assign(tensors, writeExtraTensors(ckpt.config, ckpt.params, (m) => new CheckpointFormatError('checkpoint', m))); // jumprelu: threshold = exp(log_threshold)
  return {
    cfgJson: JSON.stringify(checkpointCfg(ckpt), null, 2) + '\n',
    weights: encodeSafetensors(tensors, { format: 'pt' }),
  };
}

function checkNormalization(n: Normalization, dIn: number, context: string): void {
  if (!n || !(n.mean instanceof Float32Array) || n.mean.length !== dIn) throw new CheckpointFormatError(context, `normalization.mean must have d_in (${dIn}) values`);
  if (!(typeof n.scale === 'number' && Number.isFinite(n.scale) && n.scale > 0)) throw new CheckpointFormatError(context, `normalization.scale must be a positive number`);
}

function field<T>(cfg: Record<string, unknown>, key: string, check: (v: unknown) => boolean, what: string, context: string): T {
  if (!(key in cfg)) throw new CheckpointFormatError(context, `missing key '${key}'`);
  const v = cfg[key];
  if (!check(v)) throw new CheckpointFormatError(context, `'${key}' must be ${what}, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v as T;
}

const isNumArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Parse and validate cfg.json text into the config, normalization and training metadata. */
export function decodeCheckpointCfg(cfgJson: string, context = CFG_FILE): { config: SaeConfig; normalization: Normalization; training: Record<string, unknown> } {
  let raw: unknown;
  try {
    raw = JSON.parse(cfgJson);
  } catch (e) {
    throw new CheckpointFormatError(context, `invalid JSON (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CheckpointFormatError(context, `expected a JSON object`);
  const cfg = raw as Record<string, unknown>;
  if ('format_version' in cfg && typeof cfg.format_version === 'number' && cfg.format_version > CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointFormatError(context, `format_version ${cfg.format_version} is newer than this library supports (${CHECKPOINT_FORMAT_VERSION})`);
  }
  const config = configFromCfg(cfg, (m) => new CheckpointFormatError(context, m)); // the config's keys, from CONFIG_CFG_KEYS
  validateConfig(config, context);
  const norm = field<{ mean?: unknown; scale?: unknown }>(cfg, 'normalization', (v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'an object {mean, scale}', context);
  if (!isNumArray(norm.mean) || (norm.mean as number[]).length !== config.dIn) {
    throw new CheckpointFormatError(context, `normalization.mean must be an array of d_in (${config.dIn}) numbers`);
  }
  if (!(typeof norm.scale === 'number' && Number.isFinite(norm.scale) && norm.scale > 0)) throw new CheckpointFormatError(context, `normalization.scale must be a positive number`);
  const training = cfg.training;
  if (training !== undefined && (training === null || typeof training !== 'object' || Array.isArray(training))) {
    throw new CheckpointFormatError(context, `'training' must be an object`);
  }
  return {
    config,
    normalization: { mean: Float32Array.from(norm.mean as number[]), scale: norm.scale },
    training: (training as Record<string, unknown>) ?? {},
  };
}

/** Decode and validate the four SAE tensors and the architecture's extra tensors against the config's shapes. */
export function decodeWeights(weights: Uint8Array, config: ParamDims, context = WEIGHTS_FILE): SaeParams {
  const { tensors } = decodeSafetensors(weights, context);
  const shapes: Record<string, number[]> = paramShapes(config);
  const fail = (m: string) => new CheckpointFormatError(context, m);
  const extra = readExtraTensors(config, tensors, fail);
  for (const name of extraTensorFileNames(config.architecture)) if (tensors[name]) shapes[name] = [config.dSae];
  const out = {} as SaeParams;
  for (const n of Object.keys(shapes)) {
    const t = tensors[n];
    if (!t) throw new CheckpointFormatError(context, `missing tensor '${n}'`);
    if (t.shape.length !== shapes[n].length || t.shape.some((d, i) => d !== shapes[n][i])) {
      throw new CheckpointFormatError(context, `tensor '${n}' has shape [${t.shape.join(', ')}], expected [${shapes[n].join(', ')}] (d_in ${config.dIn}, d_sae ${config.dSae})`);
    }
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) throw new CheckpointFormatError(context, `tensor '${n}' has a non-finite value at index ${i}`);
    }
    if ((PARAM_NAMES as readonly string[]).includes(n)) out[n as ParamName] = t.data;
  }
  return Object.assign(out, extra);
}

/**
 * Decode a checkpoint from cfg.json text and sae_weights.safetensors bytes. `context` (usually the checkpoint
 * directory) prefixes every error, e.g. "run1/cfg.json: missing key 'nesting'".
 */
export function decodeCheckpoint(cfgJson: string, weights: Uint8Array, context = 'checkpoint'): Checkpoint {
  const { config, normalization, training } = decodeCheckpointCfg(cfgJson, `${context}/${CFG_FILE}`);
  const params = decodeWeights(weights, config, `${context}/${WEIGHTS_FILE}`);
  return { config, params, normalization, training };
}

/** Encode AdamW state as safetensors: tensors m.<name> and v.<name>, metadata {step}. */
export function encodeOptimizerState(adam: AdamState): Uint8Array {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const which of ['m', 'v'] as const) {
    for (const n of paramNamesOf(adam[which])) tensors[`${which}.${n}`] = { shape: [adam[which][n]!.length], data: adam[which][n]! };
  }
  // AuxK: samples since each latent last fired (exact in float32: capped at deadAfter <= 2^24)
  if (adam.samplesSinceFired) tensors[SINCE_FIRED_TENSOR] = { shape: [adam.samplesSinceFired.length], data: adam.samplesSinceFired };
  return encodeSafetensors(tensors, { step: String(adam.step), format: 'msae-adamw' });
}

/** Decode optimizer_state.safetensors, checking every moment against the config's shapes. */
export function decodeOptimizerState(bytes: Uint8Array, config: ParamDims, context = OPTIMIZER_FILE): AdamState {
  const { tensors, metadata } = decodeSafetensors(bytes, context);
  const step = Number(metadata.step);
  if (metadata.step === undefined || !Number.isInteger(step) || step < 0) throw new CheckpointFormatError(context, `metadata 'step' is missing or not a non-negative integer`);
  const shapes: Record<string, number[]> = paramShapes(config);
  for (const extra of extraTensorsOf(config.architecture)) shapes[extra.param] = [config.dSae];
  const read = (which: 'm' | 'v'): SaeParams => {
    const out = {} as SaeParams;
    for (const n of Object.keys(shapes) as string[]) {
      const t = tensors[`${which}.${n}`];
      const size = shapes[n].reduce((a, b) => a * b, 1);
      if (!t) throw new CheckpointFormatError(context, `missing tensor '${which}.${n}'`);
      if (t.data.length !== size) throw new CheckpointFormatError(context, `tensor '${which}.${n}' has ${t.data.length} values, expected ${size}`);
      (out as unknown as Record<string, Float32Array>)[n] = t.data;
    }
    return out;
  };
  const out: AdamState = { m: read('m'), v: read('v'), step };
  const since = tensors[SINCE_FIRED_TENSOR];
  if (since) {
    if (since.data.length !== config.dSae) throw new CheckpointFormatError(context, `tensor '${SINCE_FIRED_TENSOR}' has ${since.data.length} values, expected d_sae (${config.dSae})`);
    out.samplesSinceFired = since.data;
  }
  return out;
}

import type { SaeConfig } from './config.js';
import type { SaeParams } from './engine.js';
import { getArchitecture, isArchitecture } from './architectures/registry.js';

/** Shape-giving part of a config; with `architecture`, jumprelu configs also get log_threshold. */
export type ParamDims = Pick<SaeConfig, 'dIn' | 'dSae'> & { architecture?: string };

/** Whether the config's architecture trains a per-latent threshold (SaeParams.log_threshold): jumprelu. */
export function hasThreshold(config: { architecture?: string }): boolean {
  return isArchitecture(config.architecture) && getArchitecture(config.architecture).activation.train === 'jumprelu';
}

/** Zero-filled parameters of the given shape (log_threshold too for jumprelu). */
export function zeroParams(config: ParamDims): SaeParams {
  const { dIn, dSae } = config;
  return {
    W_enc: new Float32Array(dIn * dSae),
    b_enc: new Float32Array(dSae),
    W_dec: new Float32Array(dSae * dIn),
    b_dec: new Float32Array(dIn),
    ...(hasThreshold(config) ? { log_threshold: new Float32Array(dSae) } : {}),
  };
}

/** Deep copy of parameters. */
export function cloneParams(p: SaeParams): SaeParams {
  const out: SaeParams = { W_enc: p.W_enc.slice(), b_enc: p.b_enc.slice(), W_dec: p.W_dec.slice(), b_dec: p.b_dec.slice() };
  if (p.log_threshold) out.log_threshold = p.log_threshold.slice();
  return out;
}

/** The tensor name of the JumpReLU threshold parameter (theta = exp(log_threshold)). */
export const THRESHOLD_PARAM = 'log_threshold';

/** The parameter names a parameter set holds: the four of PARAM_NAMES, then log_threshold when present. */
export function paramNamesOf(p: SaeParams): (ParamName | typeof THRESHOLD_PARAM)[] {
  return p.log_threshold ? [...PARAM_NAMES, THRESHOLD_PARAM] : [...PARAM_NAMES];
}

/** Names of the four parameter tensors, in SAELens order. */
export const PARAM_NAMES = ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** Shape of each parameter tensor: W_enc [dIn, dSae], b_enc [dSae], W_dec [dSae, dIn], b_dec [dIn]. */
export function paramShapes(config: Pick<SaeConfig, 'dIn' | 'dSae'>): Record<ParamName, number[]> {
  const { dIn, dSae } = config;
  return { W_enc: [dIn, dSae], b_enc: [dSae], W_dec: [dSae, dIn], b_dec: [dIn] };
}

/** Throw a one-line Error when a parameter set does not match the config's shapes (or is not Float32Array). */
export function validateParams(config: ParamDims, p: SaeParams, context = 'params'): void {
  if (p === null || typeof p !== 'object') throw new Error(`${context}: expected an object with W_enc, b_enc, W_dec, b_dec`);
  const shapes = paramShapes(config);
  for (const name of PARAM_NAMES) {
    const t = p[name];
    const n = shapes[name].reduce((a, b) => a * b, 1);
    if (!(t instanceof Float32Array)) throw new Error(`${context}: ${name} is missing or not a Float32Array`);
    if (t.length !== n) throw new Error(`${context}: ${name} has ${t.length} values, expected ${n} for shape [${shapes[name].join(', ')}]`);
  }
  if (hasThreshold(config) || p.log_threshold !== undefined) {
    const t = p.log_threshold;
    if (!(t instanceof Float32Array)) throw new Error(`${context}: log_threshold is missing or not a Float32Array (${config.architecture} trains a threshold per latent)`);
    if (t.length !== config.dSae) throw new Error(`${context}: log_threshold has ${t.length} values, expected d_sae (${config.dSae})`);
  }
}

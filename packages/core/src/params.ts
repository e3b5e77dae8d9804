import type { SaeConfig } from './config.js';
import type { SaeParams } from './engine.js';

/** Zero-filled parameters of the given shape. */
export function zeroParams(config: Pick<SaeConfig, 'dIn' | 'dSae'>): SaeParams {
  const { dIn, dSae } = config;
  return {
    W_enc: new Float32Array(dIn * dSae),
    b_enc: new Float32Array(dSae),
    W_dec: new Float32Array(dSae * dIn),
    b_dec: new Float32Array(dIn),
  };
}

/** Deep copy of parameters. */
export function cloneParams(p: SaeParams): SaeParams {
  return { W_enc: p.W_enc.slice(), b_enc: p.b_enc.slice(), W_dec: p.W_dec.slice(), b_dec: p.b_dec.slice() };
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
export function validateParams(config: Pick<SaeConfig, 'dIn' | 'dSae'>, p: SaeParams, context = 'params'): void {
  if (p === null || typeof p !== 'object') throw new Error(`${context}: expected an object with W_enc, b_enc, W_dec, b_dec`);
  const shapes = paramShapes(config);
  for (const name of PARAM_NAMES) {
    const t = p[name];
    const n = shapes[name].reduce((a, b) => a * b, 1);
    if (!(t instanceof Float32Array)) throw new Error(`${context}: ${name} is missing or not a Float32Array`);
    if (t.length !== n) throw new Error(`${context}: ${name} has ${t.length} values, expected ${n} for shape [${shapes[name].join(', ')}]`);
  }
}

import { ArgumentError } from './errors.js';
import type { SaeConfig } from './config.js';
import type { SaeParams } from './engine.js';
import { extraTensorsOf } from './architectures/extra-tensors.js';

/** Shape-giving part of a config; with `architecture`, also the architecture's extra tensors (jumprelu: log_threshold). */
export type ParamDims = Pick<SaeConfig, 'dIn' | 'dSae'> & { architecture?: string };

/** Whether the config's architecture trains log_threshold (SaeParams.log_threshold), as its extraTensors declare. */
export function hasThreshold(config: { architecture?: string }): boolean {
  return extraTensorsOf(config.architecture).some((e) => e.param === THRESHOLD_PARAM);
}

/** Zero-filled parameters of the given shape (and of the architecture's extra tensors, [dSae] each). */
export function zeroParams(config: ParamDims): SaeParams {
  const { dIn, dSae } = config;
  const out: SaeParams = { W_enc: new Float32Array(dIn * dSae), b_enc: new Float32Array(dSae), W_dec: new Float32Array(dSae * dIn), b_dec: new Float32Array(dIn) };
  for (const extra of extraTensorsOf(config.architecture)) (out as unknown as Record<string, Float32Array>)[extra.param] = new Float32Array(dSae);
  return out;
}

/** Deep copy of parameters (every Float32Array they hold). */
export function cloneParams(p: SaeParams): SaeParams {
  return Object.fromEntries(paramNamesOf(p).map((n) => [n, (p as unknown as Record<string, Float32Array>)[n].slice()])) as unknown as SaeParams;
}

/** The tensor name of the JumpReLU threshold parameter (theta = exp(log_threshold)). */
export const THRESHOLD_PARAM = 'log_threshold';

/** The parameter names a parameter set holds: the four of PARAM_NAMES, then its extra tensors (jumprelu: log_threshold). */
export function paramNamesOf(p: SaeParams): (ParamName | typeof THRESHOLD_PARAM)[] {
  const extra = Object.keys(p).filter((n) => !(PARAM_NAMES as readonly string[]).includes(n) && (p as unknown as Record<string, unknown>)[n] instanceof Float32Array);
  return [...PARAM_NAMES, ...(extra as (typeof THRESHOLD_PARAM)[])];
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
  if (p === null || typeof p !== 'object') throw new ArgumentError(`${context}`, `expected an object with W_enc, b_enc, W_dec, b_dec`);
  const shapes = paramShapes(config);
  for (const name of PARAM_NAMES) {
    const t = p[name];
    const n = shapes[name].reduce((a, b) => a * b, 1);
    if (!(t instanceof Float32Array)) throw new ArgumentError(`${context}`, `${name} is missing or not a Float32Array`);
    if (t.length !== n) throw new ArgumentError(`${context}`, `${name} has ${t.length} values, expected ${n} for shape [${shapes[name].join(', ')}]`);
  }
  const extras = extraTensorsOf(config.architecture).map((e) => e.param);
  if (p.log_threshold !== undefined && !extras.includes(THRESHOLD_PARAM)) extras.push(THRESHOLD_PARAM); // a set threshold is checked, never ignored
  for (const name of extras) {
    const t = (p as unknown as Record<string, unknown>)[name];
    if (!(t instanceof Float32Array)) throw new ArgumentError(`${context}`, `${name} is missing or not a Float32Array (${config.architecture} trains it per latent)`);
    if (t.length !== config.dSae) throw new ArgumentError(`${context}`, `${name} has ${t.length} values, expected d_sae (${config.dSae})`);
  }
}
